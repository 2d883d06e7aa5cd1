"""Field edits merge or wait for the office; leaders get the team's visits; bundles carry the push."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlmodel import select

from inspector_app.central.db.engine import Database
from inspector_app.central.logic import admin
from inspector_app.central.logic.bundles import import_bundle
from inspector_app.central.logic.files import FileStore
from inspector_app.services.register import RegisterService
from inspector_app.store import tables
from inspector_app.sync.bundle import export_bundle
from inspector_app.sync.status import record_states
from inspector_app.wire.models import SMALL_FILE_BYTES
from tests.support.harness import PASSWORD, ROOT, Laptop, server_received, server_visit_count


def _value(laptop: Laptop, code: str, field: str) -> object:
    with laptop.ws.session() as s:
        ent = s.exec(select(tables.Enterprise).where(tables.Enterprise.credit_code == code)).one()
        return getattr(ent, field)


def test_edits_to_different_fields_merge_and_to_the_same_field_wait_for_the_office(server, office, tmp_path):
    a = Laptop(tmp_path / "a", server.url, office.inspector)
    b = Laptop(tmp_path / "b", server.url, office.inspector2)
    a.sync()
    b.sync()
    code = office.codes[0]
    RegisterService(a.ws, account=office.inspector).edit(code, {"phone": "13800138000"})
    RegisterService(b.ws, account=office.inspector2).edit(code, {"address": "宝龙街道新址1号"})
    assert a.sync().ok and b.sync().ok and a.sync().ok
    for laptop in (a, b):
        assert (_value(laptop, code, "phone"), _value(laptop, code, "address")) == (
            "13800138000",
            "宝龙街道新址1号",
        )

    RegisterService(a.ws, account=office.inspector).edit(code, {"contact": "陈先生"})
    RegisterService(b.ws, account=office.inspector2).edit(code, {"contact": "刘女士"})
    assert a.sync().ok
    report = b.sync()

    assert report.conflicts == 1
    (pending,) = [r for r in record_states(b.ws) if r.entity == "enterprise_change"]
    assert pending.state == "conflict" and "待办公室裁定" in pending.reason
    assert _value(b, code, "contact") == "刘女士"  # the inspector still sees what they entered
    db = Database(office.backend.url)
    with db.write() as conn:
        (conflict,) = [c for c in admin.list_conflicts(conn) if c["credit_code"] == code]
        admin.resolve_conflict(conn, conflict["id"], "field")
    db.dispose()
    assert b.sync().ok and a.sync().ok
    assert [r for r in record_states(b.ws) if r.entity == "enterprise_change"] == []
    assert _value(a, code, "contact") == _value(b, code, "contact") == "刘女士"
    a.close()
    b.close()


def test_a_team_leader_pulls_the_teams_visits_with_their_files(server, office, tmp_path):
    inspector = Laptop(tmp_path / "i", server.url, office.inspector)
    inspector.sync()
    vid = inspector.complete_visit(office.codes[1], photos=1)
    assert inspector.sync().ok
    leader = Laptop(tmp_path / "l", server.url, office.leader)
    assert leader.sync().ok
    snap = leader.app.visits.snapshot(vid)
    assert snap.content_hash == inspector.app.visits.snapshot(vid).content_hash
    assert len(snap.findings) == 1 and snap.photos
    other = Laptop(tmp_path / "o", server.url, office.inspector2)
    other.sync()
    with other.ws.session() as s:
        assert s.get(tables.Visit, vid) is None  # an inspector gets assignments, not colleagues' visits
    for laptop in (inspector, leader, other):
        laptop.close()


def test_a_bundle_carries_the_same_push_with_the_same_guarantees(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    laptop.sync()
    ids = [laptop.complete_visit(code, photos=1) for code in office.codes[:2]]
    bundle = tmp_path / "usb" / "push.zip"

    summary = export_bundle(laptop.ws, office.inspector, bundle)

    assert (summary.visits, summary.missing_files) == (2, ())
    db = Database(office.backend.url)
    store = FileStore(office.backend.data_dir / "files", office.backend.data_dir / "uploads")
    first = [r for r in import_bundle(db, store, bundle) if r.entity == "visit"]
    again = [r for r in import_bundle(db, store, bundle) if r.entity == "visit"]
    db.dispose()
    assert [r.status.value for r in first] == ["accepted", "accepted"] and all(r.received for r in first)
    assert [r.status.value for r in again] == ["exists", "exists"]
    assert server_received(office.backend, ids) == set(ids)
    assert {laptop.outbox_states()[i] for i in ids} == {"waiting"}  # carried, not yet acknowledged
    report = laptop.sync()
    assert report.ok and {laptop.outbox_states()[i] for i in ids} == {"sent"}
    # No photo is sent again. The laptop cannot know the office imported the bundle, so the small
    # files a first push carries inside it (here the signatures) ride along once more.
    assert report.bytes_uploaded <= 4 * SMALL_FILE_BYTES
    assert server_visit_count(office.backend, ids) == 2
    laptop.close()


def test_login_and_sync_from_the_command_line(server, office, tmp_path):
    env = {**os.environ, "INSPECTOR_NO_KEYRING": "1"}
    ws = str(tmp_path / "ws")

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "inspector_app.cli", "--workspace", ws, *args],
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            cwd=ROOT,
            env=env,
            timeout=60,
        )

    bad = cli("login", "--server", server.url, "--user", office.inspector, stdin="wrong password\n")
    assert bad.returncode == 4 and "用户名或密码错误" in bad.stderr
    ok = cli("login", "--server", server.url, "--user", office.inspector, stdin=PASSWORD + "\n")
    assert ok.returncode == 0, ok.stderr
    assert "工作区文件" in ok.stdout
    synced = cli("sync")
    assert synced.returncode == 0, synced.stderr
    assert "接收变更" in synced.stdout
    exported = cli("sync", "export", str(tmp_path / "b.zip"))
    assert exported.returncode == 0, exported.stderr
