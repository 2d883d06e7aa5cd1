"""Findings (隐患) across visits: open, overdue, due soon, rectified, closed or raised in a period."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Connection, func, select
from sqlalchemy.sql.elements import ColumnElement

from inspector_app.central.console import access, figures
from inspector_app.central.console.pages.common import PAGE, _day_arg, _int, _read, _render, _teams, _today
from inspector_app.central.db import tables as t

router = APIRouter(prefix="/console", include_in_schema=False)


FINDING_STATES = ("open", "overdue", "due", "rectified", "closed", "raised")


def _finding_conds(request: Request, user: access.User) -> tuple[list[ColumnElement[bool]], str]:
    args = request.query_params
    f = t.console_findings.c
    today = _today()
    state = args.get("state") or "open"
    conds: list[ColumnElement[bool]] = []
    live = f.status.in_(figures.LIVE)
    start, end = _day_arg(args.get("from"), date.min), _day_arg(args.get("to"), date.max)
    if state == "open":
        conds.append(live)
    elif state == "overdue":
        conds += [live, f.deadline < today]
    elif state == "due":
        conds += [live, f.deadline <= today + timedelta(days=3)]
    elif state == "rectified":
        conds += [f.found_on >= start, f.found_on <= end, f.rectified_on.is_not(None), f.rectified_on <= end]
    elif state == "closed":
        conds += [f.found_on >= start, f.found_on <= end, f.closed_on.is_not(None), f.closed_on <= end]
    else:
        state = "raised"
        conds += [f.found_on >= start, f.found_on <= end]
    team = user.team or args.get("team")
    if team:
        conds.append(f.team == team)
    if args.get("grid"):
        conds.append(f.grid == args["grid"])
    if args.get("severity"):
        conds.append(f.severity == args["severity"])
    if args.get("enterprise"):
        conds.append(f.enterprise_code == args["enterprise"])
    return conds, state


@router.get("/findings")
def findings_page(request: Request) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        conds, state = _finding_conds(request, user)
        f, e = t.console_findings.c, t.enterprises.c
        offset = _int(request.query_params.get("offset"))
        total = int(
            conn.execute(select(func.count()).select_from(t.console_findings).where(*conds)).scalar_one()
        )
        # The page's keys first, from the index alone (sorting tens of thousands of open findings'
        # keys is cheap, their rows are not); then the page's rows.
        page_ids = list(
            conn.execute(
                select(f.finding_id)
                .where(*conds)
                .order_by(f.deadline, f.finding_id)
                .offset(offset)
                .limit(PAGE)
            ).scalars()
        )
        rows = (
            conn.execute(
                select(t.console_findings, e.name)
                .select_from(t.console_findings.outerjoin(t.enterprises, e.credit_code == f.enterprise_code))
                .where(f.finding_id.in_(page_ids))
                .order_by(f.deadline, f.finding_id)
            )
            .mappings()
            .all()
        )
        today = _today()
        by_team = figures.open_by_team(conn, figures.Scope(today, today, user.team), today)
        return _render(
            request,
            "findings.html",
            user,
            rows=rows,
            total=total,
            state=state,
            states=FINDING_STATES,
            offset=offset,
            page=PAGE,
            by_team=by_team,
            today=today,
            teams=_teams(conn),
        )

    return _read(request, body)
