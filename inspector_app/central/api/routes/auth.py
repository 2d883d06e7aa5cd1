"""Login (password → device token), logout (revokes this device's token), who am I."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException

from inspector_app.central.api.deps import Caller, DbDep, SettingsDep
from inspector_app.central.logic import auth
from inspector_app.wire import ErrorBody, LoginRequest, LoginResponse, UserInfo

router = APIRouter(tags=["auth"])
_ERRORS: dict[int | str, dict[str, object]] = {401: {"model": ErrorBody}, 403: {"model": ErrorBody}}


@router.post("/auth/login", operation_id="login", response_model=LoginResponse, responses=_ERRORS)
def login(body: LoginRequest, db: DbDep, settings: SettingsDep) -> LoginResponse:
    with db.write() as conn:
        try:
            token, expires, principal = auth.login(
                conn,
                username=body.username,
                password=body.password,
                device_id=body.device_id,
                device_name=body.device_name,
                token_days=settings.token_days,
            )
        except auth.AuthError as exc:
            raise HTTPException(exc.status, str(exc)) from None
    return LoginResponse(token=token, expires_at=expires, user=principal.info(), server_time=auth.now_utc())


@router.post("/auth/logout", operation_id="logout", status_code=204, responses=_ERRORS)
def logout(principal: Caller, db: DbDep) -> None:
    with db.write() as conn:
        auth.revoke_token(conn, principal.token_id)


@router.get("/me", operation_id="me", response_model=UserInfo, responses=_ERRORS)
def me(principal: Caller) -> UserInfo:
    return principal.info()
