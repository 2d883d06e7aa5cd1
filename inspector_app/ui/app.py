"""Starting the desktop app: Qt set-up, fonts, language, the main window, the workspace.

The window is shown first and the workspace is opened after, on the storage worker: nothing in a
constructor reads the disk, so the window is up and interactive at once.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from inspector_app.paths import fonts_dir
from inspector_app.store.workspace import ENV_VAR, default_workspace_dir
from inspector_app.ui import workspace_ops
from inspector_app.ui.context import APPLICATION, ORGANIZATION, UiContext
from inspector_app.ui.i18n import Translations
from inspector_app.ui.main_window import MainWindow
from inspector_app.ui.start_dialog import StartChoice, StartDialog
from inspector_app.ui.style import STYLESHEET
from inspector_app.ui.taskman import TaskManager

CJK_FONT = "DroidSansFallbackFull.ttf"
SETTINGS_LANG = "ui/lang"
SETTINGS_LAST = "workspace/last"


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
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    return QApplication(argv)


class Application:
    """Owns the long-lived objects; rebuilds the main window when the language changes."""

    def __init__(self, args: argparse.Namespace, qapp: QApplication) -> None:
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
        self._retired: list[MainWindow] = []

    def build_window(self) -> MainWindow:
        window = MainWindow(self.ctx)
        window.sig_language_requested.connect(self.switch_language)
        window.restore_state()
        self.window = window
        return window

    def start(self) -> MainWindow:
        window = self.build_window()
        window.show()
        QTimer.singleShot(0, self._after_show)
        return window

    def _after_show(self) -> None:
        assert self.window is not None
        self.window.start_network_watch()
        root = self.workspace_root()
        if root is not None and workspace_ops.has_data(root):
            self.window.open_workspace(root)
            return
        self.ask_start(root or default_workspace_dir())

    def workspace_root(self) -> Path | None:
        explicit = getattr(self.args, "workspace", None)
        if explicit or os.environ.get(ENV_VAR):
            return default_workspace_dir(explicit)
        last = self.settings.value(SETTINGS_LAST)
        if last:
            return Path(str(last))
        return default_workspace_dir()

    def ask_start(self, root: Path) -> None:
        assert self.window is not None
        dialog = StartDialog(root, workspace_ops.demo_available(), self.window)
        choice = dialog.run()
        if choice is None:
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
        old.close()
        window = self.build_window()
        window.show()
        window.start_network_watch()
        if opened is not None:
            window.workspace = opened
            window._opened(opened)  # same workspace, new window
        # Kept, hidden, until exit: queued results may still name its pages.
        self._retired.append(old)

    def shutdown(self) -> None:
        self.tasks.shutdown()


def run(args: argparse.Namespace) -> int:
    qapp = make_application(sys.argv[:1])
    load_fonts()
    qapp.setStyle("Fusion")
    qapp.setStyleSheet(STYLESHEET)
    application = Application(args, qapp)
    application.start()
    script = os.environ.get("INSPECTOR_TEST_SCRIPT")
    if script:
        from inspector_app.ui.testhook import ScriptRunner

        assert application.window is not None
        runner = ScriptRunner(application.window, Path(script))
        runner.start()
    try:
        return qapp.exec()
    finally:
        application.shutdown()
