"""Alembic, driven from code: the app migrates its own workspace on open."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(db_path: Path) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{db_path}")
    return cfg


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config(Path("unused.db")))
    head = script.get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config(Path("unused.db")))
    return {rev.revision for rev in script.walk_revisions()}


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
    command.upgrade(alembic_config(db_path), revision)
