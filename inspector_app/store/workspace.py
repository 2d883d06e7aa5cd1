"""A workspace is a folder: the SQLite database plus content-addressed attachments.

Opening one never damages it: a file that is not our database, a damaged one, or one written by a
newer version is refused with a message that says which and where, before anything is written.
An older schema is backed up next to the database, then migrated.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from inspector_app.store import migrate

DB_NAME = "inspector.db"
ENV_VAR = "INSPECTOR_WORKSPACE"
_SQLITE_MAGIC = b"SQLite format 3\x00"
_WAL_HEADER_BYTES = 32  # a write-ahead log longer than its header holds committed transactions
# SQLite's primary result codes (the low byte of sqlite_errorcode) that are not a damaged file.
_SQLITE_PERM, _SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY = 3, 5, 6, 8
_SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 13, 14
_LOW_DISK_BYTES = 1024 * 1024
# A workspace holds inspections, signatures and the login token: readable by its owner alone.
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600
_PRIVATE_FOLDERS = ("attachments", "thumbnails", "backups", "forms")
TOKEN_FILES = ("sync-tokens.json",)


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


def describe_sqlite_error(db_path: Path, exc: sqlite3.Error, *, verb: str = "写入") -> str | None:
    """Words for a failure of the disk or the file under a write (full disk, I/O error, rights,
    lock); None for anything else, which is then not the disk's fault."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code not in (_SQLITE_FULL, _SQLITE_IOERR, _SQLITE_CANTOPEN, _SQLITE_PERM, _SQLITE_READONLY,
                    _SQLITE_BUSY, _SQLITE_LOCKED):
        return None
    return _unreadable(db_path, exc, "", verb)


