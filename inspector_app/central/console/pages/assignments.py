"""Which team inspects which enterprises, and how often: by grid or by list of codes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import Connection, func, select

from inspector_app.central.console import access, audit, figures
from inspector_app.central.console.pages.common import _changes, _read, _render, _teams
from inspector_app.central.db import tables as t
from inspector_app.central.logic import admin
from inspector_app.central.logic import audit as logic_audit

router = APIRouter(prefix="/console", include_in_schema=False)


def _team_or_refuse(conn: Connection, team: str) -> str:
    """The team named in a form, or a refusal naming it when the office has no such team."""
    if team not in _teams(conn):
        raise ValueError(f"没有检查组“{team}”")
    return team


@router.get("/assignments")
def assignments_page(request: Request) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        g, e, a = t.grids.c, t.enterprises.c, t.assignments.c
        grids = conn.execute(
            select(g.name, g.team, func.count(e.id))
            .select_from(t.grids.outerjoin(t.enterprises, e.grid == g.name))
            .group_by(g.name, g.team)
            .order_by(g.name)
        ).all()
        teams = conn.execute(
            select(t.teams.c.name, func.count(a.enterprise_id), func.coalesce(func.sum(a.visits_per_week), 0))
            .select_from(t.teams.outerjoin(t.assignments, a.team == t.teams.c.name))
            .group_by(t.teams.c.name)
            .order_by(t.teams.c.name)
        ).all()
        unassigned = int(
            conn.execute(
                select(func.count()).select_from(t.enterprises).where(e.id.not_in(select(a.enterprise_id)))
            ).scalar_one()
        )
        return _render(
            request,
            "assignments.html",
            user,
            grids=grids,
            team_rows=sorted(teams, key=lambda r: figures.team_order(r[0])),
            unassigned=unassigned,
            teams=_teams(conn),
        )

    return _read(request, body)


@_changes(router, "/assignments/grid")
def assign_grid(
    conn: Connection,
    user: access.User,
    *,
    grid: Annotated[str, Form(min_length=1, max_length=100)],
    team: Annotated[str, Form(min_length=1, max_length=100)],
    cadence: Annotated[int, Form(ge=1, le=14)] = 3,
) -> str:
    _team_or_refuse(conn, team)
    e = t.enterprises.c
    admin.add_grid(conn, grid, None)
    conn.execute(t.grids.update().where(t.grids.c.name == grid).values(team=team))
    ids = [int(i) for i in conn.execute(select(e.id).where(e.grid == grid)).scalars()]
    n = admin.assign(conn, team, ids, cadence)
    audit.record(conn, user, logic_audit.ASSIGNED, team, f"网格 {grid}，每周 {cadence} 次，{n} 家企业")
    return "/console/assignments"


@_changes(router, "/assignments/enterprises")
def assign_enterprises(
    conn: Connection,
    user: access.User,
    *,
    codes: Annotated[str, Form(min_length=1, max_length=20000)],
    team: Annotated[str, Form(min_length=1, max_length=100)],
    cadence: Annotated[int, Form(ge=1, le=14)] = 3,
) -> str:
    _team_or_refuse(conn, team)
    wanted = [c.strip().upper() for c in codes.replace(",", "\n").split() if c.strip()]
    e = t.enterprises.c
    found = dict(conn.execute(select(e.credit_code, e.id).where(e.credit_code.in_(wanted))).all())
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise ValueError(f"名录中没有这些企业：{'、'.join(unknown[:10])}")
    n = admin.assign(conn, team, [int(i) for i in found.values()], cadence)
    audit.record(
        conn, user, logic_audit.ASSIGNED, team, f"每周 {cadence} 次：{'、'.join(wanted[:50])}（{n} 家）"
    )
    return "/console/assignments"
