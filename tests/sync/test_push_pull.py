"""A completed visit travels whole, once; the office's register arrives on an empty laptop."""

from __future__ import annotations

import hashlib
import json

import httpx

from inspector_app.store import tables
from tests.support.harness import Laptop, server_received, server_visit_count


def test_a_completed_visit_arrives_with_every_file_checked_and_leaves_the_outbox(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    first = laptop.sync()
    assert first.ok, first.error
    assert first.changes_pulled >= len(office.codes)
    vid = laptop.complete_visit(office.codes[0], photos=2)
    assert laptop.outbox_states()[vid] == "waiting"

    report = laptop.sync()

    assert report.ok, report.error
    assert laptop.outbox_states()[vid] == "sent"
    assert server_received(office.backend, [vid]) == {vid}
    with laptop.ws.session() as s:
        local = s.get(tables.Visit, vid)
    token = laptop.tokens.load(server.url, office.inspector)
    doc = httpx.get(f"{server.url}/api/v1/visits/{vid}", headers={"Authorization": f"Bearer {token}"}).json()
    assert doc == json.loads(local.document_json)
    for entry in doc["manifest"]:
        data = httpx.get(
            f"{server.url}/api/v1/files/{entry['sha256']}/content",
            headers={"Authorization": f"Bearer {token}"},
        ).content
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    laptop.close()


def test_a_second_sync_with_nothing_to_do_sends_nothing_and_receives_nothing(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    laptop.sync()
    laptop.complete_visit(office.codes[0])
    laptop.sync()
    again = laptop.sync()
    assert again.ok and (again.pushed, again.changes_pulled) == (0, 0)
    assert server_visit_count(office.backend, list(laptop.outbox_states())) == 1
    laptop.close()


def test_the_register_arrives_with_assignments_inspectors_and_forms(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    laptop.sync()
    with laptop.ws.session() as s:
        from sqlmodel import select

        codes = {e.credit_code for e in s.exec(select(tables.Enterprise))}
        teams = {a.team for a in s.exec(select(tables.Assignment))}
        badges = {i.badge_number for i in s.exec(select(tables.Inspector))}
    assert codes == set(office.codes)
    assert teams == {office.team}
    assert set(office.badges.values()) - {office.badges[office.admin]} <= badges
    assert (tmp_path / "ws" / "forms" / "mini-check@1.yaml").exists()
    laptop.close()
