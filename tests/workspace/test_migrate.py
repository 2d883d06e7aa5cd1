"""The schema's revisions, read without Alembic, are Alembic's own; opening a current workspace
does not import Alembic."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from inspector_app.store import migrate

ROOT = Path(__file__).resolve().parents[2]


def alembic_view() -> tuple[str | None, dict[str, str | None]]:
    script = ScriptDirectory.from_config(migrate.alembic_config(Path("unused.db")))
    chain = {}
    for rev in script.walk_revisions():
        down = rev.down_revision
        assert down is None or isinstance(down, str), "a merge revision: teach revision_chain"
        chain[rev.revision] = down
    return script.get_current_head(), chain


def test_head_and_chain_are_alembics() -> None:
    head, chain = alembic_view()
    assert migrate.head_revision() == head
    assert migrate.revision_chain() == chain
    assert migrate.known_revisions() == set(chain)


def test_two_heads_are_an_error_that_names_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "a.py").write_text('revision: str = "a"\ndown_revision: str | None = None\n', "utf-8")
    (versions / "b.py").write_text('revision = "b"\ndown_revision = "a"\n', "utf-8")
    (versions / "c.py").write_text('revision = "c"\ndown_revision = "a"\n', "utf-8")
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", tmp_path)
    with pytest.raises(RuntimeError, match=r"2 heads: \['b', 'c'\]"):
        migrate.head_revision()


def test_opening_a_current_workspace_does_not_import_alembic(tmp_path: Path) -> None:
    from inspector_app.store.workspace import Workspace

    Workspace.open(tmp_path / "ws", create=True).close()
    code = ("import sys; from pathlib import Path; from inspector_app.store.workspace import Workspace; "
            f"Workspace.open(Path({str(tmp_path / 'ws')!r}), create=False).close(); "
            "print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False", out.stderr


def _everything(db: Path) -> tuple[list[tuple[str, str, str]], dict[str, list[tuple[object, ...]]]]:
    """Every schema object (type, name, SQL) and the rows of every table but FTS5's index pages."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        objects = sorted(con.execute("SELECT type, name, coalesce(sql, '') FROM sqlite_master").fetchall())
        rows = {}
        for _type, name, _sql in objects:
            if _type == "table" and not name.endswith(("_data", "_idx")) and not name.startswith("sqlite_"):
                rows[name] = sorted(con.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
        return objects, rows
    finally:
        con.close()


def test_a_new_workspace_made_from_the_written_schema_is_the_one_the_migrations_make(tmp_path: Path) -> None:
    """head_schema.sql is the migrations' work written out (a new workspace is made from it, without
    Alembic); when a migration is added, this fails until the file is written again with
    `.venv/bin/python -m inspector_app.store.migrate`."""
    script = migrate.HEAD_SCHEMA.read_text(encoding="utf-8")
    assert script.startswith(migrate.SCHEMA_HEADER.format(head=migrate.head_revision())), (
        "head_schema.sql is behind the migrations: run `.venv/bin/python -m inspector_app.store.migrate`"
    )
    migrated, created = tmp_path / "migrated.db", tmp_path / "created.db"
    migrate.upgrade(migrated)
    migrate.create(created)
    assert _everything(created) == _everything(migrated)
    assert migrate.schema_state(created).current == migrate.head_revision()


def test_a_written_schema_behind_the_migrations_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = tmp_path / "head_schema.sql"
    stale.write_text("-- workspace schema at revision 0001, old\nCREATE TABLE wrong (x);\n", "utf-8")
    monkeypatch.setattr(migrate, "HEAD_SCHEMA", stale)
    migrate.create(tmp_path / "ws.db")
    objects, _rows = _everything(tmp_path / "ws.db")
    assert "wrong" not in {name for _type, name, _sql in objects}
    assert migrate.schema_state(tmp_path / "ws.db").current == migrate.head_revision()


def test_a_schema_that_fails_half_way_leaves_no_table_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "head_schema.sql"
    header = migrate.SCHEMA_HEADER.format(head=migrate.head_revision())
    broken.write_text(header + "CREATE TABLE first (x);\nCREATE TABLE first (x);\n", "utf-8")
    monkeypatch.setattr(migrate, "HEAD_SCHEMA", broken)
    with pytest.raises(sqlite3.OperationalError, match="already exists"):
        migrate.create(tmp_path / "ws.db")
    objects, _rows = _everything(tmp_path / "ws.db")
    assert objects == []
