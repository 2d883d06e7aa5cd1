"""The daily upload quota of each account (bytes received on the upload routes per UTC day)."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from inspector_app.central.db import tables as t

_q = t.upload_usage.c
_USED = select(_q.bytes).where(_q.user_id == bindparam("user_id"), _q.day == bindparam("day"))


def used(conn: Connection, user_id: int, day: date) -> int:
    n = conn.execute(_USED, {"user_id": user_id, "day": day}).scalar_one_or_none()
    return int(n or 0)


def add(conn: Connection, user_id: int, day: date, nbytes: int) -> None:
    if nbytes <= 0:
        return
    conn.execute(_adding(conn.dialect.name), {"user_id": user_id, "day": day, "bytes": nbytes})


@cache
def _adding(dialect: str) -> Any:
    stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(t.upload_usage)
    return stmt.on_conflict_do_update(
        index_elements=["user_id", "day"], set_={"bytes": t.upload_usage.c.bytes + stmt.excluded.bytes}
    )
