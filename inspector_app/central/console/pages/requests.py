"""诉求: enterprises' requests, their follow-ups made in the office, and routing to sub-groups."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import Connection, func, select
from sqlalchemy.sql.elements import ColumnElement

from inspector_app.central.console import access, audit
from inspector_app.central.console.pages.common import PAGE, _changes, _int, _read, _render, _teams, _visible
from inspector_app.central.db import tables as t
from inspector_app.central.db.statements import insert_ignore
from inspector_app.central.logic import auth, follow_ups
from inspector_app.domain.requests import REQUEST_TRANSITIONS, RequestStatus
from inspector_app.wire import RequestFollowUpRecord

router = APIRouter(prefix="/console", include_in_schema=False)


def _request_conds(request: Request, user: access.User) -> list[ColumnElement[bool]]:
    args = request.query_params
    r, rr = t.enterprise_requests.c, t.console_request_routes.c
    conds: list[ColumnElement[bool]] = []
    status = args.get("status") or "open"
    if status == "open":
        conds.append(r.status != RequestStatus.RESOLVED.value)
    elif status != "all":
        conds.append(r.status == status)
    if args.get("category"):
        conds.append(r.category == args["category"])
    team = user.team or args.get("team")
    if team:
        conds.append(r.team == team)
    group = args.get("group")
    if group == "-":
        conds.append(r.id.not_in(select(rr.request_id)))
    elif group:
        conds.append(r.id.in_(select(rr.request_id).where(rr.sub_group == group)))
    return conds


@router.get("/requests")
def requests_page(request: Request) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        conds = _request_conds(request, user)
        r, e, rr = t.enterprise_requests.c, t.enterprises.c, t.console_request_routes.c
        offset = _int(request.query_params.get("offset"))
        total = int(
            conn.execute(select(func.count()).select_from(t.enterprise_requests).where(*conds)).scalar_one()
        )
        rows = (
            conn.execute(
                select(t.enterprise_requests, e.name, rr.sub_group)
                .select_from(
                    t.enterprise_requests.outerjoin(
                        t.enterprises, e.credit_code == r.enterprise_code
                    ).outerjoin(t.console_request_routes, rr.request_id == r.id)
                )
                .where(*conds)
                .order_by(r.status == RequestStatus.RESOLVED.value, r.created_at.desc())
                .offset(offset)
                .limit(PAGE)
            )
            .mappings()
            .all()
        )
        by_cat = conn.execute(
            select(r.category, r.status, func.count())
            .where(*([r.team == user.team] if user.team else []))
            .group_by(r.category, r.status)
        ).all()
        table: dict[str, dict[str, int]] = {}
        for cat, st, n in by_cat:
            table.setdefault(cat, {})[st] = int(n)
        return _render(
            request,
            "requests.html",
            user,
            rows=rows,
            total=total,
            offset=offset,
            page=PAGE,
            by_cat=table,
            statuses=[s.value for s in RequestStatus],
            groups=_sub_groups(conn),
            teams=_teams(conn),
        )

    return _read(request, body)


def _sub_groups(conn: Connection) -> list[str]:
    return list(
        conn.execute(select(t.console_sub_groups.c.name).order_by(t.console_sub_groups.c.name)).scalars()
    )


@router.get("/requests/{request_id}")
def request_page(request: Request, request_id: str) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        r, fu, rr = t.enterprise_requests.c, t.request_follow_ups.c, t.console_request_routes.c
        row = conn.execute(select(t.enterprise_requests).where(r.id == request_id)).mappings().first()
        if row is None:
            raise access.Denied("没有这条诉求", 404)
        _visible(user, row["team"])
        ent = conn.execute(
            select(t.enterprises.c.name).where(t.enterprises.c.credit_code == row["enterprise_code"])
        ).scalar_one_or_none()
        follow_ups = (
            conn.execute(
                select(t.request_follow_ups).where(fu.request_id == request_id).order_by(fu.at_client)
            )
            .mappings()
            .all()
        )
        route = (
            conn.execute(select(t.console_request_routes).where(rr.request_id == request_id))
            .mappings()
            .first()
        )
        current = RequestStatus(row["status"])
        options = [s.value for s in RequestStatus if s in REQUEST_TRANSITIONS[current] or s is current]
        return _render(
            request,
            "request.html",
            user,
            req=row,
            ent_name=ent,
            follow_ups=follow_ups,
            route=route,
            groups=_sub_groups(conn),
            options=options,
            may_follow=user.can_change or (user.role is access.ConsoleRole.LEADER),
        )

    return _read(request, body)


@_changes(
    router,
    "/requests/{request_id}/follow-up",
    allowed=lambda u: u.can_change or u.role is access.ConsoleRole.LEADER,
)
def request_follow_up(
    conn: Connection,
    user: access.User,
    *,
    request_id: str,
    status: Annotated[str, Form(max_length=20)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> str:
    """A follow-up made in the office: stored as the laptops' are, so it reaches them by sync."""
    r = t.enterprise_requests.c
    row = conn.execute(select(t.enterprise_requests).where(r.id == request_id)).mappings().first()
    if row is None:
        raise access.Denied("没有这条诉求", 404)
    _visible(user, row["team"])
    try:
        new = RequestStatus(status)
    except ValueError:
        raise ValueError(f"未知的诉求状态：{status}") from None
    current = RequestStatus(row["status"])
    if new is not current and new not in REQUEST_TRANSITIONS[current]:
        raise ValueError(f"诉求不能从“{current.value}”改为“{new.value}”")
    if not note.strip() and new is current:
        raise ValueError("请填写跟进情况")
    record = RequestFollowUpRecord(
        id=str(uuid.uuid4()),
        request_id=request_id,
        credit_code=row["enterprise_code"],
        category=row["category"],
        description=row["description"],
        visit_id=row["visit_id"],
        at=auth.now_utc(),
        status=new,
        note=note.strip(),
        by=user.username,
    )
    principal = user.principal
    # The server's own rule for follow-ups (an office user may not be in the request's team).
    (result,) = follow_ups.push_request_follow_ups(conn, principal, [record], auth.now_utc())
    if result.status.value not in {"accepted", "exists"}:
        raise ValueError(result.reason or "跟进未被接受")
    audit.record(
        conn,
        user,
        audit.REQUEST_FOLLOWED_UP,
        request_id,
        f"{current.value} → {new.value}：{note.strip()}",
    )
    return f"/console/requests/{request_id}"


