"""A workspace is a folder: the SQLite database plus content-addressed attachments.

Opening one never damages it: a file that is not our database, a damaged one, or one written by a
newer version is refused with a message that says which and where, before anything is written.
An older schema is backed up next to the database, then migrated.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from inspector_app.store import migrate

DB_NAME = "inspector.db"
ENV_VAR = "INSPECTOR_WORKSPACE"
_SQLITE_MAGIC = b"SQLite format 3\x00"


class WorkspaceError(RuntimeError):
    """The workspace cannot be opened; the message tells the user what and where."""


def default_workspace_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--workspace`` wins, then the environment variable, then the user data folder."""
    if explicit:
        return Path(explicit).expanduser()
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    return Path(platformdirs.user_data_dir("inspector-app", appauthor=False)) / "workspace"


def published_forms_dir(root: Path) -> Path:
    """Checklists published by the office and received by sync (one file per code and version)."""
    return root / "forms"


def _set_pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    # FULL: a commit that returned survives a pulled plug (an answer is saved the moment it is given).
    cur.execute("PRAGMA synchronous=FULL")
    cur.close()


def make_engine(db_path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{db_path}",
        connect_args={"check_same_thread": False},
        poolclass=QueuePool,
        pool_size=4,
        max_overflow=4,
    )
    event.listen(engine, "connect", _set_pragmas)
    return engine


def _check_sqlite_file(db_path: Path) -> None:
    with db_path.open("rb") as fh:
        header = fh.read(16)
    if header != _SQLITE_MAGIC:
        raise WorkspaceError(f"{db_path} 不是检查工作台的数据库文件（文件头不符），未做任何改动")
    try:
        con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            rows = con.execute("PRAGMA quick_check").fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(f"{db_path} 已损坏，无法读取（{exc}），未做任何改动") from exc
    problems = [r[0] for r in rows if r[0] != "ok"]
    if problems:
        raise WorkspaceError(
            f"{db_path} 完整性检查失败：{'; '.join(problems[:3])}。请从备份恢复，本程序不会覆盖该文件"
        )


@dataclass
class Workspace:
    root: Path
    engine: Engine

    @property
    def db_path(self) -> Path:
        return self.root / DB_NAME

    @property
    def attachments_dir(self) -> Path:
        return self.root / "attachments"

    @property
    def thumbnails_dir(self) -> Path:
        return self.root / "thumbnails"

    @property
    def forms_dir(self) -> Path:
        return published_forms_dir(self.root)

    @property
    def backups_dir(self) -> Path:
        return self.root / "backups"

    @classmethod
    def open(cls, root: str | os.PathLike[str], *, create: bool = True) -> Workspace:
        root = Path(root)
        db_path = root / DB_NAME
        exists = db_path.exists() and db_path.stat().st_size > 0
        if not exists and not create:
            raise WorkspaceError(f"{root} 不是工作区（没有 {DB_NAME}）")
        if exists:
            _check_sqlite_file(db_path)
            state = migrate.schema_state(db_path)
            if state.newer:
                raise WorkspaceError(
                    f"{db_path} 由更新版本的检查工作台创建（数据库版本 {state.current}），"
                    "请升级本程序后再打开；文件未被改动"
                )
            if state.foreign:
                raise WorkspaceError(f"{db_path} 不是检查工作台的数据库（缺少版本信息），未做任何改动")
        root.mkdir(parents=True, exist_ok=True)
        if exists and state.behind:
            backup = _backup(db_path, root / "backups", state.current or "unversioned")
            try:
                migrate.upgrade(db_path)
            except Exception as exc:
                raise WorkspaceError(f"数据库升级失败（{exc}）；升级前的备份在 {backup}") from exc
        elif not exists:
            migrate.upgrade(db_path)
        engine = make_engine(db_path)
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        ws = cls(root=root, engine=engine)
        for d in (ws.attachments_dir, ws.thumbnails_dir):
            d.mkdir(exist_ok=True)
        return ws

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed when the block ends, rolled back when it raises."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()


def _backup(db_path: Path, backups: Path, version: str) -> Path:
    backups.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backups / f"{db_path.stem}-{version}-{stamp}.db"
    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        with dst:
            src.backup(dst)  # a consistent copy even with a WAL beside the file
        dst.close()
    finally:
        src.close()
    shutil.copymode(db_path, target)
    return target
