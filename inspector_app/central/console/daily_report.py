"""The street's 日报 (or the report of any period) as the laptop prints it: ``reports.summary``.

The figures reported upward are ``domain.figures.street_figures`` over rows read from the server's
read model (visits, findings, the register with its cadences), the one set of definitions the
laptop's summary uses and the console's 总览 counts in SQL. The documents a visit issued follow
the domain's rule (``domain.enforcement.documents_for_visit``). This module only queries and
hands rows over; it holds no definition of its own.
"""

from __future__ import annotations

import io
import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from inspector_app.central.console.figures import Scope, enterprise_scope
from inspector_app.central.db import tables as t
from inspector_app.domain import figures as definitions
from inspector_app.domain.enforcement import DOC_SPECS, Domain, FindingFacts, documents_for_visit, domain_of
from inspector_app.domain.finding import Order, Severity
from inspector_app.domain.visit import VisitKind
from inspector_app.reports.data import (
    REQUEST_STATUSES,
    CategoryRow,
    InspectorRow,
    Issuer,
    OverdueRow,
    RequestRow,
    SummaryData,
)
from inspector_app.reports.summary import build_summary

# The overdue list printed with the report: the longest overdue first (the count in the figures is
# always complete).
OVERDUE_ROWS = 300
_CHUNK = 2000


def _visit_conds(scope: Scope) -> list[Any]:
    cv = t.console_visits.c
    conds: list[Any] = [cv.visit_day <= scope.end]
    if scope.team:
        conds.append(cv.team == scope.team)
    if scope.grid:
        conds.append(cv.grid == scope.grid)
    return conds


def _finding_conds(scope: Scope) -> list[Any]:
    f = t.console_findings.c
    conds: list[Any] = [f.found_on <= scope.end]
    if scope.team:
        conds.append(f.team == scope.team)
    if scope.grid:
        conds.append(f.grid == scope.grid)
    return conds


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def summary_data(conn: Connection, scope: Scope, *, issuer: Issuer, now: datetime) -> SummaryData:
    """What ``reports.summary`` prints for ``scope`` (the street, a team or a grid, over its days)."""
    first, last = scope.start, scope.end
    e, a = t.enterprises.c, t.assignments.c
    ents = conn.execute(
        select(
            e.id,
            e.credit_code,
            e.name,
            e.category,
            e.resumption_status,
            e.staff_total,
            e.staff_on_site,
            a.visits_per_week,
        )
        .select_from(t.enterprises.outerjoin(t.assignments, a.enterprise_id == e.id))
        .where(*enterprise_scope(scope))
    ).all()
    ids: dict[str, int] = {r.credit_code: int(r.id) for r in ents}
    names = {r.credit_code: r.name for r in ents}

    def eid(code: str) -> int:  # a visited enterprise the register no longer has still counts
        return ids.setdefault(code, -len(ids) - 1)

    cv = t.console_visits.c
    visits = conn.execute(
        select(cv.visit_id, cv.enterprise_code, cv.visit_day, cv.kind, cv.form_code, cv.inspectors).where(
            *_visit_conds(scope)
        )
    ).all()
    form_of = {v.visit_id: v.form_code for v in visits}
    answers = _epidemic_answers(
        conn, [v.visit_id for v in visits if v.form_code == definitions.EPIDEMIC_FORM]
    )
    f = t.console_findings.c
    findings = conn.execute(
        select(
            f.visit_id,
            f.enterprise_code,
            f.found_on,
            f.severity,
            f.order_kind,
            f.deadline,
            f.closed_on,
            f.title,
        ).where(*_finding_conds(scope))
    ).all()

    enterprise_rows = [
        definitions.EnterpriseRow(
            int(r.id),
            r.category or "",
            r.resumption_status,
            r.staff_total,
            r.staff_on_site,
            r.visits_per_week,
        )
        for r in ents
    ]
    visit_rows = [
        definitions.VisitRow(
            eid(v.enterprise_code),
            v.visit_day,
            v.kind == VisitKind.RECHECK.value,
            v.form_code,
            len([b for b in (v.inspectors or "").split("、") if b]),
            answers.get(v.visit_id, {}),
        )
        for v in visits
    ]
    major = Severity.MAJOR.value
    fire_forms = {c for c in set(form_of.values()) if domain_of(c) in (Domain.FIRE, Domain.SMALL_VENUES)}
    finding_rows = [
        definitions.FindingRow(
            eid(x.enterprise_code),
            x.found_on,
            x.severity == major,
            x.order_kind,
            x.deadline,
            x.closed_on,
            x.severity == major and form_of.get(x.visit_id, "") in fire_forms,
        )
        for x in findings
    ]
    by_visit: dict[str, list[FindingFacts]] = defaultdict(list)
    for x in findings:
        by_visit[x.visit_id].append(FindingFacts(x.order_kind, x.severity == major))
    documents = [
        definitions.DocumentRow(DOC_SPECS[kind].title, v.visit_day)
        for v in visits
        for kind in documents_for_visit(
            domain_of(v.form_code), by_visit.get(v.visit_id, ()), recheck=v.kind == VisitKind.RECHECK.value
        )
    ]
    street = definitions.street_figures(
        enterprise_rows, visit_rows, finding_rows, documents, first=first, last=last
    )

    # The sections beside the figures: the period's own rows.
    in_period = [v for v in visits if first <= v.visit_day <= last]
    inspections = [v for v in in_period if v.kind != VisitKind.RECHECK.value]
    found = [x for x in findings if first <= x.found_on]
    closed = [x for x in found if definitions.closed_by(x.closed_on, last)]
    category = {r.credit_code: r.category or "未分类" for r in ents}
    inspected = {v.enterprise_code for v in inspections}
    approved = {r.credit_code for r in ents if r.resumption_status in definitions.APPROVED}
    resumed = {r.credit_code for r in ents if r.resumption_status == definitions.RESUMED}
    cat_scope = Counter(category.values())
    cat_inspected = Counter(category.get(c, "未分类") for c in inspected)
    cat_findings = Counter(category.get(x.enterprise_code, "未分类") for x in found)
    categories = tuple(
        CategoryRow(
            c,
            cat_scope[c],
            cat_inspected[c],
            sum(1 for code in approved if category[code] == c),
            cat_findings[c],
            sum(1 for code in resumed if category[code] == c),
        )
        for c in sorted(set(cat_scope) | set(cat_inspected), key=lambda c: (-cat_scope[c], c))
    )
    late = [x for x in findings if definitions.overdue_on(x.closed_on, x.deadline, x.order_kind, last)]
    late.sort(key=lambda x: (x.deadline, names.get(x.enterprise_code, x.enterprise_code), x.title))
    overdue = [  # only the rows printed are built: the longest overdue first
        OverdueRow(
            names.get(x.enterprise_code, x.enterprise_code),
            x.title,
            Severity(x.severity),
            x.deadline,
            (last - x.deadline).days,
        )
        for x in late[:OVERDUE_ROWS]
    ]
    day_visits = Counter(v.visit_day for v in inspections)
    day_findings = Counter(x.found_on for x in found)
    return SummaryData(
        issuer=issuer,
        scope=f"检查组：{scope.team}" if scope.team else (f"网格：{scope.grid}" if scope.grid else "全街道"),
        date_from=first,
        date_to=last,
        generated_at=now,
        visits=len(inspections),
        rechecks=len(in_period) - len(inspections),
        enterprises_in_scope=len(ents),
        enterprises_inspected=len(inspected),
        approved=len(approved),
        findings_found=len(found),
        findings_closed=len(closed),
        major_found=sum(1 for x in found if x.severity == major),
        major_closed=sum(1 for x in closed if x.severity == major),
        fixed_on_site=sum(1 for x in found if x.order_kind == Order.ON_SITE_FIXED.value),
        categories=categories,
        inspectors=_inspectors(conn, scope, in_period, found),
        overdue=tuple(overdue),
        requests=_requests(conn, scope, set(ids)),
        daily=tuple(
            (d, day_visits[d], day_findings[d])
            for d in (first + timedelta(days=i) for i in range((last - first).days + 1))
        ),
        street=street,
    )


