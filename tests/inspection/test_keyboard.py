"""Keyboard first, in the real window: from launch to a started visit and back without the mouse.

Every key goes to whatever has the focus (as a real keyboard's would), shortcuts included.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from inspector_app.ui.shortcuts import ShortcutsDialog
from inspector_app.ui.widgets.start_visit import StartVisitDialog
from tests.support.gui import BADGES, Harness


def key(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    QTest.keyClick(target, key, modifier)


def focused() -> Any:
    return QApplication.focusWidget()


def ready(qtbot: Any, h: Harness) -> Any:
    window: Any = h.window
    window.start_background()  # the shortcuts, as after the first frame
    qtbot.waitUntil(lambda: not window.find_action.shortcut().isEmpty(), timeout=5000)
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() == 5, timeout=10_000)
    return window


def back_to(qtbot: Any, window: Any) -> None:
    """A window manager gives the keyboard back to the main window when a dialog closes; the
    offscreen platform has none, so the test does what it would."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)


def dialog_of(window: Any, kind: type) -> Any:
    found = [d for d in window.findChildren(kind) if d.isVisible()]
    return found[0] if found else None


def test_search_down_tab_enter_start_and_escape_back(qtbot: Any, harness: Harness) -> None:
    window = ready(qtbot, harness)
    page = window.worklist
    assert focused() is page.search  # the first focus: type a name at once
    QTest.keyClicks(focused(), "blms")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    key(Qt.Key.Key_Down)  # into the results, on the first row
    assert focused() is page.table and page.table.currentIndex().row() == 0
    key(Qt.Key.Key_Tab)  # out of the table (not to its next cell) …
    assert focused() is page.open_button
    key(Qt.Key.Key_Tab)  # … so 开始检查 is reachable
    assert focused() is page.start_button
    key(Qt.Key.Key_Backtab)
    key(Qt.Key.Key_Backtab)
    assert focused() is page.table

    key(Qt.Key.Key_Return)  # Enter on a row starts a visit
    qtbot.waitUntil(lambda: dialog_of(window, StartVisitDialog) is not None, timeout=5000)
    dialog = dialog_of(window, StartVisitDialog)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10_000)
    assert dialog.heading.text() == "龙岗区宝龙美食小吃店"
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: dialog_of(window, StartVisitDialog) is None, timeout=5000)

    back_to(qtbot, window)
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus, timeout=5000)
    with qtbot.waitSignal(window.enterprise.sig_loaded, timeout=10_000):
        key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter: 查看企业
    assert window.pages.currentWidget() is window.enterprise
    window.enterprise.setFocus()
    key(Qt.Key.Key_Escape)  # Esc: 返回
    assert window.pages.currentWidget() is page
    with qtbot.waitSignal(window.enterprise.sig_loaded, timeout=10_000):
        window.show_enterprise(harness.codes[0])
    window.enterprise.setFocus()
    key(Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # Alt+←: 返回
    assert window.pages.currentWidget() is page


def test_ctrl_f_finds_the_search_box_and_f1_lists_the_shortcuts(qtbot: Any, harness: Harness) -> None:
    window = ready(qtbot, harness)
    key(Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # Ctrl+4: 诉求跟进
    assert window.pages.currentWidget() is window.requests
    key(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.worklist and focused() is window.worklist.search
    key(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # 企业名录 has a search box of its own
    key(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.register and focused() is window.register.search

    key(Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: dialog_of(window, ShortcutsDialog) is not None, timeout=5000)
    text = dialog_of(window, ShortcutsDialog).text.toPlainText()
    for shown in ("Ctrl+F", "F1", "Esc / Alt+←", "Ctrl+Enter", "Ctrl+Shift+S", "快捷键", "开始检查"):
        assert shown in text, shown


def test_tab_never_starts_in_the_status_bar(qtbot: Any, harness: Harness) -> None:
    window = ready(qtbot, harness)
    qtbot.waitUntil(lambda: window._sync_status is not None, timeout=5000)
    with qtbot.waitSignal(window.enterprise.sig_loaded, timeout=10_000):
        window.show_enterprise(harness.codes[0])
    window.enterprise.back_button.setFocus()
    bar = window.statusBar()
    for _ in range(30):  # round the whole chain: the status bar is never on it
        key(Qt.Key.Key_Tab)
        assert not bar.isAncestorOf(focused()), focused()


def test_a_visit_in_progress_is_on_top_and_enter_resumes_it(qtbot: Any, harness: Harness) -> None:
    window = ready(qtbot, harness)
    page = window.worklist
    code = harness.codes[3]
    started: list[Any] = []
    window.ctx.op(lambda job: job.services.visits.start(code, "ui-test", list(BADGES)), started.append)
    qtbot.waitUntil(lambda: bool(started), timeout=10_000)
    vid = started[0][0]
    qtbot.waitUntil(lambda: page.model.rowCount() == 5 and page.model.row(0).credit_code == code,
                    timeout=10_000)
    top = page.model.row(0)
    assert top.draft_visit_id == vid
    assert page.model.data(page.model.index(0, 1)).startswith("进行中")
    assert "进行中 1 项" in page.summary.text()

    page.search.setFocus()
    key(Qt.Key.Key_Down)
    assert page.start_button.text() == "继续检查"
    with qtbot.waitSignal(window.visit.sig_loaded, timeout=10_000):
        key(Qt.Key.Key_Return)  # one key resumes it: no dialog, no second visit
    assert window.visit.visit_id == vid and dialog_of(window, StartVisitDialog) is None


def test_starting_where_a_draft_exists_offers_to_resume_it(qtbot: Any, harness: Harness) -> None:
    window = ready(qtbot, harness)
    code = harness.codes[1]
    started: list[Any] = []
    window.ctx.op(lambda job: job.services.visits.start(code, "ui-test", list(BADGES)), started.append)
    qtbot.waitUntil(lambda: bool(started), timeout=10_000)
    vid = started[0][0]
    window.start_visit(code)  # 开始检查 on the enterprise (its page, or the list)
    qtbot.waitUntil(lambda: dialog_of(window, StartVisitDialog) is not None, timeout=5000)
    dialog = dialog_of(window, StartVisitDialog)
    qtbot.waitUntil(dialog.draft_frame.isVisible, timeout=10_000)
    assert "进行中的检查" in dialog.draft_label.text()
    assert dialog.resume_button.isDefault() and dialog.ok_button.text() == "仍新开一次检查"
    with qtbot.waitSignal(window.visit.sig_loaded, timeout=10_000):
        QTest.keyClick(dialog, Qt.Key.Key_Return)  # Enter resumes
    assert window.visit.visit_id == vid

    history: list[Any] = []
    window.ctx.run(lambda job: job.services.visits.history(code), history.append)
    qtbot.waitUntil(lambda: bool(history), timeout=10_000)
    assert [v.id for v in history[0]] == [vid]  # no second visit was started


def focus_pixels(widget: Any) -> int:
    """How many pixels of the widget are drawn in the focus colour."""
    from PySide6.QtGui import QColor

    from inspector_app.ui.style import FOCUS

    ring = QColor(FOCUS)
    image = widget.grab().toImage()
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if abs(image.pixelColor(x, y).red() - ring.red()) < 24
        and abs(image.pixelColor(x, y).green() - ring.green()) < 24
        and abs(image.pixelColor(x, y).blue() - ring.blue()) < 24
    )


def test_the_focus_is_ringed_on_buttons_fields_and_the_list(qtbot: Any, harness: Harness) -> None:
    window = ready(qtbot, harness)
    page = window.worklist
    for widget in (page.start_button, page.open_button, page.search, page.table):
        page.grid_box.setFocus()
        qtbot.waitUntil(page.grid_box.hasFocus, timeout=2000)
        without = focus_pixels(widget)
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus, timeout=2000)
        ring = focus_pixels(widget)
        # a ring all round: at least the widget's perimeter in the focus colour, none without focus
        assert without == 0 and ring >= widget.width() + widget.height(), (widget, without, ring)


def test_enter_in_the_search_box_starts_the_first_result(qtbot: Any, harness: Harness) -> None:
    window = ready(qtbot, harness)
    page = window.worklist
    assert focused() is page.search
    QTest.keyClicks(focused(), "tldz")  # 同乐电子: pinyin initials
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog_of(window, StartVisitDialog) is not None, timeout=5000)
    dialog = dialog_of(window, StartVisitDialog)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10_000)
    assert dialog.heading.text() == "深圳市同乐电子科技有限公司"
    dialog.reject()


def test_the_register_search_goes_down_into_its_results_and_enter_opens_one(
    qtbot: Any, harness: Harness
) -> None:
    window = ready(qtbot, harness)
    key(Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # 企业名录
    page = window.register
    assert focused() is page.search
    with qtbot.waitSignal(page.sig_searched, timeout=10_000):
        QTest.keyClicks(focused(), "blms")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    key(Qt.Key.Key_Down)
    assert focused() is page.table and page.table.currentIndex().row() == 0
    key(Qt.Key.Key_Tab)  # out of the table, not to its next cell
    assert focused() is not page.table and not page.table.isAncestorOf(focused())
    page.search.setFocus()
    with qtbot.waitSignal(window.enterprise.sig_loaded, timeout=10_000):
        key(Qt.Key.Key_Return)  # Enter opens the enterprise found
    assert window.enterprise.title_label.text() == "龙岗区宝龙美食小吃店"


def test_enter_on_a_recheck_row_starts_the_re_inspection(qtbot: Any, harness: Harness) -> None:
    import sqlite3
    from datetime import date, timedelta

    from tests.inspection.test_recheck_and_pages import completed_visit_with_finding

    window = ready(qtbot, harness)
    page = window.worklist
    code = harness.codes[2]
    done: list[Any] = []
    window.ctx.op(lambda job: completed_visit_with_finding(job, code), done.append, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert isinstance(done[0], str), done[0]
    # the finding's deadline has come (as days passing would bring it)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    with sqlite3.connect(harness.root / "inspector.db") as con:
        con.execute("UPDATE finding SET deadline = ?", (yesterday,))
    page.reload()
    qtbot.waitUntil(lambda: page.model.view_row_of(lambda w: w.credit_code == code) >= 0
                    and page.model.row(page.model.view_row_of(lambda w: w.credit_code == code)).recheck_due,
                    timeout=10_000)
    row = page.model.view_row_of(lambda w: w.credit_code == code)
    page._select_row(row)
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus, timeout=2000)
    assert page.start_button.text() == "开始复查"
    key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog_of(window, StartVisitDialog) is not None, timeout=5000)
    dialog = dialog_of(window, StartVisitDialog)
    assert dialog.recheck and dialog.windowTitle() == "开始复查"
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10_000)
    assert "待复查隐患" in dialog.forms_label.text()
    dialog.reject()


