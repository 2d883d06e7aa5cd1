"""Request (诉求) follow-ups on the server: append-only, idempotent, authorised like visits."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.support.harness import PASSWORD, Office, new_code


def _token(url: str, username: str) -> str:
    r = httpx.post(
        f"{url}/api/v1/auth/login",
        json={"username": username, "password": PASSWORD, "device_id": str(uuid.uuid4())},
    )
    assert r.status_code == 200, r.text
    return str(r.json()["token"])


def _follow_up(office: Office, by: str, **changes: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "request_id": str(uuid.uuid4()),
        "credit_code": office.codes[0],
        "category": "用工招聘",
        "description": "缺普工30人",
        "visit_id": str(uuid.uuid4()),  # a draft on the laptop: the server has never seen it
        "at": datetime.now(UTC).isoformat(),
        "status": "跟进中",
        "note": "已对接人社局招聘会",
        "by": by,
    } | changes


def _push(url: str, token: str, *follow_ups: dict[str, Any]) -> list[tuple[str, int]]:
    r = httpx.post(
        f"{url}/api/v1/push",
        json={"client_time": datetime.now(UTC).isoformat(), "request_follow_ups": list(follow_ups)},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert {x["entity"] for x in results} <= {"request_follow_up"}
    return [(x["status"], x["http_status"]) for x in results]


def _pulled(url: str, token: str) -> list[dict[str, Any]]:
    r = httpx.get(f"{url}/api/v1/changes", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    return [c["follow_up"] for c in r.json()["changes"] if c["kind"] == "request_follow_up"]


def test_a_follow_up_is_stored_once_and_the_same_id_with_other_content_is_a_conflict(server, office):
    token = _token(server.url, office.inspector)
    follow_up = _follow_up(office, office.inspector)

    assert _push(server.url, token, follow_up) == [("accepted", 201)]
    assert _push(server.url, token, follow_up) == [("exists", 200)]
    assert _push(server.url, token, follow_up | {"note": "改过的记录"}) == [("conflict", 409)]


def test_an_inspector_pushes_only_its_own_follow_ups_of_enterprises_the_office_knows(server, office):
    token = _token(server.url, office.inspector)
    first = _follow_up(office, office.inspector)
    _push(server.url, token, first)

    assert _push(
        server.url,
        token,
        _follow_up(office, office.inspector2),  # a colleague's work
        _follow_up(office, office.inspector, credit_code=new_code()),  # not in the register
        _follow_up(office, office.inspector, request_id=first["request_id"], credit_code=office.codes[1]),
    ) == [("rejected", 403), ("rejected", 422), ("conflict", 409)]


def test_the_team_leader_pulls_follow_ups_with_their_request_and_inspectors_do_not(server, office):
    inspector = _token(server.url, office.inspector)
    opened = _follow_up(office, office.inspector)
    resolved = _follow_up(
        office, office.inspector, request_id=opened["request_id"], status="已解决", note="已招到28人"
    )
    _push(server.url, inspector, opened, resolved)

    pulled = _pulled(server.url, _token(server.url, office.leader))

    assert [
        (f["id"], f["request_id"], f["credit_code"], f["category"], f["description"]) for f in pulled
    ] == [
        (f["id"], opened["request_id"], office.codes[0], "用工招聘", "缺普工30人") for f in (opened, resolved)
    ]
    assert [(f["status"], f["note"], f["by"]) for f in pulled] == [
        ("跟进中", "已对接人社局招聘会", office.inspector),
        ("已解决", "已招到28人", office.inspector),
    ]
    assert _pulled(server.url, inspector) == []
    assert _pulled(server.url, _token(server.url, office.inspector2)) == []
