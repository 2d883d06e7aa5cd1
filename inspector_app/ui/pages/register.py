"""企业名录: the whole register, searched on every keystroke by the register service."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton

from inspector_app.services.changes import Changes
from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.pages.base import Page
from inspector_app.ui.pages.tables import current_row, make_table
from inspector_app.ui.tablemodel import Column, Prepared, RowsModel, prepare
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:  # the service layer is imported on the storage worker, not at start-up
    from inspector_app.services.register import ImportReport
    from inspector_app.store.search import SearchRow

LIMIT = 500


@dataclass
class RegisterResult:
    prepared: Prepared
    total: int


class RegisterLine:
    """A search result with the enterprise's staff figures beside it (the register's, which a
    completed visit updates); everything else is the search row's."""

    __slots__ = ("row", "staff_on_site", "staff_total")

    def __init__(self, row: SearchRow, staff_total: int | None, staff_on_site: int | None) -> None:
        self.row = row
        self.staff_total = staff_total
        self.staff_on_site = staff_on_site

    def __getattr__(self, name: str) -> Any:
        return getattr(self.row, name)


def _count(value: int | None) -> str:
    return "" if value is None else str(value)


def _columns() -> list[Column]:
    return [
        Column(tr("企业名称"), lambda r: r.name),
        Column(tr("统一社会信用代码"), lambda r: r.credit_code),
        Column(tr("网格"), lambda r: r.grid),
        Column(tr("类别"), lambda r: tr(r.category)),  # shown translated, stored Chinese
        Column(tr("复工状态"), lambda r: tr(r.status)),
        Column(tr("员工总数"), lambda r: _count(r.staff_total), lambda r: r.staff_total or -1, True),
        Column(tr("到岗人数"), lambda r: _count(r.staff_on_site), lambda r: r.staff_on_site or -1, True),
        Column(tr("地址"), lambda r: r.address),
    ]


class RegisterPage(Page):
    sig_open_enterprise = Signal(str)
    sig_searched = Signal()

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, tr("企业名录"))
        self._lists_loaded = False

    def build(self) -> None:
        from inspector_app.domain.enterprise import ResumptionStatus

        self.import_button = QPushButton(tr("导入名录…"))
        self.header.addWidget(self.import_button)
        bar = QHBoxLayout()
        from inspector_app.ui.pages.worklist import SearchBox

        self.search = SearchBox()  # ↓ into the results, Enter opens the first (or chosen) one
        self.search.setObjectName("search")
        self.search.setPlaceholderText(tr("搜索企业名称、信用代码、地址或拼音首字母"))
        self.search.setClearButtonEnabled(True)
        bar.addWidget(self.search, 3)
        self.grid_box = QComboBox()
        self.grid_box.addItem(tr("全部网格"), "")
        self.category_box = QComboBox()
        self.category_box.addItem(tr("全部类别"), "")
        self.status_box = QComboBox()
        self.status_box.addItem(tr("全部复工状态"), "")
        for s in ResumptionStatus:
            self.status_box.addItem(tr(s.value), s.value)
        for box in (self.grid_box, self.category_box, self.status_box):
            box.setMinimumWidth(130)
            bar.addWidget(box, 1)
        self.layout_.addLayout(bar)
        self.model = RowsModel(_columns(), self)
        self.table = make_table(self.model, (300, 190, 130, 130, 90, 70, 70))
        self.layout_.addWidget(self.table, 1)
        self.count_label = QLabel("")
        self.count_label.setObjectName("muted")
        self.layout_.addWidget(self.count_label)
        self.search.textChanged.connect(self.reload)
        for box in (self.grid_box, self.category_box, self.status_box):
            box.currentIndexChanged.connect(self.reload)
        self.table.doubleClicked.connect(lambda _i: self._open())
        self.table.activated.connect(lambda _i: self._open())
        self.import_button.clicked.connect(self._import)
        self.search.sig_down.connect(self._into_results)
        self.search.sig_enter.connect(self._enter_from_search)

    def _into_results(self) -> None:
        if self.model.rowCount() == 0:
            return
        if not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self.table.setFocus()

    def _enter_from_search(self) -> None:
        if self.model.rowCount() == 0:
            return
        if not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self._open()

    def affected_by(self, changes: Changes) -> bool:
        return bool(changes.register or changes.enterprises)

    def reload(self) -> None:
        query = self.search.text()
        grid = self.grid_box.currentData() or None
        category = self.category_box.currentData() or None
        status = self.status_box.currentData() or None
        columns = self.model.columns
        want_lists = not self._lists_loaded

        def run(job: Job) -> tuple[RegisterResult, tuple[list[str], list[str]] | None]:
            register = job.services.register
            from inspector_app.services import figures

            found = register.search(query, grid=grid, category=category, status=status, limit=LIMIT)
            staff = figures.staff_of(job.services.workspace, [r.id for r in found])
            rows = [RegisterLine(r, *staff.get(r.id, (None, None))) for r in found]
            total = register.count()
            lists = (register.grids(), register.categories()) if want_lists else None
            return RegisterResult(prepare(rows, columns, None), total), lists

        self.ctx.run(run, self._shown, key="register-search")

    def _shown(self, result: tuple[RegisterResult, tuple[list[str], list[str]] | None]) -> None:
        data, lists = result
        if lists is not None:
            self._lists_loaded = True
            for box, values in ((self.grid_box, lists[0]), (self.category_box, lists[1])):
                box.blockSignals(True)
                for v in values:
                    box.addItem(v if box is self.grid_box else tr(v), v)  # the data stays the stored value
                box.blockSignals(False)
        self.model.set_prepared(data.prepared)
        n = len(data.prepared.rows)
        more = tr("（仅显示前 {n} 家，请输入更多字词缩小范围）").format(n=LIMIT) if n >= LIMIT else ""
        self.count_label.setText(tr("找到 {n} 家，名录共 {total} 家").format(n=n, total=data.total) + more)
        self.sig_searched.emit()

    def _open(self) -> None:
        row = current_row(self.table)
        if row >= 0:
            found: SearchRow = self.model.row(row)
            self.sig_open_enterprise.emit(found.credit_code)

    def _import(self) -> None:
        name, _f = QFileDialog.getOpenFileName(self, tr("选择企业名录文件"), "", tr("表格 (*.xlsx *.csv)"))
        if not name:
            return
        path = Path(name)
        self.ctx.sig_status.emit(tr("正在导入 {name}…").format(name=path.name))
        self.ctx.op(lambda job: job.services.register.import_file(path), self._imported,
                    self._import_failed)

    def _imported(self, report: ImportReport) -> None:
        self._lists_loaded = False
        QMessageBox.information(self, tr("导入完成"), report.summary())

    def _import_failed(self, exc: BaseException) -> None:
        from inspector_app.services.register import ImportRefused  # loaded by the import job

        text = str(exc)
        if isinstance(exc, ImportRefused):
            text += "\n\n" + "\n".join(str(p) for p in exc.report.problems[:20])
        QMessageBox.warning(self, tr("未能导入"), text)
