"""同步: every record this laptop has to send, with its state and, when it is stuck, why.

Quarantined records (the server refused them) and conflicts (the office must decide) stand out;
neither blocks the rest. A quarantined record can be put back in the queue once its cause is fixed.
Below them, the records pulled from the office that this laptop set aside, each with its reason.
What is shown is read through ``inspector_app.sync.status`` (this page holds no SQL).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton

from inspector_app.domain.clock import local_date
from inspector_app.services import documents
from inspector_app.services.changes import Changes
from inspector_app.services.documents import NumberAlert
from inspector_app.ui import style
from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.pages.base import Page
from inspector_app.ui.pages.tables import current_row, make_table
from inspector_app.ui.sync.controller import SyncController
from inspector_app.ui.sync.states import SyncState, SyncStatus
from inspector_app.ui.sync.status_widget import short_time, state_text
from inspector_app.ui.tablemodel import Column, Prepared, RowsModel, prepare
from inspector_app.ui.taskman import Job

if TYPE_CHECKING:
    from inspector_app.sync.status import PulledProblem

STATES = ("waiting", "sending", "sent", "quarantined", "conflict")
STUCK = {"quarantined": "#fdecea", "conflict": "#fff4d6"}
STUCK_TEXT = {"quarantined": style.BAD, "conflict": style.WARN}


def state_label(state: str) -> str:
    return {
        "waiting": tr("等待发送"),
        "sending": tr("发送中（未确认）"),
        "sent": tr("已送达"),
        "quarantined": tr("已隔离"),
        "conflict": tr("冲突"),
    }.get(state, state)


def entity_label(entity: str) -> str:
    return {
        "visit": tr("检查记录"),
        "enterprise_change": tr("企业信息修改"),
        "finding_event": tr("隐患跟进"),
        "request": tr("诉求跟进"),
    }.get(entity, entity)


@dataclass(frozen=True)
class SyncRow:
    outbox_id: int
    entity: str
    entity_id: str
    what: str  # the enterprise and the record, in words
    account: str
    state: str
    reason: str
    missing: tuple[str, ...]
    attempts: int
    created_at: datetime


@dataclass
class SyncPageData:
    prepared: Prepared
    counts: dict[str, int]
    set_aside: Prepared  # pulled records this laptop would not take (PulledProblem rows)
    numbers: list[str] = field(default_factory=list)  # 执法文书 numbers running low (number_text)


def number_text(alerts: list[NumberAlert]) -> list[str]:
    """The office's number blocks as the inspector needs to hear of them (services/documents.py)."""
    out = []
    for a in alerts:
        if a.kind is None:
            out.append(tr("尚未从办公室领取{year}年的文书编号：此时完成的检查将使用本机临时编号（带“临”字），"
                          "请先连接办公室同步。").format(year=a.year))
        elif a.left == 0:
            out.append(tr("{title}的编号已用完：此时完成的检查将使用本机临时编号，请同步领取。").format(title=a.title))
        else:
            out.append(tr("{title}的编号仅剩{n}个，请尽快同步领取。").format(title=a.title, n=a.left))
    return out


def pulled_kind_label(kind: str) -> str:
    return {
        "visit": tr("检查记录"),
        "form": tr("检查表"),
        "finding_event": tr("隐患跟进"),
        "request_follow_up": tr("诉求跟进"),
    }.get(kind, kind)


def _set_aside_columns() -> list[Column]:
    return [
        Column(tr("类型"), lambda p: pulled_kind_label(p.kind)),
        Column(tr("记录"), lambda p: p.key),
        Column(tr("检查员账号"), lambda p: p.account or tr("（未登录时记录）")),
        Column(tr("原因"), lambda p: p.reason),
        Column(tr("接收时间"), lambda p: short_time(p.received_at), lambda p: p.received_at),
    ]


def _missing_text(r: SyncRow) -> str:
    if not r.missing:
        return ""
    return tr("{n} 个：{first}…").format(n=len(r.missing), first=r.missing[0][:12])


def _columns() -> list[Column]:
    return [
        Column(tr("状态"), lambda r: state_label(r.state), lambda r: STATES.index(r.state)
               if r.state in STATES else 99),
        Column(tr("类型"), lambda r: entity_label(r.entity)),
        Column(tr("记录"), lambda r: r.what),
        Column(tr("检查员账号"), lambda r: r.account or tr("（未登录时记录）")),
        Column(tr("原因"), lambda r: r.reason),
        Column(tr("缺少的文件"), _missing_text, lambda r: len(r.missing)),
        Column(tr("发送次数"), lambda r: str(r.attempts), lambda r: r.attempts, align_right=True),
        Column(tr("记录时间"), lambda r: short_time(r.created_at), lambda r: r.created_at),
    ]


