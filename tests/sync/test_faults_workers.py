"""The fault suite against ``inspector-central serve --workers 2``: with several worker processes
every fault still costs at most a repeat, never a lost or doubled record, and the locks an upload
relies on hold across processes."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator

import httpx
import pytest

from inspector_app.store import attachments
from tests.support.harness import Backend, Laptop, ProcessServer, server_received
from tests.support.server_fixtures import postgres_turn
from tests.sync.test_faults import (
    proxy,
    test_a_client_killed_in_the_middle_of_a_push_loses_and_doubles_nothing,
    test_a_corrupted_chunk_is_refused_alone_and_sent_again,
    test_a_photo_upload_cut_at_60_percent_resumes_where_it_stopped,
    test_a_pull_interrupted_between_pages_resumes_from_its_cursor,
    test_a_response_lost_after_the_server_committed_costs_only_a_repeat,
    test_a_token_expiring_in_the_middle_of_a_push_asks_for_login_and_loses_nothing,
    test_a_visit_pushed_before_its_photos_is_not_received_until_they_arrive,
    test_the_same_batch_sent_twice_at_once_is_stored_once,
    test_the_same_visit_id_with_other_content_is_refused_and_shown_never_overwritten,
)

pytestmark = pytest.mark.slow

__all__ = [
    "proxy",
    "test_a_client_killed_in_the_middle_of_a_push_loses_and_doubles_nothing",
    "test_a_corrupted_chunk_is_refused_alone_and_sent_again",
    "test_a_photo_upload_cut_at_60_percent_resumes_where_it_stopped",
    "test_a_pull_interrupted_between_pages_resumes_from_its_cursor",
    "test_a_response_lost_after_the_server_committed_costs_only_a_repeat",
    "test_a_token_expiring_in_the_middle_of_a_push_asks_for_login_and_loses_nothing",
    "test_a_visit_pushed_before_its_photos_is_not_received_until_they_arrive",
    "test_the_same_batch_sent_twice_at_once_is_stored_once",
    "test_the_same_visit_id_with_other_content_is_refused_and_shown_never_overwritten",
]


@pytest.fixture(scope="module")
def server(backend: Backend) -> Iterator[ProcessServer]:
    """This module's server: two worker processes behind one port (the fault tests above use it
    through the ``proxy`` fixture or directly)."""
    with postgres_turn(backend.kind):
        srv = ProcessServer(backend, workers=2)
    yield srv
    with postgres_turn(backend.kind):
        srv.stop()


def test_the_same_chunk_sent_at_once_to_both_workers_is_appended_once(server, office, tmp_path):
    laptop = Laptop(tmp_path / "ws", server.url, office.inspector)
    laptop.sync()
    laptop.complete_visit(office.codes[0], photos=1)
    # The visit goes first (the office takes only files a visit of the sender awaits), alone.
    batch = laptop.engine.outbox.build(laptop.engine.outbox.open_entries()).records
    token = laptop.tokens.load(server.url, office.inspector)
    headers = {"Authorization": f"Bearer {token}"}
    pushed = httpx.post(
        f"{server.url}/api/v1/push",
        content=batch.model_dump_json(),
        headers={**headers, "Content-Type": "application/json"},
        timeout=30,
    )
    assert pushed.status_code == 200, pushed.text
    largest = max(batch.visits[0].document["manifest"], key=lambda m: m["size"])
    sha = largest["sha256"]
    photo = attachments.path_for(laptop.ws.attachments_dir, sha).read_bytes()
    first = photo[: len(photo) // 2]
    barrier = threading.Barrier(8)
    answers: list[tuple[int, int]] = []

    def send() -> None:
        # A connection each: the kernel hands them to either worker.
        with httpx.Client(timeout=30) as c:
            barrier.wait()
            r = c.put(
                f"{server.url}/api/v1/files/{sha}",
                params={"offset": 0, "total": len(photo)},
                content=first,
                headers={
                    **headers,
                    "Content-Type": "application/octet-stream",
                    "X-Chunk-Sha256": hashlib.sha256(first).hexdigest(),
                },
            )
            answers.append((r.status_code, r.json().get("offset", -1)))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()

    # One append; every other request is told where the upload now stands.
    assert sorted(answers) == [(200, len(first))] + [(409, len(first))] * 7
    rest = photo[len(first) :]
    done = httpx.put(
        f"{server.url}/api/v1/files/{sha}",
        params={"offset": len(first), "total": len(photo)},
        content=rest,
        headers={**headers, "Content-Type": "application/octet-stream"},
    )
    assert done.status_code == 200 and done.json()["complete"]
    assert (office.backend.data_dir / "files" / sha[:2] / sha).read_bytes() == photo
    laptop.close()


def test_photos_sent_from_several_laptops_at_once_are_all_received(server, office, tmp_path):
    laptops = [
        Laptop(tmp_path / f"ws{i}", server.url, who)
        for i, who in enumerate((office.inspector, office.inspector2))
    ]
    ids: list[str] = []
    for i, laptop in enumerate(laptops):
        laptop.sync()
        ids += [laptop.complete_visit(code, photos=2) for code in office.codes[i::2]]
    reports = []
    threads = [threading.Thread(target=lambda lp=lp: reports.append(lp.sync())) for lp in laptops]
    for th in threads:
        th.start()
    for th in threads:
        th.join()

    assert all(r.ok for r in reports), [r.error for r in reports]
    assert server_received(office.backend, ids) == set(ids)
    for laptop in laptops:
        assert set(laptop.outbox_states().values()) == {"sent"}
        laptop.close()