def test_esc_from_an_enterprise_with_unsaved_edits_asks_first(qtbot: Any, harness: Harness) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = ready(qtbot, harness)
    with qtbot.waitSignal(window.enterprise.sig_loaded, timeout=10_000):
        window.show_enterprise(harness.codes[0])
    phone = window.enterprise.fields["phone"]
    phone.setFocus()
    qtbot.waitUntil(phone.hasFocus, timeout=2000)
    phone.selectAll()
    QTest.keyClicks(phone, "13911112222")
    key(Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "discardEdits") is not None, timeout=5000)
    box = window.findChild(QMessageBox, "discardEdits")
    assert window.pages.currentWidget() is window.enterprise  # nothing dropped yet
    QTest.keyClick(box, Qt.Key.Key_Escape)  # 继续编辑
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "discardEdits") is None, timeout=5000)
    assert window.pages.currentWidget() is window.enterprise and phone.text() == "13911112222"

    window.enterprise.back_button.click()  # ← 返回 asks too; this time the edits are dropped
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "discardEdits") is not None, timeout=5000)
    box = window.findChild(QMessageBox, "discardEdits")
    discard = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    discard.click()
    assert window.pages.currentWidget() is window.worklist
    assert phone.text() == "13800138000"


def test_f1_on_a_visit_opens_the_help_at_the_visits_keys_and_the_keys_scroll_it(
    qtbot: Any, harness: Harness
) -> None:
    window = ready(qtbot, harness)
    page = window.worklist
    page.search.setFocus()
    key(Qt.Key.Key_Return)  # 开始检查 on the first row
    qtbot.waitUntil(lambda: dialog_of(window, StartVisitDialog) is not None, timeout=5000)
    dialog = dialog_of(window, StartVisitDialog)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10_000)
    with qtbot.waitSignal(window.visit.sig_loaded, timeout=10_000):
        key(Qt.Key.Key_Return)
    back_to(qtbot, window)
    window.visit.setFocus()
    key(Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: dialog_of(window, ShortcutsDialog) is not None, timeout=5000)
    help_dialog = dialog_of(window, ShortcutsDialog)
    text = help_dialog.text
    qtbot.waitUntil(lambda: text.verticalScrollBar().value() > 0, timeout=2000)  # at 检查, not 全局
    visit_keys = text.cursorRect(text.document().find("1 / 2 / 3"))  # where the 检查 keys are
    assert 0 <= visit_keys.top() < text.viewport().height() // 2, visit_keys
    for shown in ("Space / P", "Shift+Enter", "1 / 2 / 3", "已整改 / 未整改"):
        assert shown in text.toPlainText(), shown
    help_dialog.activateWindow()  # what a window manager does with a new dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is help_dialog, timeout=5000)
    assert focused() is text  # the keys scroll the text
    before = text.verticalScrollBar().value()
    key(Qt.Key.Key_PageUp)
    assert text.verticalScrollBar().value() < before
    key(Qt.Key.Key_Escape)
    assert dialog_of(window, ShortcutsDialog) is None


def test_tab_on_a_visit_stays_in_the_visit_and_never_lands_on_the_navigation(
    qtbot: Any, harness: Harness
) -> None:
    window = ready(qtbot, harness)
    window.worklist.search.setFocus()
    key(Qt.Key.Key_Return)  # 开始检查 on the first row
    qtbot.waitUntil(lambda: dialog_of(window, StartVisitDialog) is not None, timeout=5000)
    qtbot.waitUntil(dialog_of(window, StartVisitDialog).ok_button.isEnabled, timeout=10_000)
    with qtbot.waitSignal(window.visit.sig_loaded, timeout=10_000):
        key(Qt.Key.Key_Return)
    back_to(qtbot, window)
    qtbot.waitUntil(lambda: window.visit.isAncestorOf(focused()), timeout=5000)
    for _ in range(80):  # past the section's last item and round the whole chain
        key(Qt.Key.Key_Tab)
        assert focused() is not window.nav
        assert window.pages.currentWidget() is window.visit
    key(Qt.Key.Key_Escape)  # 返回: the navigation is on the chain again
    assert window.pages.currentWidget() is not window.visit
    assert window.nav.focusPolicy() == Qt.FocusPolicy.StrongFocus
