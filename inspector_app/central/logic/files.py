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

import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError
from sqlalchemy import Connection, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from inspector_app.central.db import tables as t


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


@contextmanager
def _locked(part: Path, *, create: bool = True) -> Iterator[int | None]:
    """Hold ``part`` for this process and thread alone; yields its fd (None: missing and not
    ``create``d).

    The lock is an ``flock`` on the part file itself, so it holds across worker processes. A
    waiter may get the lock on a file that was meanwhile completed (renamed into the store) or
    pruned: it then sees that the path no longer names the file it holds, and opens it again.
    """
    while True:
        try:
            fd = os.open(part, os.O_WRONLY | os.O_APPEND | (os.O_CREAT if create else 0), 0o600)
        except FileNotFoundError:
            yield None
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                same = part.stat().st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
        except BaseException:
            os.close(fd)
            raise
        if same:
            break
        os.close(fd)
    try:
        yield fd
    finally:
        os.close(fd)  # releases the lock


def _fsync_dir(path: Path) -> None:
    """Make a rename or a new entry in ``path`` durable (the file's own fsync does not)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


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

    def stage(self, data: bytes, sha: str = "0") -> Path:
        """Bytes written to a temporary file of their own in the upload folder, fsynced: what
        :meth:`commit` renames into the store, or what is deleted if it is not taken."""
        fd, tmp = tempfile.mkstemp(dir=self.uploads_dir, prefix=f"0-{sha}.", suffix=".whole")
        try:
            _write_all(fd, data)
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            Path(tmp).unlink(missing_ok=True)
            raise
        os.close(fd)
        return Path(tmp)

    def new_staging(self, sha: str = "0") -> tuple[int, Path]:
        """An open, empty temporary file in the upload folder (for a body streamed to disk)."""
        fd, tmp = tempfile.mkstemp(dir=self.uploads_dir, prefix=f"0-{sha}.", suffix=".whole")
        return fd, Path(tmp)

    def commit(self, sha: str, staged: Path) -> None:
        """Rename a staged file whose bytes were checked against ``sha`` into the store, durably.

        Each writer has a staged file of its own, so two writers of the same file (two workers, or
        an upload and a bundle import) need no lock: both renames put the same bytes in place.
        """
        target = self.path(sha)
        if target.exists():
            staged.unlink(missing_ok=True)
            return
        self._folder(target)
        staged.replace(target)
        _fsync_dir(target.parent)

    def append(  # noqa: PLR0917 - the parts of one chunk request, in their order on the wire
        self, sha: str, offset: int, total: int, chunk: bytes, chunk_sha: str | None, owner: int = 0
    ) -> tuple[int, bool]:
        """:meth:`append_staged` for a chunk held in memory."""
        staged = self.stage(chunk, sha)
        return self.append_staged(
            sha, offset, total, staged, hashlib.sha256(chunk).hexdigest(), chunk_sha, owner
        )

    def append_staged(  # noqa: PLR0917 - the parts of one chunk request, in their order on the wire
        self,
        sha: str,
        offset: int,
        total: int,
        staged: Path,
        computed: str,
        chunk_sha: str | None,
        owner: int = 0,
    ) -> tuple[int, bool]:
        """Append one chunk, streamed to ``staged`` (whose sha256 is ``computed``), at ``offset``;
        returns (new offset, whether the file is now whole). ``staged`` is gone afterwards.

        Raises UploadError 409 when the offset is not where the part file ends (the answer carries
        the right offset), 422 when the chunk or the finished file fails its sha256, 415 when the
        finished file is not an image (every file a visit cites is a photo or a signature).
        """
        try:
            return self._append_staged(sha, offset, total, staged, computed, chunk_sha, owner)
        finally:
            staged.unlink(missing_ok=True)

    def _append_staged(  # noqa: PLR0917
        self,
        sha: str,
        offset: int,
        total: int,
        staged: Path,
        computed: str,
        chunk_sha: str | None,
        owner: int,
    ) -> tuple[int, bool]:
        part = self.part(sha, owner)
        size = staged.stat().st_size
        if chunk_sha is not None and computed != chunk_sha.lower():
            current = part.stat().st_size if part.exists() else 0
            raise UploadError("数据块校验值不符，已丢弃该块，请重传", 422, current)
        if offset == 0 and size == total and not _started(part):
            # The whole file in one chunk (a photo, usually): checked, then renamed into the store.
            if computed != sha:
                raise UploadError("文件校验值不符（传输中损坏），已丢弃，请从头重传", 422, 0)
            problem = image_problem(staged, sha)
            if problem:
                raise UploadError(problem, 415, 0)
            self.commit(sha, staged)
            return total, True
        with _locked(part) as fd:
            assert fd is not None  # created when missing
            current = os.fstat(fd).st_size
            if offset != current:
                raise UploadError(f"续传位置应为 {current}", 409, current)
            if offset + size > total:
                raise UploadError("数据超出声明的文件大小", 422, current)
            with staged.open("rb") as src:
                for block in iter(lambda: src.read(1 << 20), b""):
                    _write_all(fd, block)
            os.fsync(fd)
            new_offset = offset + size
            if new_offset < total:
                return new_offset, False
            digest = hashlib.sha256()
            with part.open("rb") as fh:
                for block in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(block)
            if digest.hexdigest() != sha:
                part.unlink(missing_ok=True)
                raise UploadError("文件校验值不符（传输中损坏），已丢弃，请从头重传", 422, 0)
            problem = image_problem(part, sha)
            if problem:
                part.unlink(missing_ok=True)
                raise UploadError(problem, 415, 0)
            target = self.path(sha)
            if target.exists():
                part.unlink()  # the bytes were proven; the store already has them
                return total, True
            self._folder(target)
            part.replace(target)
            _fsync_dir(target.parent)
            return total, True

    def _folder(self, target: Path) -> None:
        if not target.parent.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            _fsync_dir(self.files_dir)

    def put_whole(self, sha: str, data: bytes) -> None:
        """Store bytes already checked against ``sha`` (small files, the bundle importer)."""
        if self.path(sha).exists():
            return
        self.commit(sha, self.stage(data, sha))

    def prune_uploads(self, older_than: timedelta, now: datetime) -> list[Path]:
        """Remove incomplete uploads nobody touched for ``older_than``; returns the removed files.

        A laptop resumes an upload by asking its offset, so a part file untouched for days belongs
        to a laptop that gave up (its visit was quarantined, the laptop was wiped …). A pruned
        upload that comes back after all simply starts again at offset 0.
        """
        cutoff = (now - older_than).timestamp()
        removed: list[Path] = []
        for part in sorted(self.uploads_dir.glob("*.part")) + sorted(self.uploads_dir.glob("*.whole")):
            try:
                if part.stat().st_mtime >= cutoff:
                    continue
            except FileNotFoundError:
                continue  # completed or pruned meanwhile
            if part.suffix == ".part":
                # Not while a chunk is being appended: under the upload's lock, looked at again.
                with _locked(part, create=False) as fd:
                    if fd is None or os.fstat(fd).st_mtime >= cutoff:
                        continue
                    part.unlink()
            else:
                part.unlink(missing_ok=True)  # a store write that died before its rename
            removed.append(part)
        return removed


# Every file a visit cites is a photo or a signature. Before a file counts as arrived its bytes must
# decode as one of these formats within a pixel budget: a JPEG is decoded at reduced scale (at most
# 1/8 of its pixels), any other format whole, hence its lower cap.
IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP", "BMP", "GIF", "TIFF", "MPO"})
MAX_JPEG_PIXELS = 64_000_000
MAX_OTHER_PIXELS = 16_000_000


def image_problem(path: Path, sha: str) -> str | None:
    """Why the file at ``path`` is no usable image (None when it is one): the words the laptop
    shows beside the visit it sets aside."""
    name = sha[:12]
    try:
        with Image.open(path) as im:
            fmt = im.format or ""
            width, height = im.size
            if fmt not in IMAGE_FORMATS:
                return (
                    f"文件 {name}… 的格式 {fmt or '未知'} 不是照片或签名图片（JPEG、PNG），"
                    "该检查记录未被接收"
                )
            cap = MAX_JPEG_PIXELS if fmt in {"JPEG", "MPO"} else MAX_OTHER_PIXELS
            if width * height > cap:
                return (
                    f"文件 {name}… 的图片过大（{width}×{height} 像素，至多 {cap:,} 像素），"
                    "该检查记录未被接收"
                )
            if fmt in {"JPEG", "MPO"}:
                # A decode at 1/8 scale still reads every entropy-coded segment: it proves the
                # whole file decodable without building its pixels. verify() adds nothing to it.
                im.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                im.load()
                return None
            im.verify()  # a PNG's checksum of every chunk, which load() does not check
        with Image.open(path) as im:
            im.load()
    except UnidentifiedImageError:
        return f"文件 {name}… 不是可识别的图片（无法识别的文件格式），该检查记录未被接收"
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        # Pillow's words name the damage; a path of the server's (a temporary file) is left out.
        why = str(exc).replace(str(path), "…")[:120]
        return f"文件 {name}… 不是可识别的图片（{why}），该检查记录未被接收"
    return None


def _started(part: Path) -> bool:
    try:
        return part.stat().st_size > 0
    except FileNotFoundError:
        return False


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd`` (os.write may take less than it is given)."""
    _write_all(fd, data)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def register_file(conn: Connection, sha: str, size: int, now: datetime, holder: int) -> None:
    """The file is in the store, and ``holder`` (a user id) has shown its bytes."""
    register_files(conn, [(sha, size)], now, holder)


@cache
def _register_stmts(dialect: str) -> tuple[Any, Any]:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(t.files).on_conflict_do_nothing(),
        insert(t.file_holders).on_conflict_do_nothing(),
    )


def register_files(conn: Connection, files: Sequence[tuple[str, int]], now: datetime, holder: int) -> None:
    """:func:`register_file` for several (sha256, size) at once: two statements in all."""
    if not files:
        return
    to_files, to_holders = _register_stmts(conn.dialect.name)
    conn.execute(to_files, [{"sha256": sha, "size": size, "stored_at": now} for sha, size in files])
    conn.execute(to_holders, [{"sha256": sha, "user_id": holder, "proven_at": now} for sha, _ in files])
