"""The status bar says one thing at a time, and only what is true: no "已全部同步" before anything was
synced or while the office refused records, no "在线" for a server nobody configured, and no
"正在生成演示工作区…" once it is done (tests/workspace/test_workspace_start.py)."""

from __future__ import annotations

import sqlite3
from typing import Any

from tests.support.gui import Harness


def test_nothing_synced_yet_is_not_all_synced_and_a_quarantined_record_is_said(
    qtbot: Any, harness: Harness
) -> None:
    window: Any = harness.window
    status = window.sync_status
    qtbot.waitUntil(lambda: window.sync._started, timeout=10_000)
    texts = [status.state_label.text(), status.waiting_label.text()]
    assert "已全部同步" not in texts, texts  # never synced: "尚未同步"/"未登录" alone
    assert "在线" not in window.network_label.text()

    # an edit of the register waits for the office …
    code = harness.codes[0]
    done: list[Any] = []
    window.ctx.op(lambda job: job.services.register.edit(code, {"phone": "13900139000"}),
                  done.append, done.append)
    qtbot.waitUntil(lambda: status.waiting_label.text() == "待同步 1 条", timeout=10_000)

    # … and is refused by it (what a sync run records): the bar says so, never "已全部同步"
    with sqlite3.connect(harness.root / "inspector.db") as con:
        con.execute("UPDATE outbox SET state = 'quarantined' WHERE state = 'waiting'")
    window.sync.refresh_waiting()
    qtbot.waitUntil(lambda: status.waiting_label.text() == "1 条未被接收", timeout=10_000)
    assert status.waiting_label.property("problem") is True
