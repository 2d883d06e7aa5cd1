"""报表打印: the daily/weekly summary, the day's batch of records, and the issuing unit's settings.

Every PDF is built on the storage worker, saved under documents/, then shown in Qt's print preview
(打印 there opens the system's print dialog); the page only gathers the choices and lists what was
made, each one printable again or openable in the system viewer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from inspector_app.domain.enforcement import DOC_SPECS, DocKind
from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.pages.base import Page

if TYPE_CHECKING:
    from inspector_app.services.settings import DocumentSettings
    from inspector_app.ui.taskman import Job

ALL = ""


@dataclass(frozen=True)
class ReportChoices:
    teams: list[str]
    grids: list[str]
    settings: DocumentSettings


# The document titles the 文书代字 fields are labelled with (tr(title)): listed so lupdate collects them.
DOC_TITLES = (
    QT_TRANSLATE_NOOP("ui", "现场检查记录"),
    QT_TRANSLATE_NOOP("ui", "责令限期整改指令书"),
    QT_TRANSLATE_NOOP("ui", "现场处理措施决定书"),
    QT_TRANSLATE_NOOP("ui", "责令立即改正通知书"),
    QT_TRANSLATE_NOOP("ui", "责令限期改正通知书"),
    QT_TRANSLATE_NOOP("ui", "疫情防控整改通知书"),
    QT_TRANSLATE_NOOP("ui", "整改复查意见书"),
)


def _open_in_viewer(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ReportsPage(Page):
    sig_generated = Signal(object)  # the Path of the PDF just made

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, tr("报表打印"))
        # What follows a document made: the print preview. Replaced in tests that only make PDFs.
        self.opener: Callable[[Path], None] = self.print_pdf

    def build(self) -> None:
        body = self.scroll_body()
        top = QHBoxLayout()
        top.addWidget(self._summary_box(), 3)
        top.addWidget(self._batch_box(), 2)
        body.addLayout(top)
        body.addWidget(self._unit_box())
        made = QGroupBox(tr("本次生成的文书（Enter 或双击：打印预览）"))
        made_layout = QHBoxLayout(made)
        self.made = QListWidget()
        self.made.itemActivated.connect(
            lambda item: self.print_pdf(Path(item.data(Qt.ItemDataRole.UserRole))))
        self.made.setMinimumHeight(120)
        made_layout.addWidget(self.made, 1)
        side = QVBoxLayout()
        self.print_button = QPushButton(tr("打印…"))
        self.print_button.clicked.connect(lambda: self._with_chosen(self.print_pdf))
        self.view_button = QPushButton(tr("打开 PDF"))
        self.view_button.clicked.connect(lambda: self._with_chosen(_open_in_viewer))
        side.addWidget(self.print_button)
        side.addWidget(self.view_button)
        side.addStretch(1)
        made_layout.addLayout(side)
        body.addWidget(made, 1)

    def _summary_box(self) -> QGroupBox:
        today = QDate.currentDate()
        monday = today.addDays(1 - today.dayOfWeek())
        summary = QGroupBox(tr("检查工作统计（日报 / 周报）"))
        form = QFormLayout(summary)
        self.date_from = QDateEdit(monday)
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        span = QHBoxLayout()
        span.addWidget(self.date_from)
        span.addWidget(QLabel(tr("至")))
        span.addWidget(self.date_to)
        span.addStretch(1)
        form.addRow(tr("统计期间"), span)
        self.scope = QComboBox()
        form.addRow(tr("统计范围"), self.scope)
        self.summary_button = QPushButton(tr("生成统计报表"))
        self.summary_button.setObjectName("primary")
        self.summary_button.clicked.connect(self.make_summary)
        form.addRow("", self.summary_button)
        return summary

    def _batch_box(self) -> QGroupBox:
        today = QDate.currentDate()
        batch = QGroupBox(tr("当日全部现场检查记录"))
        batch_form = QFormLayout(batch)
        self.batch_day = QDateEdit(today)
        self.batch_day.setCalendarPopup(True)
        self.batch_day.setDisplayFormat("yyyy-MM-dd")
        batch_form.addRow(tr("检查日期"), self.batch_day)
        self.batch_button = QPushButton(tr("合并打印当日记录"))
        self.batch_button.clicked.connect(self.make_batch)
        batch_form.addRow("", self.batch_button)
        return batch

    def _unit_box(self) -> QGroupBox:
        unit = QGroupBox(tr("发文单位与印章"))
        unit_form = QFormLayout(unit)
        self.issuing_unit = QLineEdit()
        self.issuing_unit.setPlaceholderText(tr("例如：宝龙街道综合行政执法队"))
        self.number_prefix = QLineEdit()
        self.number_prefix.setPlaceholderText(tr("文书编号前缀，例如：宝执"))
        unit_form.addRow(tr("发文单位"), self.issuing_unit)
        unit_form.addRow(tr("编号前缀"), self.number_prefix)
        seal_row = QHBoxLayout()
        self.seal_state = QLabel(tr("未设置印章"))
        self.seal_button = QPushButton(tr("选择印章图片…"))
        self.seal_button.clicked.connect(self.choose_seal)
        seal_row.addWidget(self.seal_state)
        seal_row.addWidget(self.seal_button)
        seal_row.addStretch(1)
        unit_form.addRow(tr("印章"), seal_row)
        self.authorization = QLineEdit()
        self.authorization.setPlaceholderText(tr("授权或委托执法的文件，例如：区政府关于街道综合行政执法的决定"))
        self.review_body = QLineEdit()
        self.review_body.setPlaceholderText(tr("例如：深圳市龙岗区人民政府"))
        self.court = QLineEdit()
        self.court.setPlaceholderText(tr("例如：深圳市龙岗区人民法院"))
        unit_form.addRow(tr("执法依据"), self.authorization)
        unit_form.addRow(tr("复议机关"), self.review_body)
        unit_form.addRow(tr("人民法院"), self.court)
        codes = QLabel(tr("文书代字（每类文书一个，印在文号中：（简称）代字〔年〕号）"))
        codes.setWordWrap(True)
        unit_form.addRow(codes)
        self.doc_codes: dict[str, QLineEdit] = {}
        for kind in DocKind:
            edit = QLineEdit()
            edit.setMaxLength(10)
            self.doc_codes[kind.value] = edit
            unit_form.addRow(tr(DOC_SPECS[kind].title), edit)
        self.save_button = QPushButton(tr("保存设置"))
        self.save_button.clicked.connect(self.save_settings)
        unit_form.addRow("", self.save_button)
        return unit

    # ----------------------------------------------------------------- loading

    def reload(self) -> None:
        def load(job: Job) -> ReportChoices:
            from inspector_app.services import settings

            register = job.services.register
            return ReportChoices(register.teams(), register.grids(), settings.read(job.services.workspace))

        self.ctx.run(load, self._show_choices)

    def _show_choices(self, choices: ReportChoices) -> None:
        current = self.scope.currentData()
        self.scope.clear()
        # Keys are plain strings: Qt's item data does not keep Python tuples apart.
        self.scope.addItem(tr("全部企业"), ALL)
        for team in choices.teams:
            self.scope.addItem(tr("检查组：{name}").format(name=team), f"team:{team}")
        for grid in choices.grids:
            self.scope.addItem(tr("网格：{name}").format(name=grid), f"grid:{grid}")
        if current is not None:
            self.scope.setCurrentIndex(max(0, self.scope.findData(current)))
        self.issuing_unit.setText(choices.settings.issuing_unit)
        self.number_prefix.setText(choices.settings.number_prefix)
        self.authorization.setText(choices.settings.authorization or "")
        self.review_body.setText(choices.settings.review_body or "")
        self.court.setText(choices.settings.court or "")
        stored = choices.settings.doc_codes or {}
        for kind, edit in self.doc_codes.items():
            edit.setText(stored.get(kind, ""))
        self.seal_state.setText(tr("已设置印章") if choices.settings.seal_sha256 else tr("未设置印章"))

    # ----------------------------------------------------------------- documents

    def make_summary(self) -> None:
        first, last = _to_date(self.date_from.date()), _to_date(self.date_to.date())
        if last < first:
            QMessageBox.warning(self, tr("统计期间有误"), tr("结束日期不能早于开始日期"))
            return
        kind, _, name = str(self.scope.currentData() or ALL).partition(":")
        team = name if kind == "team" else None
        grid = name if kind == "grid" else None
        title = (
            tr("日报") if first == last else tr("周报") if last - first == timedelta(days=6) else tr("统计")
        )

        def run(job: Job) -> Path:
            from inspector_app.services.report_data import Reporter

            target = job.services.workspace.root / "documents" / f"检查工作{title}-{first}至{last}.pdf"
            Reporter(job.services.workspace, job.services.forms).summary(
                first, last, target, team=team, grid=grid
            )
            return target

        self._generate(run, self.summary_button)

    def make_batch(self) -> None:
        day = _to_date(self.batch_day.date())

        def run(job: Job) -> Path:
            from inspector_app.services.report_data import Reporter

            target = job.services.workspace.root / "documents" / f"现场检查记录汇总-{day}.pdf"
            count = Reporter(job.services.workspace, job.services.forms).batch(day, target)
            if count == 0:
                target.unlink(missing_ok=True)
                raise LookupError(tr("{day} 没有已完成的检查记录").format(day=day))
            return target

        self._generate(run, self.batch_button)

    def _generate(self, run: Callable[[Job], Path], button: QPushButton) -> None:
        button.setEnabled(False)
        self.ctx.sig_status.emit(tr("正在生成报表…"))

        def done(path: Path) -> None:
            button.setEnabled(True)
            item = QListWidgetItem(path.name)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.made.insertItem(0, item)
            self.ctx.sig_status.emit(tr("已生成 {path}").format(path=path))
            self.sig_generated.emit(path)
            self.opener(path)

        def failed(exc: BaseException) -> None:
            button.setEnabled(True)
            self._warn(tr("无法生成报表"))(exc)

        self.ctx.run(run, done, failed)

    def print_pdf(self, path: Path) -> None:
        """The print preview of a document made (打印 there: the system's printers)."""
        from inspector_app.ui import reports_bridge

        reports_bridge.preview_pdf(path, self)

    def _with_chosen(self, action: Callable[[Path], None]) -> None:
        item = self.made.currentItem() or self.made.item(0)
        if item is not None:
            action(Path(item.data(Qt.ItemDataRole.UserRole)))

    # ----------------------------------------------------------------- settings

    def save_settings(self) -> None:
        unit, prefix = self.issuing_unit.text(), self.number_prefix.text()
        authorization, review_body = self.authorization.text(), self.review_body.text()
        court = self.court.text()
        codes = {kind: edit.text() for kind, edit in self.doc_codes.items()}

        def run(job: Job) -> None:
            from inspector_app.services import settings

            current = settings.read(job.services.workspace)
            settings.write(
                job.services.workspace,
                settings.DocumentSettings(
                    unit, current.seal_sha256, prefix, codes, authorization, review_body, court
                ),
            )

        self.ctx.run(run, lambda _: self.ctx.sig_status.emit(tr("设置已保存")), self._warn(tr("设置未保存")))

    def choose_seal(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("选择印章图片"), "", tr("图片 (*.png *.jpg *.jpeg)"))
        if path:
            self.set_seal(Path(path))

    def set_seal(self, image: Path) -> None:
        def run(job: Job) -> str:
            from inspector_app.services import settings

            return settings.set_seal_image(job.services.workspace, image, now=job.services.clock())

        self.ctx.run(run, lambda _: self.seal_state.setText(tr("已设置印章")), self._warn(tr("印章未设置")))

    def _warn(self, title: str) -> Callable[[BaseException], None]:
        def show(exc: BaseException) -> None:
            # open(), not the blocking warning(): the window (and the next job's result) stays live
            box = QMessageBox(QMessageBox.Icon.Warning, title, str(exc), QMessageBox.StandardButton.Ok, self)
            box.button(QMessageBox.StandardButton.Ok).setText(tr("确定"))
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.setObjectName("reportError")
            box.open()
            self.ctx.sig_status.emit(f"{title}：{exc}")

        return show