def _unreadable(db_path: Path, exc: sqlite3.Error, damaged: str, verb: str = "打开") -> str:
    """What to tell the user when SQLite fails on the workspace: only a damaged file is called
    damaged; a full disk, a read error, a lock or missing rights each get their own words."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    try:
        free = shutil.disk_usage(db_path.parent if db_path.parent.exists() else Path.cwd()).free
    except OSError:
        free = None
    if code == _SQLITE_FULL or (code in (_SQLITE_IOERR, _SQLITE_CANTOPEN) and free is not None
                                and free < _LOW_DISK_BYTES):
        left = f"剩余 {free:,} 字节" if free is not None else "没有剩余空间"
        why = f"：SQLite {verb}数据库也要写入少量数据" if verb != "写入" else ""
        return f"磁盘已满（{left}），无法{verb} {db_path}{why}。请清理磁盘空间后重试；数据库未被改动"
    if code in (_SQLITE_IOERR, _SQLITE_CANTOPEN):
        return f"读写 {db_path} 时出现磁盘错误（{exc}）；请检查磁盘或存储设备后重试，数据库未被改动"
    if code in (_SQLITE_PERM, _SQLITE_READONLY):
        return f"没有读写 {db_path} 的权限（{exc}）；请检查文件和文件夹的权限，数据库未被改动"
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return f"{db_path} 正被另一个程序使用（{exc}）；请关闭它后重试，数据库未被改动"
    return f"{db_path} {damaged}（{exc}），未做任何改动"


def _check_orphaned_wal(db_path: Path) -> None:
    """An empty or missing database beside a write-ahead log with transactions is not a new
    workspace: the main file was lost or truncated and the log holds committed work. Creating a
    schema there would delete that log, so nothing is touched."""
    wal = db_path.with_name(db_path.name + "-wal")
    try:
        size = wal.stat().st_size
    except OSError:
        return
    if size > _WAL_HEADER_BYTES:
        state = "是空文件" if db_path.exists() else "不存在"
        raise WorkspaceError(
            f"{db_path} {state}，但旁边的 {wal.name} 还有 {size:,} 字节已提交的数据：这不是新工作区，"
            f"而是数据库主文件丢失或被截断。请从备份恢复 {db_path.name}，或把整个文件夹交给技术支持；"
            "未做任何改动"
        )


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
        raise WorkspaceError(_unreadable(db_path, exc, "已损坏，无法读取")) from exc
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

    @classmethod
    def open(cls, root: str | os.PathLike[str], *, create: bool = True) -> Workspace:
        root = Path(root)
        db_path = root / DB_NAME
        exists = db_path.exists() and db_path.stat().st_size > 0
        if not exists:
            _check_orphaned_wal(db_path)
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
        try:
            root.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
            if os.name == "posix":
                _tighten(root, PRIVATE_DIR)  # before anything is written in it
        except OSError as exc:
            raise WorkspaceError(f"无法创建工作区文件夹 {root}（{exc.strerror or exc}）") from exc
        if exists and state.behind:
            try:
                backup = _backup(db_path, root / "backups", state.current or "unversioned")
            except (OSError, sqlite3.Error) as exc:
                reason = _unreadable(db_path, exc, "无法备份") if isinstance(exc, sqlite3.Error) else exc
                raise WorkspaceError(f"升级前无法备份数据库（{reason}）；数据库未被改动") from exc
            try:
                migrate.upgrade(db_path)
            except Exception as exc:
                raise WorkspaceError(f"数据库升级失败（{exc}）；升级前的备份在 {backup}") from exc
        elif not exists:
            _create(db_path)
        engine = make_engine(db_path)
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        except DBAPIError as exc:
            engine.dispose()
            if isinstance(exc.orig, sqlite3.Error):
                raise WorkspaceError(_unreadable(db_path, exc.orig, "无法打开")) from exc
            raise
        ws = cls(root=root, engine=engine)
        for d in (ws.attachments_dir, ws.thumbnails_dir):
            d.mkdir(exist_ok=True)
        make_private(root)
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


def make_private(root: Path) -> None:
    """Owner-only modes on the workspace: the folder and its folders 0700, the database (with its
    -wal and -shm), the token file and every stored file 0600. Run at each open, so a workspace
    made by an older version (0755 / 0644) is tightened the first time it is opened again.

    SQLite gives a -wal or -shm file the mode of its database, and attachments are written through
    private temporary files, so what is made later stays private too. Nothing on a system without
    POSIX modes (Windows keeps a user's data folder private by its ACLs)."""
    if os.name != "posix":
        return
    _tighten(root, PRIVATE_DIR)
    for name in (DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", DB_NAME + "-journal", *TOKEN_FILES):
        _tighten(root / name, PRIVATE_FILE)
    for folder in _PRIVATE_FOLDERS:
        top = root / folder
        try:
            if not top.is_dir() or not top.stat().st_mode & 0o077:
                continue  # already tightened (what is made inside it since is private too)
        except OSError:
            continue
        _tighten(top, PRIVATE_DIR)
        for here, dirs, files in os.walk(top):
            for d in dirs:
                _tighten(Path(here) / d, PRIVATE_DIR)
            for f in files:
                _tighten(Path(here) / f, PRIVATE_FILE)


def _tighten(path: Path, mode: int) -> None:
    """Take group and other bits away (never widen): a file already stricter stays so."""
    try:
        current = path.lstat().st_mode
    except OSError:
        return
    if stat.S_ISLNK(current) or not current & 0o077:
        return
    with contextlib.suppress(OSError):  # not ours to change (a shared drive): left as it is
        path.chmod(stat.S_IMODE(current) & mode)


def _create(db_path: Path) -> None:
    """A new database; when that fails (a full disk) the half-made file goes, so the next open
    does not take it for a foreign database. It held nothing: it did not exist or was empty."""
    try:
        migrate.create(db_path)
    except Exception as exc:
        for leftover in (db_path, db_path.with_name(db_path.name + "-wal"),
                         db_path.with_name(db_path.name + "-shm")):
            leftover.unlink(missing_ok=True)
        orig = getattr(exc, "orig", exc)
        if isinstance(orig, sqlite3.Error):
            raise WorkspaceError(_unreadable(db_path, orig, "无法创建", "创建")) from exc
        if isinstance(exc, OSError):
            raise WorkspaceError(f"无法创建 {db_path}（{exc.strerror or exc}）") from exc
        raise


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
