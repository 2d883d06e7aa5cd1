"""Users and their devices (admins only): console roles, new accounts, revoked logins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import Connection, func, select

from inspector_app.central.console import access, audit
from inspector_app.central.console.pages.common import _changes, _read, _render, _teams
from inspector_app.central.db import tables as t
from inspector_app.central.logic import admin, auth
from inspector_app.central.logic import audit as logic_audit
from inspector_app.wire import Role

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/users")
def users_page(request: Request) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        if not user.is_admin:
            raise access.Denied("只有管理员可以管理用户和设备")
        u, d, cr = t.users.c, t.device_tokens.c, t.console_roles.c
        users = (
            conn.execute(
                select(t.users, cr.role.label("console_role"))
                .select_from(t.users.outerjoin(t.console_roles, cr.user_id == u.id))
                .order_by(u.team, u.username)
            )
            .mappings()
            .all()
        )
        now = auth.now_utc()
        devices = (
            conn.execute(
                select(
                    u.username,
                    d.device_id,
                    d.device_name,
                    func.max(d.last_seen_at).label("last_seen"),
                    func.count().label("tokens"),
                )
                .join(t.users, u.id == d.user_id)
                .where(d.revoked_at.is_(None), d.expires_at > now)
                .group_by(u.username, d.device_id, d.device_name)
                .order_by(u.username, func.max(d.last_seen_at).desc())
            )
            .mappings()
            .all()
        )
        return _render(
            request,
            "users.html",
            user,
            users=users,
            devices=devices,
            teams=_teams(conn),
            console_roles=list(access.ConsoleRole),
        )

    return _read(request, body)


@_changes(router, "/users/{username}/role", allowed=lambda u: u.is_admin)
def user_role(
    conn: Connection,
    user: access.User,
    *,
    username: str,
    role: Annotated[str, Form(max_length=20)],
) -> str:
    chosen = access.ConsoleRole(role) if role else None
    if username == user.username and chosen is not access.ConsoleRole.ADMIN:
        raise ValueError("不能取消自己的管理员权限")
    access.set_role(conn, username, chosen)
    audit.record(conn, user, audit.ROLE_SET, username, role or "（按同步角色）")
    return "/console/users"


@_changes(router, "/users/{username}/revoke", allowed=lambda u: u.is_admin)
def user_revoke(
    conn: Connection,
    user: access.User,
    *,
    username: str,
    device: Annotated[str, Form(max_length=36)] = "",
) -> str:
    try:
        n = auth.revoke_device(conn, username, device or None)
    except auth.AuthError as exc:
        raise ValueError(str(exc)) from exc
    audit.record(conn, user, logic_audit.DEVICE_REVOKED, username, f"{device or '全部设备'}：{n} 个登录")
    return "/console/users"


@_changes(router, "/users", allowed=lambda u: u.is_admin)
def user_add(
    conn: Connection,
    user: access.User,
    *,
    username: Annotated[str, Form(min_length=1, max_length=100)],
    password: Annotated[str, Form(min_length=1, max_length=1000)],
    role: Annotated[str, Form(max_length=20)],
    display_name: Annotated[str, Form(max_length=100)] = "",
    team: Annotated[str, Form(max_length=100)] = "",
    badge_number: Annotated[str, Form(max_length=40)] = "",
) -> str:
    """Office staff and viewers are accounts of their own role (no laptop, no team, no badge: the
    sync API refuses them); a team leader belongs to a team and carries a badge."""
    chosen = access.ConsoleRole(role)
    sync_role = access.CONSOLE_TO_SYNC[chosen]
    if sync_role is Role.LEADER and not team:
        raise ValueError("组长须选择一个检查组")
    admin.add_user(
        conn,
        username.strip(),
        password,
        sync_role,
        team=(team or None) if sync_role is Role.LEADER else None,
        display_name=display_name.strip(),
        # A leader carries their own badge (admin.add_user's rule): the server tells people
        # apart by it on the visits they sign.
        badge_number=badge_number.strip() if sync_role is Role.LEADER else "",
    )
    audit.record(
        conn,
        user,
        logic_audit.USER_ADDED,
        username.strip(),
        f"控制台角色 {access.ROLE_LABELS[chosen]}，检查组 {team or '-'}",
    )
    return "/console/users"
