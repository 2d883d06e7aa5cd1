"""登录办公室服务器: log in once per inspector, or choose which inspector of this laptop is working."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from inspector_app.ui.i18n import tr
from inspector_app.ui.sync.controller import SyncController
from inspector_app.ui.sync.states import LoginAnswer


def normalise_url(text: str) -> str:
    url = text.strip().rstrip("/")
    if url and "://" not in url:
        url = "http://" + url
    return url


class LoginDialog(QDialog):
    sig_logged_in = Signal(str)  # user name
    sig_failed = Signal(str)  # the message shown

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(tr("登录办公室服务器"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        title = QLabel(tr("登录办公室服务器"))
        title.setObjectName("sectionTitle")
        layout.addWidget(title)
        intro = QLabel(tr("每位检查员在本机登录一次即可，登录凭证保存在系统密钥环（或工作区）中。")
                       + tr("多名检查员共用本机时，各自的未同步记录互不影响。"))
        intro.setObjectName("hint")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        self.switch_box = QComboBox()
        self.switch_button = QPushButton(tr("切换"))
        self._build_switch(layout)
        self._build_form(layout)

        self.message = QLabel("")
        self.message.setObjectName("error")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout.addWidget(self.message)

        self.buttons = QDialogButtonBox()
        self.login_button = self.buttons.addButton(tr("登录"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.login_button.setObjectName("primary")
        self.login_button.setDefault(True)
        cancel = self.buttons.addButton(tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        # Only 登录 is ever the default: an auto-default 取消 that took the focus would become the
        # default and be clicked by the Enter that started the login.
        cancel.setAutoDefault(False)
        self.switch_button.setAutoDefault(False)
        self.buttons.accepted.connect(self._login)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._busy = False
        self._closed = False
        # Enter in a field reaches the dialog, which clicks the default button (登录): one path.
        empty = [e for e in (self.server_edit, self.user_edit) if not e.text()]
        (empty[0] if empty else self.password_edit).setFocus()

    def _build_switch(self, layout: QVBoxLayout) -> None:
        """Inspectors already logged in on this laptop: choosing one needs no password."""
        current = self.controller.account
        others = [a for a in self.controller.accounts if a.has_token]
        if not others:
            return
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("本机检查员")))
        for a in others:
            self.switch_box.addItem(a.label, a.username)
        if current is not None:
            self.switch_box.setCurrentIndex(max(0, self.switch_box.findData(current.username)))
        row.addWidget(self.switch_box, 1)
        row.addWidget(self.switch_button)
        layout.addLayout(row)
        self.switch_button.clicked.connect(self._switch)
        or_label = QLabel(tr("或登录其他账号："))
        or_label.setObjectName("muted")
        layout.addWidget(or_label)

    def _build_form(self, layout: QVBoxLayout) -> None:
        current = self.controller.account
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(10)
        self.server_edit = QLineEdit(self.controller.server_url())
        self.server_edit.setPlaceholderText(tr("例如 http://192.168.1.10:8765"))
        self.user_edit = QLineEdit(current.username if current is not None else "")
        self.user_edit.setPlaceholderText(tr("办公室分配的用户名"))
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(tr("服务器地址"), self.server_edit)
        form.addRow(tr("用户名"), self.user_edit)
        form.addRow(tr("密码"), self.password_edit)
        layout.addLayout(form)

    def _show_message(self, text: str, *, error: bool = True) -> None:
        self.message.setObjectName("error" if error else "muted")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _set_busy(self, busy: bool) -> None:
        # The fields become read-only, not disabled: disabling the field that has the focus would
        # hand the focus (and the Enter key still on its way) to the next button.
        self._busy = busy
        for edit in (self.server_edit, self.user_edit, self.password_edit):
            edit.setReadOnly(busy)
        for w in (self.login_button, self.switch_button, self.switch_box):
            w.setEnabled(not busy)

    def done(self, result: int) -> None:
        self._closed = True
        super().done(result)

    def _login(self) -> None:
        if self._busy:
            return
        url = normalise_url(self.server_edit.text())
        user = self.user_edit.text().strip()
        password = self.password_edit.text()
        if not url or not user or not password:
            self._show_message(tr("请填写服务器地址、用户名和密码"))
            return
        self.server_edit.setText(url)
        self._set_busy(True)
        self._show_message(tr("正在登录…"), error=False)
        self.controller.login(url, user, password, self._answered)

    def _answered(self, answer: LoginAnswer) -> None:
        if self._closed:  # cancelled while the server was asked: nothing left to show it in
            return
        self._set_busy(False)
        if answer.ok:
            self.password_edit.clear()
            self.sig_logged_in.emit(answer.username)
            self.accept()
            return
        text = tr("登录失败：{reason}").format(reason=answer.message)
        self._show_message(text)
        self.password_edit.setFocus()
        self.password_edit.selectAll()
        self.sig_failed.emit(text)

    def _switch(self) -> None:
        username = self.switch_box.currentData()
        if username:
            self.controller.switch_account(str(username))
            self.sig_logged_in.emit(str(username))
            self.accept()
