"""Signing in and out of the console, its language, and its front door."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Connection

from inspector_app.central.api.deps import client_address, get_settings
from inspector_app.central.console import access, audit
from inspector_app.central.console.i18n import LANGUAGES
from inspector_app.central.console.pages.common import LANG_COOKIE, _change, _db, _render
from inspector_app.central.logic import audit as logic_audit
from inspector_app.central.logic import auth, throttle

router = APIRouter(prefix="/console", include_in_schema=False)


def _wait_text(seconds: int) -> str:
    minutes = -(-seconds // 60)
    return f"{seconds} 秒" if seconds < 120 else f"{minutes} 分钟"


@router.get("/login")
def login_page(request: Request) -> Response:
    token = uuid.uuid4().hex
    resp = _render(request, "login.html", None, login_csrf=token, next=request.query_params.get("next", ""))
    resp.set_cookie(access.LOGIN_COOKIE, token, httponly=True, samesite="strict", path="/console")
    return resp


@router.post("/login")
def login_submit(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    expected = request.cookies.get(access.LOGIN_COOKIE, "")
    if not expected or csrf != expected:
        return _render(
            request,
            "login.html",
            None,
            status=400,
            error="登录表单已过期，请重试",
            login_csrf=expected,
            next=next,
        )
    # The same defences as the API's login (api/routes/auth.py): throttling and lockout first,
    # without looking at the password; every attempt, good or bad, in the one audit trail.
    db, address, name, now = _db(request), client_address(request), username.strip(), auth.now_utc()
    settings = get_settings(request)

    def refused(status: int, error: str, headers: Mapping[str, str] | None = None) -> Response:
        page = _render(
            request,
            "login.html",
            None,
            status=status,
            error=error,
            login_csrf=expected,
            next=next,
            username=name,
        )
        page.headers.update(headers or {})
        return page

    try:
        with db.read() as conn:
            throttle.check(conn, name, address, now, settings)
    except throttle.Throttled as exc:
        with db.write() as conn:
            throttle.record_held_off(conn, name, address, now, str(exc))
        return refused(
            429, f"{exc}（约 {_wait_text(exc.retry_after)}后可再试）", {"Retry-After": str(exc.retry_after)}
        )
    try:
        with db.write() as conn:
            token, user = access.sign_in(conn, name, password, address)
            audit.record(conn, user, logic_audit.LOGIN, user.username, access.DEVICE_NAME)
    except access.Denied as exc:
        # Its own transaction: the refused login rolled back, its record must stay. A password
        # that is right for an account without console access is no failure of the password.
        with db.write() as conn:
            logic_audit.record(
                conn,
                logic_audit.LOGIN_FAILED if exc.status == 401 else logic_audit.LOGIN,
                ok=False,  # an ok login would reset the account's failures (throttle.check)
                actor="" if exc.status == 401 else name,
                subject=name,
                address=address,
                detail=f"{access.DEVICE_NAME}：{exc}",
            )
        return refused(exc.status, str(exc))
    target = next if next.startswith("/console/") and "//" not in next else "/console/overview"
    resp = RedirectResponse(target, status_code=303)
    resp.set_cookie(
        access.COOKIE,
        token,
        httponly=True,
        samesite="strict",
        path="/",
        max_age=access.SESSION_DAYS * 86400,
        secure=request.url.scheme == "https",
    )
    resp.delete_cookie(access.LOGIN_COOKIE, path="/console")
    return resp


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    def body(conn: Connection, user: access.User) -> str:
        auth.revoke_token(conn, user.principal.token_id)
        audit.record(conn, user, logic_audit.LOGOUT, user.username, access.DEVICE_NAME)
        return "/console/login"

    resp = _change(request, csrf, body, allowed=lambda _u: True)
    resp.delete_cookie(access.COOKIE, path="/")
    return resp


@router.get("/lang/{lang}")
def set_language(request: Request, lang: str) -> Response:
    back = request.headers.get("referer") or "/console/overview"
    resp = RedirectResponse(back if "/console" in back else "/console/overview", status_code=303)
    if lang in LANGUAGES:
        resp.set_cookie(LANG_COOKIE, lang, samesite="lax", path="/", max_age=365 * 86400)
    return resp


@router.get("")
@router.get("/")
def home() -> Response:
    return RedirectResponse("/console/overview", status_code=303)
