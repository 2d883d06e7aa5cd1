"""今日任务: the due list loads after the window is shown and the search narrows it per keystroke."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.support.gui import Harness


def shown_names(page) -> list[str]:  # type: ignore[no-untyped-def]
    return [page.model.row(i).name for i in range(page.model.rowCount())]


def test_search_narrows_the_worklist(qtbot, harness: Harness) -> None:  # type: ignore[no-untyped-def]
    page = harness.window.worklist  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=10_000)
    page.search.setFocus()
    # QTest types ASCII only; Chinese arrives from the input method as text, one character at a time
    with qtbot.waitSignal(page.sig_filtered, timeout=5000):
        for ch in "同乐":
            page.search.insert(ch)
    qtbot.waitUntil(lambda: shown_names(page) == ["深圳市同乐电子科技有限公司"], timeout=5000)

    # pinyin initials: 宝龙 → bl; every keystroke refilters, a superseded one never shows
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=5000)
    QTest.keyClicks(page.search, "blms")
    qtbot.waitUntil(lambda: shown_names(page) == ["龙岗区宝龙美食小吃店"], timeout=5000)
    QTest.keyClick(page.search, Qt.Key.Key_Backspace)
    QTest.keyClick(page.search, Qt.Key.Key_Backspace)
    # "bl" widens again: every address is in 宝龙街道 (bljd)
    qtbot.waitUntil(lambda: len(shown_names(page)) == 5, timeout=5000)


def test_filters_and_sorting(qtbot, harness: Harness) -> None:  # type: ignore[no-untyped-def]
    page = harness.window.worklist  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=10_000)
    page.grid_box.setCurrentIndex(page.grid_box.findData("同乐网格"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=5000)
    page.grid_box.setCurrentIndex(0)
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=5000)
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    names = shown_names(page)
    assert names == sorted(names, reverse=True)


def test_english_is_switchable_and_remembered(qtbot, harness: Harness) -> None:  # type: ignore[no-untyped-def]
    app = harness.app
    window = harness.window
    assert window.nav.item(0).text() == "今日任务"  # type: ignore[attr-defined]
    app.switch_language("en")  # type: ignore[attr-defined]
    new = app.window  # type: ignore[attr-defined]
    assert new.nav.item(0).text() == "Today"
    assert app.settings.value("ui/lang") == "en"  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: new.worklist.model.rowCount() == 5, timeout=10_000)
    assert new.worklist.model.headerData(0, Qt.Orientation.Horizontal) == "Enterprise"
    new.close()


def test_a_keystroke_that_changes_the_rows_drops_the_chosen_row(qtbot, harness: Harness) -> None:  # type: ignore[no-untyped-def]
    # Enter in the search box then starts the first result, not a row chosen among the old ones.
    page = harness.window.worklist  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=10_000)
    page.table.selectRow(3)
    assert page.current_item() is not None
    QTest.keyClicks(page.search, "tl")
    qtbot.waitUntil(lambda: shown_names(page) == ["深圳市同乐电子科技有限公司"], timeout=5000)
    assert page.current_item() is None
    assert not page.table.currentIndex().isValid()


def test_the_table_paints_text_colour_and_selection_itself(qtbot, harness: Harness) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor, QPalette

    from inspector_app.ui import style

    page = harness.window.worklist  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=10_000)
    table = page.table
    table.setFocus()
    table.selectRow(1)
    image = table.viewport().grab().toImage()

    def colours(row: int, column: int) -> set[str]:
        rect = table.visualRect(page.model.index(row, column))
        y = rect.center().y()
        return {QColor(image.pixel(x, y)).name() for x in range(rect.left() + 1, rect.right() - 1)}

    highlight = table.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight).name()
    assert highlight in colours(1, 4)  # the chosen row is drawn selected
    assert highlight not in colours(0, 4)
    assert len(colours(0, 0)) > 2  # the name is drawn (more than paper and anti-aliasing)
    # every row is overdue: the due date is in the overdue colour, except on the selected row
    overdue = QColor(style.OVERDUE_TEXT)

    def reddish(row: int, column: int) -> bool:
        return any(abs(QColor(c).red() - overdue.red()) < 30 and abs(QColor(c).green() - overdue.green()) < 30
                   for c in colours(row, column))

    assert reddish(0, 2) and not reddish(1, 2)


def test_a_search_typed_before_the_index_is_made_is_answered_when_it_arrives(
    qtbot, harness: Harness, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    import threading

    from inspector_app.ui.pages import worklist

    page = harness.window.worklist  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.model.rowCount() == 5 and page._data.texts is not None, timeout=10_000)
    release = threading.Event()
    make = worklist.index_worklist

    def held(job, items):  # type: ignore[no-untyped-def]
        release.wait(10)
        return make(job, items)

    monkeypatch.setattr(worklist, "index_worklist", held)
    page.reload()  # as after a change to the register: the rows come first, the index after
    qtbot.waitUntil(lambda: page._data.texts is None, timeout=10_000)
    assert page.model.rowCount() == 5  # shown before the index is made
    QTest.keyClicks(page.search, "tl")
    qtbot.wait(100)
    assert page.model.rowCount() == 5  # nothing is filtered without the index...
    release.set()
    # ...and the query already typed is answered as soon as it is made
    qtbot.waitUntil(lambda: shown_names(page) == ["深圳市同乐电子科技有限公司"], timeout=5000)


def test_sorting_keeps_the_chosen_row_on_the_same_enterprise(qtbot, harness: Harness) -> None:  # type: ignore[no-untyped-def]
    page = harness.window.worklist  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=10_000)
    page.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    page.table.selectRow(0)
    chosen = page.current_item()
    assert chosen is not None
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # the first row becomes the last
    assert page.current_item() == chosen
    assert page.table.selectionModel().selectedRows()[0].row() == shown_names(page).index(chosen.name)
