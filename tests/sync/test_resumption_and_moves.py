"""The office applies a resumption check's outcome like the laptop did; a user moved to another
team keeps only the new team's enterprises (and whatever still has unsynced work)."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import select
from sqlmodel import select as orm_select

from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import admin
from inspector_app.domain.enterprise import ResumptionStatus
from inspector_app.domain.requests import RequestStatus
from inspector_app.domain.visit import ENTERPRISE_ROLE, inspector_role
from inspector_app.services.requests import RequestService
from inspector_app.store import tables
from inspector_app.sync.report import SyncProgress
from tests.support.harness import Backend, Laptop, add_enterprises, png, unique

RESUMPTION_FORM = Path(__file__).parent / "fixtures" / "resumption" / "epidemic-resumption.yaml"


def _publish_resumption_form(backend: Backend) -> None:
    db = Database(backend.url)
    with db.write() as conn:
        admin.publish_form(conn, RESUMPTION_FORM)
    db.dispose()


def _resumption_check(laptop: Laptop, code: str, *, plan_in_place: bool) -> str:
    app, badge = laptop.app, laptop.badge()
    vid, _ = app.visits.start(code, "epidemic-resumption", [badge])
    app.visits.answer(vid, "plan", "Y" if plan_in_place else "N")
    for f in app.visits.snapshot(vid).findings:
        app.visits.update_finding(f.id, description="未制定防控方案")
    app.visits.sign(vid, inspector_role(badge), "张伟", png(1))
    app.visits.sign(vid, ENTERPRISE_ROLE, "王建国", png(2))
    app.visits.complete(vid)
    return vid


def _status(laptop: Laptop, code: str) -> str:
    with laptop.ws.session() as s:
        ent = s.exec(orm_select(tables.Enterprise).where(tables.Enterprise.credit_code == code)).one()
        return ent.resumption_status


def _server_enterprise(backend: Backend, code: str) -> tuple[str, int]:
    db = Database(backend.url)
    with db.read() as conn:
        row = conn.execute(
            select(t.enterprises.c.resumption_status, t.enterprises.c.version).where(
                t.enterprises.c.credit_code == code
            )
        ).one()
    db.dispose()
    return row.resumption_status, row.version


def _held(laptop: Laptop) -> set[str]:
    with laptop.ws.session() as s:
        return {e.credit_code for e in s.exec(orm_select(tables.Enterprise))}


def _assigned(laptop: Laptop) -> dict[str, str]:
    with laptop.ws.session() as s:
        rows = s.exec(
            orm_select(tables.Enterprise.credit_code, tables.Assignment.team).join(
                tables.Assignment, tables.Assignment.enterprise_id == tables.Enterprise.id
            )
        )
        return dict(rows.all())


# ------------------------------------------------------------------ resumption status


def test_the_office_applies_a_resumption_checks_outcome_and_the_team_pulls_the_new_status(
    server, office, tmp_path
):
    _publish_resumption_form(office.backend)
    checker = Laptop(tmp_path / "a", server.url, office.inspector)
    colleague = Laptop(tmp_path / "b", server.url, office.inspector2)
    assert checker.sync().ok and colleague.sync().ok
    code = office.codes[0]
    status, version = _server_enterprise(office.backend, code)
    assert status == ResumptionStatus.NOT_RESUMED

    _resumption_check(checker, code, plan_in_place=True)
    assert _status(checker, code) == ResumptionStatus.APPROVED  # the laptop's own rule
    assert checker.sync().ok

    assert _server_enterprise(office.backend, code) == (ResumptionStatus.APPROVED, version + 1)
    assert colleague.sync().ok
    assert _status(colleague, code) == ResumptionStatus.APPROVED

    _resumption_check(colleague, code, plan_in_place=False)  # 不予复工 sends it back
    assert colleague.sync().ok and checker.sync().ok
    assert _server_enterprise(office.backend, code) == (ResumptionStatus.NEEDS_RECTIFICATION, version + 2)
    assert _status(checker, code) == _status(colleague, code) == ResumptionStatus.NEEDS_RECTIFICATION
    checker.close()
    colleague.close()


def test_an_ordinary_visit_and_a_repeated_push_leave_the_resumption_status_alone(server, office, tmp_path):
    _publish_resumption_form(office.backend)
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    code = office.codes[1]
    before = _server_enterprise(office.backend, code)
    laptop.complete_visit(code)  # mini-check: not a resumption check
    assert laptop.sync().ok
    assert _server_enterprise(office.backend, code) == before

    vid = _resumption_check(laptop, code, plan_in_place=True)
    assert laptop.sync().ok
    after = _server_enterprise(office.backend, code)
    with laptop.ws.session() as s:  # the same visit sent again: "exists", applied once only
        entry = s.exec(orm_select(tables.Outbox).where(tables.Outbox.entity_id == vid)).one()
        entry.state = "waiting"
        s.add(entry)
    again = laptop.sync()
    assert again.ok and again.sent == 1
    assert _server_enterprise(office.backend, code) == after == (ResumptionStatus.APPROVED, before[1] + 1)
    laptop.close()


# ------------------------------------------------------------------ moving to another team


def test_a_user_moved_to_another_team_keeps_only_the_new_teams_enterprises_and_unsynced_work(
    server, office, tmp_path
):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector, page_size=2)
    assert laptop.sync().ok
    assert _held(laptop) == set(office.codes)
    synced = laptop.complete_visit(office.codes[1])
    visit = laptop.start_draft(office.codes[2])
    rid, _ = laptop.app.visits.record_request(visit, "用工招聘", "缺普工30人")
    laptop.finish_draft(visit)
    assert laptop.sync().ok  # sent: no longer a reason to keep their enterprises
    laptop.start_draft(office.codes[0])  # unsynced work: its enterprise stays until it is synced
    # So does a follow-up a colleague sharing this laptop has not synced yet.
    RequestService(laptop.ws, account=office.inspector2).follow_up(rid, RequestStatus.IN_PROGRESS, "已对接")
    new_team = unique("第二检查组")
    new_codes = add_enterprises(office.backend, new_team, 3)
    db = Database(office.backend.url)
    with db.write() as conn:
        admin.set_team(conn, office.inspector, new_team)
    db.dispose()

    report = laptop.sync()

    assert report.ok, report.error
    kept = sorted([office.codes[0], office.codes[2]])
    assert _held(laptop) == set(new_codes) | set(kept)
    assert (report.purged, sorted(report.kept_for_unsynced_work)) == (1, kept)
    assert _assigned(laptop) == dict.fromkeys(new_codes, new_team)
    with laptop.ws.session() as s:
        assert s.get(tables.Visit, synced) is None  # purged with its enterprise
    again = laptop.sync()
    assert again.ok and again.purged == 0 and _held(laptop) == set(new_codes) | set(kept)
    laptop.close()


def test_a_team_move_pull_interrupted_between_pages_purges_when_it_completes(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector, page_size=2)
    assert laptop.sync().ok
    new_team = unique("第二检查组")
    new_codes = add_enterprises(office.backend, new_team, 3)
    db = Database(office.backend.url)
    with db.write() as conn:
        admin.set_team(conn, office.inspector, new_team)
    db.dispose()
    stop = threading.Event()

    def after_first_page(p: SyncProgress) -> None:
        if p.stage == "pull":
            stop.set()

    cut = laptop.sync(progress_cb=after_first_page, abort_flag=stop)

    assert cut.aborted and cut.pages == 1
    assert set(office.codes) <= _held(laptop)  # nothing purged before the new team is all in
    resumed = laptop.sync()
    assert resumed.ok and resumed.purged == len(office.codes)
    assert _held(laptop) == set(new_codes)
    laptop.close()
