"""Driving the visit page from tests: starting visits, pressing keys where the focus is, signing."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from inspector_app.ui.widgets.start_visit import StartVisitDialog
from tests.support.gui import BADGES, Harness

KEYS = {
    "1": Qt.Key.Key_1, "2": Qt.Key.Key_2, "3": Qt.Key.Key_3, "0": Qt.Key.Key_0,
    "Enter": Qt.Key.Key_Return,
}


def press(qtbot: Any, *keys: str) -> None:
    """Each key goes to whatever has the focus, as a real keyboard's would."""
    for key in keys:
        target = QApplication.focusWidget()
        assert target is not None, "nothing has the keyboard focus"
        if key in KEYS:
            QTest.keyClick(target, KEYS[key])
        else:
            QTest.keyClicks(target, key)


def start_visit_via_dialog(qtbot: Any, h: Harness, code: str, form: str = "ui-test") -> str:
    window: Any = h.window
    window.start_visit(code)
    dialog = window.findChild(StartVisitDialog)
    assert dialog is not None
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.waitUntil(ok.isEnabled, timeout=10_000)
    for button in dialog.form_group.buttons():
        if button.property("form_code") == form:
            button.setChecked(True)
    with qtbot.waitSignal(window.visit.sig_loaded, timeout=10_000):
        QTest.mouseClick(ok, Qt.MouseButton.LeftButton)
    # A window manager gives the keyboard back to the main window when the dialog closes; the
    # offscreen platform has none, so the test does what it would.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
    return str(window.visit.visit_id)


def start_visit_direct(qtbot: Any, h: Harness, code: str, form: str = "ui-test") -> str:
    window: Any = h.window
    result: list[str] = []
    window.ctx.op(lambda job: job.services.visits.start(code, form, list(BADGES)),
                  lambda r: result.append(r[0]))
    qtbot.waitUntil(lambda: bool(result), timeout=10_000)
    with qtbot.waitSignal(window.visit.sig_loaded, timeout=10_000):
        window.show_visit(result[0])
    return result[0]


def wait_saved(qtbot: Any, page: Any) -> None:
    qtbot.waitUntil(lambda: page.pending == 0, timeout=10_000)


def sign_all(qtbot: Any, page: Any, *, enterprise_refuses: bool = False) -> None:
    assert page.finish is not None
    for role, card in page.finish.cards.items():
        if role == "enterprise" and enterprise_refuses:
            card.refuse.setChecked(True)
            card.reason.setText("负责人不在场")
        else:
            card.pad.add_stroke([(20, 60), (60, 30), (100, 90), (160, 40)])
        with qtbot.waitSignal(page.sig_signed, timeout=10_000):
            QTest.mouseClick(card.save_button, Qt.MouseButton.LeftButton)


def make_photo(path: Path, color: str = "orange") -> Path:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buf, "JPEG")
    path.write_bytes(buf.getvalue())
    return path


def complete_visit(qtbot: Any, page: Any) -> str:
    """完成检查并锁定 by keyboard: Enter on the button, then Enter on the confirmation it opens."""
    page.show_finish()
    # every signature taken: the focus is on 完成检查并锁定 (once the last one is shown)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.finish.complete_button, timeout=10_000)
    QTest.keyClick(page.finish.complete_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.confirm_box is not None and page.confirm_box.isVisible(), timeout=10_000)
    box = page.confirm_box
    assert "当前结论" in box.text()
    with qtbot.waitSignal(page.sig_completed, timeout=10_000) as done:
        QTest.keyClick(QApplication.focusWidget() or box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.locked, timeout=10_000)
    # As after the start dialog: with no window manager offscreen, the test gives the keyboard back.
    page.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
    return str(done.args[0])
