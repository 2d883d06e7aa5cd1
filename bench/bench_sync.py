"""Sync benchmarks on loopback, against a real ``inspector-central serve`` process.

    .venv/bin/python bench/bench_sync.py [--backend sqlite|postgres|both] [--laptops 50] [--only push]

Prints: pushing 1,000 completed visits (60 answers and 2 findings each) end to end (target < 5 s);
pulling 20,000 enterprises into an empty laptop (< 3 s); a sync with nothing to do (< 100 ms);
50 laptops syncing a day's work at once (visits/s, p95 latency, server memory); bytes on the wire
per visit. A script, not a test: figures depend on the machine. ``--only push``: the first two (the
pull fills the laptop the push needs), for comparing engine changes in alternating rounds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inspector_app.central.db.engine import Database  # noqa: E402
from inspector_app.central.logic import admin  # noqa: E402
from inspector_app.domain.visit import canonical_json, content_hash  # noqa: E402
from inspector_app.store import attachments, tables  # noqa: E402
from inspector_app.store.workspace import Workspace  # noqa: E402
from inspector_app.sync.accounts import login  # noqa: E402
from inspector_app.sync.engine import SyncEngine  # noqa: E402
from inspector_app.sync.tokens import TokenStore  # noqa: E402
from inspector_app.wire import Role  # noqa: E402
from tests.support.harness import (  # noqa: E402
    PASSWORD,
    ProcessServer,
    add_enterprises,
    drop_backend,
    make_backend,
    png,
)

ITEMS = 60


def form_yaml() -> str:
    items = "\n".join(
        f"      - key: q{i:02d}\n        type: compliance\n        label: 检查项{i}\n        deadline_days: 7"
        for i in range(ITEMS)
    )
    return (
        'code: bench-check\nversion: "1"\ntitle: 基准检查表\nkind: inspection\napplies_to: ["*"]\n'
        f"sections:\n  - key: all\n    title: 全部\n    items:\n{items}\n"
        "outcome:\n  rules:\n    - when: finding_count > 0\n      outcome: 限期整改\n  default: 通过\n"
    )


def setup_office(backend, enterprises: int, laptops: int) -> tuple[str, list[str], list[str]]:
    db = Database(backend.url)
    team = f"基准组{uuid.uuid4().hex[:6]}"
    users = [f"u{uuid.uuid4().hex[:8]}" for _ in range(laptops)]
    form = backend.data_dir / "bench.yaml"
    form.write_text(form_yaml(), encoding="utf-8")
    with db.write() as conn:
        for u in users:
            admin.add_user(conn, u, PASSWORD, Role.INSPECTOR, team=team, badge_number=f"B{u}")
        admin.publish_form(conn, form)
    db.dispose()
    codes = add_enterprises(backend, team, enterprises)
    return team, users, codes


def fake_completed_visits(ws: Workspace, badge: str, account: str, codes: list[str], count: int) -> None:
    """Completed visits as VisitService.complete leaves them (document, files, outbox), made fast."""
    now = datetime.now(UTC)
    with ws.session() as s:
        ent_ids = {
            e.credit_code: e.id
            for e in s.exec(__import__("sqlmodel").select(tables.Enterprise))
            if e.credit_code in set(codes)
        }
        for n in range(count):
            vid = str(uuid.uuid4())
            code = codes[n % len(codes)]
            sigs = []
            manifest = []
            for role, seed in ((f"inspector:{badge}", 2 * n), ("enterprise", 2 * n + 1)):
                data = png(seed + hash(vid) % 100000)
                sha = hashlib.sha256(data).hexdigest()
                target = attachments.path_for(ws.attachments_dir, sha)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                if s.get(tables.Attachment, sha) is None:
                    s.add(tables.Attachment(sha256=sha, kind="signature", mime="image/png", size=len(data),
                                            created_at=now))
                sigs.append({"role": role, "signer": "张伟", "sha256": sha, "refused_reason": ""})
                manifest.append({"sha256": sha, "size": len(data), "mime": "image/png", "kind": "signature"})
            answers = {f"q{i:02d}": ("N" if i < 2 else "Y") for i in range(ITEMS)}
            findings = [
                {"id": str(uuid.uuid4()), "item_key": f"q{i:02d}", "option": "", "title": f"检查项{i}",
                 "severity": "一般", "description": "现场发现问题，需限期整改", "order": "限期整改",
                 "deadline": (now + timedelta(days=7)).date().isoformat(), "found_on": now.date().isoformat(),
                 "legal_basis": "", "photos": []}
                for i in range(2)
            ]
            doc = {
                "schema": 1, "id": vid, "kind": "inspection",
                "enterprise": {"credit_code": code, "name": "测试企业"},
                "form": {"code": "bench-check", "version": "1"}, "inspectors": [badge], "place": "宝龙街道",
                "started_at": now.replace(microsecond=0).isoformat(),
                "completed_at": now.replace(microsecond=0).isoformat(), "outcome": "限期整改",
                "answers": answers, "findings": findings, "recheck": [], "photos": [],
                "signatures": sorted(sigs, key=lambda g: g["role"]), "requests": [],
                "manifest": sorted(manifest, key=lambda m: m["sha256"]),
            }
            doc["content_hash"] = content_hash(doc)
            s.add(tables.Visit(id=vid, enterprise_id=ent_ids[code], form_code="bench-check", form_version="1",
                               status="completed", inspectors_json=json.dumps([badge]), started_at=now,
                               completed_at=now, outcome="限期整改", content_hash=doc["content_hash"],
                               document_json=canonical_json(doc).decode(), created_by=account))
            s.add(tables.Outbox(entity="visit", entity_id=vid, account=account, created_at=now))


def laptop(root: Path, url: str, user: str) -> tuple[Workspace, SyncEngine]:
    ws = Workspace.open(root)
    tokens = TokenStore(root, use_keyring=False)
    login(ws, url, user, PASSWORD, tokens=tokens)
    return ws, SyncEngine(ws, user, tokens=tokens)


def rss_kb(pid: int, field: str = "VmHWM") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def run(kind: str, n_laptops: int, only_push: bool = False) -> None:
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-{kind}-"))
    backend = make_backend(kind, tmp)
    server = ProcessServer(backend)
    try:
        print(f"\n== {kind} ==")
        # 1. pull 20,000 enterprises into an empty laptop
        _team, users, codes = setup_office(backend, 20_000, max(2, n_laptops))
        ws, engine = laptop(tmp / "big", server.url, users[0])
        t0 = time.perf_counter()
        report = engine.sync_once()
        dt = time.perf_counter() - t0
        assert report.ok, report.error
        print(f"pull 20,000 enterprises into an empty laptop: {dt:.2f} s "
              f"({report.pages} pages, {report.bytes_received / 1e6:.1f} MB)   target < 3 s")

        # 2. push 1,000 completed visits end to end
        fake_completed_visits(ws, f"B{users[0]}", users[0], codes[:200], 1000)
        t0 = time.perf_counter()
        report = engine.sync_once()
        dt = time.perf_counter() - t0
        assert report.ok and report.sent == 1000, (report.error, report.sent)
        print(f"push 1,000 visits (60 answers, 2 findings, 2 signatures each): {dt:.2f} s   target < 5 s")
        print(f"bytes on the wire per visit: {report.bytes_sent / 1000:,.0f} B up, "
              f"{report.bytes_received / 1000:,.0f} B down")
        if only_push:
            ws.close()
            return

        # 3. a sync with nothing to do
        times = []
        for _ in range(20):
            t0 = time.perf_counter()
            assert engine.sync_once().ok
            times.append(time.perf_counter() - t0)
        print(f"sync with nothing to do: median {statistics.median(times) * 1000:.0f} ms, "
              f"max {max(times) * 1000:.0f} ms   target < 100 ms")
        ws.close()

        # 4. many laptops syncing a day's work at once (a fresh team of 200 enterprises)
        _team2, users2, codes2 = setup_office(backend, 200, n_laptops)
        fleet = []
        for i, u in enumerate(users2):
            w, e = laptop(tmp / f"l{i}", server.url, u)
            assert e.sync_once().ok
            fake_completed_visits(w, f"B{u}", u, codes2, 12)
            fleet.append((w, e))
        latencies: list[float] = []
        lock = threading.Lock()

        def go(e: SyncEngine) -> None:
            t = time.perf_counter()
            r = e.sync_once()
            with lock:
                latencies.append(time.perf_counter() - t)
            assert r.ok and r.sent == 12, r.error

        threads = [threading.Thread(target=go, args=(e,)) for _, e in fleet]
        t0 = time.perf_counter()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall = time.perf_counter() - t0
        latencies.sort()
        p95 = latencies[int(0.95 * (len(latencies) - 1))]
        print(f"{n_laptops} laptops × 12 visits at once: {12 * n_laptops / wall:.0f} visits/s, "
              f"p95 sync {p95:.2f} s, server peak RSS {rss_kb(server.proc.pid) / 1024:.0f} MB")
        for w, _ in fleet:
            w.close()
    finally:
        server.stop()
        drop_backend(backend)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--laptops", type=int, default=50)
    parser.add_argument(
        "--only", choices=["push"], default=None, help="the pull and the push of 1,000 visits only")
    args = parser.parse_args()
    for kind in (["sqlite", "postgres"] if args.backend == "both" else [args.backend]):
        run(kind, args.laptops, only_push=args.only == "push")


if __name__ == "__main__":
    main()
