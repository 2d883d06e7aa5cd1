"""Upgrading the app keeps every record: a workspace of the first released schema opens in the
current code after a backup, and a workspace of a newer version is refused and left untouched.

The old workspace is made the way a user made it: through the services (enterprises, a completed
visit with findings, photos and signatures). The services speak the current schema, so their rows
are then copied into a database created at revision "0001" (the columns that revision has), which
is exactly what a laptop running the first release holds.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from inspector_app.cli.common import CommandFailed, open_workspace
from inspector_app.domain.visit import ENTERPRISE_ROLE, content_hash, inspector_role
from inspector_app.register.search_text import search_text
from inspector_app.services.context import AppServices
from inspector_app.store import migrate, tables
from inspector_app.store.workspace import DB_NAME, Workspace, WorkspaceError
from tests.support.clock import FakeClock
from tests.support.workspace_world import BADGES, CODE, FORMS, seed

FIRST_RELEASE = "0001"
FUTURE = "9999_written_by_a_newer_app"

pytestmark = pytest.mark.xdist_group("store-upgrade")


def _png(colour: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (240, 90), colour).save(buf, "PNG")
    return buf.getvalue()


def _jpeg(colour: str, size: tuple[int, int] = (640, 480)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "JPEG", quality=80)
    return buf.getvalue()


@dataclass
class OldWorkspace:
    root: Path
    visit_id: str
    content_hash: str
    columns: dict[str, list[str]]  # every table of revision 0001 with its columns
    rows: dict[str, list[tuple[object, ...]]]  # every row of those tables, those columns
    search_texts: list[tuple[int, str]]  # each enterprise's search text, as 0001 held it in one


def _make_with_services(root: Path) -> tuple[str, str]:
    """A day of real work: two enterprises, a completed visit with two findings and photos."""
    clock = FakeClock(datetime(2026, 11, 23, 1, 30, tzinfo=UTC))
    app = AppServices.open(root, forms_dir=FORMS, clock=clock, account="张伟")
    try:
        seed(app, clock())
        with app.workspace.session() as s:
            s.add(
                tables.Enterprise(
                    credit_code="91440300MA5G00002X",
                    name="深圳市南岭村五金加工厂",
                    address="南岭村社区工业区3栋",
                    grid="宝龙一网格",
                    category="规上工业企业",
                    staff_total=35,
                    updated_at=clock(),
                )
            )
        visits = app.visits
        vid, _ = visits.start(CODE, "mini-check", BADGES)
        for key, value in {
            "plan": "N",
            "staff": 120,
            "on_site": 98,
            "exits": "N",
            "exits_note": "东侧通道堆放纸箱",
        }.items():
            clock.advance(minutes=1)
            visits.answer(vid, key, value)
        visits.add_photo(vid, _jpeg("red"), item_key="exits", name="东侧通道.jpg")
        visits.add_photo(vid, _jpeg("blue", (480, 640)), item_key="plan", name="方案.jpg")
        for badge, name, colour in zip(BADGES, ["张伟", "李娜"], ["white", "lightyellow"], strict=True):
            visits.sign(vid, inspector_role(badge), name, _png(colour))
        visits.sign(vid, ENTERPRISE_ROLE, "王建国", _png("lightgrey"))
        clock.advance(minutes=20)
        result = visits.complete(vid)
        return vid, result.content_hash
    finally:
        app.close()


def _columns(con: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in con.execute(f'PRAGMA table_info("{table}")')]


def _tables(con: sqlite3.Connection) -> list[str]:
    rows = con.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "AND name != 'alembic_version' ORDER BY name"
    )
    return [r[0] for r in rows]


def _dump(db: Path, columns: dict[str, list[str]]) -> dict[str, list[tuple[object, ...]]]:
    """The given columns of the given tables, rows sorted: what "every record" means here."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out = {}
        for table, cols in columns.items():
            # The register's search text is derived (0008 splits it in two); checked on its own.
            quoted = ", ".join(f'"{c}"' for c in cols if (table, c) != ("enterprise", "search_text"))
            out[table] = sorted(con.execute(f'SELECT {quoted} FROM "{table}"').fetchall(), key=repr)
        return out
    finally:
        con.close()


