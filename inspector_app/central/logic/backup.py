"""Backup and restore of the whole office: the database and the file store.

A backup is a folder::

    manifest.json     what it holds: when, which backend, the schema revision, the files
    central.db        SQLite: a consistent copy made with SQLite's online backup API
    central.pgdump    PostgreSQL: ``pg_dump --format=custom`` (needs pg_dump on the machine)
    files/            every stored file (photos, signatures), by sha256 as on the server

Both can run while the server serves: SQLite's backup copies one consistent snapshot, pg_dump
reads in one transaction. Files are copied after the database, so every file the copied database
names is there (files are only ever added). A restore checks every file against its sha256.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from inspector_app.central.core.config import Settings
from inspector_app.central.db import migrate
from inspector_app.central.db.engine import PRIVATE_FILE, private_dir, sqlite_path

MANIFEST = "manifest.json"
SQLITE_NAME = "central.db"
PG_NAME = "central.pgdump"
FORMAT = 1


class BackupError(Exception):
    """Refused; the message says why and nothing was changed (or, for restore, what to do)."""


@dataclass(frozen=True)
class BackupSummary:
    folder: Path
    backend: str
    revision: str | None
    files: int
    bytes: int


def _pg_libpq_url(url: str) -> str:
    """pg_dump speaks libpq URLs: the SQLAlchemy driver suffix goes."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"找不到 {name}：PostgreSQL 的备份与恢复需要 PostgreSQL 客户端（postgresql-client）"
        )
    return found


def backup(settings: Settings, dest: Path) -> BackupSummary:
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"备份目录 {dest} 不是空的；请指定一个新目录")
    private_dir(dest)
    url = settings.url
    revision = migrate.current_revision(url)
    db_file = sqlite_path(url)
    if db_file is not None:
        if not db_file.exists():
            raise BackupError(f"没有数据库 {db_file}")
        backend = "sqlite"
        target = dest / SQLITE_NAME
        os.close(os.open(target, os.O_RDWR | os.O_CREAT, PRIVATE_FILE))
        source = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    else:
        backend = "postgresql"
        target = dest / PG_NAME
        run = subprocess.run(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), _pg_libpq_url(url)],
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode != 0:
            raise BackupError(f"pg_dump 失败：{run.stderr.strip()[:500]}")
        target.chmod(PRIVATE_FILE)
    count, size = _copy_files(settings.files_dir, private_dir(dest / "files"))
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "backend": backend,
        "revision": revision,
        "files": count,
        "bytes": size,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return BackupSummary(dest, backend, revision, count, size)


def _copy_files(src: Path, dst: Path) -> tuple[int, int]:
    """Copy the content-addressed store (``ab/abcdef…``), each file whole or not at all."""
    count = size = 0
    if not src.exists():
        return 0, 0
    for sub in sorted(p for p in src.iterdir() if p.is_dir()):
        for f in sorted(sub.iterdir()):
            if not f.is_file() or len(f.name) != 64:
                continue
            target = private_dir(dst / sub.name) / f.name
            if not target.exists():
                tmp = target.with_suffix(".restoring")
                shutil.copyfile(f, tmp)
                tmp.replace(target)
            count += 1
            size += f.stat().st_size
    return count, size


def read_manifest(src: Path) -> dict[str, object]:
    try:
        manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{src} 不是 inspector-central 的备份（没有 {MANIFEST}）") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"备份说明 {src / MANIFEST} 无法读取：{exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{src / MANIFEST} 不是本版本能读的备份")
    return manifest


def restore(settings: Settings, src: Path, *, force: bool = False) -> BackupSummary:
    """Put a backup back. The server must be stopped. Refuses to overwrite a database that has
    data unless ``force``: a restore replaces everything received since the backup."""
    manifest = read_manifest(src)
    backend = str(manifest.get("backend"))
    url = settings.url
    db_file = sqlite_path(url)
    if (db_file is not None) != (backend == "sqlite"):
        raise BackupError(f"备份来自 {backend} 数据库，当前设置的是另一种数据库；请用 --database-url 指定")
    # Files first, checked: a damaged backup is refused before the database is touched.
    _verify_files(src / "files")
    if not force and _has_data(url):
        raise BackupError("当前数据库已有数据；恢复会替换自备份以来收到的一切。确认无误请加 --force")
    if db_file is not None:
        copy = src / SQLITE_NAME
        if not copy.exists():
            raise BackupError(f"备份缺少 {copy}")
        private_dir(db_file.parent)
        for extra in (db_file.with_name(db_file.name + "-wal"), db_file.with_name(db_file.name + "-shm")):
            extra.unlink(missing_ok=True)
        tmp = db_file.with_name(db_file.name + ".restoring")
        os.close(os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE))
        source = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
        target = sqlite3.connect(tmp)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
        tmp.replace(db_file)
    else:
        dump = src / PG_NAME
        if not dump.exists():
            raise BackupError(f"备份缺少 {dump}")
        run = subprocess.run(
            [
                _pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--dbname",
                _pg_libpq_url(url),
                str(dump),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if run.returncode != 0:
            raise BackupError(f"pg_restore 失败（数据库未改变）：{run.stderr.strip()[:500]}")
    count, size = _copy_files(src / "files", private_dir(settings.files_dir))
    # A backup made by an older version is brought up to this version's schema.
    migrate.upgrade(url)
    return BackupSummary(src, backend, migrate.current_revision(url), count, size)


def _verify_files(folder: Path) -> None:
    if not folder.exists():
        return
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        for f in sorted(sub.iterdir()):
            if not f.is_file():
                continue
            digest = hashlib.sha256()
            with f.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
            if digest.hexdigest() != f.name:
                raise BackupError(f"备份中的文件 {f} 已损坏（校验值不符），未恢复任何内容")


def _has_data(url: str) -> bool:
    from sqlalchemy import create_engine, inspect, text

    db_file = sqlite_path(url)
    if db_file is not None and (not db_file.exists() or db_file.stat().st_size == 0):
        return False
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if "users" not in inspect(conn).get_table_names():
                return False
            return bool(conn.execute(text("SELECT COUNT(*) FROM users")).scalar_one())
    finally:
        engine.dispose()
