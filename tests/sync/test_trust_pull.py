"""What a laptop pulls is checked before it touches the disk, and one bad record never stops a sync.

Attacks seen (issue 11): an inspector pushed a visit whose photo bytes are not an image, and every
``inspector-app sync`` of the team leader then failed in store_visit; a server answering /changes
with a form code ``../../../../tmp/x/escaped`` made the laptop write outside its workspace.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid

import httpx
from sqlmodel import select

from inspector_app.domain.visit import content_hash
from inspector_app.store import tables
from inspector_app.store.sync_tables import PulledQuarantine
from tests.support.harness import FORMS, ROOT, Laptop, server_received
from tests.support.proxy import FaultProxy


def _quarantined(laptop: Laptop) -> list[PulledQuarantine]:
    with laptop.ws.session() as s:
        return list(s.exec(select(PulledQuarantine)))


def _push_visit_with_a_photo_that_is_not_an_image(server, laptop: Laptop, vid: str) -> str:
    with laptop.ws.session() as s:
        doc = json.loads(s.get(tables.Visit, vid).document_json)
    junk = b"MZ\x90\x00 this is no picture " + uuid.uuid4().bytes
    sha = hashlib.sha256(junk).hexdigest()
    doc = {k: v for k, v in doc.items() if k != "content_hash"}
    doc["id"] = str(uuid.uuid4())
    doc["photos"] = [*doc["photos"], {"sha256": sha, "item_key": "exits"}]
    doc["manifest"] = sorted(
        [*doc["manifest"], {"sha256": sha, "size": len(junk), "mime": "image/jpeg", "kind": "photo"}],
        key=lambda m: m["sha256"],
    )
    doc["content_hash"] = content_hash(doc)
    headers = {"Authorization": f"Bearer {laptop.tokens.load(server.url, laptop.username)}"}
    pushed = httpx.post(
        f"{server.url}/api/v1/push",
        json={
            "client_time": "2026-11-30T08:00:00+00:00",
            "visits": [{"id": doc["id"], "content_hash": doc["content_hash"], "document": doc}],
        },
        headers=headers,
    ).json()["results"][0]
    assert pushed["status"] == "accepted", pushed
    # Today's office refuses such bytes on every upload path (tests/sync/test_trust_uploads.py); an
    # office of before that took them, and its store still holds them: put there as it did.
    from sqlalchemy import select as select_users

    from inspector_app.central.db import tables as t
    from inspector_app.central.db.engine import Database
    from inspector_app.central.logic import receipts
    from inspector_app.central.logic.auth import now_utc
    from inspector_app.central.logic.files import FileStore, register_file

    backend = server.backend
    FileStore(backend.data_dir / "files", backend.data_dir / "uploads").put_whole(sha, junk)
    db = Database(backend.url)
    try:
        with db.write() as conn:
            user = conn.execute(
                select_users(t.users.c.id).where(t.users.c.username == laptop.username)
            ).scalar_one()
            register_file(conn, sha, len(junk), now_utc(), int(user))
            receipts.visits_completed_by_file(conn, sha, now_utc())
    finally:
        db.dispose()
    return str(doc["id"])


def test_a_photo_that_is_not_an_image_is_set_aside_and_the_leader_keeps_syncing(server, office, tmp_path):
    inspector = Laptop(tmp_path / "i", server.url, office.inspector)
    assert inspector.sync().ok
    first = inspector.complete_visit(office.codes[0])
    assert inspector.sync().ok
    bad = _push_visit_with_a_photo_that_is_not_an_image(server, inspector, first)
    assert server_received(office.backend, [bad]) == {bad}
    later = inspector.complete_visit(office.codes[1])
    assert inspector.sync().ok

    leader = Laptop(tmp_path / "l", server.url, office.leader)
    report = leader.sync()

    assert report.ok, report.error
    (held,) = _quarantined(leader)
    assert (held.kind, held.key) == ("visit", bad)
    assert "不是可识别的图片" in held.reason
    assert any(bad in line for line in report.pulled_quarantined)
    with leader.ws.session() as s:
        assert s.get(tables.Visit, bad) is None
        assert s.get(tables.Visit, first) is not None and s.get(tables.Visit, later) is not None
    again = leader.sync()
    assert again.ok and again.changes_pulled == 0
    # The command line says so too, and succeeds.
    done = subprocess.run(
        [sys.executable, "-m", "inspector_app.cli", "--workspace", str(leader.root), "sync"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "INSPECTOR_NO_KEYRING": "1"},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    inspector.close()
    leader.close()


def _lying_changes(forms: list[dict], visits: list[dict]):
    def rewrite(method: str, path: str, body: bytes) -> bytes | None:
        if method != "GET" or not path.startswith("/api/v1/changes"):
            return None
        page = json.loads(body)
        page["changes"] = [
            *[{"kind": "form", "form": f} for f in forms],
            *[
                {"kind": "visit", "document": d, "pushed_by": "x", "received_at": page["server_time"]}
                for d in visits
            ],
            *page["changes"],
        ]
        return json.dumps(page).encode()

    return rewrite


def _form(code: str, version: str, text: str) -> dict:
    sha = hashlib.sha256(text.encode()).hexdigest()
    return {"code": code, "version": version, "sha256": sha, "yaml": text}


def test_a_lying_server_cannot_make_the_laptop_write_outside_its_workspace(server, office, tmp_path):
    genuine = (FORMS / "mini.yaml").read_text("utf-8")
    escaping_name = genuine.replace("code: mini-check", "code: ../../../../tmp/x/escaped")
    forms = [
        _form("../../../../tmp/x/escaped", "1", genuine),  # a name the content does not bear out
        _form("../../escaped", "1", escaping_name),  # a name the loader refuses
        _form("mini-check", "../../escaped", genuine.replace('version: "1"', 'version: "../../escaped"')),
    ]
    visit = {"schema": 1, "id": str(uuid.uuid4()), "manifest": [{"sha256": "../../../escaped", "size": 1}]}
    root = tmp_path / "deep" / "a" / "b"
    proxy = FaultProxy(server.port, rewrite=_lying_changes(forms, [visit]))
    try:
        laptop = Laptop(root / "ws", proxy.url, office.leader)
        report = laptop.sync()
    finally:
        proxy.close()

    assert report.ok, report.error
    assert list(tmp_path.rglob("*escaped*")) == []
    assert not list((root / "ws" / "forms").glob("*escaped*"))
    assert (root / "ws" / "forms" / "mini-check@1.yaml").exists()  # the genuine page still applied
    held = {(q.kind, q.key) for q in _quarantined(laptop)}
    assert ("form", "../../../../tmp/x/escaped@1") in held
    assert ("form", "../../escaped@1") in held
    assert ("visit", visit["id"]) in held
    laptop.close()
