"""The visit as an inspector walks it at 1366×768, keys first: what the walk of issue 10 found.

Tab goes on from a section's last item to the next section (never to 返回); computed items are
read, not stopped on; the 三小 tick list wraps at the page's width; the missing list heads the
finish page; the completion box is readable; Qt's file dialog is Chinese; categories and units
are English in the English UI; 场所类型 comes from the category; a finding opened after the
keyboard moved on does not take it; the 复查 buttons have room; sections are numbered through as
printed; F1 lists every key the window sets.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QLabel, QScrollArea

from inspector_app.checklist import ItemType
from tests.support.gui import BADGES, REAL_FORMS, Harness, answers_on_disk
from tests.support.gui_steps import make_photo, press, sign_all, start_visit_direct, wait_saved

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def real_forms(monkeypatch: Any) -> None:
    """The shipped checklists instead of the GUI tests' small one (set before the window opens)."""
    monkeypatch.setenv("INSPECTOR_FORMS_DIR", str(REAL_FORMS))


def focus() -> Any:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def key(k: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focus(), k, modifier)


def laptop(qtbot: Any, h: Harness) -> Any:
    window: Any = h.window
    window.resize(1366, 768)
    qtbot.waitUntil(lambda: window.width() == 1366, timeout=5000)
    return window


def open_form(qtbot: Any, h: Harness, code: str, form: str) -> Any:
    start_visit_direct(qtbot, h, code, form=form)
    page: Any = h.window.visit  # type: ignore[attr-defined]
    h.window.activateWindow()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
    return page


def in_row(page: Any, k: str, widget: Any) -> bool:
    row = page.rows.get(k)
    return row is not None and (widget is row.editor or row.editor.isAncestorOf(widget))


# ----------------------------------------------------------------- Tab


def test_tab_after_a_sections_last_item_goes_to_the_next_section_and_then_to_the_finish(
    qtbot: Any, harness: Harness
) -> None:
    page = open_form(qtbot, harness, harness.codes[0], "ui-test")
    assert in_row(page, "plan", focus())
    key(Qt.Key.Key_Tab)
    assert in_row(page, "exits", focus())
    key(Qt.Key.Key_Tab)  # the last shown item of 基本要求 (its note is hidden): on to 人员情况
    assert focus() is not page.back_button
    assert in_row(page, "staff_total", focus()) and page.current_key == "staff_total"
    assert page.nav.currentRow() == 1
    key(Qt.Key.Key_Tab)
    key(Qt.Key.Key_Tab)
    assert in_row(page, "masks", focus())
    key(Qt.Key.Key_Tab)  # after the last section: the finish page, its first signature
    assert page.stack.currentIndex() == page.nav.count() - 1
    first_card = next(iter(page.finish.cards.values()))
    assert focus() is first_card.save_button
    # Shift+Tab before a section's first item: back to the previous section's last one
    page.jump_to("staff_total")
    key(Qt.Key.Key_Backtab)
    assert in_row(page, "exits", focus()) and page.nav.currentRow() == 0
    wait_saved(qtbot, page)


def test_computed_items_never_take_the_keyboard(qtbot: Any, real_forms: None, harness: Harness) -> None:
    page = open_form(qtbot, harness, harness.codes[0], "epidemic-resumption")  # 规上工业企业
    form = page.form
    shown = [k for k in form.items if k in page.evaluation.visible]
    computed = [k for k in shown if form.items[k].computed and form.items[k].type is not ItemType.SIGNATURE]
    assert computed
    for k in computed:  # Tab from the item before goes to the item after it
        i = shown.index(k)
        before, after = shown[i - 1], shown[i + 1]
        if form.items[before].computed or form.items[after].computed:
            continue
        if page.section_of[before] != page.section_of[k] or page.section_of[after] != page.section_of[k]:
            continue
        page.jump_to(before)
        key(Qt.Key.Key_Tab)
        assert not in_row(page, k, focus()), k
        assert in_row(page, after, focus()), (k, focus())
        # nor does a click put the cursor in it
        clicked = page.rows[k].editor.focusProxy() or page.rows[k].editor
        QTest.mouseClick(clicked, Qt.MouseButton.LeftButton)
        assert not in_row(page, k, focus()), k
    wait_saved(qtbot, page)


# ----------------------------------------------------------------- 三小 tick list, 场所类型


