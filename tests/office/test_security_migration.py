"""Migration 0003_security: its schema is the tables' schema, and badge numbers shared before it
are cleared (not left to let one user act as another), each clearing in the audit trail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from inspector_app.central.db import migrate
from inspector_app.central.db.engine import Database
from inspector_app.central.db.tables import metadata
from inspector_app.central.logic import audit
from tests.support.harness import Backend, create_pg_database, drop_pg_database


@pytest.fixture
def empty_url(backend: Backend, tmp_path: Path) -> Iterator[str]:
    """An empty database of the module's kind."""
    if backend.kind == "postgres":
        name = create_pg_database()
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
        drop_pg_database(name)
    else:
        yield f"sqlite:///{tmp_path / 'central.db'}"


def test_the_migrated_schema_is_the_schema_of_the_tables(empty_url: str):
    migrate.upgrade(empty_url)
    engine = create_engine(empty_url)
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    finally:
        engine.dispose()


def test_badges_shared_before_the_upgrade_are_cleared_and_audited(empty_url: str):
    migrate.upgrade(empty_url, "0002")
    engine = create_engine(empty_url)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO teams (name, created_at) VALUES ('一组', :now)"), {"now": now})
        for username, badge in (("wang", "4403001"), ("li", "4403001"), ("zhao", "4403002")):
            conn.execute(
                text(
                    "INSERT INTO users (username, display_name, badge_number, role, team, password_hash,"
                    " disabled, created_at) VALUES (:u, :u, :b, 'inspector', '一组', 'x', false, :now)"
                ),
                {"u": username, "b": badge, "now": now},
            )
    engine.dispose()
    migrate.upgrade(empty_url)
    db = Database(empty_url)
    try:
        with db.read() as conn:
            badges = dict(conn.execute(text("SELECT username, badge_number FROM users")).all())
            trail = audit.entries(conn, action=audit.BADGE_CHANGED)
        assert badges == {"wang": "", "li": "", "zhao": "4403002"}
        assert {e.subject for e in trail} == {"wang", "li"}
        assert "4403001" in trail[0].detail
    finally:
        db.dispose()
