"""Login (password → device token), logout (this device, or everywhere), who am I.

Every login is throttled (logic/throttle.py) and lands in the audit trail, good or bad.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel

from inspector_app.central.api.deps import Caller, ClientAddress, DbDep, SettingsDep
from inspector_app.central.logic import audit, auth, throttle
from inspector_app.wire import ErrorBody, LoginRequest, LoginResponse, UserInfo

router = APIRouter(tags=["auth"])
_ERRORS: dict[int | str, dict[str, object]] = {401: {"model": ErrorBody}, 403: {"model": ErrorBody}}


class LoggedOut(BaseModel):
    revoked: int


@router.post(
    "/auth/login",
    operation_id="login",
    response_model=LoginResponse,
    responses={**_ERRORS, 429: {"model": ErrorBody}},
)
def login(body: LoginRequest, db: DbDep, settings: SettingsDep, address: ClientAddress) -> LoginResponse:
    now = auth.now_utc()
    try:
        with db.read() as conn:
            throttle.check(conn, body.username, address, now, settings)
    except throttle.Throttled as exc:
        with db.write() as conn:
            throttle.record_held_off(conn, body.username, address, now, str(exc))
        raise HTTPException(429, str(exc), headers={"Retry-After": str(exc.retry_after)}) from None
    try:
        with db.write() as conn:
            token, expires, principal = auth.login(
                conn,
                username=body.username,
                password=body.password,
                device_id=body.device_id,
                device_name=body.device_name,
                token_days=settings.token_days,
                laptop=True,
            )
            audit.record_own(conn, audit.LOGIN, principal.username, address=address,
                             detail=f"设备 {body.device_name or '-'} ({body.device_id})")
    except auth.AuthError as exc:
        # Its own transaction: the refused login rolled back, its record must stay.
        with db.write() as conn:
            audit.record(
                conn, audit.LOGIN_FAILED, ok=False, subject=body.username, address=address, detail=str(exc)
            )
        raise HTTPException(exc.status, str(exc)) from None
    return LoginResponse(token=token, expires_at=expires, user=principal.info(), server_time=auth.now_utc())


@router.post("/auth/logout", operation_id="logout", status_code=204, responses=_ERRORS)
def logout(principal: Caller, db: DbDep, address: ClientAddress) -> None:
    with db.write() as conn:
        auth.revoke_token(conn, principal.token_id)
        audit.record_own(conn, audit.LOGOUT, principal.username, address=address,
                         detail=f"设备 {principal.device_id}")


@router.post("/auth/logout-all", operation_id="logout_all", response_model=LoggedOut, responses=_ERRORS)
def logout_all(principal: Caller, db: DbDep, address: ClientAddress) -> LoggedOut:
    """End every session of the caller on every device (a lost laptop, a shared password)."""
    with db.write() as conn:
        n = auth.revoke_user_tokens(conn, principal.user_id)
        audit.record_own(conn, audit.LOGOUT_ALL, principal.username, address=address,
                         detail=f"注销 {n} 个登录")
    return LoggedOut(revoked=n)


@router.get("/me", operation_id="me", response_model=UserInfo, responses=_ERRORS)
def me(principal: Caller) -> UserInfo:
    return principal.info()
