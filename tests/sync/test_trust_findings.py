"""Finding follow-ups travel as events with the visit that made them, to the office and the leader.

Seen (issue 11): the laptop never queued finding events and the server's finding_events stayed
empty after 10 visits with findings; the leader relied on visit documents alone. And the server
took finding events for unknown findings and for other teams' findings.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import httpx
from sqlalchemy import select

from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import admin
from inspector_app.domain.finding import FindingStatus, RecheckResult
from inspector_app.domain.visit import ENTERPRISE_ROLE, inspector_role
from inspector_app.store import tables
from tests.support.harness import ROOT, Laptop, fill_required, png, seed_office

RECHECK_FORM = ROOT / "forms" / "recheck.yaml"


def _office_events(backend, finding_id: str) -> list[tuple[str, str | None]]:
    db = Database(backend.url)
    try:
        with db.read() as conn:
            fe = t.finding_events.c
            rows = conn.execute(
                select(fe.kind, fe.new_deadline).where(fe.finding_id == finding_id).order_by(fe.at_client)
            ).all()
    finally:
        db.dispose()
    return [(r.kind, r.new_deadline.isoformat() if r.new_deadline else None) for r in rows]


def _recheck(
    laptop: Laptop, code: str, finding_id: str, result: RecheckResult, deadline: date | None, partner: str
) -> str:
    app, badge = laptop.app, laptop.badge()
    rid, _ = app.visits.start_recheck(code, [badge, partner])  # a re-inspection needs two officers
    fill_required(app, rid)
    app.visits.mark_finding(rid, finding_id, result, new_deadline=deadline)
    app.visits.sign(rid, inspector_role(badge), "张伟", png(9001))
    app.visits.sign(rid, inspector_role(partner), "李娜", png(9003))
    app.visits.sign(rid, ENTERPRISE_ROLE, "王建国", png(9002))
    app.visits.complete(rid)
    return rid


def _leader_finding(leader: Laptop, finding_id: str) -> tables.Finding:
    with leader.ws.session() as s:
        f = s.get(tables.Finding, finding_id)
        assert f is not None
        s.expunge(f)
        return f


def test_a_finding_extended_then_closed_on_one_laptop_reaches_the_office_and_the_leader(
    server, office, tmp_path
):
    db = Database(office.backend.url)
    with db.write() as conn:
        admin.publish_form(conn, RECHECK_FORM)
    db.dispose()
    inspector = Laptop(tmp_path / "i", server.url, office.inspector)
    leader = Laptop(tmp_path / "l", server.url, office.leader)
    assert inspector.sync().ok
    code = office.codes[0]
    vid = inspector.complete_visit(code)  # a blocked exit: one finding
    (finding,) = inspector.app.visits.snapshot(vid).findings
    assert inspector.sync().ok
    assert _office_events(office.backend, finding.id) == [("found", finding.deadline.isoformat())]
    assert leader.sync().ok
    assert _leader_finding(leader, finding.id).status == FindingStatus.OPEN.value

    later = date.today() + timedelta(days=20)
    partner = office.badges[office.inspector2]
    _recheck(inspector, code, finding.id, RecheckResult.NOT_RECTIFIED, later, partner)
    assert inspector.sync().ok
    assert _office_events(office.backend, finding.id)[-1] == ("recheck_failed", later.isoformat())
    assert leader.sync().ok
    extended = _leader_finding(leader, finding.id)
    assert (extended.status, extended.deadline) == (FindingStatus.OPEN.value, later)

    _recheck(inspector, code, finding.id, RecheckResult.RECTIFIED, None, partner)
    assert inspector.sync().ok
    assert [k for k, _ in _office_events(office.backend, finding.id)] == [
        "found",
        "recheck_failed",
        "recheck_passed",
    ]
    assert leader.sync().ok
    assert _leader_finding(leader, finding.id).status == FindingStatus.CLOSED.value
    assert inspector.outbox_states() and set(inspector.outbox_states().values()) == {"sent"}
    inspector.close()
    leader.close()


def test_finding_events_for_unknown_or_other_teams_findings_are_refused(server, office, tmp_path):
    inspector = Laptop(tmp_path / "i", server.url, office.inspector)
    assert inspector.sync().ok
    vid = inspector.complete_visit(office.codes[0])
    (finding,) = inspector.app.visits.snapshot(vid).findings
    assert inspector.sync().ok
    other = seed_office(office.backend, enterprises=1)
    outsider = Laptop(tmp_path / "o", server.url, other.inspector)

    def event(**kw: object) -> dict:
        return {
            "id": str(uuid.uuid4()),
            "finding_id": finding.id,
            "kind": "recheck_passed",
            "at": "2026-11-30T08:00:00+00:00",
            "visit_id": vid,
            **kw,
        }

    def push(laptop: Laptop, ev: dict) -> dict:
        token = laptop.tokens.load(server.url, laptop.username)
        answer = httpx.post(
            f"{server.url}/api/v1/push",
            json={"client_time": "2026-11-30T08:00:00+00:00", "finding_events": [ev]},
            headers={"Authorization": f"Bearer {token}"},
        )
        return dict(answer.json()["results"][0])

    assert push(outsider, event())["http_status"] == 403  # another team's visit and finding
    assert push(inspector, event())["status"] == "rejected"  # the visit did not mark it rectified
    assert push(inspector, event(finding_id=str(uuid.uuid4()), kind="found"))["status"] == "rejected"
    assert push(inspector, event(visit_id=None))["status"] == "rejected"
    assert [k for k, _ in _office_events(office.backend, finding.id)] == ["found"]
    inspector.close()
    outsider.close()
