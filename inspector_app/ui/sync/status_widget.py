"""The sync corner of the status bar: what is happening in short words, the waiting count, who is
working, and the 立即同步 button. Everything it shows comes from the controller's status."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from inspector_app.domain.clock import local_date, local_time
from inspector_app.ui import style
from inspector_app.ui.i18n import tr
from inspector_app.ui.sync.controller import SyncController
from inspector_app.ui.sync.states import SyncState, SyncStatus

# Compact buttons: the status bar stays one line high (the app's buttons are sized for touch).
_QSS = f"""
QPushButton#syncButton, QPushButton#accountButton, QPushButton#cancelSync {{
    padding: 2px 10px;
    min-height: 20px;
    border-radius: 6px;
    font-size: 14px;
}}
QPushButton#accountButton {{
    border: none;
    background: transparent;
    color: {style.ACCENT};
}}
QPushButton#accountButton:hover {{
    text-decoration: underline;
}}
QLabel#syncState[problem="true"] {{
    color: {style.BAD};
    font-weight: 600;
}}
QLabel#syncWaiting[problem="true"] {{
    color: {style.BAD};
    font-weight: 600;
}}
QLabel#syncState[good="true"] {{
    color: {style.GOOD};
}}
"""

STAGES = {"push": "同步中", "upload": "上传文件", "pull": "接收变更"}


def short_time(moment: datetime, now: datetime | None = None) -> str:
    """09:42 today, 03-05 09:42 another day (local time)."""
    local = local_time(moment)
    today = local_date(now or datetime.now().astimezone())
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%m-%d %H:%M")


def state_text(status: SyncStatus) -> str:
    """The short words of the status bar."""
    s = status.state
    if s is SyncState.SYNCING:
        if status.stage == "pull":
            return tr("接收变更 {n} 条").format(n=status.done)
        if status.stage == "upload":
            return tr("上传文件 {done}/{total}").format(done=status.done, total=status.total)
        if status.total:
            return tr("同步中 {done}/{total}").format(done=status.done, total=status.total)
        return tr("同步中…")
    words = {
        SyncState.OFFLINE: tr("离线"),
        SyncState.UNREACHABLE: tr("服务器无法连接"),
        SyncState.NO_ACCOUNT: tr("未登录"),
        SyncState.EXPIRED: tr("登录已失效"),
        SyncState.ERROR: tr("同步出错"),
        SyncState.CANCELLED: tr("同步已取消"),
    }
    if s in words:
        return words[s]
    if status.last_success is not None:
        return tr("上次同步 {time}").format(time=short_time(status.last_success))
    return tr("尚未同步")


def waiting_text(status: SyncStatus) -> str:
    """The queue in words. "已全部同步" only when something was synced and nothing is left over:
    never beside "尚未同步", never while records are quarantined or in conflict."""
    parts = []
    if status.waiting:
        parts.append(tr("待同步 {n} 条").format(n=status.waiting))
    if status.stuck:
        parts.append(tr("{n} 条未被接收").format(n=status.stuck))
    if parts:
        return "，".join(parts)
    if status.last_success is not None and status.state is not SyncState.SYNCING:
        return tr("已全部同步")
    return ""


def tooltip_text(status: SyncStatus) -> str:
    lines = []
    if status.account is not None:
        lines.append(tr("检查员：{name}　服务器：{url}").format(
            name=status.account.label, url=status.account.server_url))
    if status.error:
        lines.append(status.error)
    if status.retry_at is not None:
        lines.append(tr("将于 {time} 自动重试").format(time=short_time(status.retry_at)))
    if status.last_success is not None:
        lines.append(tr("上次成功同步：{time}").format(time=short_time(status.last_success)))
    return "\n".join(lines)


class SyncStatusWidget(QWidget):
    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setStyleSheet(_QSS)
        self.controller = controller
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        self.state_label = QLabel(tr("尚未同步"))
        self.state_label.setObjectName("syncState")
        self.waiting_label = QLabel("")
        self.waiting_label.setObjectName("syncWaiting")
        self.account_button = QPushButton(tr("登录…"))
        self.account_button.setObjectName("accountButton")
        self.account_button.setToolTip(tr("登录办公室服务器或切换检查员"))
        self.cancel_button = QPushButton(tr("取消"))
        self.cancel_button.setObjectName("cancelSync")
        self.cancel_button.setVisible(False)
        self.sync_button = QPushButton(tr("立即同步"))
        self.sync_button.setObjectName("syncButton")
        self.sync_button.setToolTip(tr("立即与办公室服务器同步（Ctrl+Shift+S）"))
        for w in (self.state_label, self.waiting_label, self.account_button, self.cancel_button,
                  self.sync_button):
            row.addWidget(w)
        self.sync_button.clicked.connect(controller.sync_now)
        self.cancel_button.clicked.connect(controller.cancel)
        self.account_button.clicked.connect(controller.sig_login_requested.emit)
        controller.sig_state_changed.connect(self.show_status)
        controller.ctx.sig_remembered.connect(lambda _key: self.show_status(controller.status))
        self.show_status(controller.status)

    def show_status(self, status: SyncStatus) -> None:
        syncing = status.state is SyncState.SYNCING
        self.state_label.setText(state_text(status))
        problem = status.state in (SyncState.OFFLINE, SyncState.UNREACHABLE, SyncState.EXPIRED,
                                   SyncState.ERROR, SyncState.NO_ACCOUNT)
        self.state_label.setProperty("problem", problem)
        self.state_label.setProperty("good", status.state is SyncState.OK)
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)
        tip = tooltip_text(status)
        self.state_label.setToolTip(tip)
        self.waiting_label.setText(waiting_text(status))
        self.waiting_label.setProperty("problem", status.stuck > 0)
        self.waiting_label.style().unpolish(self.waiting_label)
        self.waiting_label.style().polish(self.waiting_label)
        acct = status.account
        if acct is None:
            # Nobody signed in: the inspector chosen at this laptop (开始检查 dialog), if any.
            chosen = str(self.controller.ctx.settings.value("inspector/me_name", "") or "")
            self.account_button.setText(tr("{name}（未登录）").format(name=chosen) if chosen else tr("登录…"))
        elif status.state is SyncState.EXPIRED:
            self.account_button.setText(tr("重新登录…"))
        else:
            self.account_button.setText(acct.display_name or acct.username)
        self.account_button.setToolTip(tip or tr("登录办公室服务器或切换检查员"))
        self.cancel_button.setVisible(syncing)
        self.sync_button.setEnabled(not syncing)
