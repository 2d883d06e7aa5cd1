"""诉求/困难: recorded at a visit, followed up until resolved, each step kept."""

import sqlite3
import uuid

import pytest
from sqlmodel import select

from inspector_app.domain.requests import RequestStatus
from inspector_app.services.errors import ServiceError
from inspector_app.store import migrate, tables


def test_a_request_is_followed_up_to_resolution_with_every_step_kept(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    rid, _ = world.app.visits.record_request(vid, "用工招聘", "缺普工30人")
    world.app.requests.follow_up(rid, RequestStatus.IN_PROGRESS, "已对接人社局招聘会")
    world.app.requests.follow_up(rid, RequestStatus.RESOLVED, "已招到28人")
    (req,) = world.app.requests.list(enterprise=world.code)
    assert req.status is RequestStatus.RESOLVED
    assert [note for _, _, note in req.follow_ups] == ["已对接人社局招聘会", "已招到28人"]


def test_an_empty_request_is_refused(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    with pytest.raises(ServiceError, match="诉求内容不能为空"):
        world.app.visits.record_request(vid, "其他", "  ")


def test_each_follow_up_waits_to_sync_as_its_own_event(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    rid, _ = world.app.visits.record_request(vid, "用工招聘", "缺普工30人")
    world.app.requests.follow_up(rid, RequestStatus.IN_PROGRESS, "已对接人社局招聘会")
    world.app.requests.follow_up(rid, RequestStatus.IN_PROGRESS, "招聘会定于下周")
    with world.app.workspace.session() as s:
        events = [
            f.event_id for f in s.exec(select(tables.RequestFollowUp).order_by(tables.RequestFollowUp.id))
        ]
        waiting = [(o.entity, o.entity_id, o.state) for o in s.exec(select(tables.Outbox))]
    assert len(set(events)) == 2 and all(uuid.UUID(e) for e in events)
    assert waiting == [("request", e, "waiting") for e in events]
    assert world.app.visits.waiting_to_sync() == 2


def test_follow_ups_waiting_from_before_event_ids_are_keyed_to_their_own_follow_up(tmp_path):
    """Migration 0004: the outbox entries of each request are matched to its follow-ups in order."""
    db = tmp_path / "old.db"
    migrate.upgrade(db, "0003")
    at = "2026-11-20 01:30:00.000000"
    con = sqlite3.connect(db)
    with con:
        for rid, notes in (("r-1", ["已对接", "已解决"]), ("r-2", ["已转金融办"])):
            con.execute(
                "INSERT INTO enterpriserequest VALUES (?, 1, NULL, '用工招聘', '缺普工', '跟进中', ?, ?)",
                (rid, at, at),
            )
            for note in notes:
                con.execute(
                    "INSERT INTO requestfollowup (request_id, at, status, note, by) "
                    "VALUES (?, ?, '跟进中', ?, '')",
                    (rid, at, note),
                )
        for rid in ("r-1", "r-2", "r-1"):
            con.execute(
                "INSERT INTO outbox (entity, entity_id, account, created_at, state, attempts, last_error) "
                "VALUES ('request', ?, '', ?, 'waiting', 0, '')",
                (rid, at),
            )
    con.close()

    migrate.upgrade(db)

    con = sqlite3.connect(db)
    follow_ups = dict(con.execute("SELECT note, event_id FROM requestfollowup").fetchall())
    keyed = [r[0] for r in con.execute("SELECT entity_id FROM outbox ORDER BY id")]
    con.close()
    assert keyed == [follow_ups["已对接"], follow_ups["已转金融办"], follow_ups["已解决"]]
    assert len(set(follow_ups.values())) == 3 and all(uuid.UUID(e) for e in follow_ups.values())
