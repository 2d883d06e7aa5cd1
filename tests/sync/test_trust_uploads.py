"""Files reach the office streamed, checked as images, and only for visits that were taken.

Issue 11: a chunk was read whole into memory (8 MB, and up to 1 GB before its 413); a photo whose
bytes are not an image was stamped received and stopped the team leader's sync; the inline files of
a refused push stayed on the server's disk with nothing citing them.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import uuid
from pathlib import Path

import httpx
import pytest
from PIL import Image
from sqlmodel import select

from inspector_app.domain.visit import ENTERPRISE_ROLE, content_hash, inspector_role
from inspector_app.store import tables
from tests.support.harness import Laptop, ProcessServer, png, server_received

API = "/api/v1"
MB = 1024 * 1024


def _headers(laptop: Laptop) -> dict[str, str]:
    return {"Authorization": f"Bearer {laptop.tokens.load(laptop.server_url, laptop.username)}"}


def _document(laptop: Laptop, vid: str) -> dict:
    with laptop.ws.session() as s:
        return json.loads(s.get(tables.Visit, vid).document_json)


def _citing(doc: dict, files: dict[str, int], *, rehash: bool = True) -> dict:
    """A copy of a genuine document under a new id that also cites ``files`` (sha → size) as photos."""
    doc = {k: v for k, v in doc.items() if k != "content_hash"}
    doc["id"] = str(uuid.uuid4())
    doc["photos"] = [*doc["photos"], *({"sha256": sha, "item_key": "exits"} for sha in files)]
    entries = [
        {"sha256": sha, "size": size, "mime": "image/jpeg", "kind": "photo"} for sha, size in files.items()
    ]
    doc["manifest"] = sorted([*doc["manifest"], *entries], key=lambda m: m["sha256"])
    doc["content_hash"] = content_hash(doc) if rehash else "0" * 64
    return doc


def _push(url: str, headers: dict[str, str], doc: dict, files: dict[str, bytes] | None = None) -> dict:
    body: dict = {
        "client_time": "2026-11-30T08:00:00+00:00",
        "visits": [{"id": doc["id"], "content_hash": doc["content_hash"], "document": doc}],
    }
    if files:
        body["files"] = [{"sha256": s, "data": base64.b64encode(d).decode()} for s, d in files.items()]
    r = httpx.post(f"{url}{API}/push", json=body, headers=headers, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()["results"][0]


def _on_disk(backend, sha: str) -> bool:
    return (backend.data_dir / "files" / sha[:2] / sha).exists()


def _leftovers(backend) -> list[Path]:
    return sorted((backend.data_dir / "uploads").glob("*"))


def _pixel_bomb() -> bytes:
    """A real PNG the laptop takes (it is an image) but over the office's pixel budget: 16.4
    megapixels of white, a few dozen KB on the wire."""
    buf = io.BytesIO()
    Image.new("L", (4100, 4000), 255).save(buf, "PNG", optimize=True)
    return buf.getvalue()


def _peak_rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    raise AssertionError("no VmHWM")


# ------------------------------------------------------------------ images


def test_bytes_that_are_not_an_image_are_refused_by_every_upload_path_with_the_reason(
    server, office, tmp_path
):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    genuine = laptop.complete_visit(office.codes[0])
    assert laptop.sync().ok
    junk = b"MZ\x90\x00 an executable, not a photo " + uuid.uuid4().bytes
    sha = hashlib.sha256(junk).hexdigest()
    doc = _citing(_document(laptop, genuine), {sha: len(junk)})
    headers = _headers(laptop)
    # Inline in the push: not taken, the visit is not received.
    pushed = _push(server.url, headers, doc, {sha: junk})
    assert pushed["status"] == "accepted" and not pushed["received"] and pushed["missing"] == [sha]
    # As a small file: refused, with the reason.
    small = httpx.post(
        f"{server.url}{API}/files/small",
        json={"files": [{"sha256": sha, "data": base64.b64encode(junk).decode()}]},
        headers=headers,
    ).json()
    assert small["stored"] == [] and "不是可识别的图片" in small["refused"][0]["reason"]
    # As a chunk: 415, with the reason.
    chunk = httpx.put(
        f"{server.url}{API}/files/{sha}",
        params={"offset": 0, "total": len(junk)},
        content=junk,
        headers={**headers, "Content-Type": "application/octet-stream"},
    )
    assert chunk.status_code == 415 and "不是可识别的图片" in chunk.json()["detail"]
    assert server_received(office.backend, [doc["id"]]) == set()
    assert not _on_disk(office.backend, sha)
    assert _leftovers(office.backend) == []
    laptop.close()


def test_a_visit_whose_photo_the_office_refuses_is_set_aside_alone_and_the_rest_is_received(
    server, office, tmp_path
):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    app, badge = laptop.app, laptop.badge()
    fine = laptop.complete_visit(office.codes[0], photos=1)
    bombed, _ = app.visits.start(office.codes[1], "mini-check", [badge])
    for key, value in {"plan": "Y", "staff": 120, "on_site": 100, "exits": "Y"}.items():
        app.visits.answer(bombed, key, value)
    app.visits.add_photo(bombed, _pixel_bomb(), item_key="exits")  # the laptop takes it: it is a PNG
    app.visits.sign(bombed, inspector_role(badge), "张伟", png(91))
    app.visits.sign(bombed, ENTERPRISE_ROLE, "王建国", png(92))
    app.visits.complete(bombed)
    later = laptop.complete_visit(office.codes[2])

    report = laptop.sync()

    assert report.ok, report.error
    states = laptop.outbox_states()
    assert states[fine] == "sent" and states[later] == "sent"
    assert states[bombed] == "quarantined"
    with laptop.ws.session() as s:
        (ob,) = s.exec(select(tables.Outbox).where(tables.Outbox.entity_id == bombed)).all()
    assert "像素" in ob.last_error and "服务器拒收文件" in ob.last_error
    assert server_received(office.backend, [fine, later, bombed]) == {fine, later}
    # The next sync does not try it again, nor fail.
    again = laptop.sync()
    assert again.ok and again.files_uploaded == 0
    laptop.close()


# ------------------------------------------------------------------ refused pushes leave no files


def test_the_inline_files_of_a_refused_visit_are_not_left_on_the_servers_disk(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    genuine = laptop.complete_visit(office.codes[0])
    assert laptop.sync().ok
    photo = png(4242, (300, 200))
    sha = hashlib.sha256(photo).hexdigest()
    forged = _citing(_document(laptop, genuine), {sha: len(photo)}, rehash=False)  # fails its hash
    refused = _push(server.url, _headers(laptop), forged, {sha: photo})
    assert refused["status"] == "rejected"
    assert not _on_disk(office.backend, sha)
    assert _leftovers(office.backend) == []
    # The same file for a visit that is taken is stored and counts.
    again = _citing(_document(laptop, genuine), {sha: len(photo)})
    taken = _push(server.url, _headers(laptop), again, {sha: photo})
    assert taken["status"] == "accepted" and taken["received"]
    assert _on_disk(office.backend, sha)
    laptop.close()


# ------------------------------------------------------------------ streamed to disk


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_a_big_chunk_is_streamed_to_disk_not_held_in_memory(backend, office, tmp_path):
    if backend.kind != "sqlite":
        pytest.skip("the server's memory does not depend on its database")
    srv = ProcessServer(backend, env={"INSPECTOR_CENTRAL_MAX_CHUNK_BYTES": str(64 * MB)})
    try:
        laptop = Laptop(tmp_path / "ws", srv.url, office.inspector)
        assert laptop.sync().ok
        genuine = laptop.complete_visit(office.codes[0])
        assert laptop.sync().ok
        total = 62 * MB
        first = os.urandom(60 * MB)
        sha = hashlib.sha256(first + b"\0" * (total - len(first))).hexdigest()
        headers = _headers(laptop)
        pushed = _push(srv.url, headers, _citing(_document(laptop, genuine), {sha: total}))
        assert pushed["missing"] == [sha]
        before = _peak_rss_mb(srv.proc.pid)

        def body():
            for i in range(0, len(first), MB):
                yield first[i : i + MB]

        r = httpx.put(
            f"{srv.url}{API}/files/{sha}",
            params={"offset": 0, "total": total},
            content=body(),  # chunked: no Content-Length
            headers={**headers, "Content-Type": "application/octet-stream"},
            timeout=120,
        )
        assert r.status_code == 200, r.text
        assert r.json()["offset"] == len(first) and not r.json()["complete"]
        grown = _peak_rss_mb(srv.proc.pid) - before
        assert grown < 24, f"the server grew {grown} MB for a 60 MB chunk"
        laptop.close()
    finally:
        srv.stop()
