"""The main window: navigation, the pages, the status bar. It composes; the pages do the work."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from inspector_app.ui import workspace_ops
from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.pages.base import Page
from inspector_app.ui.pages.enterprise import EnterprisePage
from inspector_app.ui.pages.findings import FindingsPage
from inspector_app.ui.pages.register import RegisterPage
from inspector_app.ui.pages.reports import ReportsPage
from inspector_app.ui.pages.requests import RequestsPage
from inspector_app.ui.pages.visit import VisitPage
from inspector_app.ui.pages.worklist import WorklistPage
from inspector_app.ui.sync.controller import SyncController
from inspector_app.ui.sync.page import SyncPage
from inspector_app.ui.sync.status_widget import SyncStatusWidget
from inspector_app.ui.widgets.start_visit import StartVisitDialog

if TYPE_CHECKING:
    from PySide6.QtNetwork import QNetworkInformation

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    sig_workspace_opened = Signal(object)  # OpenedWorkspace
    sig_workspace_failed = Signal(str)
    sig_language_requested = Signal(str)

    def __init__(self, ctx: UiContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(tr("街道检查工作台"))
        self.workspace: workspace_ops.OpenedWorkspace | None = None

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(170)
        self.pages = QStackedWidget()
        self.pages.setObjectName("pages")
        self.worklist = WorklistPage(ctx)
        self.register = RegisterPage(ctx)
        self.findings = FindingsPage(ctx)
        self.requests = RequestsPage(ctx)
        self.reports = ReportsPage(ctx)
        self.enterprise = EnterprisePage(ctx)
        self.visit = VisitPage(ctx)
        self.sync = SyncController(ctx, self)
        self.sync_page = SyncPage(ctx, self.sync)
        self._nav_pages: list[Page] = [self.worklist, self.register, self.findings, self.requests,
                                       self.reports, self.sync_page]
        labels = (tr("今日任务"), tr("企业名录"), tr("隐患整改"), tr("诉求跟进"), tr("报表打印"), tr("同步"))
        for page, label in zip(self._nav_pages, labels, strict=True):
            self.nav.addItem(label)
            self.pages.addWidget(page)
        self.pages.addWidget(self.enterprise)
        self.pages.addWidget(self.visit)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self._build_status_bar()
        self._build_menus()
        self._history: list[QWidget] = []

        self.nav.currentRowChanged.connect(self._nav_changed)
        self.worklist.sig_open_enterprise.connect(self.show_enterprise)
        self.register.sig_open_enterprise.connect(self.show_enterprise)
        self.findings.sig_open_enterprise.connect(self.show_enterprise)
        self.requests.sig_open_enterprise.connect(self.show_enterprise)
        self.worklist.sig_start_visit.connect(self.start_visit)
        self.enterprise.sig_start_visit.connect(self.start_visit)
        self.enterprise.sig_start_recheck.connect(self.start_recheck)
        self.enterprise.sig_open_visit.connect(self.show_visit)
        self.findings.sig_open_visit.connect(self.show_visit)
        self.enterprise.sig_back.connect(self.go_back)
        self.visit.sig_back.connect(self.go_back)
        self.sync.sig_login_requested.connect(self.show_login)
        ctx.sig_status.connect(lambda text: self.statusBar().showMessage(text, 6000))
        ctx.tasks.sig_error.connect(self._task_error)
        self.nav.setCurrentRow(0)

    # ----------------------------------------------------------------- chrome

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.network_label = QLabel(tr("网络状态未知"))
        self.sync_status = SyncStatusWidget(self.sync)
        self.workspace_label = QLabel("")
        self.workspace_label.setObjectName("muted")
        self.progress = QProgressBar()
        self.progress.setFixedWidth(220)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton(tr("取消"))
        self.cancel_button.setVisible(False)
        bar.addWidget(self.workspace_label, 1)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.sync_status)
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
        if reach == r.Online:
            text = tr("● 在线")
        elif reach in (r.Disconnected, r.Local, r.Site):
            text = tr("○ 离线")
        else:
            text = tr("网络状态未知")
        self.network_label.setText(text)

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu(tr("文件(&F)"))
        open_action = QAction(tr("打开工作区…"), self)
        open_action.setShortcut(QKeySequence.StandardKey.Open)
        open_action.triggered.connect(self.choose_workspace)
        new_action = QAction(tr("新建空工作区…"), self)
        new_action.triggered.connect(self.new_workspace)
        quit_action = QAction(tr("退出"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(open_action)
        menu.addAction(new_action)
        menu.addSeparator()
        login_action = QAction(tr("登录办公室服务器…"), self)
        login_action.triggered.connect(self.show_login)
        self.sync_action = QAction(tr("立即同步"), self)
        self.sync_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.sync_action.triggered.connect(self.sync.sync_now)
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

        help_menu = self.menuBar().addMenu(tr("帮助(&H)"))
        about = QAction(tr("关于"), self)
        about.triggered.connect(lambda: QMessageBox.about(
            self, tr("关于"), tr("街道检查工作台：防疫复工、安全生产、消防、三小场所现场检查。离线可用。")))
        help_menu.addAction(about)

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
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.workspace = opened
        self.ctx.remember("workspace/last", str(opened.root))
        self.workspace_label.setText(
            tr("工作区：{path}　企业 {n} 家").format(path=opened.root, n=opened.enterprises))
        if opened.form_problems:
            QMessageBox.warning(self, tr("检查表有误"), tr("以下检查表未能载入，其余可正常使用：\n")
                                + "\n".join(opened.form_problems[:10]))
        for page in (*self._nav_pages, self.enterprise):
            page._stale = True
        current = self.pages.currentWidget()
        if isinstance(current, Page):
            current.activate()
        self.sync.start()
        self.sig_workspace_opened.emit(opened)

    def _open_failed(self, root: Path, exc: BaseException) -> None:
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.workspace_label.setText(tr("未打开工作区"))
        self.sig_workspace_failed.emit(str(exc))
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
        folder = QFileDialog.getExistingDirectory(self, tr("选择工作区文件夹"))
        if folder:
            self.open_workspace(Path(folder), create=False)

    def new_workspace(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("选择新工作区的文件夹（应为空文件夹）"))
        if not folder:
            return
        root = Path(folder)
        if workspace_ops.has_data(root):
            QMessageBox.information(self, tr("已有工作区"), tr("该文件夹已有工作区，将直接打开。"))
        self.open_workspace(root, create=True)

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
        box = QMessageBox(QMessageBox.Icon.Warning, tr("操作未完成"), message,
                          QMessageBox.StandardButton.Ok, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.statusBar().showMessage(message, 10_000)

    # ----------------------------------------------------------------- navigation

    def _nav_changed(self, row: int) -> None:
        if 0 <= row < len(self._nav_pages):
            self._show(self._nav_pages[row], remember=False)
            self._history.clear()

    def _show(self, page: QWidget, *, remember: bool = True) -> None:
        current = self.pages.currentWidget()
        if remember and current is not page and current is not None:
            self._history.append(current)
        self.pages.setCurrentWidget(page)
        if isinstance(page, Page) and self.workspace is not None:
            page.activate()

    def go_back(self) -> None:
        target = self._history.pop() if self._history else self._nav_pages[max(0, self.nav.currentRow())]
        if target is self.visit and not self.visit.visit_id:
            target = self._nav_pages[max(0, self.nav.currentRow())]
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
        self._open_start_dialog(StartVisitDialog(self.ctx, code, self))

    def start_recheck(self, code: str) -> None:
        self._open_start_dialog(StartVisitDialog(self.ctx, code, self, recheck=True))

    def _open_start_dialog(self, dialog: StartVisitDialog) -> None:
        dialog.sig_started.connect(self.show_visit)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    # ----------------------------------------------------------------- window state

    def restore_state(self) -> None:
        geometry = self.ctx.settings.value("window/geometry")
        restored = isinstance(geometry, QByteArray | bytes) and self.restoreGeometry(QByteArray(geometry))
        if not restored:
            self.resize(1280, 820)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.ctx.remember("window/geometry", self.saveGeometry())
        self.sync.stop()
        super().closeEvent(event)

    def show_later(self, fn: object) -> None:
        if callable(fn):
            QTimer.singleShot(0, fn)


__all__ = ["MainWindow", "Qt"]
