"""The finding editor offers 当场整改完毕 beside 立即/限期整改: chosen by keyboard, it asks for the
photo of the corrected state (the visit cannot complete without one), and the photo attached shows
as a thumbnail in the editor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from inspector_app.domain.finding import Order
from inspector_app.ui.widgets.items import PhotosEditor
from tests.inspection.test_recheck_and_pages import run_job
from tests.support.gui import Harness
from tests.support.gui_steps import make_photo, press, start_visit_direct, wait_saved


def test_on_site_fixed_is_chosen_by_keyboard_needs_its_photo_and_shows_it(
    qtbot: Any, harness: Harness, tmp_path: Path
) -> None:
    page: Any = harness.window.visit  # type: ignore[attr-defined]
    visit_id = start_visit_direct(qtbot, harness, harness.codes[2])
    page.jump_to("exits")
    with qtbot.waitSignal(page.sig_finding_opened, timeout=10_000) as opened:
        press(qtbot, "2")  # 疏散通道畅通: 不符合 (a general hazard)
    finding_id = opened.args[0]
    editor = page.finding_editor(finding_id)
    assert [b.text() for b in editor.order_group.buttons()] == ["立即整改", "限期整改", "当场整改完毕"]
    assert not editor.thumb.isVisible()  # no photo yet

    # Tab through the editor to the order (立即/限期/当场整改完毕 are one group), → to 当场整改完毕.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.description, timeout=5000)
    orders = editor.order_group.buttons()
    for _ in range(5):
        if QApplication.focusWidget() in orders:
            break
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    for _ in range(3):
        if QApplication.focusWidget() is editor.on_site:
            break
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Right)
    assert QApplication.focusWidget() is editor.on_site
    qtbot.waitUntil(lambda: page.findings[0].order is Order.ON_SITE_FIXED, timeout=10_000)
    editor = page.finding_editor(finding_id)
    assert editor.on_site.isChecked() and not editor.deadline.isEnabled()
    assert editor.photo_button.text() == "添加整改后照片…"
    assert editor.photo_label.text() == "当场整改完毕须附整改后照片"
    missing = run_job(qtbot, harness, lambda job: job.services.visits.missing(visit_id))
    assert any("当场整改完毕，需附整改后照片" in m.message for m in missing)

    # The photo of the corrected exit: attached, shown as a thumbnail, no longer missing.
    photo = make_photo(tmp_path / "cleared.jpg", "green")
    PhotosEditor.choose_files = staticmethod(lambda _w: [photo])  # type: ignore[assignment]
    try:
        QTest.mouseClick(editor.photo_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(page.findings[0].photos) == 1, timeout=10_000)
    finally:
        PhotosEditor.choose_files = None
    editor = page.finding_editor(finding_id)
    qtbot.waitUntil(lambda: editor.thumb.isVisible() and editor.thumb.pixmap() is not None
                    and not editor.thumb.pixmap().isNull(), timeout=10_000)
    assert editor.photo_label.text() == "已有 1 张照片"
    wait_saved(qtbot, page)
    missing = run_job(qtbot, harness, lambda job: job.services.visits.missing(visit_id))
    assert not any("整改后照片" in m.message for m in missing)
