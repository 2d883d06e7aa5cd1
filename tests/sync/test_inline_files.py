"""A visit and its small files in one push (protocol feature ``inline_files``), with every
guarantee of the upload path: checked bytes only, received only when all files are here, and
laptops and servers of either age still work together."""

from __future__ import annotations

import base64
import hashlib
import json
import os

import httpx

from inspector_app.store import attachments, tables
from inspector_app.wire.models import MAX_SMALL_FILES
from tests.support.harness import Laptop, server_received, server_visit_count


class Recording(httpx.HTTPTransport):
    """The real network, with the requests it carried written down (method, path)."""

    def __init__(self, *, old_server: bool = False) -> None:
        super().__init__()
        self.seen: list[tuple[str, str, int]] = []
        self.old_server = old_server
        self.lose_next_push_answer = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.method, request.url.path, len(request.content)))
        response = super().handle_request(request)
        if self.lose_next_push_answer and request.url.path.endswith("/push"):
            self.lose_next_push_answer = False
            response.read()  # the server committed and answered; the answer is lost on the way
            raise httpx.ReadError("connection reset", request=request)
        if self.old_server and request.url.path.endswith("/health"):
            # What a server of before the feature answers: no list of features.
            body = json.loads(response.read())
            body.pop("features", None)
            return httpx.Response(200, json=body)
        return response

    def paths(self, prefix: str) -> list[str]:
        return [p for _m, p, _n in self.seen if p.startswith(prefix)]


def test_a_visit_and_its_photos_are_received_after_one_push(server, office, tmp_path):
    wire = Recording()
    # Photos that fit in one chunk travel inside the push; larger ones keep the resumable path.
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector, transport=wire, chunk_size=1 << 20)
    laptop.sync()
    vid = laptop.complete_visit(office.codes[0], photos=2)
    wire.seen.clear()

    report = laptop.sync()

    assert report.ok, report.error
    assert laptop.outbox_states()[vid] == "sent"
    assert server_received(office.backend, [vid]) == {vid}
    assert len(wire.paths("/api/v1/push")) == 1
    assert wire.paths("/api/v1/files") == [] and wire.paths("/api/v1/receipts") == []
    assert report.files_uploaded == 4  # two photos, two signatures
    laptop.close()


def test_against_a_server_without_the_feature_files_go_the_ordinary_way(server, office, tmp_path):
    wire = Recording(old_server=True)
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector, transport=wire)
    laptop.sync()
    vid = laptop.complete_visit(office.codes[0], photos=1)
    wire.seen.clear()

    report = laptop.sync()

    assert report.ok, report.error
    assert laptop.outbox_states()[vid] == "sent"
    assert server_received(office.backend, [vid]) == {vid}
    assert wire.paths("/api/v1/files") and wire.paths("/api/v1/receipts")
    laptop.close()


