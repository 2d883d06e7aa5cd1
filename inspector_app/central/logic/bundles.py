"""Importing a sync bundle carried from a laptop: the same checks and answers as a network push."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import push as logic
from inspector_app.central.logic.auth import Principal, now_utc
from inspector_app.central.logic.files import FileStore, register_file
from inspector_app.wire import ItemResult, Role
from inspector_app.wire.bundle import BundleError, BundleReader


def import_bundle(db: Database, store: FileStore, path: Path) -> list[ItemResult]:
    """Files first (each checked against its sha256), then the records in one transaction."""
    with BundleReader(path) as bundle:
        header = bundle.header
        with db.read() as conn:
            user = (
                conn.execute(select(t.users).where(t.users.c.username == header.account)).mappings().first()
            )
        if user is None:
            raise BundleError(f"同步包属于用户 {header.account}，办公室没有该用户")
        if user["disabled"]:
            raise BundleError(f"同步包属于已停用的用户 {header.account}")
        principal = Principal(
            user_id=int(user["id"]),
            username=user["username"],
            display_name=user["display_name"],
            badge_number=user["badge_number"],
            role=Role(user["role"]),
            team=user["team"],
            token_id=0,
            device_id=header.device_id,
        )
        now = now_utc()
        for sha in bundle.iter_files():
            data = bundle.read_file(sha)
            store.put_whole(sha, data)
            with db.write() as conn:
                register_file(conn, sha, len(data), now)
        skew = (header.batch.client_time - now).total_seconds()
        with db.write() as conn:
            results = logic.push(conn, principal, header.batch, now, skew)
            for sha in bundle.iter_files():
                logic.visits_completed_by_file(conn, sha, now)
        return results
