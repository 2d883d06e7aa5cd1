"""Typed dependencies: the database, the file store, the settings and the authenticated caller."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from inspector_app.central.core.config import Settings
from inspector_app.central.db.engine import Database
from inspector_app.central.logic.auth import AuthError, Principal, authenticate
from inspector_app.central.logic.files import FileStore
from inspector_app.wire import Role


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_files(request: Request) -> FileStore:
    store: FileStore = request.app.state.files
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DbDep = Annotated[Database, Depends(get_db)]
FilesDep = Annotated[FileStore, Depends(get_files)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

_bearer = HTTPBearer(auto_error=False, description="设备令牌：POST /api/v1/auth/login 取得")


def current_principal(
    db: DbDep, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if creds is None or not creds.credentials:
        raise HTTPException(401, "需要登录", headers={"WWW-Authenticate": "Bearer"})
    with db.read() as conn:
        try:
            return authenticate(conn, creds.credentials)
        except AuthError as exc:
            raise HTTPException(exc.status, str(exc), headers={"WWW-Authenticate": "Bearer"}) from None


def require(*roles: Role) -> Callable[[Principal], Principal]:
    allowed = frozenset(roles)

    def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.role not in allowed:
            raise HTTPException(403, f"角色 {principal.role.value} 无权执行此操作")
        return principal

    return check


Caller = Annotated[Principal, Depends(current_principal)]
FieldWorker = Annotated[Principal, Depends(require(Role.INSPECTOR, Role.LEADER, Role.ADMIN))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
