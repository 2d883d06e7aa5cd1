"""What the sync controller tells the status bar, the 同步 page and the login dialog: the state
of sync, one run's outcome, a login's answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:

    from inspector_app.sync.accounts import AccountInfo


class SyncState(StrEnum):
    IDLE = "idle"  # nothing to report yet
    OK = "ok"  # the last run succeeded
    SYNCING = "syncing"
    OFFLINE = "offline"
    UNREACHABLE = "unreachable"
    NO_ACCOUNT = "no_account"  # nobody logged in on this laptop (or nobody chosen)
    EXPIRED = "expired"  # the token was refused: log in again
    ERROR = "error"  # the server refused the run (the detail says why)
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class SyncStatus:
    """Everything the status widget shows; a new one is sent with every change."""

    state: SyncState = SyncState.IDLE
    account: AccountInfo | None = None
    waiting: int = 0
    stuck: int = 0  # quarantined or in conflict: the office has not taken them and will not by itself
    last_success: datetime | None = None  # aware
    stage: str = ""  # push / upload / pull while syncing
    done: int = 0
    total: int = 0
    error: str = ""  # the full message, for the tooltip
    retry_at: datetime | None = None  # when the next automatic attempt is due


@dataclass(frozen=True)
class SyncOutcome:
    """What one run (or one failed probe) ended with."""

    state: SyncState
    error: str = ""
    pushed: int = 0
    sent: int = 0
    pulled: int = 0
    conflicts: int = 0
    quarantined: int = 0
    still_open: int = 0
    retry_in: float | None = None


@dataclass(frozen=True)
class LoginAnswer:
    ok: bool
    message: str = ""
    username: str = ""
    display_name: str = ""
    token_store: str = ""
