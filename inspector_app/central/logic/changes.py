"""The change log and the pull cursor that never skips a row committed late.

Every write that a laptop must learn about appends rows (bucket, kind, key) to ``change_log`` in
the same transaction. A pull returns the rows after the cursor in the laptop's buckets, reading
the current state of each key, page by page.

Why the cursor is safe:

* PostgreSQL hands out ``seq`` values at insert time, but transactions commit in any order: a
  reader that saw seq 12 committed could later miss seq 11 if it committed after. So each row
  also records its transaction id (``pg_current_xact_id()``), pages are ordered by (txid, seq),
  and a reader returns only rows whose txid is below ``pg_snapshot_xmin(pg_current_snapshot())``:
  every transaction below that horizon has finished, and every later writer gets a larger txid,
  so nothing can ever appear behind the cursor. A long transaction only delays rows, it never
  loses them.
* SQLite has one writer at a time and a write transaction holds the lock from its first write to
  its commit, so ``seq`` order is commit order and txid is always 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, or_, select, text, tuple_

from inspector_app.central.db import tables as t
from inspector_app.wire import Role

ALL = "all"  # forms: every laptop


def team_bucket(team: str) -> str:
    return f"team:{team}"


def team_visits_bucket(team: str) -> str:
    return f"teamvisits:{team}"


def user_bucket(username: str) -> str:
    return f"user:{username}"


@dataclass(frozen=True)
class Reader:
    """Who pulls: decides the buckets, hence the scope."""

    username: str
    role: Role
    team: str | None

    def buckets(self) -> list[str] | None:
        """None means every bucket (an admin sees all)."""
        if self.role is Role.ADMIN:
            return None
        out = [ALL, user_bucket(self.username)]
        if self.team:
            out.append(team_bucket(self.team))
            if self.role is Role.LEADER:
                out.append(team_visits_bucket(self.team))
        return out

    @property
    def scope(self) -> str:
        # A laptop whose user moved team or role starts its pull again from the beginning.
        return f"{self.role.value}/{self.team or '-'}/v1"


# The transaction's id, computed by PostgreSQL in the insert itself (no round trip of its own).
_APPEND = {
    "postgresql": t.change_log.insert().values(txid=text("pg_current_xact_id()::text::bigint")),
    "sqlite": t.change_log.insert().values(txid=0),
}


def record(conn: Connection, rows: Iterable[tuple[str, str, str]], now: datetime) -> None:
    """Append (bucket, kind, key) rows to the log inside the caller's transaction."""
    values = [{"bucket": b, "kind": k, "key": key, "created_at": now} for b, k, key in rows]
    if not values:
        return
    conn.execute(_APPEND[conn.dialect.name], values)


def record_enterprise(conn: Connection, enterprise_id: int, credit_code: str, now: datetime) -> None:
    """An enterprise changed: tell the team it is assigned to (if any)."""
    team = conn.execute(
        select(t.assignments.c.team).where(t.assignments.c.enterprise_id == enterprise_id)
    ).scalar_one_or_none()
    if team is not None:
        record(conn, [(team_bucket(team), "enterprise", credit_code)], now)


@dataclass(frozen=True)
class LogRow:
    seq: int
    txid: int
    bucket: str
    kind: str
    key: str


def read_page(
    conn: Connection, buckets: Sequence[str] | None, after: tuple[int, int], limit: int
) -> list[LogRow]:
    """Up to ``limit`` rows after the cursor (txid, seq), in cursor order, all of them final."""
    c = t.change_log.c
    after_txid, after_seq = after
    cond: list[Any] = [or_(c.txid > after_txid, and_(c.txid == after_txid, c.seq > after_seq))]
    if conn.dialect.name == "postgresql":
        cond.append(c.txid < text("pg_snapshot_xmin(pg_current_snapshot())::text::bigint"))
        cond.append(tuple_(c.txid, c.seq) > tuple_(after_txid, after_seq))
    if buckets is not None:
        cond.append(c.bucket.in_(list(buckets)))
    stmt = select(c.seq, c.txid, c.bucket, c.kind, c.key).where(*cond).order_by(c.txid, c.seq).limit(limit)
    return [LogRow(r.seq, r.txid, r.bucket, r.kind, r.key) for r in conn.execute(stmt)]
