"""The office authorizes every record and derives the outcome itself; what it refuses is quarantined
on the laptop with the reason and never holds back the rest.

Attack seen (issue 11): an inspector of team A pushed a passed 防疫复工 visit for a team B
enterprise; it was accepted and B's resumption_status became 核查通过. The server trusted the
outcome sent by the laptop.
"""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import select

from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import admin
from inspector_app.domain.visit import ENTERPRISE_ROLE, content_hash, inspector_role
from inspector_app.store import tables
from inspector_app.sync.status import record_states
from tests.support.harness import (
    ROOT,
    Laptop,
    fill_required,
    png,
    seed_office,
    server_received,
    server_visit_count,
)

RESUMPTION_FORM = ROOT / "forms" / "epidemic-resumption.yaml"


def _document(laptop: Laptop, vid: str) -> dict:
    with laptop.ws.session() as s:
        return dict(json.loads(s.get(tables.Visit, vid).document_json))


def _push(server, laptop: Laptop, doc: dict) -> dict:
    doc = {k: v for k, v in doc.items() if k != "content_hash"}
    doc["content_hash"] = content_hash(doc)
    token = laptop.tokens.load(server.url, laptop.username)
    answer = httpx.post(
        f"{server.url}/api/v1/push",
        json={
            "client_time": "2026-11-30T08:00:00+00:00",
            "visits": [{"id": doc["id"], "content_hash": doc["content_hash"], "document": doc}],
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json()["results"][0])


def _status(backend, code: str) -> str:
    db = Database(backend.url)
    try:
        with db.read() as conn:
            return str(
                conn.execute(
                    select(t.enterprises.c.resumption_status).where(t.enterprises.c.credit_code == code)
                ).scalar_one()
            )
    finally:
        db.dispose()


def _resumption_visit(laptop: Laptop, code: str) -> str:
    app, badge = laptop.app, laptop.badge()
    vid, _ = app.visits.start(code, "epidemic-resumption", [badge])
    fill_required(app, vid)
    app.visits.sign(vid, inspector_role(badge), "张伟", png(8001))
    app.visits.sign(vid, ENTERPRISE_ROLE, "王建国", png(8002))
    app.visits.complete(vid)
    return vid


def test_a_passed_resumption_visit_for_another_teams_enterprise_is_refused(server, office, tmp_path):
    db = Database(office.backend.url)
    with db.write() as conn:
        admin.publish_form(conn, RESUMPTION_FORM)
    db.dispose()
    team_b = seed_office(office.backend, enterprises=1)
    theirs = team_b.codes[0]
    before = _status(office.backend, theirs)
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    vid = _resumption_visit(laptop, office.codes[0])
    doc = _document(laptop, vid)
    assert doc["outcome"] in {"通过", "准予复工", "核查通过"}

    forged = dict(doc, enterprise={"credit_code": theirs, "name": "别组的企业"})
    result = _push(server, laptop, forged)

    assert (result["status"], result["http_status"]) == ("rejected", 403)
    assert "不由本组" in result["reason"]
    assert _status(office.backend, theirs) == before
    assert server_visit_count(office.backend, [vid]) == 0
    laptop.close()


def test_the_office_derives_the_outcome_from_the_answers_and_refuses_another(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    vid = laptop.complete_visit(office.codes[0])  # a blocked exit: a finding, so 限期整改
    doc = _document(laptop, vid)
    assert doc["outcome"] != "通过"

    result = _push(server, laptop, dict(doc, outcome="通过"))

    assert result["status"] == "rejected"
    assert "通过" in result["reason"] and doc["outcome"] in result["reason"]
    answers = dict(doc["answers"], staff="很多")
    assert "staff" in _push(server, laptop, dict(doc, answers=answers))["reason"]
    unknown = dict(doc["answers"], invented_item="Y")
    assert "invented_item" in _push(server, laptop, dict(doc, answers=unknown))["reason"]
    assert server_visit_count(office.backend, [vid]) == 0
    assert laptop.sync().ok and server_received(office.backend, [vid]) == {vid}  # the genuine one
    laptop.close()


def test_a_visit_naming_people_the_office_does_not_know_is_refused(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    vid = laptop.complete_visit(office.codes[0])
    doc = _document(laptop, vid)
    result = _push(server, laptop, dict(doc, inspectors=[*doc["inspectors"], "NOBODY"]))
    assert result["status"] == "rejected" and "NOBODY" in result["reason"]
    laptop.close()


def test_a_refused_visit_is_quarantined_with_the_reason_and_the_rest_is_sent(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    kept = laptop.complete_visit(office.codes[0])
    moved = laptop.complete_visit(office.codes[1])
    team_b = seed_office(office.backend, enterprises=1)
    db = Database(office.backend.url)
    with db.write() as conn:
        admin.assign_codes(conn, team_b.team, [office.codes[1]])
    db.dispose()

    report = laptop.sync()

    assert report.ok, report.error
    assert report.quarantined == 1
    states = laptop.outbox_states()
    assert (states[kept], states[moved]) == ("sent", "quarantined")
    (entry,) = [r for r in record_states(laptop.ws) if r.state == "quarantined"]
    assert "不由本组" in entry.reason
    assert server_received(office.backend, [kept, moved]) == {kept}
    laptop.close()


def _push_batch(server, laptop: Laptop, **records: list) -> list[dict]:
    token = laptop.tokens.load(server.url, laptop.username)
    answer = httpx.post(
        f"{server.url}/api/v1/push",
        json={"client_time": "2026-11-30T08:00:00+00:00", **records},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert answer.status_code == 200, answer.text
    return list(answer.json()["results"])


def test_follow_ups_and_edits_are_taken_only_for_the_teams_enterprises_and_as_their_pusher(
    server, office, tmp_path
):
    import uuid

    team_b = seed_office(office.backend, enterprises=1)
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    follow_up = {
        "id": str(uuid.uuid4()),
        "request_id": str(uuid.uuid4()),
        "credit_code": team_b.codes[0],
        "category": "政策咨询",
        "description": "别组企业的诉求",
        "at": "2026-11-30T08:00:00+00:00",
        "status": "跟进中",
        "by": office.inspector,
    }
    (refused,) = _push_batch(server, laptop, request_follow_ups=[follow_up])
    assert (refused["status"], refused["http_status"]) == ("rejected", 403)

    edit = {
        "id": f"{uuid.uuid4()}/1",
        "credit_code": office.codes[0],
        "field": "phone",
        "old_value": "",
        "new_value": "13900000000",
        "base_version": 1,
        "changed_at": "2026-11-30T08:00:00+00:00",
    }
    (spoofed,) = _push_batch(server, laptop, edits=[dict(edit, changed_by=office.inspector2)])
    assert (spoofed["status"], spoofed["http_status"]) == ("rejected", 403)
    (merged,) = _push_batch(server, laptop, edits=[dict(edit, id=f"{uuid.uuid4()}/2", changed_by="")])
    assert merged["status"] == "merged"
    db = Database(office.backend.url)
    with db.read() as conn:
        who = conn.execute(
            select(t.enterprise_edits.c.changed_by).where(t.enterprise_edits.c.id == merged["id"])
        ).scalar_one()
    db.dispose()
    assert who == office.inspector
    laptop.close()


def test_a_date_rule_is_judged_on_the_laptops_calendar_day_wherever_the_office_is(monkeypatch):
    """Completed at 00:30 in Beijing (16:30 UTC the day before) with a drill dated that day: an
    office whose clock says UTC still accepts it, and still refuses a drill dated days later."""
    import time

    from inspector_app.central.logic import visit_rules
    from inspector_app.checklist import parse_form
    from inspector_app.wire import VisitDocument

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        form = parse_form(
            "\n".join(
                [
                    "code: drill-check",
                    'version: "1"',
                    "title: {zh: 演练检查}",
                    "kind: inspection",
                    'applies_to: ["*"]',
                    "sections:",
                    "  - key: s",
                    "    title: 演练",
                    "    items:",
                    "      - key: last_drill_date",
                    "        type: date",
                    "        label: 最近一次应急演练日期",
                    "        required: true",
                    "        constraint: today is None or value <= today",
                    "        message: 演练日期不能晚于检查日期",
                    "outcome:",
                    "  default: 通过",
                ]
            )
        )

        def doc(drill: str) -> VisitDocument:
            return VisitDocument.model_validate(
                {
                    "schema": 1,
                    "id": "0f0e0d0c-0b0a-4908-8706-050403020100",
                    "kind": "inspection",
                    "enterprise": {"credit_code": "x", "name": "y"},
                    "form": {"code": "drill-check", "version": "1"},
                    "inspectors": ["B1"],
                    "place": "p",
                    "started_at": "2026-11-29T16:00:00+00:00",
                    "completed_at": "2026-11-29T16:30:00+00:00",
                    "outcome": "通过",
                    "answers": {"last_drill_date": drill},
                    "findings": [],
                    "recheck": [],
                    "photos": [],
                    "signatures": [],
                    "requests": [],
                    "manifest": [],
                    "content_hash": "0" * 64,
                }
            )

        assert visit_rules.judge(form, doc("2026-11-30"), "").outcome == "通过"
        with pytest.raises(visit_rules.VisitRefused, match="演练日期不能晚于检查日期"):
            visit_rules.judge(form, doc("2026-12-03"), "")
    finally:
        monkeypatch.undo()
        time.tzset()
