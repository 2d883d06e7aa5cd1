"""Starting the app: the first frame holds only what it shows; the rest follows it, in order."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtGui import QKeySequence

from inspector_app.ui.sync.status_widget import SyncStatusWidget
from tests.support.gui import seed

ROOT = Path(__file__).resolve().parents[2]

# What the first frame may import of ours: the window (its chrome and workspace parts), 今日任务 and
# what they stand on.
FIRST_FRAME_MODULES = {
    "inspector_app", "inspector_app.paths", "inspector_app.cli", "inspector_app.cli.main",
    "inspector_app.domain", "inspector_app.domain.clock", "inspector_app.services",
    "inspector_app.services.changes", "inspector_app.ui", "inspector_app.ui.binding",
    "inspector_app.ui.app", "inspector_app.ui.context", "inspector_app.ui.i18n",
    "inspector_app.ui.main_window", "inspector_app.ui.pages", "inspector_app.ui.pages.base",
    "inspector_app.ui.pages.worklist", "inspector_app.ui.style", "inspector_app.ui.taskman",
    "inspector_app.ui.workspace_ops", "inspector_app.ui.window_chrome", "inspector_app.ui.window_workspace",
}


def test_the_way_to_the_first_frame_imports_no_storage_and_no_other_page() -> None:
    code = ("import sys, inspector_app.cli.main, inspector_app.ui.app; "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('inspector_app'))))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout.split()
    assert set(out) <= FIRST_FRAME_MODULES, sorted(set(out) - FIRST_FRAME_MODULES)
    assert "sqlalchemy" not in out


def test_the_first_frame_comes_first_then_the_table_shortcuts_sync_status_and_workspace(
    qtbot: Any, tmp_path: Path
) -> None:
    from inspector_app.ui.app import Application, load_fonts, make_application
    from inspector_app.ui.style import STYLESHEET

    root = tmp_path / "ws"
    seed(root)
    qapp = make_application([])
    load_fonts()
    qapp.setStyleSheet(STYLESHEET)
    application = Application(type("Args", (), {"lang": "zh", "workspace": str(root)})(), qapp)
    try:
        window = application.start()
        qtbot.addWidget(window)
        # Before the first frame: 今日任务 with its table still empty of a model, nothing else made.
        assert window.pages.count() == 1
        assert window.worklist.table.model() is None
        assert window.open_action.shortcut().isEmpty()

        with qtbot.waitSignal(window.sig_workspace_opened, timeout=20_000):  # noqa: SIM117 - in turn
            with qtbot.waitSignal(window.sig_first_frame, timeout=5000):
                pass
        qtbot.waitUntil(lambda: window.worklist.model.rowCount() == 5, timeout=10_000)
        assert window.worklist.table.model() is window.worklist.model
        assert window.open_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
        qtbot.waitUntil(lambda: window.statusBar().findChild(SyncStatusWidget) is not None, timeout=5000)
        assert window.pages.count() == 1  # no other page was made on the way
    finally:
        application.shutdown()


def test_on_a_laptop_screen_the_first_start_fills_the_screen_and_a_restart_keeps_the_users_size(
    qtbot: Any, tmp_path: Path
) -> None:
    from PySide6.QtGui import QGuiApplication

    from inspector_app.ui.app import Application, load_fonts, make_application

    root = tmp_path / "ws"
    seed(root)
    qapp = make_application([])
    load_fonts()
    room = QGuiApplication.primaryScreen().availableGeometry().size()
    assert room.width() < 1440  # the test screen is laptop-sized (offscreen: 800×600)
    application = Application(type("Args", (), {"lang": "zh", "workspace": str(root)})(), qapp)
    try:
        window = application.start()  # nothing saved yet: the first start
        qtbot.addWidget(window)
        assert window.isMaximized()
        assert window.width() == room.width() or window.isMaximized()
        window.showNormal()
        window.resize(640, 480)
        window.close()  # remembers the user's choice
        again = application.build_window()
        qtbot.addWidget(again)
        assert not again.fills_screen  # a size the user chose is kept
    finally:
        application.shutdown()
