"""The main window's chrome: the status bar with the network state, the menus and their keys, and
the small dialogs (关于, 快捷键, login, a task's error). ``MainWindow`` builds on it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QStackedWidget,
)

from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.pages.base import Page

if TYPE_CHECKING:
    from PySide6.QtNetwork import QNetworkInformation

    from inspector_app.ui.sync.controller import SyncController

class WindowChrome(QMainWindow):
    """The status bar, menus, keys and small dialogs; a part of ``MainWindow``."""

    sig_workspace_opened = Signal(object)  # OpenedWorkspace
    sig_workspace_failed = Signal(str)
    sig_language_requested = Signal(str)
    sig_first_frame = Signal()  # the window has been painted once and the event loop is back

    # Made by MainWindow.__init__ before the chrome is built.
    ctx: UiContext
    nav: QListWidget
    pages: QStackedWidget
    _made: dict[str, Page]

    if TYPE_CHECKING:  # defined by MainWindow and WorkspaceWindow, which the menus lead to
        @property
        def sync(self) -> SyncController: ...
        def choose_workspace(self) -> None: ...
        def new_workspace(self) -> None: ...
        def focus_search(self) -> None: ...
        def go_to_nav(self, row: int) -> None: ...
        def _back_key(self) -> None: ...

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.network_label = QLabel(tr("网络状态未知"), bar)
        self.workspace_label = QLabel("", bar)
        self.workspace_label.setObjectName("muted")
        self.progress = QProgressBar(bar)
        self.progress.setFixedWidth(220)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(tr("取消"), bar)
        self.cancel_button.setVisible(False)
        bar.addWidget(self.workspace_label, 1)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.network_label)
        self._network: QNetworkInformation | None = None

    def start_network_watch(self) -> None:
        """Loaded after show: the backend may talk to NetworkManager over D-Bus."""
        from PySide6.QtNetwork import QNetworkInformation  # after show: not on the way to the first frame

        if not QNetworkInformation.loadDefaultBackend():
            self.network_label.setText(tr("网络状态未知"))
            return
        info = QNetworkInformation.instance()
        self._network = info
        info.reachabilityChanged.connect(self._reachability)
        info.reachabilityChanged.connect(self.sync.on_reachability_changed)
        self._reachability(info.reachability())
        self.sync.on_reachability_changed(info.reachability())

    def _reachability(self, reach: QNetworkInformation.Reachability) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        r = QNetworkInformation.Reachability
        # The network only: whether the office server answers is the sync corner's to say.
        if reach == r.Online:
            text = tr("网络已连接")
        elif reach in (r.Disconnected, r.Local, r.Site):
            text = tr("网络未连接")
        else:
            text = tr("网络状态未知")
        self.network_label.setText(text)

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu(tr("文件(&F)"))
        self.open_action = open_action = QAction(tr("打开工作区…"), self)
        open_action.triggered.connect(self.choose_workspace)
        new_action = QAction(tr("新建空工作区…"), self)
        new_action.triggered.connect(self.new_workspace)
        self.quit_action = quit_action = QAction(tr("退出"), self)
        quit_action.triggered.connect(self.close)
        menu.addAction(open_action)
        menu.addAction(new_action)
        menu.addSeparator()
        login_action = QAction(tr("登录办公室服务器…"), self)
        login_action.triggered.connect(self.show_login)
        self.sync_action = QAction(tr("立即同步"), self)
        self.sync_action.triggered.connect(self._sync_now)
        menu.addAction(login_action)
        menu.addAction(self.sync_action)
        menu.addSeparator()
        menu.addAction(quit_action)

        view = self.menuBar().addMenu(tr("语言(&L)"))
        group = QActionGroup(self)
        for code, label in (("zh", "中文"), ("en", "English")):
            action = QAction(label, self, checkable=True)
            action.setChecked(self.ctx.lang == code)
            action.triggered.connect(lambda _checked=False, c=code: self.sig_language_requested.emit(c))
            group.addAction(action)
            view.addAction(action)

        go = self.menuBar().addMenu(tr("转到(&G)"))
        self.find_action = QAction(tr("搜索企业"), self)
        self.find_action.triggered.connect(self.focus_search)
        self.back_action = QAction(tr("返回"), self)
        self.back_action.triggered.connect(self._back_key)
        self.escape_action = QAction(tr("返回"), self)  # Esc: the same, kept out of the menu
        self.escape_action.triggered.connect(self._back_key)
        self.addAction(self.escape_action)
        go.addAction(self.find_action)
        go.addAction(self.back_action)
        go.addSeparator()
        self.nav_actions: list[QAction] = []
        for row in range(self.nav.count()):
            action = QAction(self.nav.item(row).text(), self)
            action.triggered.connect(lambda _checked=False, r=row: self.go_to_nav(r))
            go.addAction(action)
            self.nav_actions.append(action)

        help_menu = self.menuBar().addMenu(tr("帮助(&H)"))
        self.help_action = QAction(tr("快捷键"), self)
        self.help_action.triggered.connect(self.show_shortcuts)
        help_menu.addAction(self.help_action)
        about = QAction(tr("关于"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _set_shortcuts(self) -> None:
        """After the first frame: a key sequence is what first makes PySide6 build the Qt namespace.
        The keys are those registered in ``shortcuts.KEYS`` (what F1 shows)."""
        from PySide6.QtCore import Qt

        from inspector_app.ui import shortcuts

        # The status bar's buttons are out of the Tab chain (pages made later would come after
        # them): the keyboard syncs with Ctrl+Shift+S and logs in from the 文件 menu.
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        for action, name in ((self.open_action, "open"), (self.quit_action, "quit"),
                             (self.sync_action, "sync"), (self.find_action, "find"),
                             (self.back_action, "back"), (self.escape_action, "escape"),
                             (self.help_action, "help")):
            shortcuts.bind(action, name)
        for row, action in enumerate(self.nav_actions):
            shortcuts.bind(action, "pages", row)

    def show_shortcuts(self) -> None:
        from inspector_app.ui.shortcuts import ShortcutsDialog

        existing = self.findChild(ShortcutsDialog)
        if existing is not None and existing.isVisible():
            existing.raise_()
            return
        from inspector_app.ui import shortcuts

        current = self.pages.currentWidget()
        visit = self._made.get("visit")
        group = ""  # the top: 全局, then 今日任务's own keys, all in view
        if current is not None and current is visit:
            recheck = getattr(visit, "recheck_panel", None) is not None  # a 复查 has its panel
            group = shortcuts.RECHECK if recheck else shortcuts.VISIT
        dialog = ShortcutsDialog(self, group)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, tr("关于"),
                          tr("街道检查工作台：防疫复工、安全生产、消防、三小场所现场检查。离线可用。"))

    def _sync_now(self) -> None:
        self.sync.sync_now()

    def show_login(self) -> None:
        """The login dialog (one at a time): log in, or choose which inspector is working."""
        from inspector_app.ui.sync.login_dialog import LoginDialog

        existing = self.findChild(LoginDialog)
        if existing is not None and existing.isVisible():
            existing.raise_()
            return
        dialog = LoginDialog(self.sync, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _task_error(self, message: str) -> None:
        # Not exec(): a nested event loop would let more results arrive under a half-drawn screen.
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Warning, tr("操作未完成"), message,
                          QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.statusBar().showMessage(message, 10_000)
