"""A visit over its size cap inside a push is refused alone; the rest of the batch goes on.

Issue 11: a visit with 20 MB of answers was accepted (only the whole push had a cap, 16 MB, and a
single PUT /visits one of 2 MB). ``max_visit_bytes`` now holds for each visit of a push too: the
oversized one is answered rejected (413) with the reason, the laptop quarantines it with that
reason, and the other visits of the same push are taken.
"""

from __future__ import annotations

import json

import httpx
from sqlmodel import select

from inspector_app.store import tables
from tests.support.harness import Laptop, ThreadServer, server_received

API = "/api/v1"


def _document(laptop: Laptop, vid: str) -> dict:
    with laptop.ws.session() as s:
        return json.loads(s.get(tables.Visit, vid).document_json)


def test_an_oversized_visit_in_a_push_is_refused_alone(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    small = [laptop.complete_visit(code) for code in office.codes[:2]]
    docs = [_document(laptop, vid) for vid in small]
    huge = dict(docs[0], id="0a0a0a0a-0000-4000-8000-000000000000", place="很" * (1024 * 1024))  # 3 MB
    token = laptop.tokens.load(server.url, office.inspector)
    body = {
        "client_time": "2026-11-30T08:00:00+00:00",
        "visits": [
            {"id": docs[0]["id"], "content_hash": docs[0]["content_hash"], "document": docs[0]},
            {"id": huge["id"], "content_hash": huge["content_hash"], "document": huge},
            {"id": docs[1]["id"], "content_hash": docs[1]["content_hash"], "document": docs[1]},
        ],
    }
    headers = {"Authorization": f"Bearer {token}"}
    r = httpx.post(f"{server.url}{API}/push", json=body, headers=headers, timeout=60)
    assert r.status_code == 200, r.text
    first, refused, third = r.json()["results"]
    assert (refused["status"], refused["http_status"]) == ("rejected", 413)
    assert "过大" in refused["reason"] and "2,097,152" in refused["reason"]
    assert first["status"] == "accepted" and third["status"] == "accepted"
    laptop.close()


def test_the_laptop_quarantines_the_oversized_visit_with_the_reason_and_sends_the_rest(office, tmp_path):
    srv = ThreadServer(office.backend, max_visit_bytes=9_000)
    try:
        laptop = Laptop(tmp_path / "ws", srv.url, office.inspector)
        assert laptop.sync().ok
        plain = laptop.complete_visit(office.codes[0])
        many = laptop.complete_visit(office.codes[1], photos=40, photo_side=16)
        sizes = {
            vid: len(json.dumps(_document(laptop, vid), ensure_ascii=False, separators=(",", ":")).encode())
            for vid in (plain, many)
        }
        assert sizes[plain] < 9_000 < sizes[many], sizes
        report = laptop.sync()
        assert report.ok, report.error
        states = laptop.outbox_states()
        assert states[plain] == "sent" and states[many] == "quarantined"
        with laptop.ws.session() as s:
            (ob,) = s.exec(select(tables.Outbox).where(tables.Outbox.entity_id == many)).all()
        assert "过大" in ob.last_error
        assert server_received(office.backend, [plain, many]) == {plain}
        laptop.close()
    finally:
        srv.stop()
