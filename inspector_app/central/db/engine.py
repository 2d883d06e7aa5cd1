"""Engines for the central database.

PostgreSQL: one pool; concurrent writers are fine (see logic/changes.py for the pull cursor).
SQLite (the embedded default): a reader engine and a writer engine whose transactions start with
``BEGIN IMMEDIATE``, so writers queue for the single write lock at their start instead of failing
with "database is locked" when a read transaction tries to upgrade.

SQLite makes a writer that finds the lock taken sleep and poll (1, 2, 5 … 100 ms), so with several
writers the lock often sits free while they sleep. Writers of this server (every thread of every
worker process) therefore first queue on an ``flock`` of ``<database>.writers``, which the kernel
hands on the moment it is released; SQLite's own lock stays the authority (a writer that does not
take the queue, an old tool, is still safe: it waits on SQLite's lock as before).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) readable by this account only; tighten it if it exists.

    The data folder holds every visit, photo and password hash of the office: other accounts of
    the machine have no business even listing it.
    """
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if path.stat().st_mode & 0o777 != PRIVATE_DIR:
        path.chmod(PRIVATE_DIR)
    return path


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def prepare_sqlite_file(url: str) -> None:
    """Make a SQLite database's folder, and the file itself, private before SQLite opens it.

    SQLite creates its -wal and -shm files with the mode of the database file, so a 0600 database
    keeps its journal private too.
    """
    path = sqlite_path(url)
    if path is None:
        return
    if not path.parent.exists():
        private_dir(path.parent)
    if not path.exists():
        os.close(os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE))
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if part.stat().st_mode & 0o077:
                part.chmod(PRIVATE_FILE)
        except FileNotFoundError:
            continue


def _sqlite_engine(url: str, begin: str) -> Engine:
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": 60, "isolation_level": None},
        pool_size=8,
        max_overflow=16,
    )

    def on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=60000")
        # FULL: a push the server acknowledged survives a power cut; the ack is a promise.
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    def on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(begin)

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)
    return engine


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        parsed = make_url(url)
        self.is_postgres = parsed.get_backend_name() == "postgresql"
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        if self.is_sqlite:
            prepare_sqlite_file(url)
            self.writer = _sqlite_engine(url, "BEGIN IMMEDIATE")
            self.reader = _sqlite_engine(url, "BEGIN")
            path = sqlite_path(url)
            self._queue_path = None if path is None else path.with_name(path.name + ".writers")
        else:
            # No pre-ping: it costs a round trip on every checkout. A connection the database
            # dropped fails its statement, which answers 503 (retry), and the pool replaces it.
            # Per worker process: 4 workers (the most serve starts by default) hold at most 60 of
            # PostgreSQL's default 100 connections.
            self.writer = create_engine(url, pool_size=5, max_overflow=10, pool_recycle=3600)
            self.reader = self.writer
            self._queue_path = None
        self._queue_guard = threading.RLock()
        self._queue_depth = 0
        self._queue_fd: int | None = None

    @contextmanager
    def _writers_queue(self) -> Iterator[None]:
        """Take this database's turn to write (SQLite): one thread here, one process of all."""
        if self._queue_path is None:
            yield
            return
        with self._queue_guard:  # reentrant: a write opened inside a write keeps the turn
            if self._queue_fd is None:
                self._queue_fd = os.open(self._queue_path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
            fd = self._queue_fd
            if self._queue_depth == 0:
                fcntl.flock(fd, fcntl.LOCK_EX)
            self._queue_depth += 1
            try:
                yield
            finally:
                self._queue_depth -= 1
                if self._queue_depth == 0:
                    fcntl.flock(fd, fcntl.LOCK_UN)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        with self._writers_queue(), self.writer.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.reader.begin() as conn:
            yield conn

    def dispose(self) -> None:
        with self._queue_guard:
            if self._queue_fd is not None:
                os.close(self._queue_fd)
                self._queue_fd = None
        self.writer.dispose()
        if self.reader is not self.writer:
            self.reader.dispose()
