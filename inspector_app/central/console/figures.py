"""The console's figures: queries on the read model, counting what ``domain.figures`` defines.

The definitions (口径) live in ``domain/figures.py``, which the laptop's summary and the console's
日报 (daily_report.py) compute over rows; here the same things are counted in SQL, using the
domain's windows and predicates, so 总览 and the printed report show the same numbers:

* 检查家次 — inspections (not 复查) in the period; 家 — distinct enterprises among them.
* 复工率 — enterprises in scope 已复工 ÷ enterprises in scope (核查通过 is counted apart).
* 整改率 — findings closed (销号) by the period's end ÷ findings found by its end (累计); 重大 alike.
* 逾期未整改 — findings not closed by the period's end whose deadline is before it.
* 巡查覆盖率 — assigned enterprises inspected at least their cadence in the 7 days to the period's
  end (``domain.figures.coverage_window``) ÷ assigned enterprises.

A scope is the street, a team or a grid; a period is a range of the inspectors' calendar days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from inspector_app.central.db import tables as t
from inspector_app.domain import figures as definitions
from inspector_app.domain.enterprise import ResumptionStatus
from inspector_app.domain.finding import FindingStatus, Severity
from inspector_app.domain.requests import RequestStatus
from inspector_app.domain.visit import VisitKind

RESUMED = (definitions.RESUMED,)  # 复工率 counts 已复工 only
APPROVED = tuple(sorted(definitions.APPROVED))  # 核查通过 or 已复工, counted apart
# Not closed: listed rather than "!= closed" so that the status index answers.
LIVE = (FindingStatus.OPEN.value, FindingStatus.RECTIFIED.value)
# The categories whose 复工率 the street reports on their own (规上工业, 在建项目).
KEY_CATEGORIES = (definitions.ABOVE_SCALE_INDUSTRY, definitions.CONSTRUCTION)
PERIODS = definitions.PERIODS
period_range = definitions.period_range


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


def in_place(c: Any, scope: Scope) -> list[ColumnElement[bool]]:
    """The scope's team and grid over a read-model table's columns ``c`` (each has both)."""
    conds: list[ColumnElement[bool]] = []
    if scope.team:
        conds.append(c.team == scope.team)
    if scope.grid:
        conds.append(c.grid == scope.grid)
    return conds


def _visit_scope(scope: Scope, table: Any = None) -> list[ColumnElement[bool]]:
    cv = (table if table is not None else t.console_visits).c
    return [cv.visit_day >= scope.start, cv.visit_day <= scope.end, *in_place(cv, scope)]


def _finding_scope(scope: Scope) -> list[ColumnElement[bool]]:
    return in_place(t.console_findings.c, scope)


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


def _rollup_scope(scope: Scope, start: date | None = None) -> list[ColumnElement[bool]]:
    r = t.console_rollup.c
    return [r.day >= (start or scope.start), r.day <= scope.end, *in_place(r, scope)]


def homes(conn: Connection, scope: Scope) -> int:
    """家: enterprises with at least one inspection (not 复查) in scope, one index probe each."""
    e, cv = t.enterprises.c, t.console_visits.c
    conds = [cv.enterprise_code == e.credit_code, cv.visit_day >= scope.start, cv.visit_day <= scope.end]
    # Team and grid compared through coalesce: a bare "team = ?" would lead SQLite (no statistics)
    # to probe by team and day, thousands of rows for each enterprise, instead of by enterprise.
    if scope.team:
        conds.append(func.coalesce(cv.team, "") == scope.team)
    if scope.grid:
        conds.append(func.coalesce(cv.grid, "") == scope.grid)
    visited = select(cv.visit_id).where(*conds, cv.kind != VisitKind.RECHECK.value)
    return int(
        conn.execute(select(func.count()).select_from(t.enterprises).where(visited.exists())).scalar_one()
    )


def visits(conn: Connection, scope: Scope) -> dict[str, int]:
    """家次 (inspections), 家 (distinct enterprises inspected) and 复查 (re-inspections) in scope."""
    r = t.console_rollup.c
    n, rechecks = conn.execute(
        select(func.coalesce(func.sum(r.inspections), 0), func.coalesce(func.sum(r.rechecks), 0)).where(
            *_rollup_scope(scope)
        )
    ).one()
    return {"visits": int(n), "homes": homes(conn, scope), "rechecks": int(rechecks)}


def findings(conn: Connection, scope: Scope, today: date) -> dict[str, Any]:
    """Found in the period, of which rectified and closed by now or its end; 整改率 for all and for
    重大, to the period's end (累计, whenever found); overdue on the period's end; open now."""
    r = t.console_rollup.c
    if scope.end >= today:
        # A period that ends today: "closed by its end" is "closed now", which the rollup counts
        # (by the day each finding was found).
        cols = (r.raised, r.rectified, r.closed, r.raised_major, r.major_closed)
        sums = [func.coalesce(func.sum(c), 0) for c in cols]
        row = conn.execute(select(*sums).where(*_rollup_scope(scope))).one()
        to_date = conn.execute(select(*sums).where(*_rollup_scope(scope, date.min))).one()
    else:
        row = _findings_by_end(conn, scope)
        to_date = _findings_by_end(conn, Scope(date.min, scope.end, scope.team, scope.grid))
    o = t.console_open_findings.c
    n = o.findings
    open_row = conn.execute(
        select(
            func.coalesce(func.sum(n), 0),
            func.coalesce(func.sum(case((o.deadline < today, n), else_=0)), 0),
            func.coalesce(func.sum(case((o.deadline == today, n), else_=0)), 0),
        ).where(*_open_scope(scope))
    ).one()
    overdue = int(open_row[1]) if scope.end >= today else _overdue_on(conn, scope)
    return {
        "raised": int(row[0]),
        "rectified": int(row[1]),
        "closed": int(row[2]),
        "major_raised": int(row[3]),
        "major_closed": int(row[4]),
        "found_to_date": int(to_date[0]),
        "closed_to_date": int(to_date[2]),
        "rate": definitions.ratio(int(to_date[2]), int(to_date[0])),
        "major_found_to_date": int(to_date[3]),
        "major_closed_to_date": int(to_date[4]),
        "major_rate": definitions.ratio(int(to_date[4]), int(to_date[3])),
        "open": int(open_row[0]),
        "overdue": overdue,
        "due_today": int(open_row[2]),
    }


def overdue_conds(scope: Scope) -> list[ColumnElement[bool]]:
    """逾期未整改 on the scope's last day (domain.figures.overdue_on) over ``console_findings``:
    found by then, not closed by then, past its deadline, not corrected on the spot."""
    f = t.console_findings.c
    last = scope.end
    return [
        f.found_on <= last,
        or_(f.closed_on.is_(None), f.closed_on > last),
        f.deadline < last,
        f.order_kind != definitions.ON_SITE_FIXED,
        *_finding_scope(scope),
    ]


def _overdue_on(conn: Connection, scope: Scope) -> int:
    """逾期未整改 on a past day, from the findings."""
    return int(conn.execute(select(func.count()).where(*overdue_conds(scope))).scalar_one())


def _open_scope(scope: Scope) -> list[ColumnElement[bool]]:
    return in_place(t.console_open_findings.c, scope)


def open_by_team(conn: Connection, scope: Scope, today: date) -> list[tuple[str, int, int, int]]:
    """Per team: findings not closed, of them overdue today, of them 重大."""
    o = t.console_open_findings.c
    n = o.findings
    rows = conn.execute(
        select(
            o.team,
            func.sum(n),
            func.sum(case((o.deadline < today, n), else_=0)),
            func.sum(case((o.severity == Severity.MAJOR.value, n), else_=0)),
        )
        .where(*_open_scope(scope))
        .group_by(o.team)
        .having(func.sum(n) > 0)
    ).all()
    return sorted(
        ((tm or "-", int(a), int(b), int(c)) for tm, a, b, c in rows), key=lambda r: team_order(r[0])
    )


def _findings_by_end(conn: Connection, scope: Scope) -> Any:
    """Raised, rectified by the end, closed by the end, 重大 raised and closed, from the findings."""
    f = t.console_findings.c
    raised = and_(f.found_on >= scope.start, f.found_on <= scope.end, *_finding_scope(scope))
    closed_by_end = and_(f.closed_on.is_not(None), f.closed_on <= scope.end)
    rectified_by_end = and_(f.rectified_on.is_not(None), f.rectified_on <= scope.end)
    major = f.severity == Severity.MAJOR.value
    return conn.execute(
        select(
            func.count(),
            func.count().filter(rectified_by_end),
            func.count().filter(closed_by_end),
            func.count().filter(major),
            func.count().filter(major, closed_by_end),
        ).where(raised)
    ).one()


_rate = definitions.ratio


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
    approved = sum(by_cat[c].get(s, 0) for c in by_cat for s in APPROVED)
    key = {c: next((r["rate"] for r in table if r["category"] == c), None) for c in KEY_CATEGORIES}
    return {
        "by_category": table,
        "statuses": statuses,
        "total": total,
        "resumed": resumed,
        "approved": approved,
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
    """巡查覆盖率 on the period's end (domain.figures): assigned enterprises in scope inspected at
    least their cadence in the 7 days to it ÷ assigned enterprises in scope."""
    a, e, cv = t.assignments.c, t.enterprises.c, t.console_visits.c
    first, last = definitions.coverage_window(min(scope.end, today))
    rounds = (
        select(cv.enterprise_code, func.count().label("n"))
        .where(cv.visit_day >= first, cv.visit_day <= last, cv.kind != VisitKind.RECHECK.value)
        .group_by(cv.enterprise_code)
        .subquery()
    )
    done = func.coalesce(rounds.c.n, 0)
    stmt = (
        select(func.count(), func.count().filter(done >= a.visits_per_week))  # domain: cadence_met
        .select_from(
            t.assignments.join(t.enterprises, e.id == a.enterprise_id).outerjoin(
                rounds, rounds.c.enterprise_code == e.credit_code
            )
        )
        .where(a.visits_per_week > 0, *enterprise_scope(scope))
    )
    n, met = conn.execute(stmt).one()
    return {"assigned": int(n), "met": int(met), "rate": _rate(int(met), int(n)), "from": first, "to": last}


def per_team(conn: Connection, scope: Scope, today: date) -> list[dict[str, Any]]:
    """Per team in the period: 家次, 家 (its assigned enterprises it inspected), findings raised;
    findings overdue today (any period)."""
    r, cv = t.console_rollup.c, t.console_visits.c
    rows: dict[str, dict[str, Any]] = {}

    def row(team: str | None) -> dict[str, Any]:
        name = team or "-"
        return rows.setdefault(name, {"team": name, "visits": 0, "homes": 0, "raised": 0, "overdue": 0})

    for team, n, raised in conn.execute(
        select(r.team, func.sum(r.inspections), func.sum(r.raised))
        .where(*_rollup_scope(scope))
        .group_by(r.team)
    ):
        row(team)["visits"], row(team)["raised"] = int(n), int(raised)
    # 家 of a team: the enterprises assigned to it that it inspected in the period (one index probe
    # per assigned enterprise, not a scan of the season's visits).
    a, e = t.assignments.c, t.enterprises.c
    inspected = select(cv.visit_id).where(
        cv.enterprise_code == e.credit_code,
        func.coalesce(cv.team, "") == a.team,  # probe by enterprise, not by team (see homes)
        cv.visit_day >= scope.start,
        cv.visit_day <= scope.end,
        cv.kind != VisitKind.RECHECK.value,
    )
    grid = [e.grid == scope.grid] if scope.grid else []
    teams = [a.team == scope.team] if scope.team else []
    for team, n in conn.execute(
        select(a.team, func.count())
        .select_from(t.assignments.join(t.enterprises, e.id == a.enterprise_id))
        .where(inspected.exists(), *grid, *teams)
        .group_by(a.team)
    ):
        if team in rows:
            row(team)["homes"] = int(n)
    for team, _open, overdue, _major in open_by_team(conn, scope, today):
        if overdue:
            row(team)["overdue"] = overdue
    rows.pop("", None)
    return sorted(
        (v for v in rows.values() if v["visits"] or v["raised"] or v["overdue"]),
        key=lambda r: team_order(str(r["team"])),
    )


def team_order(name: str) -> tuple[int, str]:
    """第一 … 第二十二检查组 (or 第01检查组) in their numeric order, other names after, by name."""
    digits = "〇一二三四五六七八九"
    body = name[1:].split("检查组", maxsplit=1)[0] if name.startswith("第") and "检查组" in name else ""
    if body.isdigit():
        return int(body), name
    if body and all(ch in digits + "十" for ch in body):
        tens, _, ones = body.rpartition("十")
        value = (digits.index(tens) if tens else 1) * 10 if "十" in body else 0
        return value + (digits.index(ones) if ones else 0), name
    return 10_000, name


def per_inspector(conn: Connection, scope: Scope, limit: int = 40) -> list[dict[str, Any]]:
    """Per inspector (badge number) in the period: visits taken part in (inspections and re-checks)."""
    d, u = t.console_inspector_days.c, t.users.c
    conds = [d.day >= scope.start, d.day <= scope.end] + ([d.team == scope.team] if scope.team else [])
    total = func.sum(d.visits)
    rows = conn.execute(
        select(d.badge_number, func.max(d.team), total)
        .where(*conds)
        .group_by(d.badge_number)
        .order_by(total.desc(), d.badge_number)
        .limit(limit)
    ).all()
    badges = [r[0] for r in rows]
    names: dict[str, str] = {}
    for b, n in conn.execute(select(u.badge_number, u.display_name).where(u.badge_number.in_(badges))):
        names[b] = n
    return [
        {"badge": b, "name": names.get(b, ""), "team": team or "-", "visits": int(n)} for b, team, n in rows
    ]


def series(conn: Connection, scope: Scope) -> list[dict[str, Any]]:
    """Per day of the period (at least the last 14 days): inspections and findings raised."""
    start = min(scope.start, scope.end - timedelta(days=13))
    r = t.console_rollup.c
    per_day = {
        day: (int(n), int(raised))
        for day, n, raised in conn.execute(
            select(r.day, func.sum(r.inspections), func.sum(r.raised))
            .where(*_rollup_scope(scope, start))
            .group_by(r.day)
        )
    }
    out = []
    for i in range((scope.end - start).days + 1):
        d = start + timedelta(days=i)
        n, raised = per_day.get(d, (0, 0))
        out.append({"day": d, "visits": n, "findings": raised})
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
