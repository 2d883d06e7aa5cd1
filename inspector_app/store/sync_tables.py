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
