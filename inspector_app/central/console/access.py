"""Who is using the console, and what they may do.

A console session is a device token issued by the server's own login (``logic/auth.login``) for
a browser "device": the same password check, the same throttling and lockout (the login route
calls ``logic/throttle.check`` first, as the API's login does), the same expiry, and the same
revocation as a laptop — an admin revoking a user's devices ends their
browser sessions too. The token travels in an HttpOnly, SameSite=Strict cookie; every form
carries a CSRF token derived from it (a page of another site can neither read nor forge it).

Console roles: 管理员 (admin), 办公室 (office staff: changes data), 组长 (team leader: sees their
team only) and 只读 (viewer). Office staff and viewers are accounts of their own role (wire.Role
OFFICE, VIEWER: no laptop, no badge, refused by the sync API). A user's console role follows its
role (an inspector has no console access) unless ``console_roles`` holds another for it.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Connection, select

from inspector_app.central.db import tables as t
from inspector_app.central.logic import auth
from inspector_app.wire import Role

COOKIE = "console_session"
LOGIN_COOKIE = "console_login_csrf"
DEVICE_NAME = "办公室控制台（浏览器）"
SESSION_DAYS = 1


class ConsoleRole(StrEnum):
    ADMIN = "admin"
    OFFICE = "office"
    LEADER = "leader"
    VIEWER = "viewer"


ROLE_LABELS = {
    ConsoleRole.ADMIN: "管理员",
    ConsoleRole.OFFICE: "办公室",
    ConsoleRole.LEADER: "组长",
    ConsoleRole.VIEWER: "只读",
}


# Without a console_roles row, the account's own role: an inspector has no console access.
SYNC_TO_CONSOLE = {
    Role.ADMIN: ConsoleRole.ADMIN,
    Role.LEADER: ConsoleRole.LEADER,
    Role.OFFICE: ConsoleRole.OFFICE,
    Role.VIEWER: ConsoleRole.VIEWER,
}
CONSOLE_TO_SYNC = {c: s for s, c in SYNC_TO_CONSOLE.items()}


class Denied(Exception):
    """Not allowed; ``status`` is what to answer (401 goes to the login page)."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class User:
    principal: auth.Principal
    role: ConsoleRole
    csrf: str
    address: str = ""  # the browser's address, for the audit trail

    @property
    def username(self) -> str:
        return self.principal.username

    @property
    def team(self) -> str | None:
        """The team a leader is confined to; None for roles that see the street."""
        return self.principal.team if self.role is ConsoleRole.LEADER else None

    @property
    def can_change(self) -> bool:
        """Office staff and admins change data; a leader follows up their team's requests."""
        return self.role in {ConsoleRole.ADMIN, ConsoleRole.OFFICE}

    @property
    def is_admin(self) -> bool:
        return self.role is ConsoleRole.ADMIN


def csrf_for(token: str) -> str:
    return hashlib.sha256(b"console-csrf\0" + token.encode("ascii", "replace")).hexdigest()


def check_csrf(expected: str, given: str | None) -> None:
    if not given or not hmac.compare_digest(expected, given):
        raise Denied("表单已过期或来源不明，请刷新页面后重试", 400)


def console_role(conn: Connection, user_id: int, sync_role: Role) -> ConsoleRole | None:
    stored = conn.execute(
        select(t.console_roles.c.role).where(t.console_roles.c.user_id == user_id)
    ).scalar_one_or_none()
    if stored is not None:
        return ConsoleRole(stored)
    return SYNC_TO_CONSOLE.get(sync_role)


def sign_in(conn: Connection, username: str, password: str, address: str = "") -> tuple[str, User]:
    """Check the password with the server's login; refuse users without a console role."""
    try:
        token, _expires, principal = auth.login(
            conn,
            username=username,
            password=password,
            device_id=str(uuid.uuid4()),
            device_name=DEVICE_NAME,
            token_days=SESSION_DAYS,
        )
    except auth.AuthError as exc:
        raise Denied(str(exc), 401) from None
    role = console_role(conn, principal.user_id, principal.role)
    if role is None:
        raise Denied("该账号没有办公室控制台的使用权限，请联系管理员", 403)
    return token, User(principal, role, csrf_for(token), address)


def session_user(conn: Connection, token: str | None, address: str = "") -> User:
    if not token:
        raise Denied("请先登录", 401)
    try:
        principal = auth.authenticate(conn, token)
    except auth.AuthError as exc:
        raise Denied(str(exc), 401) from None
    role = console_role(conn, principal.user_id, principal.role)
    if role is None:
        raise Denied("该账号没有办公室控制台的使用权限", 403)
    return User(principal, role, csrf_for(token), address)


def set_role(conn: Connection, username: str, role: ConsoleRole | None) -> None:
    user_id = conn.execute(select(t.users.c.id).where(t.users.c.username == username)).scalar_one_or_none()
    if user_id is None:
        raise Denied(f"没有用户 {username}", 404)
    conn.execute(t.console_roles.delete().where(t.console_roles.c.user_id == user_id))
    if role is not None:
        conn.execute(t.console_roles.insert().values(user_id=user_id, role=role.value))
