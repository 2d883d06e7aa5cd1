"""The pull cursor never skips a change that commits after a later one."""

from __future__ import annotations

import threading
import time

from inspector_app.central.db.engine import Database
from inspector_app.central.logic import changes
from inspector_app.central.logic.auth import now_utc
from inspector_app.wire import format_cursor


def _read_all(db: Database, after: tuple[int, int], bucket: str) -> tuple[list[str], tuple[int, int]]:
    with db.read() as conn:
        rows = changes.read_page(conn, [bucket], after, 100)
    if rows:
        after = (rows[-1].txid, rows[-1].seq)
    return [r.key for r in rows], after


def test_two_writers_committing_out_of_order_are_both_pulled(backend):
    db = Database(backend.url)
    bucket = f"team:cursor-{time.time_ns()}"
    first_open = threading.Event()
    second_done = threading.Event()
    release_first = threading.Event()

    def first_writer() -> None:
        with db.write() as conn:
            changes.record(conn, [(bucket, "enterprise", "A-takes-its-number-first")], now_utc())
            first_open.set()
            release_first.wait(10)

    def second_writer() -> None:
        with db.write() as conn:  # SQLite: waits here for the first writer's lock
            changes.record(conn, [(bucket, "enterprise", "B-commits-first")], now_utc())
        second_done.set()

    a = threading.Thread(target=first_writer)
    a.start()
    assert first_open.wait(10)
    b = threading.Thread(target=second_writer)
    b.start()
    second_done.wait(1.0)
    seen_before, cursor = _read_all(db, (0, 0), bucket)
    # Whatever the database, the reader may not yet return B past A's uncommitted row.
    assert "A-takes-its-number-first" not in seen_before
    assert seen_before == []
    release_first.set()
    a.join()
    b.join()
    seen_after, cursor = _read_all(db, cursor, bucket)
    assert sorted(seen_before + seen_after) == ["A-takes-its-number-first", "B-commits-first"]
    assert format_cursor(*cursor)
    db.dispose()


def test_every_part_of_a_cursor_is_bounded_to_a_signed_64_bit_number(backend):
    """The attack: a cursor of 19 nines passed the wire's pattern and reached the database as an
    out-of-range integer (500). The wire itself now refuses it, so every reader of a cursor does."""
    import pytest

    from inspector_app.central.logic import pull
    from inspector_app.central.logic.changes import Reader
    from inspector_app.wire import Role, parse_cursor

    top = (1 << 63) - 1
    assert parse_cursor(f"{top}.{top}") == (top, top)
    for cursor in (f"{top + 1}.0", f"0.{top + 1}", "9999999999999999999.1", "0.9999999999999999999"):
        with pytest.raises(ValueError, match="out of range"):
            parse_cursor(cursor)
    db = Database(backend.url)
    try:
        with db.read() as conn, pytest.raises(ValueError, match="out of range"):
            reader = Reader("nobody", Role.INSPECTOR, "no-team")
            pull.page(conn, reader, "0.9999999999999999999", 10, now_utc())
    finally:
        db.dispose()
