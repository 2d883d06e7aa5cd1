"""Intake: completed visits arriving at the office, each with one unique 100 KB photo (issue 15).

    .venv/bin/python bench/bench_intake.py [--visits 500] [--backend sqlite|postgres|both]
                                           [--clients 1,8] [--rounds 1] [--workers N] [--upload-path]
                                           [--profile FILE --py-spy PATH]

A fresh ``inspector-central serve`` process on a loopback port, on SQLite or on a throwaway
PostgreSQL database (127.0.0.1:5432, created and dropped here). Each visit is sent the way the
laptop's sync engine sends one (inspector_app.sync.client.SyncClient, the engine's own calls):
the photo inside the push of its visit (protocol feature ``inline_files``): one round trip; with
``--upload-path`` the way before it (push, file status, one checked chunk, receipt: four). With 8
clients, 8 inspectors on 8 devices send at once (a thread each; the clients spend their time
waiting on the server).

Prints visits/s, p50/p95/max latency per visit (push to receipt), the server's CPU time per visit
(steadier than visits/s on a machine shared with other work), its peak RSS (the serve process and
its workers, each one's peak summed: shared pages count once per process) and its PSS after the run
(shared pages shared out: what the processes hold together). ``--workers`` is passed to serve
(default: serve's own).
The issue's comparison: ODK Central, same shape, same kind of machine: 41 visits/s with 1 client,
95/s with 8 (RSS ~300-440 MB); the goal is 3x that (>= 125/s and >= 285/s, p95 < 100 ms with 8).

--profile FILE --py-spy PATH: sample the serve process with py-spy (not a project dependency:
``pip install py-spy`` anywhere) during one run, keep the raw stacks in FILE and print where the
server's busy time goes, per route and step and per function.
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inspector_app.central.cli import default_workers  # noqa: E402
from inspector_app.central.db.engine import Database  # noqa: E402
from inspector_app.central.logic import admin  # noqa: E402
from inspector_app.domain.visit import content_hash  # noqa: E402
from inspector_app.sync.client import SyncClient  # noqa: E402
from inspector_app.wire import Role  # noqa: E402
from inspector_app.wire.models import PushBatch, PushVisit  # noqa: E402
from tests.support.harness import (  # noqa: E402
    PASSWORD,
    ProcessServer,
    add_enterprises,
    drop_backend,
    make_backend,
    postgres_available,
)

PHOTO_BYTES = 100 * 1024
ITEMS = 20
FORM = "intake-check"


def form_yaml() -> str:
    items = "\n".join(
        f"      - key: q{i:02d}\n        type: compliance\n        label: 检查项{i}" for i in range(ITEMS)
    )
    return (
        f'code: {FORM}\nversion: "1"\ntitle: 收件基准检查表\nkind: inspection\napplies_to: ["*"]\n'
        f"sections:\n  - key: all\n    title: 全部\n    items:\n{items}\n"
        "outcome:\n  default: 通过\n"
    )


@dataclass
class Visit:
    id: str
    document: dict[str, object]
    photo_sha: str
    photo: bytes


@functools.cache
def _base_photo() -> bytes:
    """A real JPEG of a phone photo's shape (1024×768, noisy, so it hardly compresses) a little
    under PHOTO_BYTES: the office decodes every file it takes, random bytes would be refused."""
    from PIL import Image

    rng = random.Random(15)
    small = Image.frombytes("RGB", (128, 96), bytes(rng.getrandbits(8) for _ in range(128 * 96 * 3)))
    image = small.resize((1024, 768), Image.Resampling.BICUBIC)
    best = b""
    for quality in range(95, 10, -5):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality)
        best = out.getvalue()
        if len(best) <= PHOTO_BYTES - 4096:
            break
    return best


def unique_photo() -> bytes:
    """The base photo made unique by a JPEG comment segment of random bytes after its SOI marker,
    padded to PHOTO_BYTES: still a decodable image, never stored twice by hash."""
    base = _base_photo()
    pad = PHOTO_BYTES - len(base) - 4
    return base[:2] + b"\xff\xfe" + (pad + 2).to_bytes(2, "big") + os.urandom(pad) + base[2:]


def make_visit(badge: str, code: str) -> Visit:
    import hashlib

    vid = str(uuid.uuid4())
    photo = unique_photo()
    sha = hashlib.sha256(photo).hexdigest()
    now = datetime.now(UTC).replace(microsecond=0).isoformat()
    doc: dict[str, object] = {
        "schema": 1, "id": vid, "kind": "inspection",
        "enterprise": {"credit_code": code, "name": "测试企业"},
        "form": {"code": FORM, "version": "1"}, "inspectors": [badge], "place": "宝龙街道",
        "started_at": now, "completed_at": now, "outcome": "通过",
        "answers": {f"q{i:02d}": "Y" for i in range(ITEMS)}, "findings": [], "recheck": [],
        "photos": [{"sha256": sha, "item_key": "q00"}], "signatures": [], "requests": [],
        "manifest": [{"sha256": sha, "size": len(photo), "mime": "image/jpeg", "kind": "photo"}],
    }
    doc["content_hash"] = content_hash(doc)
    return Visit(vid, doc, sha, photo)


INLINE = True  # --upload-path sets False: the four round trips of a laptop before inline files


def send(client: SyncClient, visit: Visit) -> float:
    """One visit as the engine sends it; returns the seconds from push to receipt.

    To a server offering ``inline_files`` the engine puts a photo that fits one chunk inside the
    push: one round trip, answered "received". Otherwise (``--upload-path``): push, file status,
    one checked chunk, receipt.
    """
    start = time.perf_counter()
    batch = PushBatch(client_time=datetime.now(UTC), visits=[
        PushVisit(id=visit.id, content_hash=str(visit.document["content_hash"]), document=visit.document)
    ])
    if INLINE:
        result = client.push(batch, [(visit.photo_sha, visit.photo)])
        assert result.results[0].status.value == "accepted", result.results[0]
        assert result.results[0].received, result.results[0]
        return time.perf_counter() - start
    result = client.push(batch)
    assert result.results[0].status.value == "accepted", result.results[0]
    status = client.file_status(visit.photo_sha)
    assert status.offset == 0 and not status.complete
    status = client.upload_chunk(visit.photo_sha, 0, len(visit.photo), visit.photo)
    assert status.complete
    (receipt,) = client.receipts([visit.id])
    assert receipt.received, receipt
    return time.perf_counter() - start


def setup_office(backend, clients: int) -> tuple[list[str], list[str], list[str]]:  # type: ignore[no-untyped-def]
    db = Database(backend.url)
    team = f"收件组{uuid.uuid4().hex[:6]}"
    users = [f"u{uuid.uuid4().hex[:8]}" for _ in range(clients)]
    form = backend.data_dir / f"{FORM}.yaml"
    form.write_text(form_yaml(), encoding="utf-8")
    with db.write() as conn:
        for u in users:
            admin.add_user(conn, u, PASSWORD, Role.INSPECTOR, team=team, badge_number=f"B{u}")
        admin.publish_form(conn, form)
    db.dispose()
    codes = add_enterprises(backend, team, 200)
    return users, [f"B{u}" for u in users], codes


def rss_kb(pid: int, field: str = "VmHWM") -> int:
    """Peak RSS of the serve process and its worker processes, summed (each one's peak: an upper
    bound of the peak of the whole)."""
    total = 0
    for p in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith(field):
                    total += int(line.split()[1])
        except FileNotFoundError:
            continue
    return total


def pss_kb(pid: int) -> int:
    """Proportional set size of the serve process and its workers now (shared pages counted once
    in all): what the processes together hold, where the summed RSS counts shared pages again."""
    total = 0
    for p in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except (FileNotFoundError, PermissionError):
            continue
    return total


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by the serve process and its workers: on a machine
    shared with other work, CPU per visit is steadier than visits per second."""
    total = 0
    for p in [pid, *children(pid)]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            kids = [int(k) for k in (task / "children").read_text().split()]
        except FileNotFoundError:
            continue
        for k in kids:
            found += [k, *children(k)]
    return found


