"""The queries behind 今日任务 and 隐患整改: due visits, due re-inspections and open findings.

Due-ness is computed in SQL from the assignment's cadence and last visit, so the worklist over the
whole register is one indexed scan rather than a Python loop over 100,000 enterprises. The cadence
rule itself is the domain's (``domain.organisation.due_date``): the SQL's interval is written out
from ``Cadence.interval_days``, and tests/inspection/test_worklist_cadence.py holds the two together.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

from inspector_app.domain.organisation import Cadence


@dataclass(frozen=True, slots=True)
class WorkItem:
    enterprise_id: int
    credit_code: str
    name: str
    address: str
    grid: str
    category: str
    resumption_status: str
    team: str
    last_visit_on: date | None
    due_on: date
    days_overdue: int
    reason: str  # 例行检查 / 隐患复查 / 进行中
    open_findings: int
    search_text: str = ""  # what the register search looks in, so the list can filter in memory
    draft_visit_id: str = ""  # a visit started on this laptop and not completed yet
    draft_started_at: datetime | None = None

    @property
    def in_progress(self) -> bool:
        return bool(self.draft_visit_id)

    @property
    def recheck_due(self) -> bool:
        return self.reason == RECHECK_REASON


DRAFT_REASON = "进行中"
RECHECK_REASON = "隐患复查"  # as _DUE_SQL words it: an open finding's deadline has come


# Days between visits by visits per week, from the domain's rule. A cadence outside 1..7 (which the
# domain refuses, and an office could still send) counts as daily: never silently left off the list.
_INTERVAL_SQL = "CASE a.visits_per_week {} ELSE 1 END".format(
    " ".join(f"WHEN {n} THEN {Cadence(n).interval_days}" for n in range(1, 8))
)

_DUE_SQL = """
WITH due AS (
    SELECT a.enterprise_id, a.team, a.last_visit_on,
           CASE WHEN a.last_visit_on IS NULL THEN a.assigned_on
                ELSE date(a.last_visit_on, '+' || INTERVAL_DAYS || ' days') END AS due_on
    FROM assignment a
    WHERE (:team IS NULL OR a.team = :team)
),
open_f AS (
    SELECT f.enterprise_id, count(*) AS n, min(f.deadline) AS first_deadline
    FROM finding f JOIN visit v ON v.id = f.visit_id
    WHERE f.status != 'closed' AND v.status = 'completed'
    GROUP BY f.enterprise_id
)
SELECT e.id, e.credit_code, e.name, e.address, coalesce(e.grid, ''), coalesce(e.category, ''),
       e.resumption_status, d.team, d.last_visit_on,
       CASE WHEN o.first_deadline IS NOT NULL AND o.first_deadline <= :today
                 AND o.first_deadline < d.due_on THEN o.first_deadline ELSE d.due_on END AS due_on,
       CASE WHEN o.first_deadline IS NOT NULL AND o.first_deadline <= :today THEN '隐患复查'
            ELSE '例行检查' END AS reason,
       coalesce(o.n, 0), e.search_text || char(31) || e.pinyin_text
FROM due d
JOIN enterprise e ON e.id = d.enterprise_id
LEFT JOIN open_f o ON o.enterprise_id = e.id
WHERE e.resumption_status != '停业'
  AND (d.due_on <= :today OR (o.first_deadline IS NOT NULL AND o.first_deadline <= :today))
  AND (:grid IS NULL OR e.grid = :grid)
  AND (:category IS NULL OR e.category = :category)
""".replace("INTERVAL_DAYS", _INTERVAL_SQL)  # ordered in Python (``_due_only``)


# Visits started and not completed (the newest per enterprise), with what a worklist row shows.
_DRAFTS_SQL = """
SELECT v.id, v.started_at, e.id, e.credit_code, e.name, e.address, coalesce(e.grid, ''),
       coalesce(e.category, ''), e.resumption_status, coalesce(a.team, ''), a.last_visit_on,
       e.search_text || char(31) || e.pinyin_text,
       (SELECT count(*) FROM finding f JOIN visit fv ON fv.id = f.visit_id
        WHERE f.enterprise_id = e.id AND f.status != 'closed' AND fv.status = 'completed')
FROM visit v
JOIN enterprise e ON e.id = v.enterprise_id
LEFT JOIN assignment a ON a.enterprise_id = e.id
WHERE v.status = 'draft'
  AND (:team IS NULL OR a.team = :team)
  AND (:grid IS NULL OR e.grid = :grid)
  AND (:category IS NULL OR e.category = :category)
