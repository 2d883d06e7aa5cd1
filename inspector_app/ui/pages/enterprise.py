"""One enterprise: master data (editable, saved as changes for the office), visits, findings, requests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from inspector_app.services.changes import Changes
from inspector_app.ui import style
from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.pages.base import Page
from inspector_app.ui.pages.tables import current_row, make_table
from inspector_app.ui.tablemodel import Column, RowsModel, prepare
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:  # the service layer is imported on the storage worker, not at start-up
    from inspector_app.domain.enterprise import Enterprise
    from inspector_app.services.requests import RequestView
    from inspector_app.services.visit_views import FindingView, VisitSummary

NUMBER_FIELDS = ("staff_total", "staff_on_site")


@dataclass
class EnterpriseData:
    enterprise: Enterprise
    version: int
    visits: list[VisitSummary]
    findings: list[FindingView]
    requests: list[RequestView]
    grids: list[str]
    categories: list[str]


def load_enterprise(job: Job, code: str) -> EnterpriseData:
    services = job.services
    register = services.register
    ent = register.get(code)
    if ent is None:
        raise LookupError(tr("企业 {code} 不在本机企业名录中").format(code=code))
    grids, categories = services.register.grids(), services.register.categories()
    return EnterpriseData(
        ent, register.version(code), services.visits.history(code),
        services.visits.open_findings(code), services.requests.list(enterprise=code), grids, categories,
    )


def _visit_columns() -> list[Column]:
    return [
        Column(tr("开始时间"), lambda v: v.started_at.astimezone().strftime("%Y-%m-%d %H:%M"),
               lambda v: v.started_at),
        Column(tr("检查表"), lambda v: v.form_title),
        Column(tr("状态"), lambda v: tr("已完成") if v.status == "completed" else tr("进行中")),
        Column(tr("结论"), lambda v: tr(v.outcome) if v.outcome else ""),
        Column(tr("检查人员"), lambda v: v.inspectors),
    ]


def _finding_columns() -> list[Column]:
    from inspector_app.domain.finding import FINDING_STATUS_LABELS

    return [
        Column(tr("隐患"), lambda f: f.title),
        Column(tr("等级"), lambda f: tr(f.severity.value)),
        Column(tr("整改要求"), lambda f: tr(f.order.value)),
        Column(tr("期限"), lambda f: f.deadline.isoformat(), lambda f: f.deadline),
        Column(tr("状态"), lambda f: tr(FINDING_STATUS_LABELS[f.status])),
    ]


def _request_columns() -> list[Column]:
    return [
        Column(tr("提出日期"), lambda r: r.created_at.astimezone().strftime("%Y-%m-%d"),
               lambda r: r.created_at),
        Column(tr("类别"), lambda r: tr(r.category)),
        Column(tr("状态"), lambda r: tr(r.status.value)),
        Column(tr("内容"), lambda r: r.description),
    ]


class EnterprisePage(Page):
    sig_back = Signal()
    sig_start_visit = Signal(str)
    sig_start_recheck = Signal(str)
    sig_open_visit = Signal(str)
    sig_loaded = Signal()
    sig_saved = Signal()

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, tr("企业"))
        self.code = ""
        self.data: EnterpriseData | None = None

    def build(self) -> None:
        self.back_button = QPushButton(tr("← 返回"))
        self.header.insertWidget(0, self.back_button)
        self.status_badge = QLabel("")
        self.status_badge.setObjectName("badge")
        self.header.addWidget(self.status_badge)
        self.recheck_button = QPushButton(tr("开始复查"))
        self.start_button = QPushButton(tr("开始检查"))
        self.start_button.setObjectName("primary")
        self.header.addWidget(self.recheck_button)
        self.header.addWidget(self.start_button)
        # Keys for the two starts, set on the buttons: they act only
        # while this page shows them, and a disabled 开始复查 (nothing to re-inspect) ignores its key.
        from inspector_app.ui import shortcuts

        for button, name in ((self.recheck_button, "enterprise_recheck"),
                             (self.start_button, "enterprise_start")):
            shortcuts.bind(button, name)
            button.setToolTip(f"{button.text()}（{shortcuts.KEYS[name].keys_text}）")
        self.code_label = QLabel("")
        self.code_label.setObjectName("muted")
        self.layout_.addWidget(self.code_label)

        self.tabs = QTabWidget()
        self.layout_.addWidget(self.tabs, 1)
        # The master data is a long form: it scrolls rather than make the window taller than a laptop.
        master = QScrollArea()
        master.setWidgetResizable(True)
        master.setFrameShape(QFrame.Shape.NoFrame)
        master.setWidget(self._build_master())
        self.tabs.addTab(master, tr("基本信息"))
        self.visit_model = RowsModel(_visit_columns(), self)
        self.visit_table = make_table(self.visit_model, (150, 280, 90, 120))
        self.tabs.addTab(self.visit_table, tr("检查记录"))
        self.finding_model = RowsModel(_finding_columns(), self)
        self.finding_table = make_table(self.finding_model, (360, 70, 100, 110))
        self.tabs.addTab(self.finding_table, tr("待整改隐患"))
        self.request_model = RowsModel(_request_columns(), self)
        self.request_table = make_table(self.request_model, (110, 110, 90))
        self.tabs.addTab(self.request_table, tr("诉求/困难"))

        self.back_button.clicked.connect(self.sig_back)
        self.start_button.clicked.connect(lambda: self.sig_start_visit.emit(self.code))
        self.recheck_button.clicked.connect(lambda: self.sig_start_recheck.emit(self.code))
        self.visit_table.doubleClicked.connect(self._open_visit)
        self.finding_table.doubleClicked.connect(self._open_finding_visit)

    def _build_master(self) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(18, 16, 18, 16)
        card = QFrame()
        self.master_form = QFormLayout(card)
        self.master_form.setHorizontalSpacing(18)
        self.master_form.setVerticalSpacing(10)
        self.fields: dict[str, QLineEdit | QComboBox] = {}  # built with the first enterprise shown
        outer.addWidget(card)
        row = QHBoxLayout()
        self.edit_error = QLabel("")
        self.edit_error.setObjectName("error")
        self.edit_error.setWordWrap(True)
        row.addWidget(self.edit_error, 1)
        self.revert_button = QPushButton(tr("撤销修改"))
        self.save_button = QPushButton(tr("保存修改"))
        self.save_button.setObjectName("primary")
        row.addWidget(self.revert_button)
        row.addWidget(self.save_button)
        outer.addLayout(row)
        note = QLabel(tr("修改会作为变更记录保存，同步时交由街道办核对。"))
        note.setObjectName("hint")
        outer.addWidget(note)
        outer.addStretch(1)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self._revert)
        return page

    def _build_fields(self) -> None:
        """The editable fields, named by the register service (loaded by then, on the worker)."""
        from inspector_app.services.register import EDITABLE_FIELDS, FIELD_LABELS

        for key in EDITABLE_FIELDS:
            widget: QLineEdit | QComboBox
            if key in ("grid", "category", "size_class", "resumption_status"):
                widget = QComboBox()
                widget.setEditable(key in ("grid", "category"))
            else:
                widget = QLineEdit()
            widget.setMinimumWidth(360)
            self.fields[key] = widget
            self.master_form.addRow(tr(FIELD_LABELS[key]), widget)

    def _revert(self) -> None:
        if self.data is not None:
            self._fill(self.data)

    def revert(self) -> None:
        """Drop the edits not saved (the fields show what is stored again)."""
        self._revert()

    def unsaved(self) -> bool:
        """Whether a master-data field differs from what was loaded."""
        return self._built and self.data is not None and bool(self.fields) and bool(self.values())

    # ----------------------------------------------------------------- loading

    def show_enterprise(self, code: str) -> None:
        if code != self.code:
            self.code = code
            self.title_label.setText(tr("正在读取…"))
            self.tabs.setCurrentIndex(0)
        self._stale = True

    def affected_by(self, changes: Changes) -> bool:
        return bool(self.code) and bool(
            self.code in changes.enterprises or changes.visits or changes.findings or changes.requests
            or changes.register)

    def reload(self) -> None:
        code = self.code
        if code:
            self.ctx.run(lambda job: load_enterprise(job, code), self._loaded, key="enterprise-load")

    def _loaded(self, data: EnterpriseData) -> None:
        if data.enterprise.credit_code != self.code:
            return
        self.data = data
        ent = data.enterprise
        self.title_label.setText(ent.name)
        self.code_label.setText(tr("统一社会信用代码 {code}　{category}　{grid}　{address}").format(
            code=ent.credit_code, category=tr(ent.category), grid=ent.grid, address=ent.address))
        self.status_badge.setText(tr(ent.resumption_status.value))
        self._fill(data)
        self.visit_model.set_prepared(prepare(data.visits, self.visit_model.columns, None))
        major = style.MAJOR_TEXT
        self.finding_model.set_prepared(prepare(
            data.findings, self.finding_model.columns,
            lambda f: major if f.severity.value == "重大" else None))
        self.request_model.set_prepared(prepare(data.requests, self.request_model.columns, None))
        self.tabs.setTabText(2, tr("待整改隐患（{n}）").format(n=len(data.findings)))
        self.tabs.setTabText(1, tr("检查记录（{n}）").format(n=len(data.visits)))
        self.tabs.setTabText(3, tr("诉求/困难（{n}）").format(n=len(data.requests)))
        self.recheck_button.setEnabled(bool(data.findings))
        self.sig_loaded.emit()

    def _fill(self, data: EnterpriseData) -> None:
        from inspector_app.domain.enterprise import RESUMPTION_TRANSITIONS, SIZE_CLASSES, ResumptionStatus

        ent = data.enterprise
        self.edit_error.setText("")
        if not self.fields:
            self._build_fields()
        for key, widget in self.fields.items():
            value = getattr(ent, key)
            text = "" if value is None else str(value)
            if isinstance(widget, QComboBox):
                widget.clear()
                if key == "grid":
                    options = data.grids
                elif key == "category":
                    options = data.categories
                elif key == "size_class":
                    options = ["", *SIZE_CLASSES]
                else:
                    current = ResumptionStatus(text)
                    options = [current.value, *(s.value for s in ResumptionStatus  # workflow order
                                                if s in RESUMPTION_TRANSITIONS[current])]
                for o in options:
                    widget.addItem(tr(o) if key == "resumption_status" else o, o)
                if widget.findData(text) < 0:
                    widget.addItem(text, text)
                widget.setCurrentIndex(widget.findData(text))
            else:
                widget.setText(text)

    def values(self) -> dict[str, Any]:
        """The edited fields that differ from what was loaded, in the service's types."""
        assert self.data is not None
        out: dict[str, Any] = {}
        for key, widget in self.fields.items():
            if isinstance(widget, QComboBox):
                text = widget.currentText() if widget.isEditable() else str(widget.currentData() or "")
            else:
                text = widget.text()
            old = getattr(self.data.enterprise, key)
            value: Any = text.strip()
            if key in NUMBER_FIELDS:
                if value == "":
                    value = None
                else:
                    try:
                        value = int(value)
                    except ValueError:
                        value = text  # the service explains what is wrong
            if value != old and not (value in ("", None) and old in ("", None)):
                out[key] = value
        return out

    def save(self) -> None:
        if self.data is None:
            return
        values = self.values()
        if not values:
            self.edit_error.setText(tr("没有修改"))
            return
        code, version, account = self.code, self.data.version, self.ctx.account
        self.ctx.op(
            lambda job: job.services.register.edit(code, values, changed_by=account,
                                                                 base_version=version),
            self._saved,
            lambda exc: self.edit_error.setText(str(exc)),
        )

    def _saved(self, _changes: Changes) -> None:
        self.edit_error.setText("")
        self.ctx.sig_status.emit(tr("已保存企业信息修改"))
        self.reload()
        self.sig_saved.emit()

    def _open_visit(self) -> None:
        row = current_row(self.visit_table)
        if row >= 0:
            self.sig_open_visit.emit(self.visit_model.row(row).id)

    def _open_finding_visit(self) -> None:
        row = current_row(self.finding_table)
        if row >= 0:
            self.sig_open_visit.emit(self.finding_model.row(row).visit_id)