def run_clients(url: str, users: list[str], badges: list[str], codes: list[str], visits: int
                ) -> tuple[float, list[float]]:
    """(wall seconds, latency per visit) for ``visits`` visits spread over the users."""
    per_user = [visits // len(users) + (1 if i < visits % len(users) else 0) for i in range(len(users))]
    clients = []
    for u in users:
        c = SyncClient(url)
        c.login(u, PASSWORD, str(uuid.uuid5(uuid.NAMESPACE_URL, u)), f"笔记本 {u}")
        clients.append(c)
    work = [[make_visit(badges[i], codes[(i * 97 + n) % len(codes)]) for n in range(per_user[i])]
            for i in range(len(users))]
    latencies: list[float] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    go = threading.Barrier(len(users) + 1)

    def worker(i: int) -> None:
        mine = []
        go.wait()
        try:
            for v in work[i]:
                mine.append(send(clients[i], v))
        except BaseException as exc:  # reported after the run: a benchmark must not hide errors
            errors.append(exc)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(users))]
    for t in threads:
        t.start()
    go.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    for c in clients:
        c.close()
    if errors:
        raise RuntimeError(f"{len(errors)} client(s) failed: {errors[0]!r}")
    return wall, latencies


def bench(kind: str, visits: int, client_counts: list[int], rounds: int, workers: int) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-intake-{kind}-"))
    backend = make_backend(kind, tmp)
    try:
        # One office for every run: each run has users, devices and visits of its own.
        for n in client_counts:
            for r in range(rounds):
                server = ProcessServer(backend, workers=workers)
                try:
                    users, badges, codes = setup_office(backend, n)
                    # warm the server (first requests import and compile) outside the figures
                    run_clients(server.url, users[:1], badges[:1], codes, 3)
                    cpu = cpu_seconds(server.proc.pid)
                    wall, lat = run_clients(server.url, users, badges, codes, visits)
                    cpu = cpu_seconds(server.proc.pid) - cpu
                    rss = rss_kb(server.proc.pid) / 1024
                    pss = pss_kb(server.proc.pid) / 1024
                finally:
                    server.stop()
                lat.sort()
                p50, p95 = statistics.median(lat), lat[int(0.95 * (len(lat) - 1))]
                who = f"{n} client{'s' if n > 1 else ' '}"
                print(f"{kind:>8}  {workers}w  {who}  run {r + 1}: {visits / wall:6.1f} visits/s  "
                      f"p50 {p50 * 1000:5.0f} ms  p95 {p95 * 1000:5.0f} ms  max {lat[-1] * 1000:5.0f} ms  "
                      f"server CPU {cpu / visits * 1000:4.1f} ms/visit  "
                      f"server peak RSS {rss:4.0f} MB (PSS after {pss:4.0f} MB)",
                      flush=True)
    finally:
        drop_backend(backend)


