"""A scripted driver for the real app, for tests that must run it in its own process (the crash
test, the start-up benchmark). Test code only: the product carries no hook for it.

Run the app as ``python -m tests.support.scripted [inspector-app arguments]`` from the repository root;
``INSPECTOR_TEST_SCRIPT`` names a JSON list of steps, run in order once the window is up:

  {"wait": "painted"}                       wait until the main window has been painted once
  {"wait": "workspace"}                     wait until the workspace is open
  {"wait": "worklist"}                      wait until 今日任务 shows rows
  {"open_visit": "<visit id>"}              show a visit and wait until it is loaded
  {"key": "1"} / {"key": "Return"}          a key press to the focused widget
  {"wait": "saved"}                         wait until every answer given so far is on disk
  {"say": "text"}                           print a line to stdout (the parent reads it)
  {"idle": true}                            stop here and keep running (to be killed)

After each answer reaches the disk the driver prints ``SAVED <item key>``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from inspector_app.ui.main_window import MainWindow

POLL_MS = 10


def _say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


class ScriptRunner(QObject):
    def __init__(self, window: MainWindow, script: Path) -> None:
        super().__init__(window)
        self.window = window
        self.steps: list[dict[str, Any]] = json.loads(script.read_text(encoding="utf-8"))
        self.opened = False
        self.loaded = False
        self.painted = False
        # One timer drives the steps, so an early wake-up (the first paint) never starts a second chain.
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._next)
        window.installEventFilter(self)
        window.sig_workspace_opened.connect(lambda _w: setattr(self, "opened", True))
        self._visit_hooked = False  # the visit page is made when first shown, not at start-up

    def _hook_visit(self) -> None:
        if not self._visit_hooked:
            self._visit_hooked = True
            self.window.visit.sig_loaded.connect(lambda: setattr(self, "loaded", True))
            self.window.visit.sig_saved.connect(lambda key: _say(f"SAVED {key}"))

    def start(self) -> None:
        self._timer.start(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.painted and watched is self.window and event.type() == QEvent.Type.Paint:
            self.painted = True
            # The next step runs once the event loop is back, not a poll later; queued the way the
            # bare window of the start-up benchmark queues its own, so both are timed alike.
            self._timer.stop()
            QTimer.singleShot(0, self._next)
        return False

    def _next(self) -> None:
        if not self.steps:
            _say("DONE")
            return
        step = self.steps[0]
        if not self._ready(step):
            self._timer.start(POLL_MS)
            return
        self.steps.pop(0)
        if step.get("idle"):
            _say("IDLE")
            return
        self._do(step)
        if "wait" in step and self.steps and "say" in self.steps[0]:
            self._next()  # say a met wait in the same turn: the parent times it
            return
        self._timer.start(0 if "wait" in step else POLL_MS)  # a met wait goes straight on

    def _ready(self, step: dict[str, Any]) -> bool:
        wait = step.get("wait")
        if wait == "painted":
            return self.painted
        if wait == "workspace":
            return self.opened
        if wait == "saved":
            return not self._visit_hooked or self.window.visit.pending == 0
        if wait == "visit":
            return self.loaded
        if wait == "worklist":
            return self.window.worklist.model.rowCount() > 0
        return True

    def _do(self, step: dict[str, Any]) -> None:
        if "open_visit" in step:
            self._hook_visit()
            self.loaded = False
            self.window.show_visit(str(step["open_visit"]))
            self.steps.insert(0, {"wait": "visit"})
        elif "key" in step:
            from PySide6.QtCore import Qt
            from PySide6.QtTest import QTest

            target = QApplication.focusWidget() or self.window
            key = step["key"]
            code = getattr(Qt.Key, f"Key_{key}")
            QTest.keyClick(target if isinstance(target, QWidget) else self.window, code)
        elif "say" in step:
            _say(str(step["say"]))
        elif "quit" in step:
            QApplication.quit()


def main(argv: list[str]) -> int:
    """The app exactly as ``inspector_app.cli`` starts it, with the script's runner on its window."""
    from inspector_app.cli.main import build_parser, parse_plain_start
    from inspector_app.ui import app

    args = parse_plain_start(argv) or build_parser().parse_args(argv)
    script = Path(os.environ["INSPECTOR_TEST_SCRIPT"])
    return app.run(args, on_window=lambda window: ScriptRunner(window, script).start())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
