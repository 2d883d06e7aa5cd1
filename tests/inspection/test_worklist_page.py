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
