"""Follow-ups of a 诉求 (request) travel as append-only events and reach the team leader."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlmodel import select as orm_select

from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database
from inspector_app.domain.requests import RequestStatus
from inspector_app.store import tables
from inspector_app.sync.status import record_states
from tests.support.harness import Backend, Laptop


def _server_request(backend: Backend, request_id: str) -> tuple[str, str | None, list[str]]:
    """(status, visit id, follow-up notes in order) of a request on the office server."""
    db = Database(backend.url)
    with db.read() as conn:
        rq, fu = t.enterprise_requests.c, t.request_follow_ups.c
        status, visit_id = conn.execute(select(rq.status, rq.visit_id).where(rq.id == request_id)).one()
        notes = conn.execute(
            select(fu.note).where(fu.request_id == request_id).order_by(fu.at_client)
        ).scalars()
        result = (status, visit_id, list(notes))
    db.dispose()
    return result


def test_a_follow_up_leaves_the_outbox_and_reaches_the_leader_even_before_its_visit(server, office, tmp_path):
    inspector = Laptop(tmp_path / "i", server.url, office.inspector)
    assert inspector.sync().ok
    code = office.codes[0]
    vid = inspector.start_draft(code)  # the request's visit is still a draft: not on the server
    rid, _ = inspector.app.visits.record_request(vid, "用工招聘", "缺普工30人")
    inspector.app.requests.follow_up(rid, RequestStatus.IN_PROGRESS, "已对接人社局招聘会")
    assert inspector.app.visits.waiting_to_sync() == 1

    report = inspector.sync()

    assert report.ok and report.sent == 1
    assert inspector.app.visits.waiting_to_sync() == 0
    assert [r.state for r in record_states(inspector.ws, include_sent=True)] == ["sent"]
    assert _server_request(office.backend, rid) == ("跟进中", vid, ["已对接人社局招聘会"])
    leader = Laptop(tmp_path / "l", server.url, office.leader)
    assert leader.sync().ok
    (pulled,) = leader.app.requests.list(enterprise=code)
    assert (pulled.id, pulled.category, pulled.description) == (rid, "用工招聘", "缺普工30人")
    assert pulled.status is RequestStatus.IN_PROGRESS
    assert [note for _, _, note in pulled.follow_ups] == ["已对接人社局招聘会"]

    inspector.finish_draft(vid)
    inspector.app.requests.follow_up(rid, RequestStatus.RESOLVED, "已招到28人")
    assert inspector.sync().ok and leader.sync().ok

    assert _server_request(office.backend, rid) == ("已解决", vid, ["已对接人社局招聘会", "已招到28人"])
    (pulled,) = leader.app.requests.list(enterprise=code)
    assert pulled.status is RequestStatus.RESOLVED and pulled.visit_id == vid
    assert [note for _, _, note in pulled.follow_ups] == ["已对接人社局招聘会", "已招到28人"]
    inspector.close()
    leader.close()


def test_a_follow_up_sent_again_is_stored_once(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    vid = laptop.start_draft(office.codes[1])
    rid, _ = laptop.app.visits.record_request(vid, "资金融资", "需要贷款贴息")
    laptop.app.requests.follow_up(rid, RequestStatus.IN_PROGRESS, "已转金融办")
    assert laptop.sync().ok
    with laptop.ws.session() as s:  # as if the answer had been lost: the entry goes out again
        entry = s.exec(orm_select(tables.Outbox).where(tables.Outbox.entity == "request")).one()
        entry.state = "sending"
        s.add(entry)

    again = laptop.sync()

    assert again.ok and (again.pushed, again.sent) == (1, 1)
    (state,) = record_states(laptop.ws, include_sent=True)
    assert (state.state, state.reason) == ("sent", "")
    db = Database(office.backend.url)
    with db.read() as conn:
        stored = conn.execute(
            select(func.count())
            .select_from(t.request_follow_ups)
            .where(t.request_follow_ups.c.request_id == rid)
        ).scalar_one()
    db.dispose()
    assert stored == 1
    laptop.close()