class SyncRowsModel(RowsModel):
    """Rows the inspector must look at (quarantined, conflict) get a tinted background and bold text."""

    def __init__(self, columns: list[Column], parent: Any = None) -> None:
        super().__init__(columns, parent, color_columns=frozenset({0, 4}))
        self._bold = QFont()
        self._bold.setBold(True)
        self._backgrounds = {k: QBrush(QColor(v)) for k, v in STUCK.items()}

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole):
            state = self.row(index.row()).state
            if state in STUCK:
                return self._backgrounds[state] if role == Qt.ItemDataRole.BackgroundRole else (
                    self._bold if index.column() == 0 else None)
            return None
        return super().data(index, role)


def _numbers_label() -> QLabel:
    label = QLabel("")
    label.setObjectName("error")
    label.setWordWrap(True)
    label.hide()
    return label


class SyncPage(Page):
    sig_loaded = Signal()

    def __init__(self, ctx: UiContext, controller: SyncController) -> None:
        super().__init__(ctx, tr("同步"))
        self.controller = controller
        self.counts_label = QLabel("")
        self.counts_label.setObjectName("muted")
        self.header.addWidget(self.counts_label)
        who = QHBoxLayout()
        self.account_label = QLabel(tr("未登录办公室服务器"))
        self.account_label.setObjectName("badge")
        who.addWidget(self.account_label)
        self.status_label = QLabel("")
        self.status_label.setObjectName("muted")
        who.addWidget(self.status_label, 1)
        self.layout_.addLayout(who)
        self.numbers_label = _numbers_label()  # the office's blocks of document numbers running low
        self.layout_.addWidget(self.numbers_label)

        bar = QHBoxLayout()
        self.state_box = QComboBox()
        self.state_box.addItem(tr("全部状态"), "")
        for state in STATES:
            self.state_box.addItem(state_label(state), state)
        self.state_box.setMinimumWidth(180)
        self.account_box = QComboBox()
        self.account_box.addItem(tr("全部检查员"), None)
        self.account_box.setMinimumWidth(180)
        bar.addWidget(self.state_box)
        bar.addWidget(self.account_box)
        bar.addStretch(1)
        self.retry_button = QPushButton(tr("重新发送"))
        self.retry_button.setToolTip(tr("把选中的已隔离记录放回发送队列（先在办公室或本机解决隔离原因）"))
        self.login_button = QPushButton(tr("登录/切换检查员…"))
        self.sync_button = QPushButton(tr("立即同步"))
        self.sync_button.setObjectName("primary")
        for b in (self.retry_button, self.login_button, self.sync_button):
            bar.addWidget(b)
        self.layout_.addLayout(bar)

        self.model = SyncRowsModel(_columns(), self)
        self.table = make_table(self.model, (96, 96, 300, 120, 230, 110, 76))
        self.layout_.addWidget(self.table, 1)
        self.hint = QLabel(tr("已隔离：服务器不接受该记录，原因见右侧，其余记录照常发送。")
                           + tr("冲突：与办公室的数据不一致，待办公室处理，本机保留您的版本。"))
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.layout_.addWidget(self.hint)
        self._add_set_aside()

        self.state_box.currentIndexChanged.connect(self._filter)
        self.account_box.currentIndexChanged.connect(self._filter)
        self.sync_button.clicked.connect(controller.sync_now)
        self.login_button.clicked.connect(controller.sig_login_requested.emit)
        self.retry_button.clicked.connect(self._retry_selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        controller.sig_state_changed.connect(self._status)
        self._status(controller.status)
        self._selection_changed()

    def _add_set_aside(self) -> None:
        """Pulled records set aside: shown only when there are some, each with its reason."""
        self.set_aside_title = QLabel("")
        self.set_aside_title.setObjectName("sectionTitle")
        self.layout_.addWidget(self.set_aside_title)
        self.set_aside_model = RowsModel(_set_aside_columns(), self, color_columns=frozenset({3}))
        self.set_aside_table = make_table(self.set_aside_model, (96, 260, 120, 420))
        self.set_aside_table.setMaximumHeight(200)
        self.layout_.addWidget(self.set_aside_table)
        self.set_aside_hint = QLabel(tr("接收时已搁置：办公室发来的这些记录本机无法接收，已单独保存，"
                                        "其余记录照常接收。请告知办公室按原因处理。"))
        self.set_aside_hint.setObjectName("hint")
        self.set_aside_hint.setWordWrap(True)
        self.layout_.addWidget(self.set_aside_hint)
        self._show_set_aside(0)

    def affected_by(self, changes: Changes) -> bool:
        return bool(changes.outbox)

    def reload(self) -> None:
        columns = self.model.columns
        aside_columns = self.set_aside_model.columns
        lang = self.ctx.lang

        def run(job: Job) -> SyncPageData:
            from inspector_app.sync.status import describe_records, pulled_quarantine, record_states

            ws = job.services.workspace
            states = record_states(ws, include_sent=True)
            forms = job.services.forms

            def form_title(code: str, version: str) -> str:
                try:
                    return forms.get(code, version).title.text(lang)
                except KeyError:
                    return code

            words = describe_records(ws, states, form_title)
            rows = [
                SyncRow(r.outbox_id, r.entity, r.entity_id,
                        words.get((r.entity, r.entity_id), r.entity_id), r.account, r.state, r.reason,
                        r.missing, r.attempts, r.created_at)
                for r in states
            ]
            rows.sort(key=lambda r: (r.state not in STUCK, r.state == "sent", -r.outbox_id))
            counts: dict[str, int] = {}
            for r in rows:
                counts[r.state] = counts.get(r.state, 0) + 1
            aside = sorted(pulled_quarantine(ws), key=lambda p: p.received_at, reverse=True)
            alerts = documents.alerts(ws, local_date(datetime.now(UTC)).year)
            return SyncPageData(prepare(rows, columns, lambda r: STUCK_TEXT.get(r.state)), counts,
                                prepare(aside, aside_columns, lambda _p: style.BAD), number_text(alerts))

        self.ctx.run(run, self._loaded, key="sync-page-load")

    def _loaded(self, data: SyncPageData) -> None:
        self.model.set_prepared(data.prepared)
        accounts = sorted({r.account for r in data.prepared.rows})
        chosen = self.account_box.currentData()
        self.account_box.blockSignals(True)
        self.account_box.clear()
        self.account_box.addItem(tr("全部检查员"), None)
        for a in accounts:
            self.account_box.addItem(a or tr("（未登录时记录）"), a)
        found = self.account_box.findData(chosen) if chosen is not None else 0
        self.account_box.setCurrentIndex(max(0, found))
        self.account_box.blockSignals(False)
        parts = [f"{state_label(s)} {data.counts.get(s, 0)}" for s in STATES]
        self.counts_label.setText("　".join(parts))
        self.set_aside_model.set_prepared(data.set_aside)
        self._show_set_aside(len(data.set_aside.rows))
        self.numbers_label.setText("\n".join(data.numbers))
        self.numbers_label.setVisible(bool(data.numbers))
        self._filter()
        self.sig_loaded.emit()

    def _show_set_aside(self, n: int) -> None:
        self.set_aside_title.setText(tr("接收时搁置的记录（{n} 条）").format(n=n))
        for w in (self.set_aside_title, self.set_aside_table, self.set_aside_hint):
            w.setVisible(n > 0)

    def set_aside_rows(self) -> list[PulledProblem]:
        """The pulled records set aside, as listed (newest first)."""
        return [self.set_aside_model.row(i) for i in range(self.set_aside_model.rowCount())]

    def _filter(self) -> None:
        state = self.state_box.currentData() or ""
        account = self.account_box.currentData()
        rows = self.model.rows
        self.model.set_view([n for n in self.model.order
                             if (not state or rows[n].state == state)
                             and (account is None or rows[n].account == account)])
        self._selection_changed()

    def shown_rows(self) -> list[SyncRow]:
        return [self.model.row(i) for i in range(self.model.rowCount())]

    def _selection_changed(self) -> None:
        row = current_row(self.table)
        self.retry_button.setEnabled(row >= 0 and self.model.row(row).state == "quarantined")

    def _retry_selected(self) -> None:
        row = current_row(self.table)
        if row < 0:
            return
        outbox_id = self.model.row(row).outbox_id

        def run(job: Job) -> Changes:
            from inspector_app.sync.status import retry_quarantined

            return retry_quarantined(job.services.workspace, [outbox_id])

        self.ctx.op(run, lambda _c: self.controller.sync_now())

    def _status(self, status: SyncStatus) -> None:
        acct = status.account
        if acct is None:
            self.account_label.setText(tr("未登录办公室服务器"))
        else:
            team = acct.team or tr("无检查组")
            self.account_label.setText(tr("检查员：{name}　{team}　服务器：{url}").format(
                name=acct.label, team=team, url=acct.server_url))
        text = state_text(status)
        if status.error:
            text += "：" + status.error
        elif status.state is SyncState.IDLE and status.account is None:
            text = ""
        self.status_label.setText(text)
        self.status_label.setToolTip(status.error)