def _integrity(db: Path) -> str:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        con.close()


def _revision(db: Path) -> str:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return str(con.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        con.close()


def make_first_release_workspace(tmp_path: Path) -> OldWorkspace:
    made = tmp_path / "made-by-services"
    vid, digest = _make_with_services(made)

    root = tmp_path / "laptop"
    root.mkdir()
    db = root / DB_NAME
    migrate.upgrade(db, FIRST_RELEASE)
    con = sqlite3.connect(db)
    try:
        con.execute("PRAGMA foreign_keys=OFF")
        con.execute("ATTACH DATABASE ? AS made", (str(made / DB_NAME),))
        columns = {table: _columns(con, table) for table in _tables(con)}
        for table, first_cols in columns.items():
            made_cols = {r[1] for r in con.execute(f'PRAGMA made.table_info("{table}")')}
            cols = [c for c in first_cols if c in made_cols]
            quoted = ", ".join(f'"{c}"' for c in cols)
            con.execute(f'INSERT INTO main."{table}" ({quoted}) SELECT {quoted} FROM made."{table}"')
        # 0001 held the whole search text in one column (today's code writes it in two).
        for eid, name, code, address in con.execute(
            "SELECT id, name, credit_code, address FROM main.enterprise"
        ).fetchall():
            con.execute("UPDATE main.enterprise SET search_text = ? WHERE id = ?",
                        (search_text(name, code, address), eid))
        con.commit()
        con.execute("DETACH DATABASE made")
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
    for folder in ("attachments", "thumbnails"):
        shutil.copytree(made / folder, root / folder)
    assert _revision(db) == FIRST_RELEASE
    rows = _dump(db, columns)
    # Real data, not empty tables: the assertions below would prove nothing otherwise.
    counts = {t: len(r) for t, r in rows.items()}
    assert counts["enterprise"] == 2 and counts["visit"] == 1 and counts["finding"] >= 2
    assert counts["attachment"] >= 3 and counts["visitphoto"] == 2 and counts["signature"] == 3
    search_texts = _search_texts(db)
    assert all(text.count("\x1f") == 6 for _id, text in search_texts)  # name, code, address, 4 pinyin forms
    return OldWorkspace(root, vid, digest, columns, rows, search_texts)


def _search_texts(db: Path) -> list[tuple[int, str]]:
    """(id, the whole search text) of each enterprise, in one column or two."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        split = "pinyin_text" in _columns(con, "enterprise")
        text = "search_text || char(31) || pinyin_text" if split else "search_text"
        return con.execute(f"SELECT id, {text} FROM enterprise ORDER BY id").fetchall()
    finally:
        con.close()


def _assert_everything_kept(old: OldWorkspace) -> None:
    db = old.root / DB_NAME
    for table, first_cols in old.columns.items():
        now = set(_columns_of(db, table))
        assert now, f"table {table} was lost by the upgrade"
        lost = [c for c in first_cols if c not in now]
        assert not lost, f"columns of {table} lost by the upgrade: {lost}"
    after = _dump(db, old.columns)
    for table, rows in old.rows.items():
        assert after[table] == rows, f"records of {table} changed by the upgrade"
    assert _search_texts(db) == old.search_texts, "the register's search text changed by the upgrade"
    assert _integrity(db) == "ok"

    app = AppServices.open(old.root, forms_dir=FORMS, create=False)
    try:
        snap = app.visits.snapshot(old.visit_id)
        assert snap.locked and snap.content_hash == old.content_hash
        with app.workspace.session() as s:
            visit = s.get(tables.Visit, old.visit_id)
            assert visit is not None
            doc = json.loads(visit.document_json)
        assert content_hash(doc) == doc["content_hash"] == old.content_hash
        for entry in doc["manifest"]:
            sha = entry["sha256"] if isinstance(entry, dict) else entry
            files = list(app.workspace.attachments_dir.rglob(f"{sha}*"))
            assert files, f"attachment {sha} is gone"
            assert hashlib.sha256(files[0].read_bytes()).hexdigest() == sha
    finally:
        app.close()


def _columns_of(db: Path, table: str) -> list[str]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return _columns(con, table)
    finally:
        con.close()


def _backups(root: Path) -> list[Path]:
    folder = root / "backups"
    return sorted(folder.glob("*.db")) if folder.is_dir() else []


def _assert_backup_of_first_release(old: OldWorkspace) -> None:
    (backup,) = _backups(old.root)
    assert FIRST_RELEASE in backup.name
    assert _integrity(backup) == "ok"
    assert _revision(backup) == FIRST_RELEASE
    assert _dump(backup, old.columns) == old.rows, "the backup is not the workspace as it was"


# --------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_first_release_workspace_opens_in_the_current_code_with_every_record(tmp_path):
    old = make_first_release_workspace(tmp_path)
    head = migrate.head_revision()

    ws = Workspace.open(old.root, create=False)
    ws.close()

    assert _revision(old.root / DB_NAME) == head
    if head == FIRST_RELEASE:
        assert _backups(old.root) == [], "nothing to migrate, so nothing to back up"
    else:
        _assert_backup_of_first_release(old)
    _assert_everything_kept(old)


NEXT_REVISION = '''\
"""a later release: a new column on visit (the table is rebuilt by batch mode)"""

import sqlalchemy as sa
from alembic import op

revision = "9000_upgrade_probe"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("visit") as batch_op:
        batch_op.add_column(sa.Column("probe_note", sa.String(), nullable=False, server_default=""))
    op.create_table("probe_added", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("probe_added")
    with op.batch_alter_table("visit") as batch_op:
        batch_op.drop_column("probe_note")
'''


@pytest.mark.slow
def test_a_newer_release_backs_up_then_migrates_and_keeps_every_record(tmp_path, monkeypatch):
    """Whatever head is today, one more revision on top rebuilds a table: the backup path runs."""
    old = make_first_release_workspace(tmp_path)
    head = migrate.head_revision()
    migrations = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    (migrations / "versions" / "9000_upgrade_probe.py").write_text(
        textwrap.dedent(NEXT_REVISION).replace("{head}", head), encoding="utf-8"
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", migrations)
    assert migrate.head_revision() == "9000_upgrade_probe"

    Workspace.open(old.root, create=False).close()

    assert _revision(old.root / DB_NAME) == "9000_upgrade_probe"
    _assert_backup_of_first_release(old)
    _assert_everything_kept(old)


def _fingerprint(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.slow
def test_a_workspace_of_a_newer_version_is_refused_and_left_byte_identical(tmp_path):
    old = make_first_release_workspace(tmp_path)
    Workspace.open(old.root, create=False).close()  # as the newer app would have migrated it first
    for b in _backups(old.root):
        b.unlink()
    db = old.root / DB_NAME
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE alembic_version SET version_num = ?", (FUTURE,))
    con.close()
    assert not (old.root / f"{DB_NAME}-wal").exists()
    before = _fingerprint(old.root)

    with pytest.raises(WorkspaceError, match="更新版本") as err:
        Workspace.open(old.root, create=False)
    message = str(err.value)
    assert str(db) in message and FUTURE in message and "请升级本程序" in message and "未被改动" in message

    # The command line says the same and exits with the documented status.
    import argparse

    with pytest.raises(CommandFailed) as failed:
        open_workspace(argparse.Namespace(workspace=str(old.root)), create=False)
    assert failed.value.status == 3 and "更新版本" in str(failed.value)

    after = _fingerprint(old.root)
    assert after[DB_NAME] == before[DB_NAME], "the newer database was modified"
    assert {k: v for k, v in after.items() if k in before} == before, "files of the workspace were modified"
    # Reading a WAL database, even read-only, makes SQLite create its side files; an empty -wal holds
    # no change and the next open of the newer app simply reuses both.
    extra = set(after) - set(before)
    assert extra <= {f"{DB_NAME}-wal", f"{DB_NAME}-shm"}, extra
    assert not (old.root / f"{DB_NAME}-wal").exists() or (old.root / f"{DB_NAME}-wal").stat().st_size == 0
    assert not (old.root / "backups").exists() or not any((old.root / "backups").iterdir())
    assert _revision(db) == FUTURE
