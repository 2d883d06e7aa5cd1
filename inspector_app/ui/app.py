"""Starting the desktop app: Qt set-up, fonts, language, the main window, the workspace.

The window is shown first and the workspace is opened after, on the storage worker: nothing in a
constructor reads the disk, so the window is up and interactive at once. Nothing on the way to the
first frame imports the service or storage layer either (SQLAlchemy, Alembic, Pydantic, Pillow …
take over a second): the first storage job imports them on the worker while the window, its pages
empty, says 正在打开工作区…. Only the CJK font and the translator are set up before the first
paint, so Chinese renders in the first frame.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from inspector_app.paths import fonts_dir
from inspector_app.ui import workspace_ops
from inspector_app.ui.context import APPLICATION, ORGANIZATION, UiContext
from inspector_app.ui.i18n import Translations, tr
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.style import STYLESHEET
from inspector_app.ui.taskman import Job, TaskManager

CJK_FONT = "DroidSansFallbackFull.ttf"
SETTINGS_LANG = "ui/lang"
SETTINGS_LAST = "workspace/last"
FIRST_FRAME_PATIENCE_MS = 1000


def load_fonts() -> str | None:
    """Register the shipped CJK font and put it behind the default UI font as the fallback.

    Droid Sans Fallback has no Latin letters, so it cannot be the primary family: Latin text keeps
    the platform font and every Chinese character falls back to it, even on machines without any
    CJK font installed.
    """
    font_id = QFontDatabase.addApplicationFont(str(fonts_dir() / CJK_FONT))
    if font_id < 0:
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return None
    cjk = families[0]
    font = QGuiApplication.font()
    base = [f for f in font.families() if f and f != cjk] or [font.family()]
    font.setFamilies([*base, cjk])
    font.setPointSizeF(max(font.pointSizeF(), 10.5))
    QGuiApplication.setFont(font)
    for family in {*base, font.defaultFamily(), "Sans Serif", "DejaVu Sans"}:
        QFont.insertSubstitution(family, cjk)
    return cjk


def make_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # High-DPI: Qt 6 always scales, with fractional factors passed through (the default policy).
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    # Fusion from the start (one style made, not a native one then replaced): the style sheet is
    # written for it, and it looks the same on Windows and Linux.
    return QApplication([*argv[:1], "-style", "fusion", *argv[1:]])


class Application:
    """Owns the long-lived objects; rebuilds the main window when the language changes."""

    def __init__(self, args: object, qapp: QApplication) -> None:
        """``args``: the command line (``workspace``, ``lang``; missing ones count as not given)."""
        self.args = args
        self.qapp = qapp
        self.settings = QSettings(ORGANIZATION, APPLICATION)
        self.translations = Translations()
        lang = getattr(args, "lang", None) or str(self.settings.value(SETTINGS_LANG, "zh") or "zh")
        self.translations.install(lang)
        if getattr(args, "lang", None):
            self.settings.setValue(SETTINGS_LANG, self.translations.lang)
        self.tasks = TaskManager()
        self.ctx = UiContext(self.tasks, self.settings, self.translations)
        self.window: MainWindow | None = None
        self._started = False
        self._retired: list[MainWindow] = []

    def build_window(self) -> MainWindow:
        window = MainWindow(self.ctx)
        window.sig_language_requested.connect(self.switch_language)
        window.sig_workspace_opened.connect(lambda _opened: QTimer.singleShot(0, self.warm))
        window.restore_state()
        self.window = window
        return window

    def start(self) -> MainWindow:
        window = self.build_window()
        window.workspace_label.setText(tr("正在打开工作区…"))
        window.sig_first_frame.connect(self._after_first_frame)
        if window.fills_screen:
            window.showMaximized()
        else:
            window.show()
        # A window that is never painted (started minimised, say) still opens its workspace.
        QTimer.singleShot(FIRST_FRAME_PATIENCE_MS, self._after_first_frame)
        return window

    def _after_first_frame(self) -> None:
        """The rest of start-up, once the window is on screen: nothing here delays the first frame,
        not even by holding the GIL on the worker."""
        if self._started or self.window is None:
            return
        self._started = True
        explicit = getattr(self.args, "workspace", None)
        last = self.settings.value(SETTINGS_LAST)
        # Finding the workspace imports the storage layer: on the worker, like opening it.
        self.tasks.run(workspace_ops.find_job(explicit, str(last) if last else None), self._found)
        self.window.start_background()

    def _found(self, found: workspace_ops.FoundWorkspace) -> None:
        if self.window is None:
            return
        if found.has_data:
            self.window.open_workspace(found.root)
            return
        self.window.workspace_label.setText(tr("未打开工作区"))
        self.ask_start(found.root)

    def warm(self) -> None:
        """Once the workspace is open and the event loop idle: what the first visit opened needs.

        QtMultimedia (the camera: Qt's and FFmpeg's libraries) is loaded on the storage worker,
        between its other jobs: loaded on the GUI thread while the worker imported the keyring for
        the sync status, the two loads deadlocked and the window hung for good. Then the rest,
        and the camera question, on the GUI thread."""

        def load_multimedia(_job: Job) -> None:
            from contextlib import suppress
            from importlib import import_module

            with suppress(ImportError):  # a build without it: photos come from files only
                import_module("PySide6.QtMultimedia")

        def then_the_rest(_none: None) -> None:
            from inspector_app.ui.pages.visit_load import warm

            warm()

        if self.tasks.closed:  # the window closed before the event loop came back to this
            return
        self.tasks.run(load_multimedia, then_the_rest)

    def ask_start(self, root: Path) -> None:
        """Not exec(): the window stays live behind the question (and a test can answer it)."""
        from inspector_app.ui.start_dialog import StartDialog

        assert self.window is not None
        dialog = StartDialog(root, workspace_ops.demo_available(), self.window)
        dialog.sig_chosen.connect(self._start_chosen)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _start_chosen(self, choice: object) -> None:
        from inspector_app.ui.start_dialog import StartChoice

        if self.window is None or not isinstance(choice, StartChoice):
            return
        if choice.kind is StartChoice.Kind.DEMO:
            self.window.open_demo(choice.root)
        elif choice.kind is StartChoice.Kind.NEW:
            self.window.open_workspace(choice.root, create=True)
        else:
            self.window.open_workspace(choice.root)

    def switch_language(self, lang: str) -> None:
        """Swap the translator and rebuild the window (texts are set once, when widgets are made)."""
        old = self.window
        if old is None or lang == self.translations.lang:
            return
        self.translations.install(lang)
        self.settings.setValue(SETTINGS_LANG, self.translations.lang)
        opened = old.workspace
        where = old.where()
        maximized = old.isMaximized()
        old.close()
        window = self.build_window()
        if maximized:
            window.showMaximized()
        else:
            window.show()
        window.start_background()
        if opened is not None:
            window.workspace = opened
            window._opened(opened)  # same workspace, new window
        window.go_where(where)  # the page the user was on, not 今日任务
        # Kept, hidden, until exit: queued results may still name its pages.
        self._retired.append(old)

    def shutdown(self) -> None:
        self.tasks.shutdown()


def run(args: object, on_window: Callable[[MainWindow], object] | None = None) -> int:
    """Start the app; ``on_window`` is called with the main window once it is made (tests drive
    the real app through it: tests/support/scripted.py)."""
    qapp = make_application(sys.argv[:1])
    load_fonts()
    qapp.setStyleSheet(STYLESHEET)
    application = Application(args, qapp)
    application.start()
    if on_window is not None:
        assert application.window is not None
        on_window(application.window)
    try:
        return qapp.exec()
    finally:
        application.shutdown()
