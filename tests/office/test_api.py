"""The API contract: who may call what, and no malformed request ever gets a 500."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from inspector_app.central.api.app import create_app
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import admin, auth
from inspector_app.wire import Role
from tests.support.harness import PASSWORD, Backend, Laptop, Office, make_backend, seed_office

EXPECTED_OPERATIONS = {
    "health",
    "login",
    "logout",
    "logout_all",
    "me",
    "push",
    "put_visit",
    "get_visit",
    "visit_receipt",
    "visit_receipts",
    "pull_changes",
    "file_status",
    "upload_chunk",
    "upload_small_files",
    "download_file",
    "admin_list_users",
    "admin_revoke_device",
    "admin_list_conflicts",
    "admin_resolve_conflict",
    "register_device_key",
    "admin_audit",
    "number_blocks",
}


def test_the_openapi_document_names_every_operation_with_a_stable_id(server):
    spec = httpx.get(f"{server.url}/openapi.json").json()
    ids = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert ids == EXPECTED_OPERATIONS


def _token(url: str, username: str) -> str:
    r = httpx.post(
        f"{url}/api/v1/auth/login",
        json={"username": username, "password": PASSWORD, "device_id": str(uuid.uuid4())},
    )
    assert r.status_code == 200, r.text
    return str(r.json()["token"])


@pytest.fixture
def world(server, office: Office, tmp_path) -> Iterator[tuple[str, Office, dict[str, str | None], str, str]]:
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    laptop.sync()
    vid = laptop.complete_visit(office.codes[0])
    assert laptop.sync().ok
    sha = _a_file_of(laptop, vid)
    tokens: dict[str, str | None] = {
        "anonymous": None,
        "inspector": _token(server.url, office.inspector),
        "other_inspector": _token(server.url, office.inspector2),
        "leader": _token(server.url, office.leader),
        "admin": _token(server.url, office.admin),
    }
    yield server.url, office, tokens, vid, sha
    laptop.close()


def _a_file_of(laptop: Laptop, vid: str) -> str:
    import json

    from inspector_app.store import tables

    with laptop.ws.session() as s:
        doc = json.loads(s.get(tables.Visit, vid).document_json)
    return str(doc["manifest"][0]["sha256"])


ROLES = ["anonymous", "inspector", "other_inspector", "leader", "admin"]
# Each endpoint, and what each role gets: 401 without a token, 403 for a role that may not,
# 404 for a record the caller may not see (its existence is not revealed).
MATRIX: list[tuple[str, str, str, tuple[int, ...]]] = [
    ("health", "GET", "/health", (200, 200, 200, 200, 200)),
    ("me", "GET", "/me", (401, 200, 200, 200, 200)),
    ("logout_all", "POST", "/auth/logout-all", (401, 200, 200, 200, 200)),
    ("push", "POST", "/push", (401, 200, 200, 200, 200)),
    ("pull_changes", "GET", "/changes", (401, 200, 200, 200, 200)),
    ("get_visit", "GET", "/visits/{vid}", (401, 200, 404, 200, 200)),
    ("visit_receipt", "GET", "/visits/{vid}/receipt", (401, 200, 404, 200, 200)),
    ("visit_receipts", "POST", "/receipts", (401, 200, 200, 200, 200)),
    ("file_status", "GET", "/files/{sha}", (401, 200, 200, 200, 200)),
    ("download_file", "GET", "/files/{sha}/content", (401, 200, 404, 200, 200)),
    ("upload_small_files", "POST", "/files/small", (401, 200, 200, 200, 200)),
    # Files are taken only for a visit the uploader pushed: a file nothing awaits is refused.
    ("upload_chunk", "PUT", "/files/{new_sha}?offset=0&total=5", (401, 403, 403, 403, 403)),
    ("register_device_key", "PUT", "/devices/key", (401, 200, 200, 200, 200)),
    ("number_blocks", "POST", "/numbers/blocks", (401, 200, 200, 200, 200)),
    ("admin_list_users", "GET", "/admin/users", (401, 403, 403, 403, 200)),
    ("admin_list_conflicts", "GET", "/admin/conflicts", (401, 403, 403, 403, 200)),
    ("admin_audit", "GET", "/admin/audit", (401, 403, 403, 403, 200)),
    ("admin_resolve_conflict", "POST", "/admin/conflicts/none/resolve", (401, 403, 403, 403, 409)),
    ("admin_revoke_device", "POST", "/admin/users/{other}/revoke?device_id=x", (401, 403, 403, 403, 200)),
]


@pytest.mark.parametrize(("operation", "method", "path", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_every_role_gets_what_it_may_and_nothing_more(world, operation, method, path, expected):
    url, office, tokens, vid, sha = world
    bodies = {
        "push": {"client_time": datetime.now(UTC).isoformat()},
        "visit_receipts": {"ids": [vid]},
        "upload_small_files": {"files": []},
        "admin_resolve_conflict": {"keep": "field"},
        "register_device_key": {"public_key": "A" * 43 + "="},
        "number_blocks": {"year": datetime.now(UTC).year, "kinds": ["record"]},
    }
    for role, status in zip(ROLES, expected, strict=True):
        target = path.format(
            vid=vid, sha=sha, new_sha=hashlib.sha256(b"hello").hexdigest(), other=office.inspector2
        )
        headers = {"Authorization": f"Bearer {tokens[role]}"} if tokens[role] else {}
        content = b"hello" if operation == "upload_chunk" else None
        r = httpx.request(
            method, f"{url}/api/v1{target}", headers=headers, json=bodies.get(operation), content=content
        )
        assert r.status_code == status, (operation, role, r.status_code, r.text)
    if operation == "visit_receipts":
        r = httpx.post(
            f"{url}/api/v1/receipts",
            json={"ids": [vid]},
            headers={"Authorization": f"Bearer {tokens['other_inspector']}"},
        )
        assert r.json() == []  # another inspector's visit is left out, not revealed


def test_a_revoked_device_and_a_disabled_user_are_turned_away(server, office):
    token = _token(server.url, office.inspector)
    other_device = _token(server.url, office.inspector)
    db = Database(office.backend.url)
    me = httpx.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["role"] == "inspector"
    logout = httpx.post(f"{server.url}/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"})
    assert logout.status_code == 204
    assert (
        httpx.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )
    assert (
        httpx.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {other_device}"}).status_code
        == 200
    )
    with db.write() as conn:
        admin.set_disabled(conn, office.inspector, True)
    assert (
        httpx.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {other_device}"}).status_code
        == 403
    )
    r = httpx.post(
        f"{server.url}/api/v1/auth/login",
        json={"username": office.inspector, "password": PASSWORD, "device_id": str(uuid.uuid4())},
    )
    assert r.status_code == 403
    db.dispose()


# ------------------------------------------------------------------ fuzzing the contract


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[object, str]]:
    backend: Backend = make_backend("sqlite", tmp_path_factory.mktemp("fuzz"))
    office = seed_office(backend, enterprises=1)
    db = Database(backend.url)
    with db.write() as conn:
        token, _expires, _p = auth.login(
            conn,
            username=office.admin,
            password=PASSWORD,
            device_id=str(uuid.uuid4()),
            device_name="fuzz",
            token_days=1,
        )
        admin.add_user(
            conn, "fuzz-inspector", PASSWORD, Role.INSPECTOR, team=office.team, badge_number="FUZZ-1"
        )
    app = create_app(backend.settings(), db=db)
    yield app, token
    db.dispose()


# Logging out would end the fuzzer's own session.
OPERATIONS = sorted(EXPECTED_OPERATIONS - {"logout", "logout_all"})


@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode), ids=lambda m: m.value)
def test_no_malformed_request_gets_a_server_error(fuzz_target, mode):
    app, token = fuzz_target
    # The API description is for admins (the test client is not on the loopback address).
    api = schemathesis.openapi.from_asgi("/openapi.json", app, headers={"Authorization": f"Bearer {token}"})
    failures: list[str] = []
    for result in api.get_all_operations():
        operation = result.ok()
        if operation.definition.raw.get("operationId") not in OPERATIONS:
            continue

        @given(case=operation.as_strategy(mode))
        @settings(
            max_examples=5,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def probe(case: schemathesis.Case) -> None:
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}"
                )

        try:
            probe()
        except Unsatisfiable:
            continue  # nothing to break: an operation with no inputs has no malformed request
    assert failures == []
