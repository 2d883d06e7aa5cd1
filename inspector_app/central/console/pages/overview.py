"""总览: the figures of a period, team and grid, as a page, a workbook and the street's 日报 PDF."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from inspector_app.central.console import access, chart, daily_report, export, figures
from inspector_app.central.console.i18n import translator
from inspector_app.central.console.pages.common import _day_arg, _grids, _lang, _read, _render, _teams, _today
from inspector_app.central.logic import auth
from inspector_app.domain.clock import local_time
from inspector_app.reports.data import Issuer

router = APIRouter(prefix="/console", include_in_schema=False)


def _scope(request: Request, user: access.User) -> tuple[str, figures.Scope]:
    args = request.query_params
    period = args.get("period") or "today"
    today = _today()
    start, end = figures.period_range(period if period in figures.PERIODS else "today", today)
    if args.get("from") or args.get("to"):
        period = "custom"
        start, end = _day_arg(args.get("from"), start), _day_arg(args.get("to"), end)
    team = user.team or (args.get("team") or None)
    return period, figures.Scope(start, end, team, args.get("grid") or None)


@router.get("/overview")
def overview(request: Request) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        period, scope = _scope(request, user)
        today = _today()
        data = figures.overview(conn, scope, today)
        svg = chart.daily_chart(data["series"], translator(_lang(request)))
        return _render(
            request,
            "overview.html",
            user,
            period=period,
            scope=scope,
            data=data,
            today=today,
            chart=svg,
            teams=_teams(conn),
            grids=_grids(conn),
            sq=scope.query(),
        )

    return _read(request, body)


@router.get("/overview.xlsx")
def overview_xlsx(request: Request) -> Response:
    """The same figures as the page, as the street's 日报 / 周报 workbook."""

    def body(conn: Connection, user: access.User) -> Response:
        _period, scope = _scope(request, user)
        today = _today()
        data = figures.overview(conn, scope, today)
        content = export.overview_workbook(data, scope, today, user.principal.display_name)
        name = f"overview-{scope.start}-{scope.end}.xlsx"
        return Response(
            content,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
        )

    return _read(request, body)


@router.get("/overview.pdf")
def overview_pdf(request: Request) -> Response:
    """The street's 日报 (or the period's report) as the laptop prints it, from the same figure
    definitions (domain.figures) as the page; a team leader's is their team's."""

    from inspector_app.central.console.documents import load_authority  # it imports the pages

    def body(conn: Connection, user: access.User) -> Response:
        _period, scope = _scope(request, user)
        authority, _seal = load_authority(conn)
        issuer = Issuer(authority.full_name or "（未设置填报单位：请在“发文单位”页面填写）")
        data = daily_report.summary_data(conn, scope, issuer=issuer, now=local_time(auth.now_utc()))
        name = f"daily-report-{scope.start}-{scope.end}.pdf"
        return Response(
            daily_report.daily_report_pdf(data),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"},
        )

    return _read(request, body)