def _epidemic_answers(conn: Connection, visit_ids: list[str]) -> dict[str, dict[str, object]]:
    """The two answers the figures read from the epidemic check (daily report, staff isolated)."""
    out: dict[str, dict[str, object]] = {}
    v = t.visits.c
    for chunk in _chunks(visit_ids):
        for vid, raw in conn.execute(select(v.id, v.document_json).where(v.id.in_(chunk))):
            given = json.loads(raw).get("answers", {})
            out[vid] = {k: given[k] for k in ("daily_report", "staff_isolated") if k in given}
    return out


def _inspectors(
    conn: Connection, scope: Scope, visits: list[Any], found: list[Any]
) -> tuple[InspectorRow, ...]:
    vi = t.console_visit_inspectors.c
    wanted = [v.visit_id for v in visits]
    code_of = {v.visit_id: v.enterprise_code for v in visits}
    findings_of = Counter(x.visit_id for x in found)
    per_visits: Counter[str] = Counter()
    per_ents: dict[str, set[str]] = defaultdict(set)
    per_findings: Counter[str] = Counter()
    for chunk in _chunks(wanted):
        conds = [vi.visit_id.in_(chunk)] + ([vi.team == scope.team] if scope.team else [])
        for vid, badge in conn.execute(select(vi.visit_id, vi.badge_number).where(*conds)):
            per_visits[badge] += 1
            per_ents[badge].add(code_of[vid])
            per_findings[badge] += findings_of[vid]
    u = t.users.c
    names = dict(
        conn.execute(select(u.badge_number, u.display_name).where(u.badge_number.in_(list(per_visits)))).all()
    )
    return tuple(
        InspectorRow(names.get(b, b), b, per_visits[b], len(per_ents[b]), per_findings[b])
        for b in sorted(per_visits, key=lambda b: (-per_visits[b], b))
    )


def _requests(conn: Connection, scope: Scope, codes: set[str]) -> tuple[RequestRow, ...]:
    r = t.enterprise_requests.c
    start = datetime.combine(scope.start, datetime.min.time()).astimezone()
    end = datetime.combine(scope.end + timedelta(days=1), datetime.min.time()).astimezone()
    conds = [r.created_at >= start, r.created_at < end] + ([r.team == scope.team] if scope.team else [])
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for code, category, status in conn.execute(select(r.enterprise_code, r.category, r.status).where(*conds)):
        if scope.grid is None or code in codes:
            counts[category][status] += 1
    return tuple(
        RequestRow(cat, tuple((st, counts[cat][st]) for st in REQUEST_STATUSES))
        for cat in sorted(counts, key=lambda c: (-sum(counts[c].values()), c))
    )


def daily_report_pdf(data: SummaryData) -> bytes:
    out = io.BytesIO()
    build_summary(data, out)
    return out.getvalue()
