"""开始检查: the checklists and the crew are shown whole where they fit, not two rows in a scroll box."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from inspector_app.store import organisation
from inspector_app.store.workspace import Workspace
from inspector_app.ui.widgets.start_visit import CREW_HEIGHT, FORMS_HEIGHT, StartVisitDialog
from tests.support.gui import Harness


def open_by_keyboard(qtbot: Any, window: Any) -> Any:
    qtbot.waitUntil(lambda: window.worklist.model.rowCount() > 0, timeout=10_000)
    window.worklist.search.setFocus()
    qtbot.keyClick(window.worklist.search, Qt.Key.Key_Return)  # the first row of 今日任务
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(StartVisitDialog)), timeout=5000)
    dialog = next(d for d in window.findChildren(StartVisitDialog) if d.isVisible())
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10_000)
    qtbot.wait(50)
    return dialog


def test_short_lists_are_shown_whole_and_long_ones_scroll_at_their_cap(qtbot: Any, harness: Harness) -> None:
    ws = Workspace.open(harness.root)
    try:
        with ws.session() as s:  # a crew of five: it fits below the cap, every name in view
            organisation.upsert_team(s.connection(), "第二检查组")
            for n in range(3):
                organisation.upsert_inspector(
                    s.connection(), f"4403009900{n}", f"检查员{n}", team="第二检查组"
                )
    finally:
        ws.close()
    window: Any = harness.window
    dialog = open_by_keyboard(qtbot, window)
    for area, cap, rows in ((dialog.forms_area, FORMS_HEIGHT, dialog.form_group.buttons()),
                            (dialog.crew_area, CREW_HEIGHT, [box for box, _ in dialog.crew])):
        assert rows
        content = sum(r.sizeHint().height() for r in rows)
        if content + 4 <= cap:  # it fits: every row visible, nothing to scroll
            assert area.verticalScrollBar().maximum() == 0, (area.height(), content)
            assert area.height() >= content, (area.height(), content)
        else:  # it scrolls, at its full cap
            assert area.height() >= cap - 1
    assert len(dialog.crew) == 5
    assert dialog.ok_button.icon().isNull()  # words on the buttons, no stock icons
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
