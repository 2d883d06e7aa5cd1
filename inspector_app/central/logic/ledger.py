"""Bookkeeping writes gathered and committed together: the audit line of each push and the bytes
each account uploaded (its daily quota).

Each of those was a write transaction of its own after every request: on SQLite, where writers
take turns and every commit waits for the disk (``synchronous=FULL``), that was two of the four
commits of a visit. Here they are queued in memory and one background thread per worker process
commits whatever has gathered, at most ``interval`` seconds after it arrived, in one transaction.

What this costs: a worker killed hard loses at most the last ``interval`` of these lines and
counts (the push itself is committed and answered before its audit line is queued, as before).
A worker's own uploads not yet committed still count against the quota it checks
(``pending_bytes``); another worker sees them ``interval`` later, so an account can pass its
quota by at most what it uploads in that time.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import date, datetime

from inspector_app.central.db.engine import Database
from inspector_app.central.logic import audit, quota
from inspector_app.central.logic.auth import now_utc

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _AuditLine:
    action: str
    ok: bool
    actor: str
    address: str
    detail: str
    at: datetime


class Ledger:
    def __init__(self, db: Database, interval: float = 0.1) -> None:
        self.db = db
        self.interval = interval
        self._lock = threading.Lock()
        self._lines: list[_AuditLine] = []
        self._bytes: dict[tuple[int, date], int] = {}
        self._flushing: dict[tuple[int, date], int] = {}
        self._wake = threading.Event()
        self._closed = False
        self._thread: threading.Thread | None = None

    def audit(self, action: str, *, ok: bool, actor: str, address: str, detail: str) -> None:
        with self._lock:
            self._lines.append(_AuditLine(action, ok, actor, address, detail, now_utc()))
        self._started()

    def count_upload(self, user_id: int, day: date, nbytes: int) -> None:
        if nbytes <= 0:
            return
        with self._lock:
            self._bytes[user_id, day] = self._bytes.get((user_id, day), 0) + nbytes
        self._started()

    def pending_bytes(self, user_id: int, day: date) -> int:
        """Bytes of ``user_id`` counted here and not yet committed."""
        with self._lock:
            return self._bytes.get((user_id, day), 0) + self._flushing.get((user_id, day), 0)

    def flush(self) -> None:
        """Commit everything gathered so far in one transaction (kept for the next try if it fails)."""
        with self._lock:
            lines, self._lines = self._lines, []
            counts, self._bytes = self._bytes, {}
            self._flushing = counts
        if not lines and not counts:
            return
        try:
            with self.db.write() as conn:
                for line in lines:
                    audit.record(
                        conn,
                        line.action,
                        ok=line.ok,
                        actor=line.actor,
                        address=line.address,
                        detail=line.detail,
                        at=line.at,
                    )
                for (user_id, day), n in counts.items():
                    quota.add(conn, user_id, day, n)
        except Exception:  # a busy or unreachable database: nothing is lost, the next flush retries
            _log.exception("bookkeeping could not be written; kept for the next try")
            with self._lock:
                self._lines[:0] = lines
                for key, n in counts.items():
                    self._bytes[key] = self._bytes.get(key, 0) + n
        finally:
            with self._lock:
                self._flushing = {}

    def close(self) -> None:
        """Stop the thread and commit what is left (the server is shutting down)."""
        self._closed = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(30)
        self.flush()

    def _started(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None and not self._closed:
                    self._thread = threading.Thread(target=self._run, name="ledger", daemon=True)
                    self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._closed:
                return
            time.sleep(self.interval)  # let the lines of the moment gather
            self.flush()