ORDER BY v.started_at DESC
"""


def _as_datetime(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def due_work(
    session: Session,
    today: date,
    *,
    team: str | None = None,
    grid: str | None = None,
    category: str | None = None,
) -> list[WorkItem]:
    """Visits in progress first (newest first), then enterprises due today or earlier, the most
    overdue first, re-inspections included. An enterprise with a visit in progress is listed once,
    as 进行中: finishing that visit is its next step."""
    due = _due_only(session, today, team=team, grid=grid, category=category)
    params = {"team": team, "grid": grid, "category": category}
    by_enterprise = {w.enterprise_id: w for w in due}
    drafts: list[WorkItem] = []
    for r in session.connection().execute(text(_DRAFTS_SQL), params):
        enterprise_id = r[2]
        if any(d.enterprise_id == enterprise_id for d in drafts):
            continue  # an older draft of the same enterprise: the newest one is resumed
        started = _as_datetime(r[1])
        listed = by_enterprise.get(enterprise_id)
        if listed is None:
            listed = WorkItem(
                enterprise_id=enterprise_id, credit_code=r[3], name=r[4], address=r[5], grid=r[6],
                category=r[7], resumption_status=r[8], team=r[9],
                last_visit_on=date.fromisoformat(str(r[10])) if r[10] else None,
                due_on=started.date(), days_overdue=0, reason=DRAFT_REASON, open_findings=r[12],
                search_text=r[11] or "",
            )
        drafts.append(replace(listed, reason=DRAFT_REASON, draft_visit_id=r[0], draft_started_at=started))
    in_progress = {d.enterprise_id for d in drafts}
    return drafts + [w for w in due if w.enterprise_id not in in_progress]


def _due_order(row: tuple[Any, ...]) -> tuple[str, str]:
    return row[9], row[2]  # due_on (ISO text), name


def _due_only(
    session: Session,
    today: date,
    *,
    team: str | None = None,
    grid: str | None = None,
    category: str | None = None,
) -> list[WorkItem]:
    """Enterprises due today or earlier, the most overdue first, re-inspections included."""
    # The driver's own cursor and positional construction: 今日任务 of 20,000 rows is waiting on this,
    # and SQLAlchemy's row objects plus keyword arguments were a third of the load.
    cursor = session.connection().connection.cursor()
    try:
        params = {"today": today.isoformat(), "team": team, "grid": grid, "category": category}
        cursor.execute(_DUE_SQL, params)
        rows = list(cursor.fetchall())
    finally:
        cursor.close()
    # The most overdue first, then by name. Sorted here, not by ORDER BY: SQLite's sorter carries
    # every column of the row, the long search text too, and took 3/4 of the query (218 ms of
    # 20,000 rows against 56 unsorted, plus ~15 ms here). ISO dates and names compare alike in both.
    rows.sort(key=_due_order)
    days: dict[str, tuple[date, int]] = {}  # a few hundred distinct dates among the rows

    def day(iso: str) -> tuple[date, int]:
        found = days.get(iso)
        if found is None:
            on = date.fromisoformat(iso)
            found = days[iso] = (on, max(0, (today - on).days))
        return found

    out = []
    for r in rows:
        due_on, overdue = day(str(r[9]))
        last = day(str(r[8]))[0] if r[8] else None
        # in field order: enterprise_id … team, last_visit_on, due_on, days_overdue, reason, open_findings,
        # search_text
        out.append(WorkItem(
            r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], last, due_on, overdue, r[10], r[11], r[12]
        ))
    return out


@dataclass(frozen=True)
class OpenFinding:
    id: str
    enterprise_code: str
    enterprise_name: str
    grid: str
    title: str
    severity: str
    order: str
    deadline: date
    found_on: date
    status: str
    visit_id: str

    def overdue(self, today: date) -> bool:
        return self.deadline < today


_FINDINGS_SQL = """
SELECT f.id, e.credit_code, e.name, coalesce(e.grid, ''), f.title, f.severity, f."order", f.deadline,
       f.found_on, f.status, f.visit_id
FROM finding f
JOIN visit v ON v.id = f.visit_id
JOIN enterprise e ON e.id = f.enterprise_id
WHERE f.status != 'closed' AND v.status = 'completed'
  AND (:grid IS NULL OR e.grid = :grid)
  AND (:severity IS NULL OR f.severity = :severity)
  AND (:enterprise IS NULL OR e.credit_code = :enterprise)
ORDER BY f.deadline, e.name, f.title
"""


def open_findings(
    session: Session, *, grid: str | None = None, severity: str | None = None, enterprise: str | None = None
) -> list[OpenFinding]:
    rows = session.connection().execute(
        text(_FINDINGS_SQL), {"grid": grid, "severity": severity, "enterprise": enterprise}
    )
    return [
        OpenFinding(
            id=r[0],
            enterprise_code=r[1],
            enterprise_name=r[2],
            grid=r[3],
            title=r[4],
            severity=r[5],
            order=r[6],
            deadline=date.fromisoformat(str(r[7])),
            found_on=date.fromisoformat(str(r[8])),
            status=r[9],
            visit_id=r[10],
        )
        for r in rows
    ]
