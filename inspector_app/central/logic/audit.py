"""The audit trail: who did what, when and from where.

Every security-relevant event goes through :func:`record` (logins, pushes, bundle imports, admin
actions); :func:`entries` is the one query the command line and the console read it with.
Entries are only ever added.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from inspector_app.central.db import tables as t
from inspector_app.central.logic.auth import now_utc
from inspector_app.domain.clock import as_utc

# The vocabulary of actions. Dotted: the part before the dot groups them in the console.
LOGIN = "login"
LOGIN_FAILED = "login.failed"
LOGIN_THROTTLED = "login.throttled"
LOGIN_UNLOCKED = "login.unlocked"
LOGOUT = "logout"
LOGOUT_ALL = "logout.all"
PUSH = "sync.push"
UPLOAD_REFUSED = "sync.upload_refused"
BUNDLE_IMPORT = "sync.bundle_import"
USER_ADDED = "admin.user_add"
USER_DISABLED = "admin.user_disable"
USER_ENABLED = "admin.user_enable"
PASSWORD_CHANGED = "admin.user_password"  # noqa: S105 - an action name, not a password
BADGE_CHANGED = "admin.user_badge"
USER_MOVED = "admin.user_move"
DEVICE_REVOKED = "admin.device_revoke"
TEAM_ADDED = "admin.team_add"
GRID_ADDED = "admin.grid_add"
ASSIGNED = "admin.assign"
UNASSIGNED = "admin.unassign"
REGISTER_IMPORTED = "admin.register_import"
FORM_PUBLISHED = "admin.form_publish"
CONFLICT_RESOLVED = "admin.conflict_resolve"
BACKUP = "admin.backup"
RESTORE = "admin.restore"

# Whoever runs `inspector-central` on the server's machine acts as this actor.
LOCAL_ACTOR = "(本机命令行)"
_MAX_DETAIL = 2000


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    action: str
    ok: bool
    actor: str
    subject: str
    address: str
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "action": self.action,
            "ok": self.ok,
            "actor": self.actor,
            "subject": self.subject,
            "address": self.address,
            "detail": self.detail,
        }


_INSERT = t.audit_log.insert()  # built once: every push writes a line


def record(
    conn: Connection,
    action: str,
    *,
    ok: bool = True,
    actor: str = "",
    subject: str = "",
    address: str = "",
    detail: str = "",
    at: datetime | None = None,
) -> None:
    """Add one entry in the caller's transaction (it is kept only if the action is)."""
    conn.execute(
        _INSERT,
        {
            "at": at or now_utc(),
            "action": action[:40],
            "ok": ok,
            "actor": actor[:100],
            "subject": subject[:200],
            "address": address[:64],
            # Bounded: an entry says what happened, it never stores what a client sent.
            "detail": detail[:_MAX_DETAIL],
        },
    )


def record_own(
    conn: Connection, action: str, username: str, *, address: str = "", detail: str = "",
    at: datetime | None = None,
) -> None:
    """An entry for what a user did to their own sessions (signing in, signing out): the actor is
    the subject."""
    record(conn, action, actor=username, subject=username, address=address, detail=detail, at=at)


def entries(
    conn: Connection,
    *,
    action: str | None = None,
    user: str | None = None,
    address: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    failed_only: bool = False,
    before_id: int | None = None,
    limit: int = 200,
) -> list[AuditEntry]:
    """Newest first. ``action`` matches exactly or as a group ("admin" matches "admin.*");
    ``user`` matches the actor or the subject; ``before_id`` pages back from an entry."""
    a = t.audit_log.c
    stmt = select(t.audit_log)
    if action:
        stmt = stmt.where((a.action == action) | a.action.startswith(f"{action}.", autoescape=True))
    if user:
        stmt = stmt.where((a.actor == user) | (a.subject == user))
    if address:
        stmt = stmt.where(a.address == address)
    if since is not None:
        stmt = stmt.where(a.at >= since)
    if until is not None:
        stmt = stmt.where(a.at < until)
    if failed_only:
        stmt = stmt.where(a.ok.is_(False))
    if before_id is not None:
        stmt = stmt.where(a.id < before_id)
    stmt = stmt.order_by(a.id.desc()).limit(max(1, min(limit, 10_000)))
    return [
        AuditEntry(
            id=int(r["id"]),
            at=as_utc(r["at"]),
            action=r["action"],
            ok=bool(r["ok"]),
            actor=r["actor"],
            subject=r["subject"],
            address=r["address"],
            detail=r["detail"],
        )
        for r in conn.execute(stmt).mappings()
    ]


