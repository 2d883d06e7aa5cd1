"""The audit trail of the console: every change made through it, who made it and when.

One function records, so the whole console can be pointed at the server's shared audit trail
(``central/logic``) when it exists, by changing this module alone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select

from inspector_app.central.db import tables as t
from inspector_app.central.logic.auth import now_utc

MAX_DETAIL = 4000


def record(conn: Connection, username: str, action: str, target: str = "", detail: str = "") -> None:
    """Append one entry in the caller's transaction: the change and its record commit together."""
    conn.execute(
        t.console_audit.insert().values(
            at=now_utc(), username=username, action=action, target=target[:200], detail=detail[:MAX_DETAIL]
        )
    )


def entries(conn: Connection, *, offset: int = 0, limit: int = 100) -> tuple[int, list[dict[str, Any]]]:
    a = t.console_audit.c
    total = int(conn.execute(select(func.count()).select_from(t.console_audit)).scalar_one())
    rows = conn.execute(select(t.console_audit).order_by(a.id.desc()).offset(offset).limit(limit)).mappings()
    return total, [dict(r) for r in rows]
