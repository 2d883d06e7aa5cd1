"""Every request body has a cap, read with it (413 before more than the cap is held), errors never
echo what was sent, big JSON is handled off the event loop, and uploads have a daily quota."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PIL import Image

from inspector_app.central.db.engine import Database
from inspector_app.central.logic import audit
from inspector_app.domain.visit import content_hash
from inspector_app.store import tables
from inspector_app.wire.models import SMALL_FILE_BYTES
from tests.support.harness import PASSWORD, Laptop, Office, ProcessServer, ThreadServer

API = "/api/v1"
MB = 1024 * 1024


def _login(url: str, username: str, **headers: str) -> dict[str, str]:
    r = httpx.post(
        f"{url}{API}/auth/login",
        json={"username": username, "password": PASSWORD, "device_id": str(uuid.uuid4())},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def _stream(total: int, block: int = MB) -> Iterator[bytes]:
    """A body sent in chunks with no Content-Length (chunked transfer encoding)."""
    chunk = b"\0" * block
    sent = 0
    while sent < total:
        yield chunk
        sent += block


def test_a_20_mb_anonymous_login_body_is_refused_unread_and_not_echoed(server):
    body = json.dumps({"username": "admin", "password": "x" * 20 * MB, "device_id": str(uuid.uuid4())})
    r = httpx.post(
        f"{server.url}{API}/auth/login",
        content=body,
        headers={"content-type": "application/json"},
        timeout=60,
    )
    assert r.status_code == 413
    assert len(r.content) < 300
    assert httpx.get(f"{server.url}{API}/health").status_code == 200


def _awaiting(server, office: Office, tmp_path: Path, files: dict[str, int]) -> dict[str, str]:
    """The inspector's headers, once a visit they pushed awaits ``files`` (sha256 → size): the only
    files the server takes from them (the per-user file rule answers 403 for any other)."""
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    assert laptop.sync().ok
    vid = laptop.complete_visit(office.codes[0])
    with laptop.ws.session() as s:
        doc = json.loads(s.get(tables.Visit, vid).document_json)
    doc = {k: v for k, v in doc.items() if k != "content_hash"}
    doc["id"] = str(uuid.uuid4())
    doc["photos"] = [*doc["photos"], *({"sha256": sha, "item_key": "exits"} for sha in files)]
    entries = [{"sha256": sha, "size": n, "mime": "image/png", "kind": "photo"} for sha, n in files.items()]
    doc["manifest"] = sorted([*doc["manifest"], *entries], key=lambda m: m["sha256"])
    doc["content_hash"] = content_hash(doc)
    headers = {"Authorization": f"Bearer {laptop.tokens.load(server.url, office.inspector)}"}
    laptop.close()
    push = {
        "client_time": "2026-11-30T08:00:00+00:00",
        "visits": [{"id": doc["id"], "content_hash": doc["content_hash"], "document": doc}],
    }
    (result,) = httpx.post(f"{server.url}{API}/push", json=push, headers=headers).json()["results"]
    assert result["status"] == "accepted" and set(files) <= set(result["missing"]), result
    return headers


def _noise_png(seed: int) -> bytes:
    """A photo-like PNG just under the small-file size (noise does not compress)."""
    rnd = random.Random(seed)
    buf = io.BytesIO()
    Image.frombytes("RGB", (140, 140), rnd.randbytes(140 * 140 * 3)).save(buf, "PNG")
    assert 55_000 < len(buf.getvalue()) <= SMALL_FILE_BYTES
    return buf.getvalue()


def test_a_body_without_content_length_is_cut_at_its_cap(server, office: Office, tmp_path):
    """The attack: PUT /files with chunked encoding was held in memory up to 1 GB before its 413."""
    sha = hashlib.sha256(b"never").hexdigest()
    headers = _awaiting(server, office, tmp_path, {sha: 100})
    r = httpx.put(
        f"{server.url}{API}/files/{sha}?offset=0&total=100",
        content=_stream(200 * MB),
        headers=headers,
        timeout=60,
    )
    assert r.status_code == 413
    # Nothing of it was kept.
    status = httpx.get(f"{server.url}{API}/files/{sha}", headers=headers).json()
    assert status["offset"] == 0 and not status["complete"]
    assert sorted((office.backend.data_dir / "uploads").glob("*")) == []
    anonymous = httpx.post(
        f"{server.url}{API}/auth/login",
        content=_stream(50 * MB),
        headers={"content-type": "application/json"},
        timeout=60,
    )
    assert anonymous.status_code == 413


def test_a_422_names_the_field_and_never_repeats_the_input(server):
    secret = "S3cret-" * 300  # over the 1000 characters a password may have
    r = httpx.post(
        f"{server.url}{API}/auth/login",
        json={"username": "admin", "password": secret, "device_id": str(uuid.uuid4())},
    )
    assert r.status_code == 422
    assert "S3cret" not in r.text
    assert r.json()["detail"][0]["loc"] == ["body", "password"]
    broken = httpx.post(
        f"{server.url}{API}/auth/login",
        content=b'{"username": "admin", "password": "hunter2-hunter2", ',
        headers={"content-type": "application/json"},
    )
    assert broken.status_code == 422
    assert "hunter2" not in broken.text


def test_one_visit_or_one_push_beyond_its_cap_is_refused(server, office: Office):
    headers = _login(server.url, office.inspector)
    vid = str(uuid.uuid4())
    huge_visit = {"id": vid, "document": {"answers": {"notes": "很" * (3 * MB)}}}
    r = httpx.put(f"{server.url}{API}/visits/{vid}", json=huge_visit, headers=headers, timeout=60)
    assert r.status_code == 413
    push = {"client_time": "2026-11-30T08:00:00+08:00", "visits": [huge_visit] * 3}
    r = httpx.post(f"{server.url}{API}/push", json=push, headers=headers, timeout=60)
    assert r.status_code == 413


def test_a_big_body_under_its_cap_is_handled_whole_on_a_worker_thread(server, office: Office, tmp_path):
    """1.5 MB of small files (above the size handed to a worker thread) is parsed, checked and stored."""
    blobs = [_noise_png(i) for i in range(25)]
    shas = {hashlib.sha256(b).hexdigest(): len(b) for b in blobs}
    headers = _awaiting(server, office, tmp_path, shas)
    files = [{"sha256": hashlib.sha256(b).hexdigest(), "data": base64.b64encode(b).decode()} for b in blobs]
    r = httpx.post(f"{server.url}{API}/files/small", json={"files": files}, headers=headers, timeout=60)
    assert len(r.request.content) > 1_500_000
    assert r.status_code == 200, r.text
    assert sorted(r.json()["stored"]) == sorted(shas)
    assert httpx.get(f"{server.url}{API}/health").status_code == 200


def _peak_rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    raise AssertionError("no VmHWM")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc")
def test_a_100_mb_body_does_not_grow_the_server(backend):
    """The attack: a 100 MB body took the server to 571 MB. Now its memory does not follow the body."""
    srv = ProcessServer(backend)
    try:
        before = _peak_rss_mb(srv.proc.pid)
        for path in ("/auth/login", "/push", "/files/small"):
            r = httpx.post(
                f"{srv.url}{API}{path}",
                content=_stream(100 * MB),
                headers={"content-type": "application/json"},
                timeout=120,
            )
            assert r.status_code in {401, 413}, (path, r.status_code)
        assert _peak_rss_mb(srv.proc.pid) - before < 48
    finally:
        srv.stop()


def test_a_cursor_beyond_64_bits_is_refused_as_a_bad_cursor(server, office: Office):
    headers = _login(server.url, office.inspector)
    for cursor in ("0.9999999999999999999", "99999999999999999999.1", "1.2.3", "-1.5", "١.٢"):
        r = httpx.get(f"{server.url}{API}/changes", params={"cursor": cursor}, headers=headers)
        assert r.status_code == 400, (cursor, r.status_code, r.text)
    assert (
        httpx.get(f"{server.url}{API}/changes", params={"cursor": "0.0"}, headers=headers).status_code == 200
    )


def test_the_api_description_is_for_this_machine_and_admins_only(server, office: Office):
    # A client behind the office's reverse proxy (which forwards its address, docs/deployment.md).
    outside = {"X-Forwarded-For": "203.0.113.7"}
    for path in ("/openapi.json", "/docs"):
        assert httpx.get(f"{server.url}{path}").status_code == 200  # this machine
        assert httpx.get(f"{server.url}{path}", headers=outside).status_code == 401
    inspector = _login(server.url, office.inspector)
    assert httpx.get(f"{server.url}/openapi.json", headers={**outside, **inspector}).status_code == 403
    admin = _login(server.url, office.admin)
    spec = httpx.get(f"{server.url}/openapi.json", headers={**outside, **admin})
    assert spec.status_code == 200 and "paths" in spec.json()


def test_an_account_past_its_daily_upload_quota_is_refused_and_audited(backend, office: Office):
    srv = ThreadServer(backend, upload_quota_bytes_per_day=300_000)
    try:
        headers = _login(srv.url, office.inspector)
        statuses = []
        for _ in range(6):
            blob = os.urandom(60_000)
            files = [{"sha256": hashlib.sha256(blob).hexdigest(), "data": base64.b64encode(blob).decode()}]
            statuses.append(
                httpx.post(f"{srv.url}{API}/files/small", json={"files": files}, headers=headers).status_code
            )
        assert statuses[:3] == [200, 200, 200]
        assert statuses[-1] == 429
        # Another account is not held back by this one's uploads.
        other = _login(srv.url, office.inspector2)
        blob = os.urandom(1000)
        files = [{"sha256": hashlib.sha256(blob).hexdigest(), "data": base64.b64encode(blob).decode()}]
        assert (
            httpx.post(f"{srv.url}{API}/files/small", json={"files": files}, headers=other).status_code == 200
        )
    finally:
        srv.stop()
    db = Database(backend.url)
    try:
        with db.read() as conn:
            refused = audit.entries(conn, action=audit.UPLOAD_REFUSED, user=office.inspector)
        assert refused and not refused[0].ok
    finally:
        db.dispose()