@_changes(router, "/requests/{request_id}/route")
def request_route(
    conn: Connection,
    user: access.User,
    *,
    request_id: str,
    group: Annotated[str, Form(max_length=100)],
) -> str:
    rr = t.console_request_routes.c
    if group not in _sub_groups(conn):
        raise ValueError(f"没有分组“{group}”，请先在分组设置中添加")
    if (
        conn.execute(
            select(t.enterprise_requests.c.id).where(t.enterprise_requests.c.id == request_id)
        ).first()
        is None
    ):
        raise access.Denied("没有这条诉求", 404)
    conn.execute(t.console_request_routes.delete().where(rr.request_id == request_id))
    conn.execute(
        t.console_request_routes.insert().values(
            request_id=request_id, sub_group=group, routed_at=auth.now_utc(), routed_by=user.username
        )
    )
    audit.record(conn, user, audit.REQUEST_ROUTED, request_id, group)
    return f"/console/requests/{request_id}"


@_changes(router, "/sub-groups")
def sub_group_add(
    conn: Connection,
    user: access.User,
    *,
    name: Annotated[str, Form(min_length=1, max_length=100)],
) -> str:
    clean = name.strip()
    if not clean:
        raise ValueError("分组名称不能为空")
    insert_ignore(conn, t.console_sub_groups, [{"name": clean, "created_at": auth.now_utc()}], "name")
    audit.record(conn, user, audit.SUB_GROUP_ADDED, clean)
    return "/console/requests"
