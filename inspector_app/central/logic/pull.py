"""Pages of the change feed, with the current state of each changed key.

Only changes travel: a laptop that is up to date gets an empty page. A key that changed several
times within one page is sent once, in its latest state.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from inspector_app.batches import chunks
from inspector_app.central.db import tables as t
from inspector_app.central.logic import changes
from inspector_app.central.logic.changes import Reader
from inspector_app.domain.clock import as_utc
from inspector_app.domain.enterprise import master_data
from inspector_app.wire import (
    AssignmentRecord,
    Change,
    ChangesPage,
    EditResolution,
    EnterpriseRecord,
    FindingEventRecord,
    FormRecord,
    RequestFollowUpRecord,
    Role,
    TeamMember,
    format_cursor,
    parse_cursor,
)
from inspector_app.wire.models import (
    AssignmentChange,
    EditResolutionChange,
    EnterpriseChange,
    FindingEventChange,
    FormChange,
    MemberChange,
    RequestFollowUpChange,
    UnassignmentChange,
    VisitChange,
)

_IN = 900


def enterprise_record(row: Any) -> EnterpriseRecord:
    return EnterpriseRecord(
        credit_code=row["credit_code"],
        **master_data(row),
        extra=json.loads(row["extra_json"] or "{}"),
        version=row["version"],
    )


def _by_key(conn: Connection, stmt_for: Any, keys: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    keys = sorted(set(keys))
    for chunk in chunks(keys, _IN):
        out.update(stmt_for(conn, chunk))
    return out


def _enterprises(conn: Connection, codes: Sequence[str]) -> dict[str, Any]:
    e, a = t.enterprises, t.assignments

    def fetch(conn: Connection, chunk: Sequence[str]) -> dict[str, Any]:
        stmt = (
            select(e, a.c.team, a.c.visits_per_week, a.c.assigned_on)
            .select_from(e.outerjoin(a, a.c.enterprise_id == e.c.id))
            .where(e.c.credit_code.in_(list(chunk)))
        )
        return {r["credit_code"]: r for r in conn.execute(stmt).mappings()}

    return _by_key(conn, fetch, codes)


def page(conn: Connection, reader: Reader, cursor: str, limit: int, now: datetime) -> ChangesPage:
    after = parse_cursor(cursor)
    rows = changes.read_page(conn, reader.buckets(), after, limit + 1)
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = format_cursor(rows[-1].txid, rows[-1].seq) if rows else (cursor or format_cursor(0, 0))
    # The latest row of each (kind, key, bucket) decides where it goes in the page.
    latest: dict[tuple[str, str, str], int] = {}
    for i, r in enumerate(rows):
        latest[(r.kind, r.key, r.bucket)] = i
    kept = [rows[i] for i in sorted(latest.values())]
    wanted: dict[str, list[str]] = {}
    for r in kept:
        wanted.setdefault(r.kind, []).append(r.key)
    ents = _enterprises(
        conn, wanted.get("enterprise", []) + wanted.get("assignment", []) + wanted.get("unassignment", [])
    )
    members = _members(conn, wanted.get("member", []))
    forms = _forms(conn, wanted.get("form", []))
    visits = _visits(conn, wanted.get("visit", []))
    events = _events(conn, wanted.get("finding_event", []))
    resolutions = _resolutions(conn, wanted.get("edit_resolution", []))
    follow_ups = _request_follow_ups(conn, wanted.get("request_follow_up", []))
    out: list[Change] = []
    for r in kept:
        team = r.bucket.removeprefix("team:") if r.bucket.startswith("team:") else None
        item = _change(
            r.kind,
            r.key,
            team,
            reader,
            ents=ents,
            members=members,
            forms=forms,
            visits=visits,
            events=events,
            resolutions=resolutions,
            follow_ups=follow_ups,
        )
        if item is not None:
            out.append(item)
    return ChangesPage(
        changes=out, cursor=next_cursor, has_more=has_more, scope=reader.scope, server_time=now
    )


def _change(
    kind: str,
    key: str,
    team: str | None,
    reader: Reader,
    *,
    ents: dict[str, Any],
    members: dict[str, Any],
    forms: dict[str, Any],
    visits: dict[str, Any],
    events: dict[str, Any],
    resolutions: dict[str, Any],
    follow_ups: dict[str, RequestFollowUpRecord],
) -> Change | None:
    if kind == "enterprise" and key in ents:
        row = ents[key]
        # An admin follows everything; a team only what is still its own.
        if reader.role is Role.ADMIN or (row["team"] is not None and row["team"] == team):
            return EnterpriseChange(enterprise=enterprise_record(row))
        return None
    if kind == "assignment" and key in ents:
        row = ents[key]
        if row["team"] is None or (team is not None and row["team"] != team):
            return None  # unassigned or moved since: a later row of the log says so
        return AssignmentChange(
            assignment=AssignmentRecord(
                team=row["team"],
                visits_per_week=row["visits_per_week"],
                assigned_on=row["assigned_on"],
                enterprise=enterprise_record(row),
            )
        )
    if kind == "unassignment":
        row = ents.get(key)
        if row is not None and team is not None and row["team"] == team:
            return None  # given back to the team since: the later assignment row brings it
        return UnassignmentChange(credit_code=key, team=team or "")
    if kind == "member" and key in members:
        return MemberChange(member=members[key])
    if kind == "form" and key in forms:
        return FormChange(form=forms[key])
    if kind == "visit" and key in visits:
        doc, pushed_by, received_at = visits[key]
        return VisitChange(document=doc, pushed_by=pushed_by, received_at=received_at)
    if kind == "finding_event" and key in events:
        return FindingEventChange(event=events[key])
    if kind == "edit_resolution" and key in resolutions:
        return EditResolutionChange(resolution=resolutions[key])
    if kind == "request_follow_up" and key in follow_ups:
        return RequestFollowUpChange(follow_up=follow_ups[key])
    return None


def _members(conn: Connection, usernames: Sequence[str]) -> dict[str, TeamMember]:
    def fetch(conn: Connection, chunk: Sequence[str]) -> dict[str, Any]:
        rows = conn.execute(select(t.users).where(t.users.c.username.in_(list(chunk)))).mappings()
        return {
            r["username"]: TeamMember(
                username=r["username"],
                display_name=r["display_name"],
                badge_number=r["badge_number"],
                team=r["team"],
                role=Role(r["role"]),
                active=not r["disabled"],
            )
            for r in rows
        }

    return _by_key(conn, fetch, usernames)


def _forms(conn: Connection, keys: Sequence[str]) -> dict[str, FormRecord]:
    out: dict[str, FormRecord] = {}
    for key in set(keys):
        code, _, version = key.partition("@")
        row = (
            conn.execute(select(t.forms).where(t.forms.c.code == code, t.forms.c.version == version))
            .mappings()
            .first()
        )
        if row is not None:
            out[key] = FormRecord(code=code, version=version, sha256=row["sha256"], yaml=row["yaml"])
    return out


def _visits(conn: Connection, ids: Sequence[str]) -> dict[str, Any]:
    v, u = t.visits, t.users

    def fetch(conn: Connection, chunk: Sequence[str]) -> dict[str, Any]:
        stmt = (
            select(v.c.id, v.c.document_json, v.c.received_at, u.c.username)
            .join(u, u.c.id == v.c.pushed_by)
            .where(v.c.id.in_(list(chunk)), v.c.received_at.is_not(None))
        )
        return {r.id: (json.loads(r.document_json), r.username, r.received_at) for r in conn.execute(stmt)}

    return _by_key(conn, fetch, ids)


def _events(conn: Connection, ids: Sequence[str]) -> dict[str, FindingEventRecord]:
    fe = t.finding_events.c

    def fetch(conn: Connection, chunk: Sequence[str]) -> dict[str, Any]:
        rows = conn.execute(select(t.finding_events).where(fe.id.in_(list(chunk)))).mappings()
        return {
            r["id"]: FindingEventRecord(
                id=r["id"],
                finding_id=r["finding_id"],
                kind=r["kind"],
                at=as_utc(r["at_client"]),
                visit_id=r["visit_id"],
                note=r["note"],
                new_deadline=r["new_deadline"],
            )
            for r in rows
        }

    return _by_key(conn, fetch, ids)


def _resolutions(conn: Connection, ids: Sequence[str]) -> dict[str, EditResolution]:
    ee, e = t.enterprise_edits, t.enterprises

    def fetch(conn: Connection, chunk: Sequence[str]) -> dict[str, Any]:
        stmt = (
            select(ee, e.c.credit_code)
            .join(e, e.c.id == ee.c.enterprise_id)
            .where(ee.c.id.in_(list(chunk)), ee.c.status.in_(["kept_field", "kept_office"]))
        )
        out: dict[str, Any] = {}
        for r in conn.execute(stmt).mappings():
            field_kept = r["status"] == "kept_field"
            out[r["id"]] = EditResolution(
                edit_id=r["id"],
                credit_code=r["credit_code"],
                field=r["field"],
                outcome="field" if field_kept else "office",
                value=r["new_value"] if field_kept else None,
                note=r["note"],
            )
        return out

    return _by_key(conn, fetch, ids)


def _request_follow_ups(conn: Connection, ids: Sequence[str]) -> dict[str, RequestFollowUpRecord]:
    """Follow-ups with their request: a leader's laptop may not have the request yet."""
    fu, rq = t.request_follow_ups, t.enterprise_requests

    def fetch(conn: Connection, chunk: Sequence[str]) -> dict[str, Any]:
        stmt = (
            select(fu, rq.c.enterprise_code, rq.c.visit_id, rq.c.category, rq.c.description)
            .join(rq, rq.c.id == fu.c.request_id)
            .where(fu.c.id.in_(list(chunk)))
        )
        return {
            r["id"]: RequestFollowUpRecord(
                id=r["id"],
                request_id=r["request_id"],
                credit_code=r["enterprise_code"],
                category=r["category"],
                description=r["description"],
                visit_id=r["visit_id"],
                at=as_utc(r["at_client"]),
                status=r["status"],
                note=r["note"],
                by=r["by"],
            )
            for r in conn.execute(stmt).mappings()
        }

    return _by_key(conn, fetch, ids)
