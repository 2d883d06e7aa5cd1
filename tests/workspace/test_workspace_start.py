"""The workspace stays where the user put it: ``inspector-app --workspace DIR`` then 演示 fills DIR,
and the same command started again reopens it."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from inspector_app.cli.main import parse_plain_start
from tests.support.gui import REAL_FORMS


def start_app(qtbot: Any, argv: list[str]) -> Any:
    """The desktop app as ``inspector-app ARGV`` starts it (without entering qapp.exec())."""
    from inspector_app.ui.app import Application, load_fonts, make_application
    from inspector_app.ui.style import STYLESHEET

    args = parse_plain_start(argv)
    assert args is not None and args.command is None
    qapp = make_application([])
    load_fonts()
    qapp.setStyleSheet(STYLESHEET)
    application = Application(args, qapp)
    window = application.start()
    qtbot.addWidget(window)
    return application


def test_the_demo_goes_into_the_given_folder_and_is_reopened_by_the_same_command(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from inspector_app.ui.start_dialog import StartDialog

    monkeypatch.setenv("INSPECTOR_FORMS_DIR", str(REAL_FORMS))
    ws = tmp_path / "x" / "ws"
    argv = ["--workspace", str(ws)]
    application = start_app(qtbot, argv)
    window = application.window
    try:
        qtbot.waitUntil(lambda: window.findChild(StartDialog) is not None, timeout=20_000)
        dialog = window.findChild(StartDialog)
        assert any(str(ws) in label.text() for label in dialog.findChildren(QLabel))
        # the keyboard starts on the demo button: Enter (Space for a focused button) chooses it
        qtbot.waitUntil(lambda: dialog.demo_button.hasFocus() or QApplication.focusWidget() is None,
                        timeout=2000)
        with qtbot.waitSignal(window.sig_workspace_opened, timeout=240_000) as opened:
            QTest.keyClick(dialog.demo_button, Qt.Key.Key_Space)
        assert opened.args[0].root == ws
        assert opened.args[0].enterprises > 0
        assert (ws / "inspector.db").exists() and not (tmp_path / "x" / "demo").exists()
        # the status bar no longer says the demo is being made
        assert "演示" not in window.statusBar().currentMessage()
        assert not window.progress.isVisible()
        # the demo's register was written in bulk: its pinyin is indexed after, between other jobs
        qtbot.waitUntil(lambda: window.pinyin_indexer is not None and not window.pinyin_indexer.running,
                        timeout=60_000)
        with sqlite3.connect(f"file:{ws / 'inspector.db'}?mode=ro", uri=True) as db:
            assert db.execute("SELECT count(*) FROM pinyin_pending").fetchone() == (0,)
            indexed = db.execute("SELECT count(*) FROM enterprise_pinyin_fts WHERE enterprise_pinyin_fts "
                                 "MATCH '\"shenzhen\"'").fetchone()[0]
            written = db.execute(
                "SELECT count(*) FROM enterprise WHERE pinyin_text LIKE '%shenzhen%'").fetchone()[0]
        assert indexed == written > 0
    finally:
        window.close()
        application.shutdown()

    again = start_app(qtbot, argv)
    try:
        with qtbot.waitSignal(again.window.sig_workspace_opened, timeout=30_000) as reopened:
            pass
        assert reopened.args[0].root == ws and reopened.args[0].enterprises == opened.args[0].enterprises
        assert again.window.findChild(StartDialog) is None
    finally:
        again.window.close()
        again.shutdown()
