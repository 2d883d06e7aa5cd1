"""The visit page: keyboard-only filling, relevance, constraints, findings, completing and locking."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from inspector_app.checklist import coerce
from inspector_app.domain.finding import Order, Severity
from inspector_app.ui.widgets.items import PhotosEditor
from tests.support.gui import Harness, answers_on_disk
from tests.support.gui_steps import (
    complete_visit,
    make_photo,
    press,
    sign_all,
    start_visit_direct,
    start_visit_via_dialog,
    wait_saved,
)


def test_keyboard_only_visit_to_completion(qtbot: Any, harness: Harness) -> None:
    window: Any = harness.window
    visit_id = start_visit_via_dialog(qtbot, harness, harness.codes[0])
    page = window.visit
    assert page.current_key == "plan"  # the first open item has the focus
    press(qtbot, "1", "Enter", "1", "Enter", "12", "Enter", "10", "Enter", "3", "Enter")
    wait_saved(qtbot, page)
    # What the page holds, read by the form's own rule (coerce: digits typed become integers), is
    # exactly what the service stored, item for item and type for type.
    typed = {"plan": "Y", "exits": "Y", "staff_total": 12, "on_site": 10, "masks": "NA"}
    assert {k: coerce(page.form.items[k], v) for k, v in page.answers.items()} == typed
    saved = answers_on_disk(harness.root, visit_id)
    assert {k: saved[k] for k in typed} == typed and type(saved["staff_total"]) is int
    # Enter on the last item lands on the finish page, the focus on the first signature to take
    assert page.stack.currentIndex() == page.nav.count() - 1
    first_card = next(iter(page.finish.cards.values()))
    assert QApplication.focusWidget() is first_card.save_button
    # signing needs a pen (or the refusal typed in), then one click completes
    sign_all(qtbot, page, enterprise_refuses=True)
    assert len(complete_visit(qtbot, page)) == 64
    stored = answers_on_disk(harness.root, visit_id)
    assert stored == {"plan": "Y", "exits": "Y", "staff_total": 12, "on_site": 10, "masks": "NA"}


def test_relevance_shows_and_hides_an_item(qtbot: Any, harness: Harness) -> None:
    page: Any = harness.window.visit  # type: ignore[attr-defined]
    start_visit_direct(qtbot, harness, harness.codes[1])
    note = page.rows["exits_note"]
    assert note.isHidden()
    press(qtbot, "1", "Enter", "2")  # exits: 不符合
    assert not note.isHidden()
    press(qtbot, "1")  # exits: 符合 again
    assert note.isHidden()
    wait_saved(qtbot, page)


def test_constraint_error_shows_inline(qtbot: Any, harness: Harness) -> None:
    page: Any = harness.window.visit  # type: ignore[attr-defined]
    start_visit_direct(qtbot, harness, harness.codes[1])
    page.jump_to("staff_total")
    press(qtbot, "10", "Enter", "20", "Enter")
    row = page.rows["on_site"]
    assert row.error.isVisible()
    assert row.error.text() == "到岗人数不能大于员工总数"
    page.jump_to("on_site")
    row.editor.edit.clear()
    press(qtbot, "8", "Enter")
    assert not row.error.isVisible()
    wait_saved(qtbot, page)
    # a value the item refuses (not a number) is shown inline too, and not stored
    page.jump_to("staff_total")
    page.rows["staff_total"].editor.edit.clear()
    press(qtbot, "abc", "Enter")
    wait_saved(qtbot, page)
    assert page.rows["staff_total"].error.isVisible()


def test_non_compliance_creates_a_finding_and_opens_the_editor(
    qtbot: Any, harness: Harness, tmp_path: Path
) -> None:
    page: Any = harness.window.visit  # type: ignore[attr-defined]
    visit_id = start_visit_direct(qtbot, harness, harness.codes[2])
    with qtbot.waitSignal(page.sig_finding_opened, timeout=10_000) as opened:
        press(qtbot, "2")
    finding_id = opened.args[0]
    editor = page.finding_editor(finding_id)
    assert editor is not None and editor.isVisible()
    assert editor.severity.currentData() == Severity.MAJOR.value  # from the form
    assert editor.deadline_order.isChecked()  # deadline_days: 3 → 限期整改
    # the inspector's edits go to the service
    photo = make_photo(tmp_path / "exit.jpg")
    PhotosEditor.choose_files = staticmethod(lambda _w: [photo])  # type: ignore[assignment]
    try:
        QTest.mouseClick(editor.photo_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(page.findings[0].photos) == 1, timeout=10_000)
    finally:
        PhotosEditor.choose_files = None
    editor = page.finding_editor(finding_id)
    editor.immediate.click()
    qtbot.waitUntil(lambda: page.findings[0].order is Order.IMMEDIATE, timeout=10_000)
    # answering 符合 again removes the finding
    page.jump_to("plan")
    press(qtbot, "1")
    wait_saved(qtbot, page)
    qtbot.waitUntil(lambda: page.finding_editor(finding_id) is None, timeout=10_000)
    assert answers_on_disk(harness.root, visit_id)["plan"] == "Y"


def test_completing_shows_what_is_missing_then_locks(qtbot: Any, harness: Harness) -> None:
    page: Any = harness.window.visit  # type: ignore[attr-defined]
    start_visit_direct(qtbot, harness, harness.codes[3])
    page.show_finish()
    with qtbot.waitSignal(page.sig_missing, timeout=10_000) as missing:
        QTest.mouseClick(page.finish.complete_button, Qt.MouseButton.LeftButton)
    assert "未填写：制定防控方案" in missing.args[0]
    assert page.finish.missing.isVisible()
    first = page.finish.missing.item(0)
    page.finish.missing.itemClicked.emit(first)
    assert page.current_key == "plan"  # clicking an entry jumps to the item
    press(qtbot, "1")

    def listed() -> list[str]:
        return [page.finish.missing.item(i).text() for i in range(page.finish.missing.count())]

    # the list follows the answers: what was just given leaves it
    qtbot.waitUntil(lambda: not any("制定防控方案" in t for t in listed()), timeout=10_000)
    assert any("疏散通道畅通" in t for t in listed())
    press(qtbot, "Enter", "1", "Enter", "5", "Enter", "Enter", "1")
    wait_saved(qtbot, page)
    sign_all(qtbot, page)
    complete_visit(qtbot, page)
    qtbot.waitUntil(page.banner.isVisible, timeout=10_000)
    assert "内容哈希" in page.banner.text()
    # a locked visit ignores keys and shows read-only editors
    page.jump_to("plan")
    press(qtbot, "2")
    assert page.answers["plan"] == "Y"
    assert page.rows["plan"].editor.read_only
    assert not page.finish.complete_button.isVisible()


def test_a_slow_form_is_evaluated_off_the_gui_thread_and_the_page_follows(
    qtbot: Any, harness: Harness, monkeypatch: Any
) -> None:
    from inspector_app.ui.pages.visit import VisitPage

    monkeypatch.setattr(VisitPage, "slow_evaluation_s", -1.0)  # every evaluation counts as slow
    page: Any = harness.window.visit  # type: ignore[attr-defined]
    start_visit_direct(qtbot, harness, harness.codes[1])
    note = page.rows["exits_note"]
    press(qtbot, "1", "Enter")
    page.evaluation = None  # type: ignore[assignment]  # only the pool's result may set it now
    press(qtbot, "2")  # exits: 不符合 shows the note, once the pool has evaluated
    assert page.evaluation is None  # the key press returned without evaluating
    qtbot.waitUntil(lambda: page.evaluation is not None and not note.isHidden(), timeout=10_000)
    assert "exits_note" in page.evaluation.visible
    wait_saved(qtbot, page)


def test_a_new_finding_takes_the_keyboard_and_tab_goes_through_it_to_the_next_item(
    qtbot: Any, harness: Harness
) -> None:
    page: Any = harness.window.visit  # type: ignore[attr-defined]
    start_visit_direct(qtbot, harness, harness.codes[4])
    with qtbot.waitSignal(page.sig_finding_opened, timeout=10_000) as opened:
        press(qtbot, "2")  # plan: 不符合
    editor = page.finding_editor(opened.args[0])
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.description, timeout=5000)
    visited = []
    for _ in range(len(editor.focus_chain()) + 2):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
        if page.rows["exits"].editor.isAncestorOf(visited[-1]) or visited[-1] is page.rows["exits"].editor:
            break
    # through the finding's own fields (the disabled deadline of an immediate order aside) …
    assert all(editor.isAncestorOf(w) for w in visited[:-1]) and len(visited) >= 3
    # … then on to the next item, not past the section's last one
    assert page.current_key == "exits"
    # Enter in the description says the finding is done: the checklist goes on
    page.jump_to("plan")
    editor.description.setFocus()
    press(qtbot, "Enter")
    assert page.current_key == "exits"
    wait_saved(qtbot, page)
