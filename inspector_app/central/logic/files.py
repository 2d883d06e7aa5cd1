"""Content-addressed file store with resumable chunked uploads.

A file is named by the sha256 of its bytes. An upload appends whole chunks to
``uploads/<user id>-<sha>.part`` (a chunk cut in transit is dropped whole, so the part file only
ever holds bytes that arrived intact); the size of the part file is the offset a client resumes
from. When the last byte arrives the whole file is hashed: only a file whose bytes hash to its name
enters the store.

A sha256 is no capability. Each user's uploads are their own (another user cannot break or read
one in progress), and a user *holds* a file (``file_holders``) only once they sent its bytes
themselves: what one user uploaded is never "already there" for another, so knowing a sha256
neither reveals that the office has the file nor lets a visit cite someone else's photo into
being received and downloadable.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from inspector_app.central.db import tables as t

_LOCKS: defaultdict[str, threading.Lock] = defaultdict(threading.Lock)
_LOCKS_GUARD = threading.Lock()


class UploadError(Exception):
    def __init__(self, message: str, status: int, offset: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.offset = offset


@dataclass(frozen=True)
class FileState:
    sha256: str
    size: int | None
    offset: int
    complete: bool


def _lock(sha: str) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS[sha]


class FileStore:
    def __init__(self, files_dir: Path, uploads_dir: Path) -> None:
        self.files_dir = files_dir
        self.uploads_dir = uploads_dir
        files_dir.mkdir(parents=True, exist_ok=True)
        uploads_dir.mkdir(parents=True, exist_ok=True)

    def path(self, sha: str) -> Path:
        return self.files_dir / sha[:2] / sha

    def part(self, sha: str, owner: int = 0) -> Path:
        return self.uploads_dir / f"{owner}-{sha}.part"

    def state(self, conn: Connection, sha: str, owner: int) -> FileState:
        """Where ``owner``'s upload of ``sha`` stands: complete only once they hold the file."""
        held = conn.execute(
            select(t.files.c.size)
            .join(t.file_holders, t.file_holders.c.sha256 == t.files.c.sha256)
            .where(t.files.c.sha256 == sha, t.file_holders.c.user_id == owner)
        ).scalar_one_or_none()
        if held is not None and self.path(sha).exists():
            return FileState(sha, int(held), int(held), True)
        part = self.part(sha, owner)
        return FileState(sha, None, part.stat().st_size if part.exists() else 0, False)

    def append(  # noqa: PLR0917 - the parts of one chunk request, in their order on the wire
        self, sha: str, offset: int, total: int, chunk: bytes, chunk_sha: str | None, owner: int = 0
    ) -> tuple[int, bool]:
        """Append one chunk at ``offset``; returns (new offset, whether the file is now whole).

        Raises UploadError 409 when the offset is not where the part file ends (the answer carries
        the right offset), 422 when the chunk or the finished file fails its sha256.
        """
        part = self.part(sha, owner)
        if chunk_sha is not None and hashlib.sha256(chunk).hexdigest() != chunk_sha.lower():
            current = part.stat().st_size if part.exists() else 0
            raise UploadError("数据块校验值不符，已丢弃该块，请重传", 422, current)
        with _lock(part.name.split(".", 1)[0]):
            current = part.stat().st_size if part.exists() else 0
            if offset != current:
                raise UploadError(f"续传位置应为 {current}", 409, current)
            if offset + len(chunk) > total:
                raise UploadError("数据超出声明的文件大小", 422, current)
            with part.open("ab") as fh:
                fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            new_offset = offset + len(chunk)
            if new_offset < total:
                return new_offset, False
            digest = hashlib.sha256()
            with part.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
            if digest.hexdigest() != sha:
                part.unlink(missing_ok=True)
                raise UploadError("文件校验值不符（传输中损坏），已丢弃，请从头重传", 422, 0)
            target = self.path(sha)
            if target.exists():
                part.unlink()  # the bytes were proven; the store already has them
                return total, True
            target.parent.mkdir(parents=True, exist_ok=True)
            part.replace(target)
            return total, True

    def put_whole(self, sha: str, data: bytes) -> None:
        """Store bytes already checked against ``sha`` (the bundle importer)."""
        target = self.path(sha)
        if target.exists():
            return
        with _lock(f"0-{sha}"):
            tmp = self.part(sha).with_suffix(".whole")
            with tmp.open("wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp.replace(target)

    def prune_uploads(self, older_than: timedelta, now: datetime) -> list[Path]:
        """Remove incomplete uploads nobody touched for ``older_than``; returns the removed files.

        A laptop resumes an upload by asking its offset, so a part file untouched for days belongs
        to a laptop that gave up (its visit was quarantined, the laptop was wiped …). A pruned
        upload that comes back after all simply starts again at offset 0.
        """
        cutoff = (now - older_than).timestamp()
        removed: list[Path] = []
        for part in sorted(self.uploads_dir.glob("*.part")) + sorted(self.uploads_dir.glob("*.whole")):
            with _lock(part.name.split(".", 1)[0]):  # not while a chunk is being appended
                try:
                    if part.stat().st_mtime >= cutoff:
                        continue
                    part.unlink()
                except FileNotFoundError:
                    continue  # completed or pruned meanwhile
            removed.append(part)
        return removed


def register_file(conn: Connection, sha: str, size: int, now: datetime, holder: int) -> None:
    """The file is in the store, and ``holder`` (a user id) has shown its bytes."""
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(insert(t.files).values(sha256=sha, size=size, stored_at=now).on_conflict_do_nothing())
    conn.execute(
        insert(t.file_holders).values(sha256=sha, user_id=holder, proven_at=now).on_conflict_do_nothing()
    )
