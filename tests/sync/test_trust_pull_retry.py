"""A pulled record set aside (``PulledQuarantine``) can be applied again once its cause is gone.

Issue 11 left it: a bad pulled record no longer stopped a sync, but what was set aside stayed aside
for good, even when the cause was passing (the office could not give a photo at that moment).
``inspector-app sync retry-pulled`` (``SyncEngine.retry_pulled``) applies the kept change again.
"""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
from sqlmodel import select

from inspector_app.store import tables
from inspector_app.store.sync_tables import PulledQuarantine
from tests.support.harness import ROOT, Laptop


class FilesUnavailable(httpx.HTTPTransport):
    """The office's answers as they are, except that while ``down`` no file can be downloaded."""

    down = True

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.down and request.method == "GET" and request.url.path.endswith("/content"):
            return httpx.Response(404, json={"detail": "没有该文件，或无权查看"})
        return super().handle_request(request)


def _held(laptop: Laptop) -> list[PulledQuarantine]:
    with laptop.ws.session() as s:
        return list(s.exec(select(PulledQuarantine)))


def _has_visit(laptop: Laptop, vid: str) -> bool:
    with laptop.ws.session() as s:
        return s.get(tables.Visit, vid) is not None


def test_a_visit_set_aside_for_a_file_the_office_could_not_give_is_taken_on_retry(server, office, tmp_path):
    inspector = Laptop(tmp_path / "i", server.url, office.inspector)
    assert inspector.sync().ok
    vid = inspector.complete_visit(office.codes[0], photos=1)
    assert inspector.sync().ok

    transport = FilesUnavailable()
    leader = Laptop(tmp_path / "l", server.url, office.leader, transport=transport)
    report = leader.sync()
    assert report.ok, report.error
    (held,) = _held(leader)
    assert (held.kind, held.key) == ("visit", vid) and "未能提供文件" in held.reason
    assert not _has_visit(leader, vid)

    # Still unavailable: it stays set aside, once, with today's reason.
    again = leader.engine.retry_pulled()
    assert again.ok and again.changes_pulled == 0 and len(again.pulled_quarantined) == 1
    assert [q.key for q in _held(leader)] == [vid]

    # The cause is gone: the command line takes it, and the quarantine is empty.
    transport.down = False
    leader.ws.close()
    done = subprocess.run(
        [sys.executable, "-m", "inspector_app.cli", "--workspace", str(leader.root), "sync", "retry-pulled"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "INSPECTOR_NO_KEYRING": "1"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "重新接收 1 条，仍隔离 0 条" in done.stdout
    assert _held(leader) == []
    assert _has_visit(leader, vid)
    with leader.ws.session() as s:
        photos = s.exec(select(tables.Attachment)).all()
    assert photos  # the visit's files came with it
    # Nothing left to retry: the command says so and succeeds.
    assert leader.engine.retry_pulled().changes_pulled == 0
    inspector.close()
    leader.close()
