"""Alembic, driven from code: the app migrates its own workspace on open.

Alembic is imported only to migrate. Whether a workspace is current is read from the migration
scripts' own ``revision`` / ``down_revision`` lines: importing Alembic costs a quarter to a third
of a second, on every open, for a workspace that nearly always is current. A test holds this
reading to Alembic's.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

_ASSIGNMENT = re.compile(r'^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(?:"([^"]*)"|None)', re.MULTILINE)


def alembic_config(db_path: Path) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{db_path}")
    return cfg


def revision_chain() -> dict[str, str | None]:
    """Each migration script's revision and the one it follows (None for the first)."""
    chain: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found = {m.group(1): m.group(2) for m in _ASSIGNMENT.finditer(path.read_text(encoding="utf-8"))}
        if found.get("revision"):
            chain[str(found["revision"])] = found.get("down_revision")
    return chain


def head_revision() -> str:
    chain = revision_chain()
    heads = set(chain) - {down for down in chain.values() if down}
    if len(heads) != 1:
        raise RuntimeError(f"the migrations in {MIGRATIONS_DIR} have {len(heads)} heads: {sorted(heads)}")
    return heads.pop()


def known_revisions() -> set[str]:
    return set(revision_chain())


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str
    newer: bool  # written by a newer version of the app: refuse
    foreign: bool  # a SQLite file with tables but no version: not ours
    behind: bool  # older schema: back up, then upgrade


def schema_state(db_path: Path) -> SchemaState:
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        current = None
        if "alembic_version" in tables:
            row = con.execute("SELECT version_num FROM alembic_version").fetchone()
            current = row[0] if row else None
    finally:
        con.close()
    head = head_revision()
    foreign = current is None and bool(tables - {"alembic_version"})
    newer = current is not None and current not in known_revisions()
    return SchemaState(
        current=current, head=head, newer=newer, foreign=foreign, behind=not newer and current != head
    )


def upgrade(db_path: Path, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(db_path), revision)


# A new workspace is made from the schema the migrations build, written out once (as Rails loads
# schema.rb rather than replaying every migration): replaying them imports Alembic and runs eight
# scripts, 0.9 s of a first register import's 4.5 s. tests/workspace/test_migrate.py holds the
# two ways to the same tables, triggers and rows; after a new migration, write the file again:
#     .venv/bin/python -m inspector_app.store.migrate
HEAD_SCHEMA = Path(__file__).with_name("head_schema.sql")
SCHEMA_HEADER = "-- workspace schema at revision {head}, written by `python -m inspector_app.store.migrate`\n"


def create(db_path: Path) -> None:
    """A new database at the head revision, in one transaction. Replays the migrations when the
    written schema is not the head's (a migration added and the file not written again)."""
    head = head_revision()
    script = HEAD_SCHEMA.read_text(encoding="utf-8") if HEAD_SCHEMA.exists() else ""
    if not script.startswith(SCHEMA_HEADER.format(head=head)):
        upgrade(db_path)
        return
    con = sqlite3.connect(db_path, isolation_level=None)
    try:
        # One script between BEGIN and COMMIT: a failure (a full disk) leaves no half-made schema.
        con.executescript(f"BEGIN;\n{script}\nINSERT INTO alembic_version VALUES ('{head}');\nCOMMIT;")
    finally:
        con.close()


def dump_schema(db_path: Path) -> str:
    """The statements that make ``db_path``'s schema again, in the order it was made, and the rows
    its tables hold (none but Alembic's, which :func:`create` writes itself). FTS5's shadow tables
    are left to the virtual tables that make them."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        shadow = {r[1] for r in con.execute("PRAGMA table_list") if r[2] == "shadow"}
        statements = [
            f"{sql};"
            for name, tbl_name, sql in con.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
            )
            if name not in shadow and tbl_name not in shadow
        ]
        for (table,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        ).fetchall():
            # Our own table names, read from the file: no outside input in the SQL.
            kept = table not in shadow and table != "alembic_version"
            if kept and con.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone():  # noqa: S608
                raise RuntimeError(f"a migration left rows in {table}: dump_schema writes none")
    finally:
        con.close()
    return "\n".join(statements) + "\n"


def write_head_schema() -> Path:
    """Migrate a scratch database to the head and write its schema to :data:`HEAD_SCHEMA`."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        db = Path(scratch) / "schema.db"
        upgrade(db)
        schema = SCHEMA_HEADER.format(head=head_revision()) + dump_schema(db)
        HEAD_SCHEMA.write_text(schema, encoding="utf-8")
    return HEAD_SCHEMA


if __name__ == "__main__":
    print(f"wrote {write_head_schema()}")
