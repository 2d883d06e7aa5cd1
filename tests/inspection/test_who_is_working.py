"""Who is at the laptop: with nobody signed in, the inspector is chosen in the 开始检查 dialog and
remembered; the crew list then starts with that inspector, ticked, and their team."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from inspector_app.store import organisation
from inspector_app.store.workspace import Workspace
from inspector_app.ui.widgets.start_visit import SETTINGS_ME, StartVisitDialog
from tests.support.gui import BADGES, NAMES, TEAM, Harness

OTHERS = (("44030099001", "陈静", "第二检查组"), ("44030099002", "赵强", "第二检查组"),
          ("44030099003", "孙丽", TEAM))


def open_dialog(qtbot: Any, window: Any, code: str) -> Any:
    window.start_visit(code)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(StartVisitDialog)), timeout=5000)
    dialog = next(d for d in window.findChildren(StartVisitDialog) if d.isVisible())
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=10_000)
    return dialog


def crew_names(dialog: Any) -> list[str]:
    return [box.text().split("\u3000")[0] for box, _badge in dialog.crew]


def test_the_inspector_chosen_is_remembered_and_their_team_comes_first(qtbot: Any, harness: Harness) -> None:
    ws = Workspace.open(harness.root)
    try:
        with ws.session() as s:
            conn = s.connection()
            organisation.upsert_team(conn, "第二检查组")
            for badge, name, team in OTHERS:
                organisation.upsert_inspector(conn, badge, name, team=team)
    finally:
        ws.close()
    window: Any = harness.window
    dialog = open_dialog(qtbot, window, harness.codes[0])
    assert dialog.me_box.isEnabled()  # nobody signed in: the choice is made here
    dialog.me_box.setCurrentIndex(dialog.me_box.findData("44030099002"))  # 赵强 of 第二检查组
    names = crew_names(dialog)
    assert names[:2] == ["赵强", "陈静"]  # that inspector, then the team, then everyone else
    assert set(names[2:]) == {*NAMES, "孙丽"}
    ticked = [name for name, (box, _b) in zip(names, dialog.crew, strict=True) if box.isChecked()]
    assert "赵强" in ticked
    assert window.ctx.settings.value(SETTINGS_ME) == "44030099002"
    assert window.sync_status.account_button.text() == "赵强（未登录）"  # who is working, offline
    dialog.reject()

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    again = open_dialog(qtbot, window, harness.codes[1])  # remembered for the next visit
    assert again.me_box.currentData() == "44030099002"
    assert crew_names(again)[:2] == ["赵强", "陈静"]
    again.me_box.setCurrentIndex(again.me_box.findData(BADGES[1]))  # 李娜 of 第一检查组
    names = crew_names(again)
    assert names[0] == NAMES[1] and set(names[1:3]) == {NAMES[0], "孙丽"}
    again.reject()