def test_the_tick_list_wraps_within_the_page_at_1366(qtbot: Any, real_forms: None, harness: Harness) -> None:
    from inspector_app.ui.widgets.items import MultiEditor, editor_for

    laptop(qtbot, harness)
    page = open_form(qtbot, harness, harness.codes[1], "three-small")  # 小档口
    page.jump_to("shop_problems")
    editor = page.rows["shop_problems"].editor
    assert isinstance(editor, MultiEditor)
    qtbot.waitUntil(lambda: editor.isVisible() and editor.width() > 0, timeout=5000)
    scroll = page.sections[page.section_of["shop_problems"]].page
    assert isinstance(scroll, QScrollArea)
    assert scroll.horizontalScrollBar().maximum() == 0  # nothing scrolls sideways
    right = editor.mapTo(scroll.viewport(), editor.rect().topRight()).x()
    assert right <= scroll.viewport().width()
    for box in editor.boxes:  # every problem's whole text shown, wrapped where it is long
        assert box.height() >= box.heightForWidth(box.width()), box.text()
        assert box.mapTo(scroll.viewport(), box.rect().topRight()).x() <= scroll.viewport().width()
    # In English (longer words) the list still fits a 1366 screen's visit page
    for item in page.form.items.values():
        if item.tick_list:
            english = editor_for(item, "en")
            assert english.minimumSizeHint().width() <= 700, item.key
            english.deleteLater()
    wait_saved(qtbot, page)


def test_the_venue_type_comes_from_the_category_and_can_be_changed(
    qtbot: Any, real_forms: None, harness: Harness
) -> None:
    page = open_form(qtbot, harness, harness.codes[1], "three-small")  # a 小档口
    visit_id = page.visit_id
    assert page.answers["venue_type"] == "shop"
    assert answers_on_disk(harness.root, visit_id)["venue_type"] == "shop"  # given by the service
    editor = page.rows["venue_type"].editor
    assert [b.isChecked() for b in editor.buttons] == [True, False, False, False]
    shop = page.sections[page.section_of["shop_problems"]]
    assert shop.nav is not None and not shop.nav.isHidden()
    assert shop.nav.text().startswith("二、小档口")  # its problems follow at once, numbered 二
    assert page.current_key != "venue_type"  # the checklist opens at the first item not given
    page.jump_to("venue_type")
    press(qtbot, "2")  # the inspector may still choose otherwise (the form then says why not)
    wait_saved(qtbot, page)
    assert page.answers["venue_type"] == "workshop"
    assert "场所类型应与单位类别一致" in page.rows["venue_type"].error.text()


# ----------------------------------------------------------------- findings and the keyboard


def test_a_finding_opened_after_the_keyboard_moved_on_does_not_take_it(
    qtbot: Any, real_forms: None, harness: Harness
) -> None:
    page = open_form(qtbot, harness, harness.codes[0], "work-safety")  # 规上工业企业
    page.jump_to("emergency_plan")
    press(qtbot, "1")
    wait_saved(qtbot, page)
    page.jump_to("last_drill_date")  # the last item of its section; an old drill is a finding
    press(qtbot, "20200101")
    key(Qt.Key.Key_Tab)  # on to the next section's first item before the answer is saved …
    nxt = page.current_key
    assert page.section_of[nxt] == page.section_of["last_drill_date"] + 1
    press(qtbot, "1")  # … and its 1 answers it, wherever the finding opens meanwhile
    wait_saved(qtbot, page)
    qtbot.waitUntil(lambda: any(f.item_key == "last_drill_date" for f in page.findings), timeout=10_000)
    qtbot.wait(50)
    assert page.answers[nxt] == "Y"
    assert in_row(page, nxt, focus())
    (opened,) = [f for f in page.findings if f.item_key == "last_drill_date"]
    editor = page.finding_editor(opened.id)
    assert editor is not None and not editor.description.toPlainText().endswith("1")
    # A 不符合 pressed on the item itself still opens its finding with the cursor in it
    with qtbot.waitSignal(page.sig_finding_opened, timeout=10_000) as sig:
        press(qtbot, "2")
    described = page.finding_editor(sig.args[0])
    qtbot.waitUntil(lambda: focus() is described.description, timeout=5000)
    wait_saved(qtbot, page)


# ----------------------------------------------------------------- finishing


