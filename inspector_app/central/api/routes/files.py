"""Resumable, chunked, checked file uploads; downloads for those who may see the file."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path as PathLike
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse
from starlette.requests import ClientDisconnect

from inspector_app.central.api.deps import Caller, DbDep, FieldWorker, FilesDep, SettingsDep
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import receipts, visit_access
from inspector_app.central.logic.auth import Principal, now_utc
from inspector_app.central.logic.files import FileStore, UploadError, image_problem, register_file, write_all
from inspector_app.wire import ErrorBody, FileStatus, SmallFiles, SmallFilesResult
from inspector_app.wire.models import SMALL_FILE_BYTES, SmallFileRefused

router = APIRouter(tags=["files"])
# Files are taken only for visits the uploader pushed (push the visit first, then its files).
_NOT_AWAITED = "没有本人提交的检查记录需要该文件，未接收"
Sha = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]
_ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorBody}, 403: {"model": ErrorBody}}
_BINARY = {
    "requestBody": {
        "required": True,
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


def _status(db: Database, files: FileStore, sha: str, owner: int) -> FileStatus:
    with db.read() as conn:
        s = files.state(conn, sha, owner)
    return FileStatus(sha256=s.sha256, size=s.size, offset=s.offset, complete=s.complete)


@router.get("/files/{sha256}", operation_id="file_status", response_model=FileStatus, responses=_ERRORS)
def file_status(sha256: Sha, principal: Caller, db: DbDep, files: FilesDep) -> FileStatus:
    """Where the caller's upload stands: the offset to resume from, or complete once the caller
    has sent the file's bytes (another user's upload of the same file does not count, and is not
    revealed)."""
    return _status(db, files, sha256, principal.user_id)


@router.put(
    "/files/{sha256}",
    operation_id="upload_chunk",
    response_model=FileStatus,
    openapi_extra=_BINARY,
    responses={
        **_ERRORS,
        409: {"model": FileStatus},
        413: {"model": ErrorBody},
        415: {"model": FileStatus},
        422: {"model": FileStatus},
    },
)
async def upload_chunk(
    sha256: Sha,
    *,
    request: Request,
    principal: FieldWorker,
    db: DbDep,
    files: FilesDep,
    settings: SettingsDep,
    offset: Annotated[int, Query(ge=0, le=1 << 40)],
    total: Annotated[int, Query(ge=1, le=1 << 40)],
    x_chunk_sha256: Annotated[str | None, Header(pattern=r"^[0-9a-fA-F]{64}$")] = None,
) -> Any:
    """Append one chunk at ``offset``.

    409 answers the right offset; 422 refuses a chunk or a finished file that fails its sha256;
    415 refuses a finished file that is not an image (the visits citing it are set aside on the
    laptop with the reason). The chunk is streamed to disk, never held whole in memory.
    """
    if total > settings.max_file_bytes:
        return JSONResponse({"detail": "文件过大"}, status_code=413)
    if not await run_in_threadpool(_awaited, db, principal, sha256):
        return JSONResponse({"detail": _NOT_AWAITED}, status_code=403)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_chunk_bytes:
        return JSONResponse({"detail": "数据块过大"}, status_code=413)
    # Streamed to a file of its own in the upload folder while it is hashed: the server holds one
    # network block of it in memory at a time, whatever the chunk's size.
    fd, staged = files.new_staging(sha256)
    try:
        try:
            digest, received = hashlib.sha256(), 0
            async for block in request.stream():
                received += len(block)
                if received > settings.max_chunk_bytes:
                    return JSONResponse({"detail": "数据块过大"}, status_code=413)
                digest.update(block)
                write_all(fd, block)
        except ClientDisconnect:
            # The chunk was cut in transit: nothing of it was kept, the client resumes from the offset.
            return JSONResponse({"detail": "连接中断"}, status_code=400)
        finally:
            await run_in_threadpool(_close_durably, fd)
        computed = digest.hexdigest()
        return await run_in_threadpool(
            lambda: _append(
                db,
                files=files,
                sha=sha256,
                offset=offset,
                total=total,
                staged=staged,
                computed=computed,
                chunk_sha=x_chunk_sha256,
                owner=principal.user_id,
            )
        )
    finally:
        staged.unlink(missing_ok=True)


def _close_durably(fd: int) -> None:
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _awaited(db: Database, principal: Principal, sha: str) -> bool:
    with db.read() as conn:
        return visit_access.awaited_from(conn, principal, sha)


def _append(
    db: Database,
    *,
    files: FileStore,
    sha: str,
    offset: int,
    total: int,
    staged: PathLike,
    computed: str,
    chunk_sha: str | None,
    owner: int,
) -> Any:
    with db.read() as conn:
        if files.state(conn, sha, owner).complete:
            return FileStatus(sha256=sha, size=total, offset=total, complete=True)
    try:
        new_offset, whole = files.append_staged(sha, offset, total, staged, computed, chunk_sha, owner)
    except UploadError as exc:
        body = FileStatus(sha256=sha, size=None, offset=exc.offset, complete=False).model_dump()
        return JSONResponse({**body, "detail": str(exc)}, status_code=exc.status)
    if whole:
        now = now_utc()
        with db.write() as conn:
            register_file(conn, sha, total, now, owner)
            receipts.visits_completed_by_file(conn, sha, now)
    return FileStatus(sha256=sha, size=total if whole else None, offset=new_offset, complete=whole)


@router.post(
    "/files/small", operation_id="upload_small_files", response_model=SmallFilesResult, responses=_ERRORS
)
def upload_small_files(
    body: SmallFiles, principal: FieldWorker, db: DbDep, files: FilesDep
) -> SmallFilesResult:
    """Many small files (signatures, small photos) in one round trip, each checked against its sha256."""
    stored: dict[str, int] = {}
    refused: list[SmallFileRefused] = []
    with db.read() as conn:
        awaited = {f.sha256 for f in body.files if visit_access.awaited_from(conn, principal, f.sha256)}
    for f in body.files:
        if f.sha256 not in awaited:
            refused.append(SmallFileRefused(sha256=f.sha256, reason=_NOT_AWAITED))
        elif len(f.data) > SMALL_FILE_BYTES:
            refused.append(SmallFileRefused(sha256=f.sha256, reason="文件过大，请分块上传"))
        elif hashlib.sha256(f.data).hexdigest() != f.sha256:
            refused.append(SmallFileRefused(sha256=f.sha256, reason="文件校验值不符（传输中损坏）"))
        else:
            staged = files.stage(f.data, f.sha256)
            problem = image_problem(staged, f.sha256)
            if problem:
                staged.unlink(missing_ok=True)
                refused.append(SmallFileRefused(sha256=f.sha256, reason=problem))
                continue
            files.commit(f.sha256, staged)
            stored[f.sha256] = len(f.data)
    if stored:
        now = now_utc()
        with db.write() as conn:
            for sha, size in stored.items():
                register_file(conn, sha, size, now, principal.user_id)
            for sha in stored:
                receipts.visits_completed_by_file(conn, sha, now)
    return SmallFilesResult(stored=list(stored), refused=refused)


@router.get(
    "/files/{sha256}/content",
    operation_id="download_file",
    response_class=FileResponse,
    responses={**_ERRORS, 200: {"content": {"application/octet-stream": {}}}, 404: {"model": ErrorBody}},
)
def download_file(sha256: Sha, principal: Caller, db: DbDep, files: FilesDep) -> FileResponse:
    with db.read() as conn:
        allowed = visit_access.file_visible(conn, principal, sha256)
    if not allowed or not files.path(sha256).exists():
        raise HTTPException(404, "没有该文件，或无权查看")
    return FileResponse(files.path(sha256), media_type="application/octet-stream")
