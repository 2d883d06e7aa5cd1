"""The main window: navigation, the pages, the status bar. It composes; the pages do the work.

Only 今日任务 is made with the window. Every other page, the sync controller and its status-bar
widget are made (and their modules imported) the first time something reaches for them: starting
the app pays for the page it shows and nothing else, and the rest follows once the first frame is up
(``start_background``).

Dialogs (QMessageBox, QFileDialog) and the ``Qt`` namespace are imported where a dialog opens: in
PySide6 each Qt class makes its Python enums when first touched (the ``Qt`` namespace alone, some
ninety enums, takes 16 ms) and the first frame needs none of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from inspector_app.ui import workspace_ops
from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.pages.base import Page
from inspector_app.ui.pages.worklist import WorklistPage

if TYPE_CHECKING:
    from PySide6.QtNetwork import QNetworkInformation

    from inspector_app.ui.pages.enterprise import EnterprisePage
    from inspector_app.ui.pages.findings import FindingsPage
    from inspector_app.ui.pages.register import RegisterPage
    from inspector_app.ui.pages.reports import ReportsPage
    from inspector_app.ui.pages.requests import RequestsPage
    from inspector_app.ui.pages.visit import VisitPage
    from inspector_app.ui.sync.controller import SyncController
    from inspector_app.ui.sync.page import SyncPage
    from inspector_app.ui.sync.status_widget import SyncStatusWidget

log = logging.getLogger(__name__)

# The pages of the navigation list, in its order (attribute names of MainWindow).
NAV_PAGES = ("worklist", "register", "findings", "requests", "reports", "sync_page")


class MainWindow(QMainWindow):
    sig_workspace_opened = Signal(object)  # OpenedWorkspace
    sig_workspace_failed = Signal(str)
    sig_language_requested = Signal(str)
    sig_first_frame = Signal()  # the window has been painted once and the event loop is back

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(tr("街道检查工作台"))
        self.workspace: workspace_ops.OpenedWorkspace | None = None
        self._made: dict[str, Page] = {}
        self._sync: SyncController | None = None
        self._sync_status: SyncStatusWidget | None = None
        self._painted = False

        # Parents first, each widget made inside its parent: see pages.base.Page on reparenting.
        central = QWidget(self)
        self.setCentralWidget(central)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.nav = QListWidget(central)
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(170)
        self.nav.addItems([tr("今日任务"), tr("企业名录"), tr("隐患整改"), tr("诉求跟进"), tr("报表打印"),
                           tr("同步")])
        self.pages = QStackedWidget(central)
        self.pages.setObjectName("pages")
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        self.worklist = WorklistPage(ctx, self.pages)
        self.worklist.sig_open_enterprise.connect(self.show_enterprise)
        self.worklist.sig_start_visit.connect(self.start_visit)
        self.worklist.sig_resume_visit.connect(self.show_visit)
        self.worklist.sig_start_recheck.connect(self.start_recheck)
        self._made["worklist"] = self.worklist
        self.pages.addWidget(self.worklist)

        self._build_status_bar()
        self._build_menus()
        self._history: list[QWidget] = []

        self.nav.currentRowChanged.connect(self._nav_changed)
        ctx.sig_status.connect(lambda text: self.statusBar().showMessage(text, 6000))
        ctx.tasks.sig_error.connect(self._task_error)
        self.nav.setCurrentRow(0)
        # The keyboard starts in the search box: typing a name is the first thing an inspector does.
        self.worklist.search.setFocus()

    # ----------------------------------------------------------------- pages, made on first use

    def _page(self, name: str) -> Page:
        page = self._made.get(name)
        if page is None:
            page = getattr(self, f"_make_{name}")()
            self._made[name] = page
            self.pages.addWidget(page)
        return page

    def _make_register(self) -> RegisterPage:
        from inspector_app.ui.pages.register import RegisterPage

        page = RegisterPage(self.ctx)
        page.sig_open_enterprise.connect(self.show_enterprise)
        return page

    def _make_findings(self) -> FindingsPage:
        from inspector_app.ui.pages.findings import FindingsPage

        page = FindingsPage(self.ctx)
        page.sig_open_enterprise.connect(self.show_enterprise)
        page.sig_open_visit.connect(self.show_visit)
        return page

    def _make_requests(self) -> RequestsPage:
        from inspector_app.ui.pages.requests import RequestsPage

        page = RequestsPage(self.ctx)
        page.sig_open_enterprise.connect(self.show_enterprise)
        return page

    def _make_reports(self) -> ReportsPage:
        from inspector_app.ui.pages.reports import ReportsPage

        return ReportsPage(self.ctx)

    def _make_sync_page(self) -> SyncPage:
        from inspector_app.ui.sync.page import SyncPage

        return SyncPage(self.ctx, self.sync)

    def _make_enterprise(self) -> EnterprisePage:
        from inspector_app.ui.pages.enterprise import EnterprisePage

        page = EnterprisePage(self.ctx)
        page.sig_start_visit.connect(self.start_visit)
        page.sig_start_recheck.connect(self.start_recheck)
        page.sig_open_visit.connect(self.show_visit)
        page.sig_back.connect(self._back_key)
        return page

    def _make_visit(self) -> VisitPage:
        from inspector_app.ui.pages.visit import VisitPage

        page = VisitPage(self.ctx)
        page.sig_back.connect(self.go_back)
        return page

    @property
    def register(self) -> RegisterPage:
        return cast("RegisterPage", self._page("register"))

    @property
    def findings(self) -> FindingsPage:
        return cast("FindingsPage", self._page("findings"))

    @property
    def requests(self) -> RequestsPage:
        return cast("RequestsPage", self._page("requests"))

    @property
    def reports(self) -> ReportsPage:
        return cast("ReportsPage", self._page("reports"))

    @property
    def sync_page(self) -> SyncPage:
        return cast("SyncPage", self._page("sync_page"))

    @property
    def enterprise(self) -> EnterprisePage:
        return cast("EnterprisePage", self._page("enterprise"))

    @property
    def visit(self) -> VisitPage:
        return cast("VisitPage", self._page("visit"))

    @property
    def sync(self) -> SyncController:
        if self._sync is None:
            from inspector_app.ui.sync.controller import SyncController

            self._sync = SyncController(self.ctx, self)
            self._sync.sig_login_requested.connect(self.show_login)
        return self._sync

    @property
    def sync_status(self) -> SyncStatusWidget:
        if self._sync_status is None:
            from inspector_app.ui.sync.status_widget import SyncStatusWidget

            self._sync_status = SyncStatusWidget(self.sync)
            from PySide6.QtCore import Qt  # made after the first frame

            for button in self._sync_status.findChildren(QPushButton):
                button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # see _set_shortcuts
            # Between the cancel button and the network state, as in the order they were laid out.
            bar = self.statusBar()
            bar.removeWidget(self.network_label)
            bar.addPermanentWidget(self._sync_status)
            bar.addPermanentWidget(self.network_label)
            self.network_label.show()
        return self._sync_status

    def _nav_page(self, row: int) -> Page:
        return self._page(NAV_PAGES[max(0, min(row, len(NAV_PAGES) - 1))])

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.sig_first_frame.emit)

    def _finish_current_page(self) -> None:
        current = self.pages.currentWidget()
        if isinstance(current, Page):
            current.ensure_built()

    def start_background(self) -> None:
        """What the first frame did without: the sync status, then the network watch.

        One step per turn of the event loop, so a click or a key is answered between them.
        """
        steps: list[Callable[[], object]] = [self._finish_current_page, self._set_shortcuts,
                                             lambda: self.sync_status, self.start_network_watch]

        def step() -> None:
            steps.pop(0)()
            if steps:
                QTimer.singleShot(0, step)

        QTimer.singleShot(0, step)

    # ----------------------------------------------------------------- chrome

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

    def go_to_nav(self, row: int) -> None:
        self.nav.setCurrentRow(row)
        page = self.pages.currentWidget()
        search = getattr(page, "search", None)
        target = search if isinstance(search, QWidget) else page
        if isinstance(target, QWidget):
            target.setFocus()

    def focus_search(self) -> None:
        """Ctrl+F: the search box of the page shown, else that of 今日任务."""
        page = self.pages.currentWidget()
        search = getattr(page, "search", None) if isinstance(page, Page) else None
        if not isinstance(search, QWidget):
            self.nav.setCurrentRow(0)
            search = self.worklist.search
        search.setFocus()
        select_all = getattr(search, "selectAll", None)
        if callable(select_all):
            select_all()

    def _back_key(self) -> None:
        """Esc / Alt+← / ← 返回: back from an enterprise or a visit (the list pages have nowhere to
        go back to). Edits of the enterprise's master data not yet saved are not dropped silently."""
        current = self.pages.currentWidget()
        enterprise = self._made.get("enterprise")
        if current is None or current not in (enterprise, self._made.get("visit")):
            return
        if current is enterprise and cast("EnterprisePage", enterprise).unsaved():
            self._ask_discard()
            return
        self.go_back()

    def _ask_discard(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Question, tr("未保存的修改"),
                          tr("企业信息有未保存的修改。放弃这些修改并返回吗？"),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("discardEdits")
        discard = box.addButton(tr("放弃修改并返回"), QMessageBox.ButtonRole.DestructiveRole)
        stay = box.addButton(tr("继续编辑"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered(button: object) -> None:
            if button is discard:
                self.enterprise.revert()
                self.go_back()

        box.buttonClicked.connect(answered)
        box.open()

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

    # ----------------------------------------------------------------- workspace

    def open_workspace(self, root: Path, *, create: bool = False) -> None:
        self.workspace_label.setText(tr("正在打开 {path} …").format(path=root))
        job = workspace_ops.open_job(root, self.ctx.account, create=create, clock=self.ctx.clock)
        self.ctx.run(job, self._opened,
                     lambda exc: self._open_failed(root, exc))

    def open_demo(self, root: Path) -> None:
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.cancel_button.setVisible(True)
        job = self.ctx.run(workspace_ops.demo_job(root, self.ctx.account, clock=self.ctx.clock), self._opened,
                           lambda exc: self._open_failed(root, exc), on_progress=self._progress)
        self.cancel_button.clicked.connect(lambda: self.ctx.tasks.cancel(job))

    def _progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(0, total))
        self.progress.setValue(done)
        if text:
            self.statusBar().showMessage(text)

    def _opened(self, opened: workspace_ops.OpenedWorkspace) -> None:
        self.statusBar().clearMessage()  # "正在生成演示工作区…" and the like are over
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.workspace = opened
        self.ctx.remember("workspace/last", str(opened.root))
        self.workspace_label.setText(
            tr("工作区：{path}　企业 {n} 家").format(path=opened.root, n=opened.enterprises))
        if opened.form_problems:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, tr("检查表有误"), tr("以下检查表未能载入，其余可正常使用：\n")
                                + "\n".join(opened.form_problems[:10]))
        for page in self._made.values():
            page._stale = True
        current = self.pages.currentWidget()
        if isinstance(current, Page):
            current.activate()
        self.sync.start()
        self.sig_workspace_opened.emit(opened)

    def _open_failed(self, root: Path, exc: BaseException) -> None:
        self.statusBar().clearMessage()
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.workspace_label.setText(tr("未打开工作区"))
        self.sig_workspace_failed.emit(str(exc))
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(tr("无法打开工作区"))
        box.setText(tr("无法打开工作区 {path}").format(path=root))
        box.setInformativeText(str(exc))
        choose = box.addButton(tr("选择其他工作区…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("关闭"), QMessageBox.ButtonRole.RejectRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(lambda b: b is choose and QTimer.singleShot(0, self.choose_workspace))
        box.open()
        if not workspace_ops.is_workspace_error(exc):
            log.error("opening %s failed", root, exc_info=exc)

    def choose_workspace(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        folder = QFileDialog.getExistingDirectory(self, tr("选择工作区文件夹"))
        if folder:
            self.open_workspace(Path(folder), create=False)

    def new_workspace(self) -> None:
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        folder = QFileDialog.getExistingDirectory(self, tr("选择新工作区的文件夹（应为空文件夹）"))
        if not folder:
            return
        root = Path(folder)
        if workspace_ops.has_data(root):
            QMessageBox.information(self, tr("已有工作区"), tr("该文件夹已有工作区，将直接打开。"))
        self.open_workspace(root, create=True)

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

    # ----------------------------------------------------------------- navigation

    def _nav_changed(self, row: int) -> None:
        if 0 <= row < len(NAV_PAGES):
            self._show(self._nav_page(row), remember=False)
            self._history.clear()

    def _show(self, page: QWidget, *, remember: bool = True) -> None:
        current = self.pages.currentWidget()
        if remember and current is not page and current is not None:
            self._history.append(current)
        self.pages.setCurrentWidget(page)
        # On a visit the checklist is the Tab chain: Tab past a section's last item wrapped round
        # to the navigation, where ↓ then left the visit. There it is reached by Ctrl+1…6 (and
        # the mouse), as everywhere.
        from PySide6.QtCore import Qt

        on_visit = page is self._made.get("visit")
        self.nav.setFocusPolicy(Qt.FocusPolicy.ClickFocus if on_visit else Qt.FocusPolicy.StrongFocus)
        if isinstance(page, Page) and self.workspace is not None:
            page.activate()

    def go_back(self) -> None:
        target = self._history.pop() if self._history else self._nav_page(self.nav.currentRow())
        visit = self._made.get("visit")
        if target is visit and not cast("VisitPage", visit).visit_id:
            target = self._nav_page(self.nav.currentRow())
        self._show(target, remember=False)
        if isinstance(target, Page):
            target.activate()

    def show_enterprise(self, code: str) -> None:
        self.enterprise.show_enterprise(code)
        self._show(self.enterprise)

    def show_visit(self, visit_id: str) -> None:
        self.visit.load(visit_id)
        self._show(self.visit)

    def start_visit(self, code: str) -> None:
        self._open_start_dialog(code, recheck=False)

    def start_recheck(self, code: str) -> None:
        self._open_start_dialog(code, recheck=True)

    def _open_start_dialog(self, code: str, *, recheck: bool) -> None:
        from inspector_app.ui.widgets.start_visit import StartVisitDialog

        dialog = StartVisitDialog(self.ctx, code, self, recheck=recheck)
        dialog.sig_started.connect(self.show_visit)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def where(self) -> tuple[int, str, str]:
        """(navigation row, enterprise code, visit id) of the page shown: a rebuilt window returns there."""
        current = self.pages.currentWidget()
        enterprise = self._made.get("enterprise")
        visit = self._made.get("visit")
        if current is not None and current is enterprise:
            return self.nav.currentRow(), cast("EnterprisePage", enterprise).code, ""
        if current is not None and current is visit:
            return self.nav.currentRow(), "", str(cast("VisitPage", visit).visit_id or "")
        return self.nav.currentRow(), "", ""

    def go_where(self, where: tuple[int, str, str]) -> None:
        row, code, visit_id = where
        if row != self.nav.currentRow():
            self.nav.setCurrentRow(row)
        if code:
            self.show_enterprise(code)
        elif visit_id:
            self.show_visit(visit_id)

    # ----------------------------------------------------------------- window state

    fills_screen = False  # shown maximised: first start on a laptop-sized screen (restore_state)

    def restore_state(self) -> None:
        geometry = self.ctx.settings.value("window/geometry")
        restored = isinstance(geometry, QByteArray | bytes) and self.restoreGeometry(QByteArray(geometry))
        if not restored:
            # 1280×820 where the screen has room; on a laptop (1366×768, 1280×720) what it has.
            from PySide6.QtGui import QGuiApplication

            screen = QGuiApplication.primaryScreen()
            room = screen.availableGeometry().size() if screen is not None else None
            width, height = 1280, 820
            if room is not None and room.width() > 0 and room.height() > 0:
                width, height = min(width, room.width()), min(height, room.height() - 40)
                # On a laptop the window gets the whole screen: a 1280-wide window on a 1366×768
                # screen wasted a strip and cut the worklist's last columns.
                self.fills_screen = room.width() < 1440 or room.height() < 900
                if self.fills_screen:  # the size to come back to, and where nothing maximises
                    width = room.width()
            self.resize(width, height)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.remember("window/geometry", self.saveGeometry())
        if self._sync is not None:
            self._sync.stop()
        super().closeEvent(event)



__all__ = ["NAV_PAGES", "MainWindow"]