def test_the_missing_list_heads_the_finish_page_at_1366(qtbot: Any, harness: Harness) -> None:
    laptop(qtbot, harness)
    page = open_form(qtbot, harness, harness.codes[3], "ui-test")
    page.show_finish()
    qtbot.waitUntil(lambda: focus() is not None and page.finish.isAncestorOf(focus()), timeout=5000)
    page.finish.complete_button.setFocus()  # the inspector Tabs down to it, Enter
    with qtbot.waitSignal(page.sig_missing, timeout=10_000):
        key(Qt.Key.Key_Return)
    missing = page.finish.missing
    qtbot.waitUntil(missing.isVisible, timeout=5000)
    scroll = page.stack.currentWidget()
    assert isinstance(scroll, QScrollArea)
    top = missing.mapTo(scroll.viewport(), missing.rect().topLeft()).y()
    bottom = missing.mapTo(scroll.viewport(), missing.rect().bottomLeft()).y()
    assert top >= 0 and bottom <= scroll.viewport().height()  # seen without scrolling
    title = page.finish.missing_title
    title_y = title.mapTo(scroll.viewport(), title.rect().topLeft()).y()
    assert 0 <= title_y < top
    assert focus() is missing and missing.currentRow() == 0  # ↑/↓ and Enter from here
    assert missing.maximumHeight() <= 200  # a long list scrolls inside it
    assert "制定防控方案" in missing.item(0).text()
    key(Qt.Key.Key_Return)
    assert page.current_key == "plan" and in_row(page, "plan", focus())


def test_the_completion_box_is_readable_and_lists_the_findings(qtbot: Any, harness: Harness) -> None:
    window = laptop(qtbot, harness)
    page = open_form(qtbot, harness, harness.codes[2], "ui-test")
    with qtbot.waitSignal(page.sig_finding_opened, timeout=10_000) as sig:
        press(qtbot, "2")
    finding = page.finding_editor(sig.args[0])
    qtbot.waitUntil(lambda: focus() is finding.description, timeout=5000)
    press(qtbot, "Enter", "1", "Enter", "12", "Enter", "10", "Enter", "1", "Enter")
    wait_saved(qtbot, page)
    sign_all(qtbot, page)
    page.show_finish()
    qtbot.waitUntil(lambda: focus() is page.finish.complete_button, timeout=10_000)
    scroll = page.stack.currentWidget()  # the button Enter will press is in view
    button = page.finish.complete_button
    y = button.mapTo(scroll.viewport(), button.rect().topLeft()).y()
    assert y >= 0 and y + button.height() <= scroll.viewport().height()
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.confirm_box is not None and page.confirm_box.isVisible(), timeout=10_000)
    box = page.confirm_box
    assert 600 <= box.width() <= window.screen().availableGeometry().width()
    assert box.height() <= 720
    assert "制定防控方案" in box.text() and "重大" in box.text()
    assert page.outcome_text() in box.text()
    for badge in BADGES:
        assert f"执法证号 {badge}" in box.text()
    assert box.findings.isVisible() and box.findings.count() == len(page.findings)
    assert focus() is box.yes
    key(Qt.Key.Key_Escape)  # 返回修改: nothing locked, back on 完成检查并锁定
    qtbot.waitUntil(lambda: page.confirm_box is None, timeout=5000)
    page.window().activateWindow()
    qtbot.waitUntil(lambda: focus() is page.finish.complete_button, timeout=5000)
    assert not page.locked


# ----------------------------------------------------------------- languages


def test_qt_file_dialog_is_chinese(qtbot: Any, real_forms: None, harness: Harness, tmp_path: Path) -> None:
    page = open_form(qtbot, harness, harness.codes[0], "epidemic-resumption")
    k = next(k for k, it in page.form.items.items()
             if it.type is ItemType.PHOTOS and k in page.evaluation.visible)
    page.jump_to(k)
    (tmp_path / "照片").mkdir()
    make_photo(tmp_path / "a.jpg")
    seen: dict[str, Any] = {}

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(50, look)
            return
        dialog.setDirectory(str(tmp_path))
        seen["labels"] = {label: dialog.labelText(label) for label in QFileDialog.DialogLabel}
        seen["texts"] = [w.text() for w in dialog.findChildren(QLabel) + dialog.findChildren(QAbstractButton)
                         if w.isVisible() and w.text()]

        def folder_type() -> None:
            from PySide6.QtWidgets import QFileSystemModel

            fs = dialog.findChild(QFileSystemModel)
            index = fs.index(str(tmp_path / "照片")) if fs is not None else None
            if index is None or not index.isValid() or not fs.type(index):
                QTimer.singleShot(50, folder_type)
                return
            seen["folder"] = fs.type(index)
            dialog.reject()

        folder_type()

    QTimer.singleShot(50, look)
    key(Qt.Key.Key_P)  # 添加照片: the file dialog (no camera here)
    qtbot.waitUntil(lambda: "folder" in seen, timeout=10_000)
    labels = seen["labels"]
    assert labels[QFileDialog.DialogLabel.LookIn] == "查找范围(&L)："
    assert labels[QFileDialog.DialogLabel.FileType] == "文件类型(&T)："
    assert labels[QFileDialog.DialogLabel.FileName].startswith("文件名称")
    english = [t for t in seen["texts"] if re.search(r"[A-Za-z]{3,}", re.sub(r"\(\*[^)]*\)|&", "", t))]
    assert not english, english
    assert seen["folder"] == "文件夹"


