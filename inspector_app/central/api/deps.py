"""Typed dependencies: the database, the file store, the settings and the authenticated caller."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Coroutine, Iterator
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from inspector_app.central.core.config import Settings
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import audit, quota
from inspector_app.central.logic.auth import CONSOLE_ONLY, AuthError, Principal, authenticate, now_utc
from inspector_app.central.logic.files import FileStore
from inspector_app.central.logic.ledger import Ledger
from inspector_app.wire import Role


async def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def get_files(request: Request) -> FileStore:
    store: FileStore = request.app.state.files
    return store


async def get_ledger(request: Request) -> Ledger:
    ledger: Ledger = request.app.state.ledger
    return ledger


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _settings(request: Request) -> Settings:
    return get_settings(request)


# These dependencies are coroutines only so that FastAPI calls them on the event loop: it runs a
# plain function dependency on the thread pool, a hop per dependency per request.
DbDep = Annotated[Database, Depends(get_db)]
FilesDep = Annotated[FileStore, Depends(get_files)]
SettingsDep = Annotated[Settings, Depends(_settings)]
LedgerDep = Annotated[Ledger, Depends(get_ledger)]

_bearer = HTTPBearer(auto_error=False, description="设备令牌：POST /api/v1/auth/login 取得")


def client_address(request: Request) -> str:
    """The caller's address. Behind a reverse proxy on this machine, uvicorn has already put the
    proxy's X-Forwarded-For here (docs/deployment.md says how the proxy must set it)."""
    return request.client.host if request.client else ""


async def _client_address(request: Request) -> str:
    return client_address(request)


ClientAddress = Annotated[str, Depends(_client_address)]


def current_principal(
    request: Request, db: DbDep, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if creds is None or not creds.credentials:
        raise HTTPException(401, "需要登录", headers={"WWW-Authenticate": "Bearer"})
    with db.read() as conn:
        try:
            principal = authenticate(conn, creds.credentials)
        except AuthError as exc:
            raise HTTPException(exc.status, str(exc), headers={"WWW-Authenticate": "Bearer"}) from None
    if not principal.role.syncs:  # office staff and viewers use the console, never the API
        raise HTTPException(403, CONSOLE_ONLY)
    # The access log and the audit of pushes (api/limits.py) name the account from here.
    request.state.principal = principal
    return principal


def require(*roles: Role) -> Callable[[Principal], Coroutine[Any, Any, Principal]]:
    allowed = frozenset(roles)

    async def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in allowed:
            raise HTTPException(403, f"角色 {principal.role.value} 无权执行此操作")
        return principal

    return check


Caller = Annotated[Principal, Depends(current_principal)]
FieldWorker = Annotated[Principal, Depends(require(Role.INSPECTOR, Role.LEADER, Role.ADMIN))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]


# A cursor is two numbers the server gave out; each must fit a 64-bit column. Checked here, before
# any route reads it, so that no cursor can reach the database as an out-of-range integer.
_CURSOR_PART_MAX = (1 << 63) - 1


async def valid_cursor(request: Request) -> None:
    cursor = request.query_params.get("cursor", "")
    if not cursor:
        return
    parts = cursor.split(".")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() and len(p) <= 19 for p in parts):
        raise HTTPException(400, "同步位置（cursor）不是服务器给出的，请从头同步")
    if any(int(p) > _CURSOR_PART_MAX for p in parts):
        raise HTTPException(400, "同步位置（cursor）超出范围，请从头同步")


def upload_quota(
    request: Request, principal: Caller, db: DbDep, settings: SettingsDep, ledger: LedgerDep
) -> Iterator[None]:
    """Refuse an upload that would take the account past its daily quota; count what it sent."""
    if request.method not in {"PUT", "POST"}:
        yield
        return
    day = now_utc().date()
    declared = request.headers.get("content-length", "")
    coming = int(declared) if declared.isdigit() else 0
    with db.read() as conn:
        so_far = quota.used(conn, principal.user_id, day)
    so_far += ledger.pending_bytes(principal.user_id, day)
    if so_far + coming > settings.upload_quota_bytes_per_day:
        with db.write() as conn:
            audit.record(
                conn,
                audit.UPLOAD_REFUSED,
                ok=False,
                actor=principal.username,
                address=client_address(request),
                detail=f"今日已上传 {so_far} 字节，超出每日限额 {settings.upload_quota_bytes_per_day}",
            )
        raise HTTPException(
            429, "今日上传量已达上限，请明天再同步，或联系管理员", headers={"Retry-After": "3600"}
        )
    try:
        yield
    finally:
        counter = request.scope.get("state", {}).get("body_counter")
        if counter is not None and counter.n:
            ledger.count_upload(principal.user_id, day, counter.n)


def loopback_or_admin(
    request: Request, db: DbDep, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> None:
    """The API's own description is for the people who run the server: this machine, or an admin."""
    host = client_address(request)
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    principal = current_principal(request, db, creds)
    if principal.role is not Role.ADMIN:
        raise HTTPException(403, "仅管理员或本机可查看接口文档")
