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