def test_units_and_categories_are_english_in_the_english_ui(qtbot: Any, harness: Harness) -> None:
    from inspector_app.checklist import FormLibrary
    from inspector_app.domain.enterprise import DEFAULT_CATEGORIES
    from inspector_app.ui.i18n import tr

    harness.app.switch_language("en")  # type: ignore[attr-defined]
    window: Any = harness.app.window  # type: ignore[attr-defined]
    worklist = window.worklist
    window.nav.setCurrentRow(0)
    qtbot.waitUntil(lambda: worklist.model.rowCount() == 5, timeout=10_000)
    column = next(c for c in range(worklist.model.columnCount())
                  if worklist.model.headerData(c, Qt.Orientation.Horizontal) == tr("类别"))
    shown = {worklist.model.data(worklist.model.index(r, column)) for r in range(worklist.model.rowCount())}
    assert shown and not [t for t in shown if CJK.search(t)], shown
    assert "Building site" in shown
    font = worklist.table.font()  # and whole: the column is as wide as the longest of them
    from PySide6.QtGui import QFontMetrics

    for text in shown | {tr(c) for c in DEFAULT_CATEGORIES}:
        assert QFontMetrics(font).horizontalAdvance(text) + 8 <= worklist.table.columnWidth(column), text
    boxes = [worklist.category_box.itemText(i) for i in range(worklist.category_box.count())]
    assert not [t for t in boxes if CJK.search(t)], boxes
    values = {worklist.category_box.itemData(i) for i in range(1, worklist.category_box.count())}
    assert "建筑工地" in values  # what is filtered on (and stored) stays the register's value
    for category in DEFAULT_CATEGORIES:
        assert not CJK.search(tr(category)), category
    units = {it.unit for f in FormLibrary.load(REAL_FORMS).latest() for it in f.items.values() if it.unit}
    assert units
    for unit in units:
        assert not CJK.search(tr(unit)), unit
    # and on the visit page
    done: list[Any] = []
    code = harness.codes[0]
    window.ctx.op(lambda job: job.services.visits.start(code, "ui-test", list(BADGES)), done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    with qtbot.waitSignal(window.visit.sig_loaded, timeout=10_000):
        window.show_visit(done[0][0])
    window.visit.jump_to("staff_total")
    texts = [w.text() for w in window.visit.rows["staff_total"].editor.findChildren(QLabel)]
    assert "people" in texts, texts
    window.close()


# ----------------------------------------------------------------- 复查, numbering, F1


def test_the_recheck_buttons_have_room(qtbot: Any, harness: Harness) -> None:
    from tests.inspection.test_recheck_and_pages import completed_visit_with_finding, run_job

    laptop(qtbot, harness)
    window: Any = harness.window
    code = harness.codes[0]
    run_job(qtbot, harness, lambda job: completed_visit_with_finding(job, code))
    rid = run_job(qtbot, harness, lambda job: job.services.visits.start_recheck(code, list(BADGES)))[0]
    with qtbot.waitSignal(window.visit.sig_loaded, timeout=10_000):
        window.show_visit(rid)
    page = window.visit
    (card,) = page.recheck_panel.cards.values()
    window.activateWindow()
    qtbot.waitUntil(lambda: focus() is card, timeout=5000)
    with qtbot.waitSignal(page.sig_marked, timeout=10_000):
        press(qtbot, "2")  # 未整改: 新期限 shows beside the buttons
    qtbot.waitUntil(card.deadline.isVisible, timeout=5000)
    shown = [w for w in (card.fixed, card.not_fixed, card.deadline_label, card.deadline) if w.isVisible()]
    for left, right in pairwise(shown):
        gap = right.mapTo(card, right.rect().topLeft()).x() - left.mapTo(card, left.rect().topRight()).x()
        assert gap >= 8, (left, right, gap)


def test_sections_are_numbered_through_as_the_record_prints_them(
    qtbot: Any, real_forms: None, harness: Harness
) -> None:
    from inspector_app.checklist import section_numbers
    from inspector_app.reports.data import checklist_lines

    for code in (harness.codes[0], harness.codes[2]):  # a factory (no 建筑工地专项) and a site
        page = open_form(qtbot, harness, code, "epidemic-resumption")
        shown = [e for e in page.sections if e.nav is not None and not e.nav.isHidden()]
        numerals = "一二三四五六七八九"
        for n, entry in enumerate(shown):
            assert entry.nav.text().startswith(f"{numerals[n]}、"), entry.nav.text()
        hidden = [e for e in page.sections if e.nav is not None and e.nav.isHidden()]
        assert len(shown) + len(hidden) == len(page.form.sections)
        page.jump_to(page.visible_keys()[-1])  # the last section's heading, built
        last = page.sections[page.section_of[page.visible_keys()[-1]]]
        assert last.heading is not None and last.heading.text() == last.title
        ctx = page.data.snapshot.context
        assert page.answers  # the register prefilled the staff figures
        printed = checklist_lines(page.form, dict(page.answers), set(), context=ctx)
        numbers = section_numbers(page.form, page.evaluation.visible)
        assert [s.title for s in printed] == [str(sec.title) for sec in page.form.sections
                                              if sec.key in numbers]  # the record's (一)(二)… order
        assert len(numbers) == len(shown)
        wait_saved(qtbot, page)


def test_f1_lists_every_key_the_window_sets(qtbot: Any, harness: Harness, tmp_path: Path) -> None:
    from inspector_app.ui import reports_bridge, shortcuts
    from inspector_app.ui.shortcuts import ShortcutsDialog

    window: Any = harness.window
    window.start_background()
    qtbot.waitUntil(lambda: not window.find_action.shortcut().isEmpty(), timeout=5000)
    with qtbot.waitSignal(window.enterprise.sig_loaded, timeout=10_000):
        window.show_enterprise(harness.codes[0])  # 开始检查 Ctrl+N, 开始复查 Ctrl+R
    page = open_form(qtbot, harness, harness.codes[1], "ui-test")
    page._show_preview(make_photo(tmp_path / "p.jpg").read_bytes(), "0" * 64, "plan")  # R turns it
    from reportlab.pdfgen.canvas import Canvas

    pdf = tmp_path / "doc.pdf"
    canvas = Canvas(str(pdf))
    canvas.drawString(72, 720, "page 1")
    canvas.showPage()
    canvas.save()
    preview = reports_bridge.preview_pdf(pdf, window)  # Ctrl+P prints
    assert preview is not None
    qtbot.waitUntil(preview.isVisible, timeout=10_000)

    found: set[str] = set()
    portable = QKeySequence.SequenceFormat.PortableText
    for action in window.findChildren(QAction):
        found |= {s.toString(portable) for s in action.shortcuts()}
    for button in window.findChildren(QAbstractButton):
        if button.shortcut().toString(portable) and "&" not in button.text():  # not a mnemonic
            found.add(button.shortcut().toString(portable))
    for sc in window.findChildren(QShortcut):
        found.add(sc.key().toString(portable))
    found.discard("")
    assert {"Ctrl+R", "Ctrl+N", "R", "Ctrl+P", "Ctrl+F", "F1"} <= found
    assert found <= shortcuts.registered(), found - shortcuts.registered()  # every key set is listed
    preview.reject()
    page.preview_dialog.close()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    key(Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.findChild(ShortcutsDialog) is not None, timeout=5000)
    text = window.findChild(ShortcutsDialog).text.toPlainText()
    for entry in shortcuts.KEYS.values():
        assert entry.keys_text in text, entry.keys_text
    for shown in ("Ctrl+R", "Ctrl+N", "Ctrl+P", "向右旋转 90°", "开始复查"):
        assert shown in text, shown
    wait_saved(qtbot, page)


def test_the_recheck_start_dialog_has_no_empty_checklist_list(qtbot: Any, harness: Harness) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from inspector_app.ui.widgets.start_visit import StartVisitDialog
    from tests.inspection.test_recheck_and_pages import completed_visit_with_finding, run_job

    window: Any = harness.window
    code = harness.codes[0]
    run_job(qtbot, harness, lambda job: completed_visit_with_finding(job, code))
    window.start_recheck(code)
    qtbot.waitUntil(lambda: window.findChild(StartVisitDialog) is not None, timeout=5000)
    dialog = window.findChild(StartVisitDialog)
    qtbot.waitUntil(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled, timeout=10_000)
    assert "1 项待复查隐患" in dialog.forms_label.text()
    assert dialog.forms_area.isHidden()  # the 复查 form is the only one: no blank list above the crew
    dialog.reject()
