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
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from inspector_app.central.console.figures import Scope, enterprise_scope, in_place, overdue_conds
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
    """The scope's visits up to its last day (the figures' 累计 read them all)."""
    cv = t.console_visits.c
    return [cv.visit_day <= scope.end, *in_place(cv, scope)]


def _finding_conds(scope: Scope) -> list[Any]:
    f = t.console_findings.c
    return [f.found_on <= scope.end, *in_place(f, scope)]


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def summary_data(conn: Connection, scope: Scope, *, issuer: Issuer, now: datetime) -> SummaryData:
    """What ``reports.summary`` prints for ``scope`` (the street, a team or a grid, over its days).

    A season of the street is ~120,000 visits and ~200,000 findings: what the definitions read of
    findings and documents is counted in SQL, alike rows grouped with their count, so only visits
    travel one by one (the distinct-enterprise figures need them)."""
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

    cv = t.console_visits.c
    visits = conn.execute(
        select(cv.visit_id, cv.enterprise_code, cv.visit_day, cv.kind, cv.form_code, cv.inspectors)
        .where(*_visit_conds(scope))
        .order_by(cv.visit_day, cv.completed_at)  # as street_figures takes them
    ).all()
    for _, code, *_ in visits:  # a visited enterprise the register no longer has still counts
        if code not in ids:
            ids[code] = -len(ids) - 1
    recheck = VisitKind.RECHECK.value
    answers = _epidemic_answers(conn, _latest_epidemic(visits, ids))
    no_answers: dict[str, object] = {}
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
            ids[code],
            day,
            kind == recheck,
            form,
            len([b for b in (badges or "").split("、") if b]),
            answers.get(vid, no_answers),
        )
        for vid, code, day, kind, form, badges in visits
    ]
    finding_rows = _finding_groups(conn, scope)
    street = definitions.street_figures(
        enterprise_rows, visit_rows, finding_rows, _documents(conn, scope), first=first, last=last
    )

    # The sections beside the figures: the period's own rows.
    in_period = [(code, day, kind) for _, code, day, kind, *_ in visits if first <= day <= last]
    inspections = [(code, day) for code, day, kind in in_period if kind != recheck]
    found = [x for x in finding_rows if first <= x.found_on]
    closed = [x for x in found if definitions.closed_by(x.closed_on, last)]
    category = {r.credit_code: r.category or "未分类" for r in ents}
    inspected = {code for code, _ in inspections}
    approved = {r.credit_code for r in ents if r.resumption_status in definitions.APPROVED}
    resumed = {r.credit_code for r in ents if r.resumption_status == definitions.RESUMED}
    cat_scope = Counter(category.values())
    cat_inspected = Counter(category.get(c, "未分类") for c in inspected)
    cat_findings: Counter[str] = Counter()
    f = t.console_findings.c
    for code, n in conn.execute(
        select(f.enterprise_code, func.count())
        .where(*_finding_conds(scope), f.found_on >= first)
        .group_by(f.enterprise_code)
    ):
        cat_findings[category.get(code, "未分类")] += int(n)
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
    day_visits = Counter(day for _, day in inspections)
    day_findings: Counter[date] = Counter()
    for x in found:
        day_findings[x.found_on] += x.count
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
        findings_found=sum(x.count for x in found),
        findings_closed=sum(x.count for x in closed),
        major_found=sum(x.count for x in found if x.major),
        major_closed=sum(x.count for x in closed if x.major),
        fixed_on_site=sum(x.count for x in found if x.order == Order.ON_SITE_FIXED.value),
        categories=categories,
        inspectors=_inspectors(conn, scope),
        overdue=_overdue(conn, scope, names),
        requests=_requests(conn, scope, set(ids)),
        daily=tuple(
            (d, day_visits[d], day_findings[d])
            for d in (first + timedelta(days=i) for i in range((last - first).days + 1))
        ),
        street=street,
    )


def _latest_epidemic(visits: Sequence[Any], ids: dict[str, int]) -> list[str]:
    """The epidemic checks whose answers the figures can read: each enterprise's on its latest day
    of one (the figures take the latest; loading every check's document would cost seconds)."""
    epidemic = [
        (vid, ids[code], day)
        for vid, code, day, kind, form, _ in visits
        if form == definitions.EPIDEMIC_FORM and kind != VisitKind.RECHECK.value
    ]
    latest: dict[int, date] = {}
    for _, key, day in epidemic:
        if latest.get(key, date.min) < day:
            latest[key] = day
    return [vid for vid, key, day in epidemic if latest[key] == day]


def _finding_groups(conn: Connection, scope: Scope) -> list[definitions.FindingRow]:
    """The scope's findings to its last day, alike ones counted together (a season: ~200,000
    findings, a few thousand groups)."""
    f, cv = t.console_findings.c, t.console_visits.c
    major = Severity.MAJOR.value
    fire_forms = {code for code in _form_codes(conn) if domain_of(code) in (Domain.FIRE, Domain.SMALL_VENUES)}
    rows = conn.execute(
        select(f.found_on, f.severity, f.order_kind, f.deadline, f.closed_on, cv.form_code, func.count())
        # Only a major finding's form matters (collective review): the others skip the lookup.
        .select_from(
            t.console_findings.outerjoin(
                t.console_visits, and_(cv.visit_id == f.visit_id, f.severity == major)
            )
        )
        .where(*_finding_conds(scope))
        .group_by(f.found_on, f.severity, f.order_kind, f.deadline, f.closed_on, cv.form_code)
    )
    return [
        definitions.FindingRow(
            found_on,
            severity == major,
            order,
            deadline,
            closed_on,
            severity == major and form in fire_forms,
            int(n),
        )
        for found_on, severity, order, deadline, closed_on, form, n in rows
    ]


