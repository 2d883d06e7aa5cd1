"""Push (visits, edits, follow-ups), single-visit put and read, receipts, and the pull feed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Path, Query, Request, Response
from sqlalchemy import bindparam, update

from inspector_app.central.api.deps import (
    Caller,
    DbDep,
    FieldWorker,
    FilesDep,
    LedgerDep,
    SettingsDep,
    client_address,
)
from inspector_app.central.core.config import Settings
from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import (
    audit,
    bundles,
    device_forms,
    inline,
    pull,
    quota,
    receipts,
    visit_access,
)
from inspector_app.central.logic import push as logic
from inspector_app.central.logic.auth import Principal, now_utc
from inspector_app.central.logic.changes import Reader
from inspector_app.central.logic.files import FileStore
from inspector_app.central.logic.ledger import Ledger
from inspector_app.wire import (
    FORMS_HELD_HEADER,
    ChangesPage,
    DeviceKey,
    DeviceKeyRegistered,
    ErrorBody,
    ItemResult,
    PushResult,
    PushVisit,
    PushWithFiles,
    ReceiptsRequest,
    VisitDocument,
    VisitReceipt,
    parse_forms_held,
)
from inspector_app.wire.models import UUID_PATTERN

router = APIRouter(tags=["sync"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    404: {"model": ErrorBody},
}
VisitId = Annotated[str, Path(pattern=UUID_PATTERN)]


def _audit_push(conn: Any, request: Request, p: Principal, results: list[ItemResult]) -> None:
    """The push's line in the audit trail, in the push's own transaction: an admin reading the
    trail right after a push sees it (the access log only adds the pushes refused before this)."""
    counter = getattr(request.state, "body_counter", None)
    received = counter.n if counter is not None else 0
    taken = sum(1 for r in results if r.status.value in {"accepted", "exists", "merged"})
    audit.record(
        conn,
        audit.PUSH,
        ok=True,
        actor=p.username,
        address=client_address(request),
        detail=f"{request.method} {request.url.path}：{len(results)} 条，接受 {taken} 条，{received} 字节",
    )
    request.state.push_audited = True


_CLOCK = (
    update(t.device_tokens)
    .where(t.device_tokens.c.id == bindparam("token"))
    .values(clock_skew_seconds=bindparam("skew"), last_seen_at=bindparam("seen"))
)


def _record_clock(conn: Any, p: Principal, skew: float) -> None:
    conn.execute(_CLOCK, {"token": p.token_id, "skew": skew, "seen": now_utc()})


@router.post("/push", operation_id="push", response_model=PushResult, responses=_ERRORS)
def push(
    request: Request,
    batch: PushWithFiles,
    principal: FieldWorker,
    *,
    db: DbDep,
    settings: SettingsDep,
    files: FilesDep,
    ledger: LedgerDep,
) -> PushResult:
    """Each record is answered alone; the batch is committed as one transaction before the answer.

    Files the push carries (feature ``inline_files``) are checked and stored before that
    transaction and held by the pusher within it, so its visits are answered ``received`` at once.
    """
    now = now_utc()
    skew = (batch.client_time - now).total_seconds()
    stored = []
    if batch.files:
        stored = _store_inline(batch, principal, db=db, files=files, settings=settings, ledger=ledger)
    def arrived(conn: Any) -> list[str]:
        return inline.register(conn, principal, stored, now, files=files)

    try:
        with db.write() as conn:
            results = logic.push(
                conn,
                principal,
                batch,
                now,
                skew,
                max_visit_bytes=settings.max_visit_bytes,
                arrived=arrived if stored else None,
            )
            _record_clock(conn, principal, skew)
            _audit_push(conn, request, principal, results)
    finally:
        inline.discard(stored)  # what no visit took (a refused visit's files) leaves no trace
    return PushResult(server_time=now, clock_skew_seconds=skew, results=results)


def _store_inline(
    batch: PushWithFiles, p: Principal, *, db: Database, files: FileStore, settings: Settings, ledger: Ledger
) -> list[inline.Stored]:
    """The push's files, stored unless they would take the account past its daily upload quota
    (then none is: the visits stay not received and the ordinary upload says why)."""
    day = now_utc().date()
    with db.read() as conn:
        so_far = quota.used(conn, p.user_id, day) + ledger.pending_bytes(p.user_id, day)
    if so_far + inline.total_bytes(batch) > settings.upload_quota_bytes_per_day:
        return []
    stored = inline.store(files, batch, p)
    ledger.count_upload(p.user_id, day, sum(f.size for f in stored))
    return stored


@router.put(
    "/devices/key", operation_id="register_device_key", response_model=DeviceKeyRegistered, responses=_ERRORS
)
def register_device_key(key: DeviceKey, principal: FieldWorker, db: DbDep) -> DeviceKeyRegistered:
    """The calling device's key for signing sync bundles, bound to this login's user and device."""
    with db.write() as conn:
        return bundles.register_device_key(conn, principal, key, now_utc())


@router.put(
    "/visits/{visit_id}",
    operation_id="put_visit",
    response_model=ItemResult,
    responses={**_ERRORS, 201: {"model": ItemResult}, 409: {"model": ItemResult}, 422: {"model": ItemResult}},
)
def put_visit(  # noqa: PLR0917 - FastAPI passes the request, path, body and dependencies
    request: Request,
    visit_id: VisitId,
    item: Annotated[PushVisit, Body()],
    principal: FieldWorker,
    db: DbDep,
    response: Response,
) -> ItemResult:
    """One visit: 201 stored, 200 already there, 409 same id with other content, 422 refused."""
    if item.id != visit_id:
        raise HTTPException(422, "路径中的编号与提交的编号不一致")
    now = now_utc()
    with db.write() as conn:
        (result,) = logic.push_visits(conn, principal, [item], now, None)
        _audit_push(conn, request, principal, [result])
    response.status_code = result.http_status
    return result


@router.get("/visits/{visit_id}", operation_id="get_visit", response_model=VisitDocument, responses=_ERRORS)
def get_visit(visit_id: VisitId, principal: Caller, db: DbDep) -> dict[str, Any]:
    with db.read() as conn:
        if not visit_access.visible_visit(conn, principal, visit_id):
            raise HTTPException(404, "没有该检查记录，或无权查看")
        doc = visit_access.visit_document(conn, visit_id)
    assert doc is not None
    return doc


@router.get(
    "/visits/{visit_id}/receipt", operation_id="visit_receipt", response_model=VisitReceipt, responses=_ERRORS
)
def visit_receipt(visit_id: VisitId, principal: Caller, db: DbDep) -> VisitReceipt:
    """Whether the visit counts as received: all of its files here, each sha256 checked."""
    with db.read() as conn:
        if not visit_access.visible_visit(conn, principal, visit_id):
            raise HTTPException(404, "没有该检查记录，或无权查看")
        found = receipts.receipt(conn, visit_id)
    assert found is not None
    return found


@router.post("/receipts", operation_id="visit_receipts", response_model=list[VisitReceipt], responses=_ERRORS)
def visit_receipts(body: ReceiptsRequest, principal: Caller, db: DbDep) -> list[VisitReceipt]:
    """Receipts of many visits at once; visits the caller may not see are left out."""
    with db.read() as conn:
        return receipts.receipts(conn, principal, list(dict.fromkeys(body.ids)))


@router.get(
    "/changes",
    operation_id="pull_changes",
    response_model=ChangesPage,
    responses={**_ERRORS, 400: {"model": ErrorBody}},
)
def pull_changes(  # noqa: PLR0917 - FastAPI passes the request, query and dependencies
    request: Request,
    principal: Caller,
    db: DbDep,
    settings: SettingsDep,
    cursor: Annotated[str, Query(max_length=60)] = "",
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> ChangesPage:
    """A page of changes. A laptop says which form versions it holds (header ``X-Forms-Held``):
    recorded for the office's forms page when it differs from what the server holds for it."""
    reader = Reader(principal.username, principal.role, principal.team)
    report = request.headers.get(FORMS_HELD_HEADER)
    held: dict[str, str] | None = None
    if report is not None:
        try:
            held = parse_forms_held(report)
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from None
    with db.read() as conn:
        try:
            page = pull.page(conn, reader, cursor, min(limit, settings.page_limit), now_utc())
        except ValueError as exc:
            raise HTTPException(400, str(exc)) from None
        changed = held is not None and device_forms.stored(conn, principal) != held
    if changed and held is not None:
        with db.write() as conn:
            device_forms.record(conn, principal, held, now_utc())
    return page
