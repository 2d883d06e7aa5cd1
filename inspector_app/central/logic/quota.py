"""The daily upload quota of each account (bytes received on the upload routes per UTC day)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from inspector_app.central.db import tables as t


def used(conn: Connection, user_id: int, day: date) -> int:
    q = t.upload_usage.c
    n = conn.execute(select(q.bytes).where(q.user_id == user_id, q.day == day)).scalar_one_or_none()
    return int(n or 0)


def add(conn: Connection, user_id: int, day: date, nbytes: int) -> None:
    if nbytes <= 0:
        return
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(t.upload_usage).values(user_id=user_id, day=day, bytes=nbytes)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["user_id", "day"], set_={"bytes": t.upload_usage.c.bytes + nbytes}
        )
    )
