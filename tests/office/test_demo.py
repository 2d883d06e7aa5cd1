"""``inspector-central demo`` builds its office through the same door as the laptops, on both
databases: every visit is complete by its published form and accepted (the demo stops at the
first refusal), except the one incomplete record it sends on purpose for the reviewers."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from inspector_app.central.console import demo, refusals
from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database
from inspector_app.central.logic.files import FileStore
from tests.support.harness import BACKENDS, drop_backend, make_backend
from tests.support.server_fixtures import postgres_turn


@pytest.mark.parametrize("kind", BACKENDS)
def test_the_demo_passes_the_servers_validation(kind: str, tmp_path: Path) -> None:
    with postgres_turn(kind):
        backend = make_backend(kind, tmp_path)
        db = Database(backend.url)
        try:
            settings = backend.settings()
            summary = demo.create(db, FileStore(settings.files_dir, settings.uploads_dir), days=3)
            with db.read() as conn:
                stored = conn.execute(select(func.count()).select_from(t.visits)).scalar_one()
                unreceived = conn.execute(
                    select(func.count()).select_from(t.visits).where(t.visits.c.received_at.is_(None))
                ).scalar_one()
                total, refused = refusals.recent(conn)
        finally:
            db.dispose()
            drop_backend(backend)
    assert stored == summary.visits > 0
    assert unreceived == 0  # every file each record cites is on the server
    assert total == 1 and "未填写" in refused[0].reason
