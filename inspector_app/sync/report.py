"""What a sync run tells its caller: the report of the run, its progress as it goes, and the flag
that asks it to stop (the GUI's worker, the command line, the tests read these)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

AbortFlag = Callable[[], bool] | threading.Event | None


@dataclass(frozen=True)
class SyncProgress:
    stage: str  # push / upload / pull
    done: int
    total: int
    message: str = ""


ProgressCallback = Callable[[SyncProgress], None] | None


@dataclass
class SyncReport:
    pushed: int = 0  # records the server answered accepted, exists or merged
    sent: int = 0  # entries that left the outbox (acknowledged, files and all)
    conflicts: int = 0
    quarantined: int = 0
    still_open: int = 0  # waiting or sending after this run (missing files, cut short …)
    files_uploaded: int = 0
    bytes_uploaded: int = 0
    changes_pulled: int = 0
    pages: int = 0
    purged: int = 0
    kept_for_unsynced_work: list[str] = field(default_factory=list)
    pulled_quarantined: list[str] = field(default_factory=list)  # pulled records set aside
    clock_skew_seconds: float | None = None
    bytes_sent: int = 0
    bytes_received: int = 0
    error: str = ""
    needs_login: bool = False
    aborted: bool = False
    retry_in: float | None = None
    number_blocks_received: int | None = None  # None: the office hands out no number blocks

    @property
    def ok(self) -> bool:
        return not self.error and not self.needs_login and not self.aborted


def aborted(flag: AbortFlag) -> bool:
    if flag is None:
        return False
    if isinstance(flag, threading.Event):
        return flag.is_set()
    return bool(flag())
