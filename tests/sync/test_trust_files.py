""""Received" means every file the document cites, wherever it cites it — decided from the document.

Attack seen (issue 11): the image answering a form's signature item never left the laptop, yet the
visit was stamped received with ``missing: []``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import admin
from inspector_app.checklist import ItemType, load_form
from inspector_app.domain.visit import ENTERPRISE_ROLE, content_hash, inspector_role
from inspector_app.store import attachments, tables
from tests.support.harness import ROOT, Laptop, fill_required, png, server_received

SHIPPED = ROOT / "forms"


def _inspection_forms_with_signature_items() -> list[Path]:
    out = []
    for path in sorted(SHIPPED.glob("*.yaml")):
        form = load_form(path)
        if form.kind == "inspection" and any(i.type is ItemType.SIGNATURE for i in form.items.values()):
            out.append(path)
    return out


SIGNED_FORMS = _inspection_forms_with_signature_items()


def publish(backend, path: Path) -> tuple[str, str]:
    db = Database(backend.url)
    try:
        with db.write() as conn:
            code, version, _new = admin.publish_form(conn, path)
    finally:
        db.dispose()
    return code, version


def server_has_file(backend, sha: str) -> bool:
    db = Database(backend.url)
    try:
        with db.read() as conn:
            listed = conn.execute(select(t.files.c.sha256).where(t.files.c.sha256 == sha)).first()
    finally:
        db.dispose()
    return listed is not None and (backend.data_dir / "files" / sha[:2] / sha).exists()


def test_the_shipped_forms_have_signature_items_to_test_with():
    assert {p.stem for p in SIGNED_FORMS} >= {"fire-safety"}


@pytest.mark.parametrize("form_path", SIGNED_FORMS, ids=lambda p: p.stem)
def test_a_signature_items_image_reaches_the_office_and_the_leader(server, office, tmp_path, form_path):
    code, _version = publish(office.backend, form_path)
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    app, badge = laptop.app, laptop.badge()
    partner = office.badges[office.inspector2]  # enforcement forms need two officers
    vid, _ = app.visits.start(office.codes[0], code, [badge, partner])
    form = app.visits.snapshot(vid).form
    (sig_key, *_) = [k for k, i in form.items.items() if i.type is ItemType.SIGNATURE]
    commitment = png(7001, (160, 60))
    app.visits.answer_signature(vid, sig_key, commitment)
    fill_required(app, vid)
    app.visits.sign(vid, inspector_role(badge), "张伟", png(7002))
    app.visits.sign(vid, inspector_role(partner), "李娜", png(7004))
    # The item is the enterprise's signature itself (signer: enterprise): no second one is drawn.
    app.visits.complete(vid)
    sha = hashlib.sha256(commitment).hexdigest()
    with laptop.ws.session() as s:
        doc = json.loads(s.get(tables.Visit, vid).document_json)
    assert doc["answers"][sig_key] == sha
    assert doc["file_answers"][sig_key] == "signature"
    assert sha in {m["sha256"] for m in doc["manifest"]}

    report = laptop.sync()

    assert report.ok, report.error
    assert laptop.outbox_states()[vid] == "sent"
    assert server_received(office.backend, [vid]) == {vid}
    assert server_has_file(office.backend, sha)
    leader = Laptop(tmp_path / "leader", server.url, office.leader)
    assert leader.sync().ok
    assert leader.app.visits.snapshot(vid).answers[sig_key] == sha
    assert attachments.verify(leader.ws.attachments_dir, sha)
    laptop.close()
    leader.close()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _token(server, laptop: Laptop) -> dict[str, str]:
    return {"Authorization": f"Bearer {laptop.tokens.load(server.url, laptop.username)}"}


def _forged_push(server, laptop: Laptop, doc: dict) -> dict:
    doc = {k: v for k, v in doc.items() if k != "content_hash"}
    doc["content_hash"] = content_hash(doc)
    body = {
        "client_time": "2026-11-30T08:00:00+00:00",
        "visits": [{"id": doc["id"], "content_hash": doc["content_hash"], "document": doc}],
    }
    answer = httpx.post(f"{server.url}/api/v1/push", json=body, headers=_token(server, laptop))
    assert answer.status_code == 200, answer.text
    return dict(answer.json()["results"][0])


def _signed_mini_visit(laptop: Laptop, code: str) -> tuple[str, str]:
    """A mini-check visit whose signature item (discovered from the form) holds an image."""
    app, badge = laptop.app, laptop.badge()
    vid, _ = app.visits.start(code, "mini-check", [badge])
    form = app.visits.snapshot(vid).form
    (sig_key, *_) = [k for k, i in form.items.items() if i.type is ItemType.SIGNATURE]
    app.visits.answer_signature(vid, sig_key, png(7100, (150, 50)))
    fill_required(app, vid)
    app.visits.sign(vid, inspector_role(badge), "张伟", png(7101))
    app.visits.sign(vid, ENTERPRISE_ROLE, "王建国", png(7102))
    app.visits.complete(vid)
    return vid, sig_key


def test_a_document_hiding_a_file_answer_is_refused_and_a_missing_file_is_never_received(
    server, office, tmp_path
):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    vid, sig_key = _signed_mini_visit(laptop, office.codes[0])
    with laptop.ws.session() as s:
        doc = json.loads(s.get(tables.Visit, vid).document_json)
    sha = doc["answers"][sig_key]

    # An old or lying laptop: the answer is a file, but the document does not say so.
    hidden = dict(doc, file_answers={}, manifest=[m for m in doc["manifest"] if m["sha256"] != sha])
    refused = _forged_push(server, laptop, hidden)
    assert refused["status"] == "rejected" and sig_key in refused["reason"]

    # Declared, listed, but its bytes never sent: stored, not received, the file named as missing.
    stored = _forged_push(server, laptop, dict(doc))
    assert stored["status"] == "accepted"
    assert stored["received"] is False and sha in stored["missing"]
    assert server_received(office.backend, [vid]) == set()
    receipt = httpx.get(f"{server.url}/api/v1/visits/{vid}/receipt", headers=_token(server, laptop)).json()
    assert receipt["received"] is False and sha in receipt["missing"]

    # The laptop's own sync sends what is missing; only then is it received.
    assert laptop.sync().ok
    assert server_received(office.backend, [vid]) == {vid}
    laptop.close()


def test_a_manifest_listing_files_the_document_does_not_cite_is_refused(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    vid = laptop.complete_visit(office.codes[1])
    with laptop.ws.session() as s:
        doc = json.loads(s.get(tables.Visit, vid).document_json)
    someone_elses = {"sha256": "ab" * 32, "size": 10, "mime": "image/jpeg", "kind": "photo"}
    refused = _forged_push(server, laptop, dict(doc, manifest=[*doc["manifest"], someone_elses]))
    assert refused["status"] == "rejected" and "未引用" in refused["reason"]
    laptop.close()


def test_knowing_a_sha256_is_no_key_to_another_teams_photo(server, office, tmp_path):
    from tests.support.harness import seed_office

    owner = Laptop(tmp_path / "owner", server.url, office.inspector)
    assert owner.sync().ok
    theirs = owner.complete_visit(office.codes[0], photos=1)
    assert owner.sync().ok
    with owner.ws.session() as s:
        photo_sha = json.loads(s.get(tables.Visit, theirs).document_json)["photos"][0]["sha256"]
    other = seed_office(office.backend, enterprises=1)
    thief = Laptop(tmp_path / "thief", server.url, other.inspector)
    assert thief.sync().ok
    vid = thief.complete_visit(other.codes[0])
    with thief.ws.session() as s:
        doc = json.loads(s.get(tables.Visit, vid).document_json)
    size = (owner.ws.attachments_dir / photo_sha[:2] / photo_sha).stat().st_size
    doc["photos"] = [*doc["photos"], {"sha256": photo_sha, "item_key": "exits"}]
    doc["manifest"] = sorted(
        [*doc["manifest"], {"sha256": photo_sha, "size": size, "mime": "image/jpeg", "kind": "photo"}],
        key=lambda m: m["sha256"],
    )
    headers = _token(server, thief)

    result = _forged_push(server, thief, doc)

    assert result["status"] == "accepted"
    assert result["received"] is False and photo_sha in result["missing"]  # it must send the bytes itself
    status = httpx.get(f"{server.url}/api/v1/files/{photo_sha}", headers=headers).json()
    assert (status["complete"], status["offset"]) == (False, 0)  # nothing said of the owner's copy
    download = httpx.get(f"{server.url}/api/v1/files/{photo_sha}/content", headers=headers)
    assert download.status_code == 404
    owner.close()
    thief.close()


def test_another_user_cannot_break_an_upload_in_progress_nor_upload_what_nothing_awaits(
    server, office, tmp_path
):
    a = Laptop(tmp_path / "a", server.url, office.inspector)
    b = Laptop(tmp_path / "b", server.url, office.inspector2)
    assert a.sync().ok
    vid = a.complete_visit(office.codes[0], photos=1)
    batch = a.engine.outbox.build(a.engine.outbox.open_entries()).records
    pushed = httpx.post(
        f"{server.url}/api/v1/push", content=batch.model_dump_json(), headers=_token(server, a) | {
            "Content-Type": "application/json"
        }
    ).json()
    assert {r["status"] for r in pushed["results"]} == {"accepted"}
    with a.ws.session() as s:
        sha = json.loads(s.get(tables.Visit, vid).document_json)["photos"][0]["sha256"]
    data = (a.ws.attachments_dir / sha[:2] / sha).read_bytes()
    half = len(data) // 2

    def put(laptop: Laptop, offset: int, chunk: bytes) -> httpx.Response:
        return httpx.put(
            f"{server.url}/api/v1/files/{sha}",
            params={"offset": offset, "total": len(data)},
            content=chunk,
            headers=_token(server, laptop),
        )

    assert put(a, 0, data[:half]).json()["offset"] == half
    assert put(b, 0, b"\0" * half).status_code == 403  # b pushed nothing that needs it
    assert put(b, half, b"\0" * (len(data) - half)).status_code == 403
    junk = b"fill the office's disk" * 100
    small = httpx.post(
        f"{server.url}/api/v1/files/small",
        json={"files": [{"sha256": hashlib.sha256(junk).hexdigest(), "data": _b64(junk)}]},
        headers=_token(server, b),
    ).json()
    assert small["stored"] == [] and small["refused"]
    done = put(a, half, data[half:]).json()
    assert done["complete"] is True
    assert a.sync().ok and server_received(office.backend, [vid]) == {vid}  # signatures sent too
    a.close()
    b.close()


def test_a_visit_frozen_by_an_older_laptop_is_received_only_with_its_signature_items_image(
    server, office, tmp_path
):
    """A document frozen before file_answers existed cannot change (its hash covers it): the office
    reads its file answers from the form and awaits those files too."""

    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    vid, sig_key = _signed_mini_visit(laptop, office.codes[0])
    with laptop.ws.session() as s:
        doc = json.loads(s.get(tables.Visit, vid).document_json)
    sha = doc["answers"][sig_key]
    old = {k: v for k, v in doc.items() if k != "file_answers"}
    old["manifest"] = [m for m in doc["manifest"] if m["sha256"] != sha]

    result = _forged_push(server, laptop, old)

    assert result["status"] == "accepted" and result["received"] is False
    assert sha in result["missing"]
    for entry in old["manifest"]:  # the files the older laptop does send
        data = (laptop.ws.attachments_dir / entry["sha256"][:2] / entry["sha256"]).read_bytes()
        httpx.post(
            f"{server.url}/api/v1/files/small",
            json={"files": [{"sha256": entry["sha256"], "data": _b64(data)}]},
            headers=_token(server, laptop),
        ).raise_for_status()
    receipt = httpx.get(f"{server.url}/api/v1/visits/{vid}/receipt", headers=_token(server, laptop)).json()
    assert receipt["missing"] == [sha]  # the signature item's image is awaited all the same
    image = (laptop.ws.attachments_dir / sha[:2] / sha).read_bytes()
    httpx.post(
        f"{server.url}/api/v1/files/small",
        json={"files": [{"sha256": sha, "data": _b64(image)}]},
        headers=_token(server, laptop),
    ).raise_for_status()
    assert server_received(office.backend, [vid]) == {vid}
    laptop.close()
