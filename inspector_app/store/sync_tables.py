"""Laptop-side sync state: who is logged in to which server, where each pull stands, and why a
record waits, was quarantined or is in conflict.

The per-record state itself is ``Outbox.state`` (waiting/sending/sent/quarantined/conflict); the
rows here add what a sync page shows beside it: the server's reason and the files still missing.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class SyncAccount(SQLModel, table=True):
    """One inspector logged in on this laptop (several may share it); the token is in the keyring."""

    username: str = Field(primary_key=True)
    server_url: str
    display_name: str = ""
    badge_number: str = ""
    role: str = "inspector"
    team: str | None = None
    # Where the token is kept: "keyring" (the OS store) or "file" (the workspace, when no keyring works).
    token_store: str = "keyring"  # noqa: S105 - where the token is, not a token
    # The pull cursor (opaque, the server's) and the scope it belongs to.
    cursor: str = ""
    scope: str = ""
    last_push_at: datetime | None = None
    last_pull_at: datetime | None = None
    # Laptop clock minus server clock at the last exchange: shown, never a reason to refuse.
    clock_skew_seconds: float | None = None
    last_error: str = ""


class SyncRecord(SQLModel, table=True):
    """What the server last said about one outbox entry."""

    outbox_id: int = Field(primary_key=True, foreign_key="outbox.id")
    server_status: str = ""  # accepted / exists / merged / conflict / rejected / (empty: not answered)
    reason: str = ""
    missing_json: str = "[]"  # sha256 of files the server still lacks
    updated_at: datetime


class PulledQuarantine(SQLModel, table=True):
    """A record pulled from the office that this laptop could not take (a file that is not an
    image, a document failing its hash, a form whose name would leave the workspace …).

    It is set aside with the reason and the change as received, and the rest of the pull goes on:
    one bad record never stops a sync. The sync page lists these beside the refused outbox entries.
    """

    id: int | None = Field(default=None, primary_key=True)
    account: str
    kind: str = Field(index=True)  # visit / form / finding_event / request_follow_up …
    key: str  # the record's id (a visit id, "code@version" …)
    reason: str
    payload_json: str  # the change exactly as received, for the office to look into
    received_at: datetime
