"""The console's figures: each is one query on the read model, and each docstring is its definition.

The definitions follow the laptop's summary (reports/summary.py, "口径说明") so that office and
laptop count alike; when the shared module of figure definitions lands, these align with it:

* 检查家次 — inspections (not 复查) completed in the period; 检查家数 — distinct enterprises among them.
* 复工率 — enterprises in scope whose status is 核查通过 or 已复工 ÷ enterprises in scope.
* 整改率 — findings raised in the period and closed (销号 by a re-inspection) by its end ÷ raised.
* 逾期未整改 — findings not closed whose deadline is before today (whenever they were raised).
* 巡查覆盖 — this week (Monday–today): each assigned enterprise's inspections, capped at its cadence
  (visits per week), summed ÷ the sum of cadences; and enterprises that met their cadence.

A scope is the street, a team or a grid; a period is a range of the inspectors' calendar days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, distinct, func, select
from sqlalchemy.sql.elements import ColumnElement

from inspector_app.central.db import tables as t
from inspector_app.domain.enterprise import ResumptionStatus
from inspector_app.domain.finding import FindingStatus, Severity
from inspector_app.domain.requests import RequestStatus
from inspector_app.domain.visit import VisitKind

RESUMED = (ResumptionStatus.APPROVED.value, ResumptionStatus.RESUMED.value)
# The categories whose 复工率 the street reports on their own (规上工业, 在建项目).
KEY_CATEGORIES = ("规上工业企业", "建筑工地")
PERIODS = ("today", "week", "season")


@dataclass(frozen=True)
class Scope:
    """What a figure counts: the street (no team, no grid), one team or one grid, over [start, end]."""

    start: date
    end: date
    team: str | None = None
    grid: str | None = None

    def query(self) -> dict[str, str]:
        out = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.team:
            out["team"] = self.team
        if self.grid:
            out["grid"] = self.grid
        return out


def period_range(period: str, today: date) -> tuple[date, date]:
    """今日 is today; 本周 is Monday to today; 本季 is the calendar quarter to today."""
    if period == "week":
        return today - timedelta(days=today.weekday()), today
    if period == "season":
        return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), today
    return today, today


def _visit_scope(scope: Scope, table: Any = None) -> list[ColumnElement[bool]]:
    cv = (table if table is not None else t.console_visits).c
    conds: list[ColumnElement[bool]] = [cv.visit_day >= scope.start, cv.visit_day <= scope.end]
    if scope.team:
        conds.append(cv.team == scope.team)
    if scope.grid:
        conds.append(cv.grid == scope.grid)
    return conds


def _finding_scope(scope: Scope) -> list[ColumnElement[bool]]:
    f = t.console_findings.c
    conds: list[ColumnElement[bool]] = []
    if scope.team:
        conds.append(f.team == scope.team)
    if scope.grid:
        conds.append(f.grid == scope.grid)
    return conds


def enterprise_scope(scope: Scope) -> list[ColumnElement[bool]]:
    """Enterprises in scope: a team's are those assigned to it; a grid's those registered in it."""
    e = t.enterprises.c
    conds: list[ColumnElement[bool]] = []
    if scope.team:
        assigned = select(t.assignments.c.enterprise_id).where(t.assignments.c.team == scope.team)
        conds.append(e.id.in_(assigned))
    if scope.grid:
        conds.append(e.grid == scope.grid)
    return conds


def visits(conn: Connection, scope: Scope) -> dict[str, int]:
    """家次 (inspections), 家 (distinct enterprises inspected) and 复查 (re-inspections) in scope."""
    cv = t.console_visits.c
    inspection = cv.kind != VisitKind.RECHECK.value
    row = conn.execute(
        select(
            func.count().filter(inspection),
            func.count(distinct(case((inspection, cv.enterprise_code)))),
            func.count().filter(cv.kind == VisitKind.RECHECK.value),
        ).where(*_visit_scope(scope))
    ).one()
    return {"visits": int(row[0]), "homes": int(row[1]), "rechecks": int(row[2])}


def findings(conn: Connection, scope: Scope, today: date) -> dict[str, Any]:
    """Raised in the period, of which rectified (reported or verified) and closed by its end; 整改率
    for all and for 重大; overdue today (any period); open today."""
    f = t.console_findings.c
    raised = and_(f.found_on >= scope.start, f.found_on <= scope.end, *_finding_scope(scope))
    closed_by_end = and_(f.closed_on.is_not(None), f.closed_on <= scope.end)
    rectified_by_end = and_(f.rectified_on.is_not(None), f.rectified_on <= scope.end)
    major = f.severity == Severity.MAJOR.value
    row = conn.execute(
        select(
            func.count(),
            func.count().filter(rectified_by_end),
            func.count().filter(closed_by_end),
            func.count().filter(major),
            func.count().filter(major, closed_by_end),
        ).where(raised)
    ).one()
    live = and_(f.status != FindingStatus.CLOSED.value, *_finding_scope(scope))
    open_row = conn.execute(
        select(
            func.count(), func.count().filter(f.deadline < today), func.count().filter(f.deadline == today)
        ).where(live)
    ).one()
    return {
        "raised": int(row[0]),
        "rectified": int(row[1]),
        "closed": int(row[2]),
        "rate": _rate(row[2], row[0]),
        "major_raised": int(row[3]),
        "major_closed": int(row[4]),
        "major_rate": _rate(row[4], row[3]),
        "open": int(open_row[0]),
        "overdue": int(open_row[1]),
        "due_today": int(open_row[2]),
    }


def _rate(part: int, whole: int) -> float | None:
    return None if not whole else part / whole


def enterprises(conn: Connection, scope: Scope) -> dict[str, Any]:
    """Enterprises in scope by category and resumption status (today's register), and 复工率."""
    e = t.enterprises.c
    rows = conn.execute(
        select(e.category, e.resumption_status, func.count())
        .where(*enterprise_scope(scope))
        .group_by(e.category, e.resumption_status)
    ).all()
    by_cat: dict[str, dict[str, int]] = {}
    for cat, status, n in rows:
        by_cat.setdefault(cat or "未分类", {})[status] = int(n)
    statuses = [s.value for s in ResumptionStatus]
    table: list[dict[str, Any]] = []
    for cat in sorted(by_cat):
        counts = by_cat[cat]
        total = sum(counts.values())
        resumed = sum(counts.get(s, 0) for s in RESUMED)
        table.append({"category": cat, "counts": counts, "total": total, "rate": _rate(resumed, total)})
    total = sum(int(r["total"]) for r in table)
    resumed = sum(by_cat[c].get(s, 0) for c in by_cat for s in RESUMED)
    key = {c: next((r["rate"] for r in table if r["category"] == c), None) for c in KEY_CATEGORIES}
    return {
        "by_category": table,
        "statuses": statuses,
        "total": total,
        "resumed": resumed,
        "rate": _rate(resumed, total),
        "key_rates": key,
    }


def requests_open(conn: Connection, scope: Scope) -> int:
    """诉求 not yet 已解决 (any age), of the team when the scope is a team."""
    r = t.enterprise_requests.c
    conds = [r.status != RequestStatus.RESOLVED.value]
    if scope.team:
        conds.append(r.team == scope.team)
    if scope.grid:
        in_grid = select(t.enterprises.c.credit_code).where(t.enterprises.c.grid == scope.grid)
        conds.append(r.enterprise_code.in_(in_grid))
    return int(conn.execute(select(func.count()).where(*conds)).scalar_one())


def cadence(conn: Connection, scope: Scope, today: date) -> dict[str, Any]:
    """巡查覆盖 this week: Σ min(inspections, cadence) ÷ Σ cadence over assigned enterprises in scope."""
    a, e, cv = t.assignments.c, t.enterprises.c, t.console_visits.c
    monday = today - timedelta(days=today.weekday())
    rounds = (
        select(cv.enterprise_code, func.count().label("n"))
        .where(cv.visit_day >= monday, cv.visit_day <= today, cv.kind != VisitKind.RECHECK.value)
        .group_by(cv.enterprise_code)
        .subquery()
    )
    done = func.coalesce(rounds.c.n, 0)
    capped = case((done < a.visits_per_week, done), else_=a.visits_per_week)
    stmt = (
        select(
            func.count(),
            func.coalesce(func.sum(a.visits_per_week), 0),
            func.coalesce(func.sum(capped), 0),
            func.count().filter(done >= a.visits_per_week),
        )
        .select_from(
            t.assignments.join(t.enterprises, e.id == a.enterprise_id).outerjoin(
                rounds, rounds.c.enterprise_code == e.credit_code
            )
        )
        .where(*enterprise_scope(scope))
    )
    n, due, made, met = conn.execute(stmt).one()
    return {
        "assigned": int(n),
        "due": int(due),
        "made": int(made),
        "met": int(met),
        "rate": _rate(int(made), int(due)),
    }


def per_team(conn: Connection, scope: Scope, today: date) -> list[dict[str, Any]]:
    """Per team in the period: 家次, 家, findings raised, findings open and overdue today."""
    cv, f = t.console_visits.c, t.console_findings.c
    inspection = cv.kind != VisitKind.RECHECK.value
    rows: dict[str, dict[str, Any]] = {}
    for team, n, homes in conn.execute(
        select(
            cv.team,
            func.count().filter(inspection),
            func.count(distinct(case((inspection, cv.enterprise_code)))),
        )
        .where(*_visit_scope(scope))
        .group_by(cv.team)
    ):
        rows[team or "-"] = {
            "team": team or "-",
            "visits": int(n),
            "homes": int(homes),
            "raised": 0,
            "overdue": 0,
        }
    for team, n in conn.execute(
        select(f.team, func.count())
        .where(f.found_on >= scope.start, f.found_on <= scope.end, *_finding_scope(scope))
        .group_by(f.team)
    ):
        rows.setdefault(
            team or "-", {"team": team or "-", "visits": 0, "homes": 0, "raised": 0, "overdue": 0}
        )
        rows[team or "-"]["raised"] = int(n)
    for team, n in conn.execute(
        select(f.team, func.count())
        .where(f.status != FindingStatus.CLOSED.value, f.deadline < today, *_finding_scope(scope))
        .group_by(f.team)
    ):
        rows.setdefault(
            team or "-", {"team": team or "-", "visits": 0, "homes": 0, "raised": 0, "overdue": 0}
        )
        rows[team or "-"]["overdue"] = int(n)
    return sorted(rows.values(), key=lambda r: r["team"])


def per_inspector(conn: Connection, scope: Scope, limit: int = 40) -> list[dict[str, Any]]:
    """Per inspector (badge number) in the period: visits taken part in (inspections and re-checks)."""
    vi, u = t.console_visit_inspectors.c, t.users.c
    rows = conn.execute(
        select(vi.badge_number, func.max(vi.team), func.count().label("n"))
        .where(
            *_visit_scope(scope, t.console_visit_inspectors)[:2],
            *([vi.team == scope.team] if scope.team else []),
        )
        .group_by(vi.badge_number)
        .order_by(func.count().desc(), vi.badge_number)
        .limit(limit)
    ).all()
    names = dict(
        conn.execute(
            select(u.badge_number, u.display_name).where(u.badge_number.in_([r[0] for r in rows]))
        ).all()
    )
    return [
        {"badge": b, "name": names.get(b, ""), "team": team or "-", "visits": int(n)} for b, team, n in rows
    ]


def series(conn: Connection, scope: Scope) -> list[dict[str, Any]]:
    """Per day of the period (at least the last 14 days): inspections and findings raised."""
    start = min(scope.start, scope.end - timedelta(days=13))
    wide = Scope(start, scope.end, scope.team, scope.grid)
    cv, f = t.console_visits.c, t.console_findings.c
    v: dict[date, int] = dict(
        conn.execute(
            select(cv.visit_day, func.count())
            .where(*_visit_scope(wide), cv.kind != VisitKind.RECHECK.value)
            .group_by(cv.visit_day)
        ).all()
    )
    fr: dict[date, int] = dict(
        conn.execute(
            select(f.found_on, func.count())
            .where(f.found_on >= start, f.found_on <= scope.end, *_finding_scope(scope))
            .group_by(f.found_on)
        ).all()
    )
    days = (scope.end - start).days + 1
    out = []
    for i in range(days):
        d = start + timedelta(days=i)
        out.append({"day": d, "visits": int(v.get(d, 0)), "findings": int(fr.get(d, 0))})
    return out


def overview(conn: Connection, scope: Scope, today: date) -> dict[str, Any]:
    return {
        "visits": visits(conn, scope),
        "findings": findings(conn, scope, today),
        "enterprises": enterprises(conn, scope),
        "requests_open": requests_open(conn, scope),
        "cadence": cadence(conn, scope, today),
        "teams": per_team(conn, scope, today),
        "inspectors": per_inspector(conn, scope),
        "series": series(conn, scope),
    }
