"""What the office does over HTTP (the same operations are commands of ``inspector-central``)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from inspector_app.central.api.deps import Admin, ClientAddress, DbDep
from inspector_app.central.logic import admin, audit, auth
from inspector_app.wire import ErrorBody, Role

router = APIRouter(prefix="/admin", tags=["admin"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    404: {"model": ErrorBody},
}


class UserRow(BaseModel):
    username: str
    display_name: str
    badge_number: str
    role: Role
    team: str | None
    disabled: bool


class ConflictRow(BaseModel):
    id: str
    credit_code: str
    name: str
    field: str
    old_value: str | None
    new_value: str | None
    note: str
    username: str


class Resolution(BaseModel):
    model_config = ConfigDict(extra="forbid")
    keep: Literal["field", "office"]
    note: str = Field(default="", max_length=2000)


class Revoked(BaseModel):
    revoked: int


class AuditRow(BaseModel):
    id: int
    at: datetime
    action: str
    ok: bool
    actor: str
    subject: str
    address: str
    detail: str


@router.get("/users", operation_id="admin_list_users", response_model=list[UserRow], responses=_ERRORS)
def list_users(principal: Admin, db: DbDep) -> list[dict[str, Any]]:
    with db.read() as conn:
        return admin.list_users(conn)


@router.post(
    "/users/{username}/revoke", operation_id="admin_revoke_device", response_model=Revoked, responses=_ERRORS
)
def revoke_device(
    username: Annotated[str, Path(max_length=100)],
    principal: Admin,
    db: DbDep,
    address: ClientAddress,
    device_id: Annotated[str | None, Query(max_length=36)] = None,
) -> Revoked:
    with db.write() as conn:
        try:
            n = auth.revoke_device(conn, username, device_id)
        except auth.AuthError as exc:
            raise HTTPException(exc.status, str(exc)) from None
        audit.record(
            conn,
            audit.DEVICE_REVOKED,
            actor=principal.username,
            subject=username,
            address=address,
            detail=f"设备 {device_id or '全部'}，注销 {n} 个登录",
        )
    return Revoked(revoked=n)


@router.get("/audit", operation_id="admin_audit", response_model=list[AuditRow], responses=_ERRORS)
def audit_trail(
    *,
    principal: Admin,
    db: DbDep,
    action: Annotated[str | None, Query(max_length=40)] = None,
    user: Annotated[str | None, Query(max_length=200)] = None,
    failed: bool = False,
    before_id: Annotated[int | None, Query(ge=1, le=(1 << 62))] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """The audit trail, newest first; page back with ``before_id`` = the last id received."""
    with db.read() as conn:
        rows = audit.entries(
            conn, action=action, user=user, failed_only=failed, before_id=before_id, limit=limit
        )
    return [r.as_dict() for r in rows]


@router.get(
    "/conflicts", operation_id="admin_list_conflicts", response_model=list[ConflictRow], responses=_ERRORS
)
def list_conflicts(principal: Admin, db: DbDep) -> list[dict[str, Any]]:
    with db.read() as conn:
        return admin.list_conflicts(conn)


@router.post(
    "/conflicts/{edit_id}/resolve",
    operation_id="admin_resolve_conflict",
    status_code=204,
    responses={**_ERRORS, 409: {"model": ErrorBody}},
)
def resolve_conflict(
    edit_id: Annotated[str, Path(max_length=80)],
    body: Resolution,
    principal: Admin,
    db: DbDep,
    address: ClientAddress,
) -> None:
    with db.write() as conn:
        try:
            admin.resolve_conflict(conn, edit_id, body.keep, body.note)
        except admin.AdminError as exc:
            raise HTTPException(409, str(exc)) from None
        audit.record(
            conn,
            audit.CONFLICT_RESOLVED,
            actor=principal.username,
            subject=edit_id,
            address=address,
            detail=f"采用 {body.keep}",
        )
