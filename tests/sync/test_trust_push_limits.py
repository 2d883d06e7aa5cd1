"""The laptop keeps to the server's limits: it waits out a short 429, stops politely on a long one,
sends smaller batches after a 413, and sizes its pushes by bytes, not only by count.

Issue 11 left it: the server answered 413 and 429 (with Retry-After), but the laptop took either
for a failed sync, and a push of 200 visits with photos inline could pass the 16 MB cap.
"""

from __future__ import annotations

import time

import httpx

from tests.support.harness import Laptop, ThreadServer, server_received


class Recording(httpx.HTTPTransport):
    """The real network, with each request written down; the first ``busy`` pushes are answered
    429 with ``Retry-After: 1`` (what a server holding off a client says) without reaching it."""

    def __init__(self, busy: int = 0) -> None:
        super().__init__()
        self.busy = busy
        self.seen: list[tuple[str, str, int, int]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self.busy and request.url.path.endswith("/push"):
            self.busy -= 1
            self.seen.append((request.method, request.url.path, len(request.content), 429))
            return httpx.Response(429, json={"detail": "请求过于频繁"}, headers={"Retry-After": "1"})
        response = super().handle_request(request)
        self.seen.append((request.method, request.url.path, len(request.content), response.status_code))
        return response

    def pushes(self) -> list[tuple[int, int]]:
        return [(n, status) for _m, p, n, status in self.seen if p.endswith("/push")]


def test_a_short_429_is_waited_out_and_the_same_push_goes_through(server, office, tmp_path):
    wire = Recording()
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector, transport=wire)
    assert laptop.sync().ok
    vid = laptop.complete_visit(office.codes[0])
    wire.busy = 2
    began = time.monotonic()
    report = laptop.sync()
    took = time.monotonic() - began
    assert report.ok, report.error
    assert laptop.outbox_states()[vid] == "sent"
    assert [status for _n, status in wire.pushes()][-3:] == [429, 429, 200]
    assert 2.0 <= took < 15
    laptop.close()


def test_a_long_retry_after_ends_the_run_at_once_and_loses_nothing(office, tmp_path):
    """The office's own daily upload quota answers 429 with an hour to wait: no hour-long hang."""
    srv = ThreadServer(office.backend, upload_quota_bytes_per_day=200_000)
    try:
        laptop = Laptop(tmp_path / "ws", srv.url, office.inspector)
        assert laptop.sync().ok
        vid = laptop.complete_visit(office.codes[0], photos=2)  # ~1 MB of photos
        began = time.monotonic()
        report = laptop.sync()
        assert time.monotonic() - began < 15
        assert not report.ok and "上限" in report.error
        assert report.retry_in == 3600
        assert laptop.outbox_states()[vid] == "sending"  # not lost: it goes again tomorrow
        laptop.close()
    finally:
        srv.stop()


def test_after_a_413_the_batch_is_split_and_one_record_too_big_alone_is_set_aside(office, tmp_path):
    srv = ThreadServer(office.backend, max_push_bytes=30_000)
    try:
        wire = Recording()
        laptop = Laptop(tmp_path / "ws", srv.url, office.inspector, transport=wire)
        assert laptop.sync().ok
        visits = [laptop.complete_visit(office.codes[i % 3]) for i in range(12)]
        huge = laptop.complete_visit(office.codes[0], photos=160, photo_side=16)
        report = laptop.sync()
        assert report.ok, report.error
        states = laptop.outbox_states()
        assert all(states[v] == "sent" for v in visits), states
        assert states[huge] == "quarantined"
        assert 413 in [status for _n, status in wire.pushes()]
        assert server_received(office.backend, [*visits, huge]) == set(visits)
        laptop.close()
    finally:
        srv.stop()


def test_pushes_are_sized_by_their_bytes(server, office, tmp_path):
    wire = Recording()
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector, transport=wire, push_bytes=20_000)
    assert laptop.sync().ok
    visits = [laptop.complete_visit(office.codes[i % 3]) for i in range(12)]
    wire.seen.clear()
    report = laptop.sync()
    assert report.ok, report.error
    assert all(s == "sent" for s in (laptop.outbox_states()[v] for v in visits))
    sizes = [n for n, _status in wire.pushes()]
    assert len(sizes) >= 2 and max(sizes) <= 20_000 * 1.05, sizes
    laptop.close()
