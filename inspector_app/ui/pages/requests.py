"""诉求跟进: what enterprises asked for, followed up until resolved."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
)

from inspector_app.domain.requests import REQUEST_TRANSITIONS, RequestStatus
from inspector_app.services.changes import Changes
from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.pages.base import Page
from inspector_app.ui.pages.tables import current_row, make_table
from inspector_app.ui.tablemodel import Column, Prepared, RowsModel, prepare
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:  # the service layer is imported on the storage worker, not at start-up
    from inspector_app.services.requests import RequestView


def _columns() -> list[Column]:
    return [
        # What was asked comes right after who asked: the last column of a table beside the
        # detail panel was left a few pixels ("口…").
        Column(tr("企业名称"), lambda r: r.enterprise_name),
        Column(tr("内容"), lambda r: " ".join(r.description.split())),
        Column(tr("状态"), lambda r: tr(r.status.value), lambda r: STATUS_ORDER.index(r.status)),
        Column(tr("类别"), lambda r: tr(r.category)),
        Column(tr("提出日期"), lambda r: r.created_at.astimezone().strftime("%Y-%m-%d"),
               lambda r: r.created_at),
    ]


# The workflow's order (待跟进 → 跟进中 → 已解决), not the order of the characters.
STATUS_ORDER = list(RequestStatus)


def next_statuses(current: RequestStatus) -> list[RequestStatus]:
    """The current status, then those it may move to, in workflow order."""
    return [current, *(s for s in STATUS_ORDER if s in REQUEST_TRANSITIONS[current])]


class RequestsPage(Page):
    sig_open_enterprise = Signal(str)
    sig_loaded = Signal()

    def __init__(self, ctx: UiContext) -> None:
        super().__init__(ctx, tr("诉求跟进"))
        self.selected: RequestView | None = None

    def build(self) -> None:
        self.status_box = QComboBox()
        self.status_box.addItem(tr("全部状态"), "")
        for s in STATUS_ORDER:
            self.status_box.addItem(tr(s.value), s.value)
        self.status_box.setMinimumWidth(140)
        self.header.addWidget(self.status_box)
        self.model = RowsModel(_columns(), self)
        self.table = make_table(self.model, (220, 320, 80, 100))
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self._build_panel())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.layout_.addWidget(splitter, 1)
        self._set_enabled(False)
        self.status_box.currentIndexChanged.connect(self.reload)
        self.table.clicked.connect(lambda _i: self._select())
        self.table.activated.connect(lambda _i: self._select())
        self.follow_button.clicked.connect(self._follow)
        self.note.returnPressed.connect(self._follow)
        self.open_button.clicked.connect(self._open)

    def _build_panel(self) -> QFrame:
        panel = QFrame()
        panel.setObjectName("card")
        side = QVBoxLayout(panel)
        side.setContentsMargins(16, 14, 16, 14)
        self.detail_title = QLabel(tr("选择一条诉求查看跟进情况"))
        self.detail_title.setObjectName("sectionTitle")
        self.detail_title.setWordWrap(True)
        side.addWidget(self.detail_title)
        self.detail = QLabel("")
        self.detail.setWordWrap(True)
        side.addWidget(self.detail)
        self.history = QLabel("")
        self.history.setObjectName("muted")
        self.history.setWordWrap(True)
        side.addWidget(self.history)
        side.addStretch(1)
        row = QHBoxLayout()
        self.next_status = QComboBox()
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("跟进情况"))
        self.follow_button = QPushButton(tr("记录跟进"))
        self.follow_button.setObjectName("primary")
        row.addWidget(self.next_status)
        row.addWidget(self.note, 1)
        side.addLayout(row)
        side.addWidget(self.follow_button)
        self.error = QLabel("")
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        side.addWidget(self.error)
        self.open_button = QPushButton(tr("查看企业"))
        side.addWidget(self.open_button)
        return panel

    def _set_enabled(self, on: bool) -> None:
        # Until a request is chosen there is nothing to follow: no empty status box and greyed
        # 记录跟进 under "选择一条诉求…", only the hint.
        for w in (self.next_status, self.note, self.follow_button, self.open_button):
            w.setEnabled(on)
            w.setVisible(on)

    def affected_by(self, changes: Changes) -> bool:
        return bool(changes.requests)

    def reload(self) -> None:
        status = self.status_box.currentData()
        wanted = RequestStatus(status) if status else None
        columns = self.model.columns

        def run(job: Job) -> Prepared:
            return prepare(job.services.requests.list(status=wanted), columns, None)

        self.ctx.run(run, self._loaded, key="requests-load")

    def _loaded(self, prepared: Prepared) -> None:
        chosen = self.selected.id if self.selected else None
        self.model.set_prepared(prepared)
        if chosen is not None:
            row = self.model.view_row_of(lambda r: r.id == chosen)
            if row >= 0:
                self.table.selectRow(row)
                self._select()
        self.sig_loaded.emit()

    def _select(self) -> None:
        row = current_row(self.table)
        if row < 0:
            return
        r: RequestView = self.model.row(row)
        self.selected = r
        self.detail_title.setText(f"{r.enterprise_name}　【{tr(r.category)}】")
        self.detail.setText(r.description)
        lines = [f"{at.astimezone().strftime('%m-%d %H:%M')}　{tr(status)}　{note}"
                 for at, status, note in r.follow_ups]
        self.history.setText(tr("跟进记录：\n") + "\n".join(lines) if lines else tr("尚无跟进记录"))
        self.next_status.clear()
        for s in next_statuses(r.status):
            self.next_status.addItem(tr(s.value), s.value)
        self.error.setText("")
        self._set_enabled(True)

    def _follow(self) -> None:
        if self.selected is None:
            return
        rid = self.selected.id
        status = RequestStatus(self.next_status.currentData())
        note = self.note.text()
        self.ctx.op(lambda job: job.services.requests.follow_up(rid, status, note),
                    self._followed,
                    lambda exc: self.error.setText(str(exc)))

    def _followed(self, _changes: Changes) -> None:
        self.note.clear()
        self.error.setText("")

    def _open(self) -> None:
        if self.selected is not None:
            self.sig_open_enterprise.emit(self.selected.enterprise_code)
