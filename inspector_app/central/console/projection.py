"""The console's read model, projected from the frozen visit documents the server stores.

A visit is projected once, in the transaction that stores it (``project_visits``, called from
``logic/push.py``), into rows the figures can count with an index: the visit (day, team, grid,
category, form, outcome), its inspectors, and its findings with their state. Finding follow-ups
pushed on their own (an enterprise's report of a fix) are folded in by ``catch_up_events``, which
reads ``finding_events`` from where it last stopped. ``backfill`` projects visits stored before
the console existed. Projecting is idempotent: doing it twice changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from inspector_app.central.db import tables as t
from inspector_app.central.db.statements import insert_ignore
from inspector_app.domain.clock import local_date
from inspector_app.domain.finding import FindingEventKind, FindingStatus, Order, RecheckResult, Severity
from inspector_app.domain.visit import VisitKind
from inspector_app.register.search_text import escape_like, query_terms, search_text
from inspector_app.wire import DocumentError, VisitDocument, check_document

_WATERMARK = "finding_events_watermark"
_ROLLUP_COUNTS = ("inspections", "rechecks", "raised", "raised_major", "rectified", "closed", "major_closed")
_EVENT_BATCH = 2000


def _day(text: str, fallback: date) -> date:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return fallback


def _visit_day(doc: VisitDocument) -> date:
    try:
        return local_date(datetime.fromisoformat(doc.completed_at))
    except ValueError:
        return _day(doc.completed_at, date(1970, 1, 1))


def project_visits(
    conn: Connection,
    docs: Iterable[VisitDocument],
    *,
    placed: Mapping[str, tuple[str | None, str, str]] | None = None,
) -> int:
    """Project newly stored visits (their rows in ``visits`` must exist); returns how many.

    ``placed``: visit id → (team, grid, category) as the caller just read them in this transaction
    (the push has): then they are not read again.
    """
    docs = list(docs)
    if not docs:
        return 0
    if placed is None:
        placed = _placed(conn, docs)
    visit_rows: list[dict[str, Any]] = []
    inspector_rows: list[dict[str, Any]] = []
    finding_rows: list[dict[str, Any]] = []
    for doc in docs:
        day = _visit_day(doc)
        team, grid, category = placed.get(doc.id, (None, "", ""))
        visit_rows.append(
            {
                "visit_id": doc.id,
                "enterprise_code": doc.enterprise.credit_code,
                "team": team,
                "grid": grid,
                "category": category,
                "form_code": doc.form.code,
                "kind": doc.kind,
                "outcome": doc.outcome,
                "visit_day": day,
                "completed_at": doc.completed_at,
                "inspectors": "、".join(doc.inspectors),
                "findings": len(doc.findings),
            }
        )
        inspector_rows += [
            {"visit_id": doc.id, "badge_number": b, "visit_day": day, "team": team}
            for b in dict.fromkeys(doc.inspectors)
        ]
        finding_rows += [
            {
                "finding_id": f.id,
                "visit_id": doc.id,
                "enterprise_code": doc.enterprise.credit_code,
                "team": team,
                "grid": grid,
                "severity": f.severity,
                "title": f.title,
                "order_kind": f.order,
                "found_on": _day(f.found_on, day),
                "deadline": _day(f.deadline, day),
                "status": FindingStatus.OPEN.value,
                "rectified_on": None,
                "closed_on": None,
                "closed_by_visit": None,
            }
            for f in doc.findings
        ]
    new = insert_ignore(conn, t.console_visits, visit_rows, "visit_id")
    insert_ignore(conn, t.console_visit_inspectors, inspector_rows, "visit_id")
    new_findings = insert_ignore(conn, t.console_findings, finding_rows, "finding_id")
    _add_to_rollup(
        conn,
        [r for r in visit_rows if r["visit_id"] in new],
        [r for r in finding_rows if r["finding_id"] in new_findings],
    )
    # Follow-ups that arrived before their visit (a laptop pushes what it has, in any order).
    if new_findings:
        _apply_stored_events(conn, sorted(new_findings))
    # Corrected in the inspector's presence (当场整改完毕): closed on the day found, never overdue,
    # as on the laptop (domain.figures counts it among the closed).
    for r in finding_rows:
        if r["finding_id"] in new_findings and r["order_kind"] == Order.ON_SITE_FIXED.value:
            _apply(
                conn, r["finding_id"], FindingEventKind.RECHECK_PASSED, r["found_on"], visit_id=r["visit_id"]
            )
    for doc in docs:
        if doc.id in new:
            day = _visit_day(doc)
            for m in doc.recheck:
                passed = m.result == RecheckResult.RECTIFIED.value
                _apply(
                    conn,
                    m.finding_id,
                    FindingEventKind.RECHECK_PASSED if passed else FindingEventKind.RECHECK_FAILED,
                    day,
                    new_deadline=_day(m.new_deadline, day) if m.new_deadline else None,
                    visit_id=doc.id,
                )
    return len(new)


def _placed(conn: Connection, docs: Sequence[VisitDocument]) -> dict[str, tuple[str | None, str, str]]:
    v, e = t.visits.c, t.enterprises.c
    teams = dict(conn.execute(select(v.id, v.team).where(v.id.in_([d.id for d in docs]))).all())
    codes = sorted({d.enterprise.credit_code for d in docs})
    places = {
        r.credit_code: (r.grid, r.category)
        for r in conn.execute(select(e.credit_code, e.grid, e.category).where(e.credit_code.in_(codes)))
    }
    return {d.id: (teams.get(d.id), *places.get(d.enterprise.credit_code, ("", ""))) for d in docs}


Counts = dict[tuple[date, str, str], dict[str, int]]


def _bump(counts: Counts, day: date, team: str | None, grid: str, column: str, *, by: int = 1) -> None:
    row = counts.setdefault((day, team or "", grid), dict.fromkeys(_ROLLUP_COUNTS, 0))
    row[column] += by


def _add_to_rollup(
    conn: Connection, visits: Sequence[dict[str, Any]], findings: Sequence[dict[str, Any]]
) -> None:
    """Add newly projected visits and findings to the per-day counts (a repeat is not new: adds nothing)."""
    counts: Counts = {}
    for v in visits:
        kind = "rechecks" if v["kind"] == VisitKind.RECHECK.value else "inspections"
        _bump(counts, v["visit_day"], v["team"], v["grid"], kind)
    for f in findings:
        _bump(counts, f["found_on"], f["team"], f["grid"], "raised")
        if f["severity"] == Severity.MAJOR.value:
            _bump(counts, f["found_on"], f["team"], f["grid"], "raised_major")
    _write_counts(conn, counts)
    _count_open(conn, [(f["deadline"], f["team"], f["grid"], f["severity"], 1) for f in findings])
    inspectors: dict[tuple[date, str, str], int] = {}
    for v in visits:
        for badge in dict.fromkeys(v["inspectors"].split("、")) if v["inspectors"] else ():
            key = (v["visit_day"], badge, v["team"] or "")
            inspectors[key] = inspectors.get(key, 0) + 1
    if inspectors:
        index = ("day", "badge_number", "team")
        conn.execute(
            _adding(conn.dialect.name, t.console_inspector_days, index, ("visits",)),
            [
                {"day": d, "badge_number": b, "team": tm, "visits": n}
                for (d, b, tm), n in sorted(inspectors.items())
            ],
        )


@cache
def _adding(dialect: str, table: Any, key: tuple[str, ...], counts: tuple[str, ...]) -> Any:
    """An insert that adds its ``counts`` to those of the row with the same ``key``, if there is
    one (built once per dialect: every push runs it)."""
    stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(table)
    return stmt.on_conflict_do_update(
        index_elements=list(key), set_={c: table.c[c] + stmt.excluded[c] for c in counts}
    )


def _count_open(conn: Connection, changes: Sequence[tuple[date, str | None, str, str, int]]) -> None:
    """Add (or take away) findings not yet closed at their (deadline, team, grid, severity)."""
    totals: dict[tuple[date, str, str, str], int] = {}
    for deadline, team, grid, severity, by in changes:
        key = (deadline, team or "", grid, severity)
        totals[key] = totals.get(key, 0) + by
    rows = [
        {"deadline": d, "team": tm, "grid": g, "severity": sv, "findings": n}
        for (d, tm, g, sv), n in sorted(totals.items())
        if n
    ]
    if not rows:
        return
    index = ("deadline", "team", "grid", "severity")
    conn.execute(_adding(conn.dialect.name, t.console_open_findings, index, ("findings",)), rows)


def _write_counts(conn: Connection, counts: Counts) -> None:
    if not counts:
        return
    rows = [{"day": d, "team": tm, "grid": g, **n} for (d, tm, g), n in sorted(counts.items())]
    conn.execute(_adding(conn.dialect.name, t.console_rollup, ("day", "team", "grid"), _ROLLUP_COUNTS), rows)


def _apply(
    conn: Connection,
    finding_id: str,
    kind: FindingEventKind,
    day: date,
    *,
    new_deadline: date | None = None,
    visit_id: str | None = None,
) -> None:
    """One follow-up's effect on a finding, by the domain's lifecycle (a closed one stays closed),
    and on the counts of its day of discovery (rectified, closed)."""
    f = t.console_findings.c
    row = conn.execute(
        select(f.status, f.rectified_on, f.found_on, f.team, f.grid, f.severity, f.deadline).where(
            f.finding_id == finding_id
        )
    ).first()
    if row is None or row.status == FindingStatus.CLOSED.value:
        return
    values: dict[str, Any]
    if kind is FindingEventKind.REPORTED_RECTIFIED:
        values = {"status": FindingStatus.RECTIFIED.value, "rectified_on": day}
    elif kind is FindingEventKind.RECHECK_PASSED:
        values = {
            "status": FindingStatus.CLOSED.value,
            "closed_on": day,
            "closed_by_visit": visit_id,
            "rectified_on": row.rectified_on or day,
        }
    elif kind is FindingEventKind.RECHECK_FAILED:
        values = {"status": FindingStatus.OPEN.value, "rectified_on": None}
    else:
        return
    if new_deadline is not None:
        values["deadline"] = new_deadline
    conn.execute(update(t.console_findings).where(f.finding_id == finding_id).values(values))
    counts: Counts = {}
    was_rectified, is_rectified = row.rectified_on is not None, values["rectified_on"] is not None
    if was_rectified != is_rectified:
        _bump(counts, row.found_on, row.team, row.grid, "rectified", by=1 if is_rectified else -1)
    if values["status"] == FindingStatus.CLOSED.value:
        _bump(counts, row.found_on, row.team, row.grid, "closed")
        if row.severity == Severity.MAJOR.value:
            _bump(counts, row.found_on, row.team, row.grid, "major_closed")
    _write_counts(conn, counts)
    # Still open: it may have moved to another deadline; closed: it leaves the open counts.
    deadline = values.get("deadline", row.deadline)
    if values["status"] == FindingStatus.CLOSED.value or deadline != row.deadline:
        moves = [(row.deadline, row.team, row.grid, row.severity, -1)]
        if values["status"] != FindingStatus.CLOSED.value:
            moves.append((deadline, row.team, row.grid, row.severity, 1))
        _count_open(conn, moves)


def _apply_rows(conn: Connection, rows: Sequence[Any]) -> None:
    for r in sorted(rows, key=lambda r: (r.at_client, r.id)):
        at = r.at_client
        _apply(
            conn,
            r.finding_id,
            FindingEventKind(r.kind),
            local_date(at) if isinstance(at, datetime) else at,
            new_deadline=r.new_deadline,
            visit_id=r.visit_id,
        )


def _apply_stored_events(conn: Connection, finding_ids: Sequence[str]) -> None:
    fe = t.finding_events.c
    rows = conn.execute(
        select(fe.id, fe.finding_id, fe.kind, fe.at_client, fe.new_deadline, fe.visit_id).where(
            fe.finding_id.in_(list(finding_ids))
        )
    ).all()
    _apply_rows(conn, rows)


def _watermark(conn: Connection) -> tuple[datetime, str] | None:
    raw = conn.execute(
        select(t.console_state.c.value).where(t.console_state.c.key == _WATERMARK)
    ).scalar_one_or_none()
    if raw is None:
        return None
    at, ident = json.loads(raw)
    return datetime.fromisoformat(at), ident


def _after(mark: tuple[datetime, str] | None) -> Any:
    fe = t.finding_events.c
    if mark is None:
        return fe.id.is_not(None)
    at, ident = mark
    return or_(fe.received_at > at, and_(fe.received_at == at, fe.id > ident))


def events_pending(conn: Connection) -> bool:
    """Whether finding follow-ups arrived since the last catch-up (a cheap indexed read)."""
    fe = t.finding_events.c
    return conn.execute(select(fe.id).where(_after(_watermark(conn))).limit(1)).first() is not None


def catch_up_events(conn: Connection) -> int:
    """Fold finding follow-ups received since the last call into the read model; returns how many."""
    fe = t.finding_events.c
    mark = _watermark(conn)
    done = 0
    while True:
        rows = conn.execute(
            select(fe.id, fe.finding_id, fe.kind, fe.at_client, fe.new_deadline, fe.visit_id, fe.received_at)
            .where(_after(mark))
            .order_by(fe.received_at, fe.id)
            .limit(_EVENT_BATCH)
        ).all()
        if not rows:
            return done
        _apply_rows(conn, rows)
        last = rows[-1]
        mark = (last.received_at, last.id)
        value = json.dumps([last.received_at.isoformat(), last.id])
        if not insert_ignore(conn, t.console_state, [{"key": _WATERMARK, "value": value}], "key"):
            key = t.console_state.c.key == _WATERMARK
            conn.execute(update(t.console_state).where(key).values(value=value))
        done += len(rows)


def backfill(conn: Connection, batch: int = 500) -> int:
    """Project every stored visit not yet in the read model (visits stored before the console)."""
    v, cv = t.visits.c, t.console_visits.c
    total = 0
    while True:
        raws = conn.execute(
            select(v.id, v.document_json)
            .select_from(t.visits.outerjoin(t.console_visits, cv.visit_id == v.id))
            .where(cv.visit_id.is_(None))
            .order_by(v.completed_at_client, v.id)
            .limit(batch)
        ).all()
        docs = []
        for r in raws:
            try:
                docs.append(check_document(json.loads(r.document_json), r.id))
            except (DocumentError, ValueError):
                continue  # stored documents were checked when pushed; a damaged one is skipped
        if not docs:
            break
        total += project_visits(conn, docs)
    catch_up_events(conn)
    return total


# ------------------------------------------------------------------ register search text


def _stale_search() -> Any:
    """Enterprises whose search text is missing or was made from an older version of the row
    (every writer of the register bumps ``version``: the import, the laptops' edits, the demo)."""
    e, s = t.enterprises.c, t.console_enterprise_search.c
    return (
        select(e.id, e.name, e.credit_code, e.address, e.version)
        .select_from(t.enterprises.outerjoin(t.console_enterprise_search, s.enterprise_id == e.id))
        .where(or_(s.version.is_(None), s.version != e.version))
    )


def search_pending(conn: Connection) -> bool:
    return conn.execute(_stale_search().limit(1)).first() is not None


def catch_up_search(conn: Connection) -> int:
    """Make the search text (register.search_text, the laptop's rule) of every stale enterprise."""
    rows = conn.execute(_stale_search()).all()
    if not rows:
        return 0
    s = t.console_enterprise_search.c
    ids = [int(r.id) for r in rows]
    for i in range(0, len(ids), 500):
        conn.execute(t.console_enterprise_search.delete().where(s.enterprise_id.in_(ids[i : i + 500])))
    conn.execute(
        t.console_enterprise_search.insert(),
        [
            {
                "enterprise_id": int(r.id),
                "version": int(r.version),
                "search_text": search_text(r.name, r.credit_code, r.address or ""),
            }
            for r in rows
        ],
    )
    return len(rows)


def search_conditions(query: str) -> list[Any]:
    """Enterprises whose search text holds every term of ``query`` (register.search_text.query_terms)."""
    e, s = t.enterprises.c, t.console_enterprise_search.c
    return [
        e.id.in_(select(s.enterprise_id).where(s.search_text.like(f"%{escape_like(term)}%", escape="\\")))
        for term in query_terms(query)
    ]
