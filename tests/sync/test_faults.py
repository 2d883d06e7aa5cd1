"""Sync over a bad network: every fault costs at most a repeat, never a lost or doubled record."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading

import httpx
import pytest
from sqlalchemy import select

from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import auth as central_auth
from inspector_app.store import attachments
from inspector_app.sync.status import record_states
from tests.support.crashing_central import CRASH_STATUS
from tests.support.harness import ROOT, FixedClock, Laptop, ProcessServer, server_received, server_visit_count
from tests.support.proxy import CORRUPT, CUT, DROP_RESPONSE, HOLD, REFUSE, Action, FaultProxy

# Part of the full run (./dev.sh test); the fast lane (./dev.sh quick) leaves it out.
pytestmark = pytest.mark.slow

_OFFSET = re.compile(r"/api/v1/files/([0-9a-f]{64})\?offset=(\d+)&total=(\d+)")


def once(kind: str, match: str, **kw: float):
    """A rule that applies ``kind`` to the first request whose path starts with ``match``."""
    state = {"done": False}

    def rule(_n: int, _method: str, path: str, _body: bytes) -> Action:
        if not state["done"] and path.startswith(match):
            state["done"] = True
            return Action(kind, **kw)
        return Action()

    return rule


@pytest.fixture
def proxy(server):
    p = FaultProxy(server.port)
    yield p
    p.close()


def test_a_response_lost_after_the_server_committed_costs_only_a_repeat(proxy, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", proxy.url, office.inspector)
    laptop.sync()
    vid = laptop.complete_visit(office.codes[0])
    proxy.rule = once(DROP_RESPONSE, "/api/v1/push")

    lost = laptop.sync()

    assert not lost.ok and laptop.outbox_states()[vid] == "sending"
    assert server_visit_count(office.backend, [vid]) == 1  # committed, never acknowledged
    again = laptop.sync()
    assert again.ok, again.error
    assert laptop.outbox_states()[vid] == "sent"
    assert server_visit_count(office.backend, [vid]) == 1
    laptop.close()


def test_the_same_batch_sent_twice_at_once_is_stored_once(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    laptop.sync()
    ids = [laptop.complete_visit(code) for code in office.codes]
    batch = laptop.engine.outbox.build(laptop.engine.outbox.open_entries()).records
    token = laptop.tokens.load(server.url, office.inspector)
    body = batch.model_dump_json()
    barrier = threading.Barrier(2)
    answers: list[dict] = []

    def send() -> None:
        barrier.wait()
        r = httpx.post(
            f"{server.url}/api/v1/push",
            content=body,
            timeout=30,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        answers.append(r.json())

    threads = [threading.Thread(target=send) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()

    for entity in ("visit", "finding_event"):  # a visit brings the finding events it made
        statuses = sorted(r["status"] for a in answers for r in a["results"] if r["entity"] == entity)
        assert statuses == ["accepted"] * len(ids) + ["exists"] * len(ids), entity
    assert server_visit_count(office.backend, ids) == len(ids)
    laptop.close()


def test_a_client_killed_in_the_middle_of_a_push_loses_and_doubles_nothing(proxy, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", proxy.url, office.inspector)
    laptop.sync()
    ids = [laptop.complete_visit(code) for code in office.codes]
    laptop.close()
    proxy.rule = once(HOLD, "/api/v1/push")
    env = {**os.environ, "INSPECTOR_NO_KEYRING": "1"}
    cli = subprocess.Popen(
        [sys.executable, "-m", "inspector_app.cli", "--workspace", str(tmp_path / "ws"), "sync"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    assert proxy.held.wait(30), "the push never reached the server"
    cli.send_signal(signal.SIGKILL)
    cli.wait(10)
    proxy.release.set()

    laptop = Laptop(tmp_path / "ws", proxy.url, office.inspector)
    assert set(laptop.outbox_states().values()) == {"sending"}
    report = laptop.sync()
    assert report.ok, report.error
    assert set(laptop.outbox_states().values()) == {"sent"}
    assert server_visit_count(office.backend, ids) == len(ids)
    laptop.close()


def test_a_server_killed_before_commit_stored_nothing_and_the_retry_stores_everything(
    backend, office, tmp_path
):
    crashing = ProcessServer(backend, module="tests.support.crashing_central")
    proxy = FaultProxy(crashing.port)
    try:
        laptop = Laptop(tmp_path / "ws", proxy.url, office.inspector)
        assert laptop.sync().ok
        vid = laptop.complete_visit(office.codes[0])
        failed = laptop.sync()
        assert crashing.wait_exit() == CRASH_STATUS
        assert not failed.ok
        assert server_visit_count(office.backend, [vid]) == 0
        healthy = ProcessServer(backend)
        proxy.upstream_port = healthy.port
        try:
            report = laptop.sync()
            assert report.ok, report.error
            assert laptop.outbox_states()[vid] == "sent"
            assert server_received(office.backend, [vid]) == {vid}
        finally:
            healthy.stop()
        laptop.close()
    finally:
        crashing.stop()
        proxy.close()


def test_a_photo_upload_cut_at_60_percent_resumes_where_it_stopped(proxy, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", proxy.url, office.inspector, chunk_size=128 * 1024)
    laptop.sync()
    vid = laptop.complete_visit(office.codes[0], photos=1, photo_side=900)
    state: dict[str, int] = {}

    def cut_at_60(_n: int, method: str, path: str, body: bytes) -> Action:
        m = _OFFSET.match(path)
        if method == "PUT" and m and not state:
            offset, total = int(m.group(2)), int(m.group(3))
            if offset <= 0.6 * total < offset + len(body):
                state.update(sha=m.group(1), offset=offset, total=total)
                return Action(CUT, at=(0.6 * total - offset) / len(body))
        return Action()

    proxy.rule = cut_at_60
    cut = laptop.sync()
    assert not cut.ok and state, "the upload was never cut"
    token = laptop.tokens.load(proxy.url, office.inspector)
    status = httpx.get(
        f"{proxy.url}/api/v1/files/{state['sha']}", headers={"Authorization": f"Bearer {token}"}
    ).json()
    # Every chunk that arrived whole is kept: only the one cut in transit is sent again.
    assert status["offset"] == state["offset"] > 0.6 * state["total"] - 128 * 1024

    resumed = laptop.sync()

    assert resumed.ok, resumed.error
    assert (
        resumed.bytes_uploaded <= state["total"] - state["offset"] + 64 * 1024 * 3
    )  # the rest, not all again
    assert laptop.outbox_states()[vid] == "sent"
    assert server_received(office.backend, [vid]) == {vid}
    laptop.close()


def test_a_corrupted_chunk_is_refused_alone_and_sent_again(proxy, office, tmp_path):
    # The upload path (a server without inline files, or files larger than a chunk).
    laptop = Laptop(tmp_path / "ws", proxy.url, office.inspector, chunk_size=128 * 1024, inline_files=False)
    laptop.sync()
    vid = laptop.complete_visit(office.codes[0], photos=1)
    seen = {"puts": 0}

    def corrupt_second_chunk(_n: int, method: str, path: str, _body: bytes) -> Action:
        if method == "PUT" and path.startswith("/api/v1/files/"):
            seen["puts"] += 1
            if seen["puts"] == 2:
                return Action(CORRUPT, at=0.3)
        return Action()

    proxy.rule = corrupt_second_chunk
    report = laptop.sync()
    assert report.ok, report.error
    assert laptop.outbox_states()[vid] == "sent"
    backend = office.backend
    with Database(backend.url).read() as conn:
        shas = (
            conn.execute(select(t.visit_files.c.sha256).where(t.visit_files.c.visit_id == vid))
            .scalars()
            .all()
        )
    for sha in shas:
        assert attachments.verify(backend.data_dir / "files", sha)
    laptop.close()


def test_a_visit_pushed_before_its_photos_is_not_received_until_they_arrive(proxy, office, tmp_path):
    # The upload path (a server without inline files, or files larger than a chunk).
    laptop = Laptop(tmp_path / "ws", proxy.url, office.inspector, inline_files=False)
    laptop.sync()
    vid = laptop.complete_visit(office.codes[0], photos=2)
    proxy.rule = lambda _n, _m, path, _b: Action(REFUSE if path.startswith("/api/v1/files") else "forward")

    partial = laptop.sync()

    assert not partial.ok
    assert laptop.outbox_states()[vid] == "sending"
    (state,) = [r for r in record_states(laptop.ws) if r.entity_id == vid]
    token = laptop.tokens.load(proxy.url, office.inspector)
    receipt = httpx.get(
        f"{proxy.url}/api/v1/visits/{vid}/receipt", headers={"Authorization": f"Bearer {token}"}
    ).json()
    assert not receipt["received"] and sorted(receipt["missing"]) == sorted(state.missing)
    assert len(receipt["missing"]) == 4  # two photos, two signatures
    assert all(attachments.verify(laptop.ws.attachments_dir, sha) for sha in state.missing)
    proxy.rule = lambda *_: Action()
    assert laptop.sync().ok
    assert laptop.outbox_states()[vid] == "sent"
    assert server_received(office.backend, [vid]) == {vid}
    laptop.close()


def test_the_same_visit_id_with_other_content_is_refused_and_shown_never_overwritten(
    server, office, tmp_path
):
    a = Laptop(tmp_path / "a", server.url, office.inspector)
    b = Laptop(tmp_path / "b", server.url, office.inspector2)
    a.sync()
    b.sync()
    vid = a.complete_visit(office.codes[0])
    assert a.sync().ok
    b.complete_visit(office.codes[0], visit_id=vid, staff=199)

    report = b.sync()

    assert report.conflicts == 1
    assert b.outbox_states()[vid] == "conflict"
    (state,) = [r for r in record_states(b.ws) if r.entity_id == vid]
    assert "内容不同" in state.reason
    with Database(office.backend.url).read() as conn:
        stored = conn.execute(select(t.visits.c.document_json).where(t.visits.c.id == vid)).scalar_one()
    with a.ws.session() as s:
        from inspector_app.store import tables

        assert json.loads(stored) == json.loads(s.get(tables.Visit, vid).document_json)
    token = b.tokens.load(server.url, office.inspector2)
    with b.ws.session() as s:
        from inspector_app.store import tables

        doc = json.loads(s.get(tables.Visit, vid).document_json)
    put = httpx.put(
        f"{server.url}/api/v1/visits/{vid}",
        headers={"Authorization": f"Bearer {token}"},
        json={"id": vid, "content_hash": doc["content_hash"], "document": doc},
    )
    assert put.status_code == 409
    a.close()
    b.close()


def test_a_pull_interrupted_between_pages_resumes_from_its_cursor(proxy, backend, tmp_path):
    from tests.support.harness import seed_office

    office = seed_office(backend, enterprises=25)
    laptop = Laptop(tmp_path / "ws", proxy.url, office.inspector, page_size=10)
    pulls = {"n": 0}

    def refuse_second_page(_n: int, method: str, path: str, _b: bytes) -> Action:
        if path.startswith("/api/v1/changes"):
            pulls["n"] += 1
            if pulls["n"] == 2:
                return Action(REFUSE)
        return Action()

    proxy.rule = refuse_second_page
    cut = laptop.sync()
    assert not cut.ok and cut.pages == 1
    with laptop.ws.session() as s:
        from sqlmodel import func
        from sqlmodel import select as sselect

        from inspector_app.store import tables

        first = s.exec(sselect(func.count()).select_from(tables.Enterprise)).one()
    assert 0 < first < 25

    resumed = laptop.sync()

    assert resumed.ok, resumed.error
    with laptop.ws.session() as s:
        codes = [e.credit_code for e in s.exec(sselect(tables.Enterprise))]
    assert sorted(codes) == sorted(office.codes)
    assert cut.changes_pulled + resumed.changes_pulled <= 25 + 10  # nothing pulled twice but the cut page
    laptop.close()


def test_assignments_added_and_revoked_while_offline(server, office, tmp_path):
    from inspector_app.central.logic import admin
    from tests.support.harness import add_enterprises

    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    laptop.sync()
    gone, kept, stays = office.codes
    laptop.start_draft(kept)  # unsynced work on an enterprise the office takes away
    db = Database(office.backend.url)
    with db.write() as conn:
        admin.unassign_codes(conn, [gone, kept])
    db.dispose()
    (new,) = add_enterprises(office.backend, office.team, 1)

    report = laptop.sync()

    assert report.ok, report.error
    assert report.kept_for_unsynced_work == [kept]
    with laptop.ws.session() as s:
        from sqlmodel import select as sselect

        from inspector_app.store import tables

        ents = {e.credit_code: e for e in s.exec(sselect(tables.Enterprise))}
        assigned = {a.enterprise_id for a in s.exec(sselect(tables.Assignment))}
    assert gone not in ents
    assert kept in ents and ents[kept].id not in assigned
    assert new in ents and ents[new].id in assigned and ents[new].name.startswith("测试企业")
    assert ents[stays].id in assigned
    laptop.close()


def test_a_laptop_clock_two_days_ahead_is_recorded_not_refused(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector, clock=FixedClock(2 * 86400))
    laptop.sync()
    vid = laptop.complete_visit(office.codes[0])

    report = laptop.sync()

    assert report.ok and laptop.outbox_states()[vid] == "sent"
    assert abs(report.clock_skew_seconds - 2 * 86400) < 120
    with Database(office.backend.url).read() as conn:
        row = conn.execute(select(t.visits).where(t.visits.c.id == vid)).mappings().one()
    assert abs(row["clock_skew_seconds"] - 2 * 86400) < 120
    pushed_at = (
        row["pushed_at"] if row["pushed_at"].tzinfo else row["pushed_at"].replace(tzinfo=central_auth.UTC)
    )
    assert abs((pushed_at - central_auth.now_utc()).total_seconds()) < 120  # server time, not the laptop's
    laptop.close()


def test_a_token_expiring_in_the_middle_of_a_push_asks_for_login_and_loses_nothing(proxy, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", proxy.url, office.inspector, batch_size=2)
    laptop.sync()
    ids = [laptop.complete_visit(office.codes[i % 3]) for i in range(5)]
    pushes = {"n": 0}

    def expire_on_second_push(_n: int, _m: str, path: str, _b: bytes) -> Action:
        if path.startswith("/api/v1/push"):
            pushes["n"] += 1
            if pushes["n"] == 2:
                db = Database(office.backend.url)
                with db.write() as conn:
                    central_auth.expire_tokens(conn, office.inspector)
                db.dispose()
        return Action()

    proxy.rule = expire_on_second_push
    report = laptop.sync()

    assert report.needs_login
    states = laptop.outbox_states()
    assert sum(states[i] == "sent" for i in ids) == 2
    assert all(states[i] in {"sent", "sending", "waiting"} for i in ids)
    laptop.relogin()
    again = laptop.sync()
    assert again.ok, again.error
    assert {laptop.outbox_states()[i] for i in ids} == {"sent"}
    assert server_visit_count(office.backend, ids) == 5
    laptop.close()
