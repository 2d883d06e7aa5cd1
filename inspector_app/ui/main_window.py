"""The main window: navigation and the pages. It composes; the pages do the work. The status bar,
the menus and the dialogs are in ``window_chrome``, opening a workspace in ``window_workspace``.

Only 今日任务 is made with the window. Every other page, the sync controller and its status-bar
widget are made (and their modules imported) the first time something reaches for them: starting
the app pays for the page it shows and nothing else, and the rest follows once the first frame is up
(``start_background``).

Dialogs (QMessageBox, QFileDialog) and the ``Qt`` namespace are imported where a dialog opens: in
PySide6 each Qt class makes its Python enums when first touched (the ``Qt`` namespace alone, some
ninety enums, takes 16 ms) and the first frame needs none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray, QTimer
from PySide6.QtGui import QCloseEvent, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from inspector_app.ui import workspace_ops
from inspector_app.ui.context import UiContext
from inspector_app.ui.i18n import tr
from inspector_app.ui.pages.base import Page
from inspector_app.ui.pages.worklist import WorklistPage
from inspector_app.ui.window_workspace import WorkspaceWindow

if TYPE_CHECKING:

    from inspector_app.ui.pages.enterprise import EnterprisePage
    from inspector_app.ui.pages.findings import FindingsPage
    from inspector_app.ui.pages.register import RegisterPage
    from inspector_app.ui.pages.reports import ReportsPage
    from inspector_app.ui.pages.requests import RequestsPage
    from inspector_app.ui.pages.visit import VisitPage
    from inspector_app.ui.search_upkeep import PinyinIndexer
    from inspector_app.ui.sync.controller import SyncController
    from inspector_app.ui.sync.page import SyncPage
    from inspector_app.ui.sync.status_widget import SyncStatusWidget

# The pages of the navigation list, in its order (attribute names of MainWindow).
NAV_PAGES = ("worklist", "register", "findings", "requests", "reports", "sync_page")


class MainWindow(WorkspaceWindow):

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
        self.pinyin_indexer: PinyinIndexer | None = None  # made with the first workspace opened
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
