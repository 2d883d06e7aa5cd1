"""Login throttling: each wrong password makes the next attempt wait longer.

Per account: after ``login_free_failures`` failures since its last good login (or an admin's
unlock), each further attempt must wait ``login_backoff_seconds`` doubled per failure, up to
``login_backoff_max_seconds``. Per client address: ``login_address_failures`` failures (any
accounts) within ``login_window_seconds`` hold that address off until the window has passed.

The state is the audit trail itself (failures are recorded there anyway), so it survives a restart
and is shared by every worker. A held-off attempt is answered 429 with Retry-After without looking
at the password: it tells an attacker nothing, and costs the server no password hash.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import Connection, func, select

from inspector_app.central.core.config import Settings
from inspector_app.central.db import tables as t
from inspector_app.central.logic import audit
from inspector_app.domain.clock import as_utc

# Failures older than this no longer count against an account, whatever happened since.
_MEMORY = timedelta(days=1)


class Throttled(Exception):
    def __init__(self, retry_after: int, reason: str) -> None:
        super().__init__(reason)
        self.retry_after = retry_after  # seconds


def check(conn: Connection, username: str, address: str, now: datetime, settings: Settings) -> None:
    """Raise :class:`Throttled` when this account or this address must wait before trying again."""
    a = t.audit_log.c
    window_start = now - timedelta(seconds=settings.login_window_seconds)
    if address:
        from_address = conn.execute(
            select(func.count(), func.min(a.at)).where(
                a.action == audit.LOGIN_FAILED, a.address == address, a.at >= window_start
            )
        ).one()
        if from_address[0] >= settings.login_address_failures:
            oldest = as_utc(from_address[1])
            wait = (oldest + timedelta(seconds=settings.login_window_seconds) - now).total_seconds()
            raise Throttled(max(1, math.ceil(wait)), "该地址登录失败次数过多，请稍后再试")
    reset = conn.execute(
        select(func.max(a.at)).where(
            a.action.in_([audit.LOGIN, audit.LOGIN_UNLOCKED]), a.subject == username, a.ok.is_(True)
        )
    ).scalar_one_or_none()
    since = max(now - _MEMORY, as_utc(reset)) if reset is not None else now - _MEMORY
    failures, last = conn.execute(
        select(func.count(), func.max(a.at)).where(
            a.action == audit.LOGIN_FAILED, a.subject == username, a.at > since
        )
    ).one()
    excess = int(failures) - settings.login_free_failures
    if excess < 0 or last is None:
        return
    wait = min(settings.login_backoff_seconds * 2 ** min(excess, 40), settings.login_backoff_max_seconds)
    until = as_utc(last) + timedelta(seconds=wait)
    if until > now:
        wait_left = max(1, math.ceil((until - now).total_seconds()))
        raise Throttled(wait_left, "登录失败次数过多，账号暂时锁定，请稍后再试")


def unlock(conn: Connection, username: str, actor: str) -> None:
    """Forget an account's failures (an admin who knows the user is the one trying)."""
    audit.record(conn, audit.LOGIN_UNLOCKED, actor=actor, subject=username)


# A held-off attempt costs the attacker nothing: recording each would let a flood of them fill the
# disk. One entry per account and address per this many seconds says the same.
_HELD_OFF_EVERY = timedelta(seconds=60)


def record_held_off(conn: Connection, username: str, address: str, now: datetime, reason: str) -> None:
    a = t.audit_log.c
    recent = conn.execute(
        select(a.id)
        .where(
            a.action == audit.LOGIN_THROTTLED,
            a.subject == username[:200],
            a.address == address[:64],
            a.at > now - _HELD_OFF_EVERY,
        )
        .limit(1)
    ).first()
    if recent is None:
        audit.record(
            conn, audit.LOGIN_THROTTLED, ok=False, subject=username, address=address, detail=reason, at=now
        )
