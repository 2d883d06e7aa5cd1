"""Fits a laptop: after loading the demo workspace, every page and dialog of the window's shell has a
minimum size within a 1280×720 screen (so within 1366×768 too); what is longer scrolls.

The visit page is covered by its own tests (tests/inspection/test_visit*.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialog

from inspector_app.ui.main_window import NAV_PAGES
from tests.support.gui import REAL_FORMS

SCREEN = (1280, 720)
SMALL = (1024, 640)  # a small netbook: the window's pages fit it too
CHROME = 40  # a window's title bar, which the minimum size does not include


def fits(widget: Any) -> tuple[int, int] | None:
    """None when ``widget`` can be as small as the screen allows, else its minimum size."""
    hint = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    size = (hint.width(), hint.height())
    return None if size[0] <= SCREEN[0] and size[1] <= SCREEN[1] - CHROME else size


@pytest.fixture
def demo_window(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    from inspector_app.ui.app import Application, load_fonts, make_application
    from inspector_app.ui.style import STYLESHEET

    monkeypatch.setenv("INSPECTOR_FORMS_DIR", str(REAL_FORMS))
    qapp = make_application([])
    load_fonts()
    qapp.setStyleSheet(STYLESHEET)
    root = tmp_path / "ws"
    application = Application(type("Args", (), {"lang": "zh", "workspace": str(root)})(), qapp)
    window = application.build_window()
    qtbot.addWidget(window)
    window.resize(*SCREEN)
    window.show()
    qtbot.waitExposed(window)
    window.start_background()
    with qtbot.waitSignal(window.sig_workspace_opened, timeout=240_000):
        window.open_demo(root)
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() > 0, timeout=20_000)
    yield window
    window.close()
    application.shutdown()


def settle(qtbot: Any) -> None:
    for _ in range(5):
        qtbot.wait(50)
        QApplication.processEvents()


def test_every_page_and_dialog_fits_a_laptop_screen(qtbot: Any, demo_window: Any) -> None:
    from inspector_app.ui.shortcuts import ShortcutsDialog
    from inspector_app.ui.start_dialog import StartDialog
    from inspector_app.ui.sync.login_dialog import LoginDialog
    from inspector_app.ui.widgets.start_visit import StartVisitDialog

    window = demo_window
    too_big: dict[str, tuple[int, int]] = {}

    def check(name: str, widget: Any) -> None:
        settle(qtbot)
        size = fits(widget)
        if size is not None:
            too_big[name] = size

    for row, name in enumerate(NAV_PAGES):
        window.nav.setCurrentRow(row)
        page = window.pages.currentWidget()
        if hasattr(page, "sig_loaded"):
            qtbot.waitUntil(lambda p=page: p._built, timeout=10_000)
        check(name, window)

    code = window.worklist.model.row(0).credit_code
    with qtbot.waitSignal(window.enterprise.sig_loaded, timeout=10_000):
        window.show_enterprise(code)
    for tab in range(window.enterprise.tabs.count()):
        window.enterprise.tabs.setCurrentIndex(tab)
        check(f"enterprise tab {tab}", window)
    small = window.minimumSizeHint()  # every page made so far: the window can be that small
    assert small.width() <= SMALL[0] and small.height() <= SMALL[1] - CHROME, small

    window.start_visit(code)
    dialog = window.findChild(StartVisitDialog)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10_000)
    assert len(dialog.crew) > 10  # the demo's crew list is long: it scrolls
    check("开始检查", dialog)
    dialog.reject()

    window.show_login()
    check("登录", window.findChild(LoginDialog))
    window.findChild(LoginDialog).reject()
    window.show_shortcuts()
    check("快捷键", window.findChild(ShortcutsDialog))
    start = StartDialog(window.workspace.root, True, window)
    start.show()
    check("欢迎", start)
    start.reject()

    for d in window.findChildren(QDialog):
        d.close()
    assert not too_big, too_big
