"""Property: whatever the network does (drops, duplicates, late replays), once it behaves the server
holds exactly the visits completed, every outbox is empty, and the leader sees them all."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from inspector_app.store import tables
from tests.support.harness import Laptop, seed_office, server_visit_count

# Part of the full run (./dev.sh test); the fast lane (./dev.sh quick) leaves it out.
pytestmark = pytest.mark.slow


@dataclass
class Weather:
    """What the network does to each request, drawn by hypothesis; calm once ``calm`` is set."""

    faults: list[str]
    calm: bool = False
    replay: list[httpx.Request] = field(default_factory=list)
    n: int = 0


class FaultyTransport(httpx.BaseTransport):
    def __init__(self, weather: Weather) -> None:
        self.weather = weather
        self.inner = httpx.HTTPTransport()

    def _send(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        return response

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        w = self.weather
        fault = "ok" if w.calm or not w.faults else w.faults[w.n % len(w.faults)]
        w.n += 1
        request.read()
        if fault == "drop_request":
            raise httpx.ConnectError("dropped before the server")
        if fault == "drop_response":
            self._send(request)
            raise httpx.ReadError("answer lost after the server committed")
        if fault == "duplicate":
            self._send(request)
        if fault == "late_replay" and w.replay:
            # An old request arriving out of order, after newer ones.
            self._send(w.replay.pop(0))
        if request.method in {"POST", "PUT"}:
            w.replay.append(request)
        return self._send(request)


OPS = st.lists(
    st.tuples(st.sampled_from(["visit", "sync"]), st.integers(0, 1)),
    min_size=3,
    max_size=9,
)
FAULTS = st.lists(
    st.sampled_from(["ok", "drop_request", "drop_response", "duplicate", "late_replay"]),
    min_size=1,
    max_size=6,
)


def test_server_and_laptops_converge_whatever_the_network_does(server, backend, tmp_path_factory):
    office = seed_office(backend, enterprises=3)

    @given(ops=OPS, faults=FAULTS, seed=st.integers(0, 10_000))
    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        print_blob=False,
    )  # no shrinking: bounded time
    def run(ops, faults, seed) -> None:
        rnd = random.Random(seed)
        weather = Weather(faults)
        root = tmp_path_factory.mktemp("conv")
        weather.calm = True  # log in on a calm network
        laptops = [
            Laptop(root / name, server.url, user, transport=FaultyTransport(weather), batch_size=2)
            for name, user in (("a", office.inspector), ("b", office.inspector2))
        ]
        for laptop in laptops:
            assert laptop.sync().ok
        weather.calm = False
        completed: list[str] = []
        for op, who in ops:
            if op == "visit":
                completed.append(laptops[who].complete_visit(rnd.choice(office.codes)))
            else:
                laptops[who].sync()
        weather.calm = True
        for laptop in laptops:
            report = laptop.sync()
            assert report.ok, report.error
            assert set(laptop.outbox_states().values()) <= {"sent"}
        assert server_visit_count(office.backend, completed) == len(completed)
        leader = Laptop(root / "lead", server.url, office.leader)
        assert leader.sync().ok
        with leader.ws.session() as s:
            assert all(s.get(tables.Visit, vid) is not None for vid in completed)
        for laptop in [*laptops, leader]:
            laptop.close()

    run()