def _form_codes(conn: Connection) -> list[str]:
    return list(conn.execute(select(t.console_visits.c.form_code).distinct()).scalars())


# The (order, severity) pairs a visit's findings can have: what decides its documents.
_FACTS = tuple((order, severity) for order in Order for severity in Severity)


def _documents(conn: Connection, scope: Scope) -> list[definitions.DocumentRow]:
    """The documents the scope's visits issued (the domain's rule, documents_for_visit), counted
    per day: visits alike in day, form, kind and the (order, severity) pairs of their findings are
    grouped in SQL and the rule is asked once per group."""
    f, cv = t.console_findings.c, t.console_visits.c
    has = [
        func.max(case((and_(f.order_kind == order.value, f.severity == severity.value), 1), else_=0)).label(
            f"h{i}"
        )
        for i, (order, severity) in enumerate(_FACTS)
    ]
    per_visit = select(f.visit_id.label("visit_id"), *has).group_by(f.visit_id).subquery("facts")
    flags = [func.coalesce(per_visit.c[f"h{i}"], 0) for i in range(len(_FACTS))]
    rows = conn.execute(
        select(cv.visit_day, cv.form_code, cv.kind, *flags, func.count())
        .select_from(t.console_visits.outerjoin(per_visit, per_visit.c.visit_id == cv.visit_id))
        .where(*_visit_conds(scope))
        .group_by(cv.visit_day, cv.form_code, cv.kind, *flags)
    )
    out: list[definitions.DocumentRow] = []
    for day, form, kind, *bits, n in rows:
        facts = [
            FindingFacts(order.value, severity is Severity.MAJOR)
            for (order, severity), bit in zip(_FACTS, bits, strict=True)
            if bit
        ]
        for doc in documents_for_visit(domain_of(form), facts, recheck=kind == VisitKind.RECHECK.value):
            out.append(definitions.DocumentRow(DOC_SPECS[doc].title, day, int(n)))
    return out


def _overdue(conn: Connection, scope: Scope, names: dict[str, str]) -> tuple[OverdueRow, ...]:
    """The overdue findings printed with the report, the longest overdue first (at most
    OVERDUE_ROWS; the figures count them all)."""
    f, last = t.console_findings.c, scope.end
    conds = overdue_conds(scope)
    # Only the rows up to the last printed one's deadline (its ties included) are read and sorted.
    cutoff = conn.execute(
        select(f.deadline).where(*conds).order_by(f.deadline).offset(OVERDUE_ROWS - 1).limit(1)
    ).scalar()
    if cutoff is not None:
        conds.append(f.deadline <= cutoff)
    late = list(conn.execute(select(f.enterprise_code, f.title, f.severity, f.deadline).where(*conds)))
    late.sort(key=lambda x: (x.deadline, names.get(x.enterprise_code, x.enterprise_code), x.title))
    return tuple(
        OverdueRow(
            names.get(x.enterprise_code, x.enterprise_code),
            x.title,
            Severity(x.severity),
            x.deadline,
            (last - x.deadline).days,
        )
        for x in late[:OVERDUE_ROWS]
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


def _inspectors(conn: Connection, scope: Scope) -> tuple[InspectorRow, ...]:
    """Per inspector over the period: visits (家次), enterprises (家) and findings raised."""
    vi, cv, f = t.console_visit_inspectors.c, t.console_visits.c, t.console_findings.c
    raised = (
        select(f.visit_id.label("visit_id"), func.count().label("n"))
        .where(*_finding_conds(scope), f.found_on >= scope.start)
        .group_by(f.visit_id)
        .subquery("raised")
    )
    conds = [*_visit_conds(scope), cv.visit_day >= scope.start] + (
        [vi.team == scope.team] if scope.team else []
    )
    rows = conn.execute(
        select(
            vi.badge_number,
            func.count(),
            func.count(cv.enterprise_code.distinct()),
            func.coalesce(func.sum(raised.c.n), 0),
        )
        .select_from(
            t.console_visit_inspectors.join(t.console_visits, cv.visit_id == vi.visit_id).outerjoin(
                raised, raised.c.visit_id == vi.visit_id
            )
        )
        .where(*conds)
        .group_by(vi.badge_number)
    ).all()
    u = t.users.c
    badges = [r[0] for r in rows]
    names = dict(conn.execute(select(u.badge_number, u.display_name).where(u.badge_number.in_(badges))).all())
    return tuple(
        InspectorRow(names.get(b, b), b, int(visits), int(homes), int(found))
        for b, visits, homes, found in sorted(rows, key=lambda r: (-int(r[1]), r[0]))
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