def _push_with(laptop: Laptop, url: str, username: str, files: list[tuple[str, bytes]]) -> dict:
    batch = laptop.engine.outbox.build(laptop.engine.outbox.open_entries()).records
    token = laptop.tokens.load(url, username)
    body = json.loads(batch.model_dump_json())
    body["files"] = [{"sha256": sha, "data": base64.b64encode(data).decode()} for sha, data in files]
    r = httpx.post(f"{url}/api/v1/push", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def test_an_inline_file_that_fails_its_hash_is_not_taken_and_the_visit_waits_for_it(
    server, office, tmp_path
):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    laptop.sync()
    vid = laptop.complete_visit(office.codes[0], photos=1)
    batch = laptop.engine.outbox.build(laptop.engine.outbox.open_entries(), handing_over=False).records
    shas = [m["sha256"] for m in batch.visits[0].document["manifest"]]
    root = laptop.ws.attachments_dir
    files = [(sha, attachments.path_for(root, sha).read_bytes()) for sha in shas]
    damaged = files[0][0]
    files[0] = (damaged, b"\x00" + files[0][1][1:])  # one byte changed in transit

    answer = _push_with(laptop, server.url, office.inspector, files)

    (result,) = [r for r in answer["results"] if r["entity"] == "visit"]
    assert result["status"] == "accepted"
    assert not result["received"] and result["missing"] == [damaged]
    assert not (office.backend.data_dir / "files" / damaged[:2] / damaged).exists()
    assert server_received(office.backend, [vid]) == set()
    # The laptop's next sync sends what is missing; the visit is received, stored once.
    assert laptop.sync().ok
    assert laptop.outbox_states()[vid] == "sent"
    assert server_received(office.backend, [vid]) == {vid}
    assert server_visit_count(office.backend, [vid]) == 1
    laptop.close()


def test_a_push_takes_no_file_that_none_of_its_visits_cites(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    laptop.sync()
    laptop.complete_visit(office.codes[0])
    stranger = os.urandom(5000)
    sha = hashlib.sha256(stranger).hexdigest()

    _push_with(laptop, server.url, office.inspector, [(sha, stranger)])

    assert not (office.backend.data_dir / "files" / sha[:2] / sha).exists()
    laptop.close()


def test_a_repeat_after_a_lost_answer_does_not_send_the_files_again(server, office, tmp_path):
    wire = Recording()
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector, transport=wire, chunk_size=1 << 20)
    laptop.sync()
    vid = laptop.complete_visit(office.codes[0], photos=1)
    wire.lose_next_push_answer = True

    lost = laptop.sync()

    assert not lost.ok and laptop.outbox_states()[vid] == "sending"
    assert server_received(office.backend, [vid]) == {vid}  # committed with its files
    wire.seen.clear()
    again = laptop.sync()
    assert again.ok, again.error
    assert laptop.outbox_states()[vid] == "sent"
    # The repeat carries the document only: the office answers "exists", received.
    (push,) = [n for _m, p, n in wire.seen if p == "/api/v1/push"]
    assert push < 64 * 1024 and again.bytes_uploaded == 0
    assert wire.paths("/api/v1/files") == []
    assert server_visit_count(office.backend, [vid]) == 1
    laptop.close()


def test_a_photo_larger_than_a_chunk_keeps_the_resumable_path_without_asking_where_it_stands(
    server, office, tmp_path
):
    wire = Recording()
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector, transport=wire, chunk_size=64 * 1024)
    laptop.sync()
    vid = laptop.complete_visit(office.codes[0], photos=1)
    wire.seen.clear()

    report = laptop.sync()

    assert report.ok, report.error
    assert server_received(office.backend, [vid]) == {vid}
    chunks = [p for m, p, _n in wire.seen if m == "PUT" and p.startswith("/api/v1/files/")]
    assert len(chunks) >= 2  # the photo went chunk by chunk
    # First time out: nothing of it can be on the office yet, so no status is asked first.
    assert [p for m, p, _n in wire.seen if m == "GET" and p.startswith("/api/v1/files/")] == []
    laptop.close()


def test_a_push_carries_no_more_files_than_the_office_takes_in_one_and_the_rest_are_uploaded(
    server, office, tmp_path
):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    laptop.sync()
    # Two signatures each: one file more than a push may carry, in visits of one batch.
    ids = [laptop.complete_visit(office.codes[0]) for _ in range(MAX_SMALL_FILES // 2 + 1)]

    report = laptop.sync()

    assert report.ok, report.error
    assert {laptop.outbox_states()[vid] for vid in ids} == {"sent"}
    assert server_received(office.backend, ids) == set(ids)
    laptop.close()


def test_visits_citing_more_files_than_one_push_carries_send_every_small_file_inline(
    server, office, tmp_path
):
    wire = Recording()
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector, transport=wire)
    laptop.sync()
    # Two signatures each: more files than a push may carry, in visits that fit one batch by count.
    ids = [laptop.complete_visit(office.codes[0]) for _ in range(MAX_SMALL_FILES // 2 + 10)]
    cited = _cited_files(laptop, ids)
    assert len(cited) > MAX_SMALL_FILES  # (two visits may share a signature image)
    wire.seen.clear()

    report = laptop.sync()

    assert report.ok, report.error
    assert {laptop.outbox_states()[vid] for vid in ids} == {"sent"}
    assert server_received(office.backend, ids) == set(ids)
    # The batch closed before its files passed the cap: a second push, and nothing by the upload path.
    assert len(wire.paths("/api/v1/push")) == 2
    assert wire.paths("/api/v1/files") == [] and wire.paths("/api/v1/receipts") == []
    # Each push carries what its own visits cite: a file shared across the two goes in both.
    assert report.files_uploaded >= len(cited)
    laptop.close()


def _cited_files(laptop: Laptop, ids: list[str]) -> set[str]:
    with laptop.ws.session() as s:
        documents = [json.loads(s.get(tables.Visit, vid).document_json) for vid in ids]
    return {m["sha256"] for d in documents for m in d["manifest"]}
