"""Indexing the pinyin an import left for later, between the user's own storage jobs.

An import (or a demo workspace, or a workspace upgraded to migration 0008) indexes the written
name, code and address of its rows at once and lists their pinyin as pending, so an import does
no more indexing than the plain reference does (bench/bench_register.py). This keeps the rest out
of the user's way: one step of ``PINYIN_ROWS`` enterprises per storage job (~0.08 s), queued again
until none is left, so any job the user starts runs between two steps. A pinyin search finds the
pending rows meanwhile, by a scan (store.search).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from inspector_app.services.changes import Changes
from inspector_app.ui.context import UiContext
from inspector_app.ui.taskman import Job

log = logging.getLogger(__name__)


class PinyinIndexer(QObject):
    """Runs the catch-up after a workspace opens and after each change of the register."""

    sig_pending = Signal(int)  # enterprises whose pinyin is still to index, after each step

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.running = False
        ctx.sig_changed.connect(self._on_changed)

    def start(self) -> None:
        """Index what is pending (a no-op while a catch-up runs: it picks new rows up itself)."""
        if not self.running:
            self.running = True
            self._step()

    def _on_changed(self, changes: Changes) -> None:
        if changes.register:
            self.start()

    def _step(self) -> None:
        try:
            self.ctx.run(_index_step, self._stepped, self._failed)
        except RuntimeError:  # the window is closing: the next opening picks the rest up
            self.running = False

    def _stepped(self, pending: int) -> None:
        self.sig_pending.emit(pending)
        if pending:
            self._step()
        else:
            self.running = False

    def _failed(self, exc: BaseException) -> None:
        # Nothing is lost: the rows stay pending and are found by the scan; the next opening or
        # import tries again. Not shown as an error: the user asked for nothing.
        log.warning("pinyin index catch-up stopped: %s", exc)
        self.running = False


def _index_step(job: Job) -> int:
    return job.services.register.index_pending_pinyin()