def profile(kind: str, visits: int, clients: int, py_spy: str, out: Path, workers: int) -> None:
    """The same load against a serve process sampled by py-spy (every thread: the routes run in
    the server's thread pool), then where the server's time goes: own time per function, and the
    time inside each route and each of the steps named in STEPS."""
    import subprocess

    tmp = Path(tempfile.mkdtemp(prefix=f"bench-intake-prof-{kind}-"))
    backend = make_backend(kind, tmp)
    server = ProcessServer(backend, workers=workers)
    try:
        users, badges, codes = setup_office(backend, clients)
        run_clients(server.url, users[:1], badges[:1], codes, 3)
        spy = subprocess.Popen([py_spy, "record", "--pid", str(server.proc.pid), "--rate", "250",
                                "--format", "raw", "--output", str(out), "--nonblocking", "--threads",
                                "--subprocesses"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(1.0)
        wall, _lat = run_clients(server.url, users, badges, codes, visits)
        spy.send_signal(2)  # SIGINT: py-spy writes what it has
        spy.wait(30)
        print(f"profiled ({kind}, {clients} clients): {visits / wall:.1f} visits/s while sampled")
    finally:
        server.stop()
        drop_backend(backend)
    summarize(out)


def summarize(raw: Path) -> None:
    """Shares of the server's busy samples: inside each function of ours (inclusive), and the
    functions the samples were in (own time). A thread blocked in C (fsync, a lock, the database)
    counts as busy; a thread waiting for work does not."""
    import collections

    own: collections.Counter[str] = collections.Counter()
    inside: collections.Counter[str] = collections.Counter()
    total = idle = 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count_text = line.rpartition(" ")
        count = int(count_text)
        frames = stack.split(";")
        total += count
        leaf = frames[-1]
        if any(w in leaf for w in ("select (", "wait (", "_wait_for_tstate_lock", "epoll", "sleep (")):
            idle += count
            continue
        own[leaf] += count
        for f in {f for f in frames if "inspector_app/" in f}:
            where = f.split("inspector_app/")[-1].split(":")[0]
            inside[f"{f.split(' (')[0]} [{where}]"] += count
    busy = max(1, total - idle)
    print(f"samples: {total} ({busy} busy, {idle} waiting); shares of the busy samples:")
    print("  inside our functions (inclusive):")
    for name, n in inside.most_common(35):
        print(f"    {n / busy:6.1%}  {name}")
    print("  own time (top 25 functions):")
    for name, n in own.most_common(25):
        print(f"    {n / busy:6.1%}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=500)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--profile", metavar="FILE", help="py-spy raw output (profiles the last --clients)")
    parser.add_argument("--py-spy", default="py-spy", help="the py-spy executable")
    parser.add_argument("--upload-path", action="store_true",
                        help="send each photo the resumable way (4 round trips), not inside the push")
    parser.add_argument("--workers", type=int, default=default_workers(),
                        help="serve --workers (default: serve's own, from the cores)")
    args = parser.parse_args()
    global INLINE  # noqa: PLW0603 - the shape of every send of this run
    INLINE = not args.upload_path
    kinds = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    counts = [int(c) for c in args.clients.split(",")]
    if args.profile:
        profile(kinds[0], args.visits, counts[-1], args.py_spy, Path(args.profile), args.workers)
        return
    shape = ("push + file status + one chunk + receipt per visit" if args.upload_path
             else "the photo inside the push: one round trip per visit")
    print(f"intake: {args.visits} visits per run, one unique {PHOTO_BYTES // 1024} KB photo each, {shape}")
    for kind in kinds:
        if kind == "postgres" and not postgres_available():
            print("postgres: not reachable at 127.0.0.1:5432, skipped")
            continue
        bench(kind, args.visits, counts, args.rounds, args.workers)
    print(json.dumps({"odk_central_reference": {"1_client": 41, "8_clients": 95},
                      "goal": {"1_client": 125, "8_clients": 285, "p95_ms_8_clients": 100}}))


if __name__ == "__main__":
    main()
