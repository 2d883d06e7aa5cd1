"""Office console at a street's season: 3,000 enterprises, 22 teams, 90 days at three rounds a week.

The read model is filled directly (~115,000 visits, ~250,000 findings), then pages are timed
through the real app (login cookie, HTTP): 总览 for the street and one team (target p95 < 300 ms),
the findings tracker and an enterprise page (< 200 ms), the daily report PDF (< 3 s). Also: what
projecting one received visit costs (target < 5 ms).
Usage: ./dev.sh run python bench/bench_console.py [--database-url URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from inspector_app.central.api.app import create_app
from inspector_app.central.console import projection
from inspector_app.central.core.config import Settings
from inspector_app.central.db import migrate
from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import admin
from inspector_app.domain import credit_code
from inspector_app.domain.clock import local_date
from inspector_app.wire import Role, VisitDocument

ENTERPRISES, TEAMS, DAYS = 3000, 22, 90
CATEGORIES = ("规上工业企业", "规下企业", "建筑工地", "小档口", "小娱乐场所")
STATUSES = ("未复工", "已备案", "核查中", "核查通过", "需整改", "已复工", "停业")


def seed(db: Database) -> tuple[str, str]:
    rnd = random.Random(7)
    now = datetime.now(UTC)
    today = local_date(now)
    teams = [f"第{i + 1:02d}检查组" for i in range(TEAMS)]
    with db.write() as conn:
        admin.add_user(conn, "admin", "bench-pass-1", Role.ADMIN, badge_number="A1")
        uid = conn.execute(select(t.users.c.id)).scalar_one()
        for team in teams:
            admin.ensure_team(conn, team)
        codes = []
        rows = []
        for i in range(ENTERPRISES):
            code = credit_code.complete(f"9144030{i:010d}")
            codes.append(code)
            rows.append(
                {
                    "credit_code": code,
                    "name": f"深圳市测试{i}有限公司",
                    "address": "",
                    "grid": f"网格{i % 60}",
                    "category": CATEGORIES[i % 5],
                    "industry": "",
                    "size_class": "",
                    "legal_representative": "",
                    "contact": "",
                    "phone": "",
                    "resumption_status": rnd.choice(STATUSES),
                    "extra_json": "{}",
                    "version": 1,
                    "updated_at": now,
                }
            )
        conn.execute(t.enterprises.insert(), rows)
        ids = list(conn.execute(select(t.enterprises.c.id).order_by(t.enterprises.c.id)).scalars())
        conn.execute(
            t.assignments.insert(),
            [
                {
                    "enterprise_id": eid,
                    "team": teams[(i % 60) % TEAMS],
                    "visits_per_week": 3,
                    "assigned_on": today,
                }
                for i, eid in enumerate(ids)
            ],
        )
    visits = findings = 0
    for back in range(DAYS):
        day = today - timedelta(days=back)
        if day.weekday() % 2 == 1 or day.weekday() == 6:
            continue  # three rounds a week: Monday, Wednesday, Friday (+ Saturday catch-up)
        v_rows, cv_rows, vi_rows, f_rows = [], [], [], []
        for i, code in enumerate(codes):
            vid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
            team = teams[(i % 60) % TEAMS]  # 分片包干: a grid belongs to one team
            v_rows.append(
                {
                    "id": vid,
                    "content_hash": "0" * 64,
                    "document_json": "{}",
                    "enterprise_code": code,
                    "form_code": "work-safety",
                    "form_version": "1",
                    "team": team,
                    "pushed_by": uid,
                    "completed_at_client": day.isoformat(),
                    "pushed_at": now,
                    "received_at": now,
                }
            )
            n = rnd.choice((0, 0, 1, 2, 3, 4))
            cv_rows.append(
                {
                    "visit_id": vid,
                    "enterprise_code": code,
                    "team": team,
                    "grid": f"网格{i % 60}",
                    "category": CATEGORIES[i % 5],
                    "form_code": "work-safety",
                    "kind": "inspection",
                    "outcome": "通过",
                    "visit_day": day,
                    "completed_at": day.isoformat(),
                    "inspectors": "x",
                    "findings": n,
                }
            )
            vi_rows.append({"visit_id": vid, "badge_number": f"{team}-1", "visit_day": day, "team": team})
            for _ in range(n):
                closed = back > 10 and rnd.random() < 0.85
                f_rows.append(
                    {
                        "finding_id": str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
                        "visit_id": vid,
                        "enterprise_code": code,
                        "team": team,
                        "grid": f"网格{i % 60}",
                        "severity": "重大" if rnd.random() < 0.05 else "一般",
                        "title": "隐患",
                        "order_kind": "限期整改",
                        "found_on": day,
                        "deadline": day + timedelta(days=7),
                        "status": "closed" if closed else "open",
                        "rectified_on": day if closed else None,
                        "closed_on": day + timedelta(days=8) if closed else None,
                        "closed_by_visit": None,
                    }
                )
        rollup: dict[tuple[str, str], dict[str, int]] = {}
        for r in cv_rows:
            counts = rollup.setdefault((r["team"], r["grid"]), dict.fromkeys(COUNTS, 0))
            counts["inspections"] += 1
        for f in f_rows:
            counts = rollup[(f["team"], f["grid"])]
            major = f["severity"] == "重大"
            counts["raised"] += 1
            counts["raised_major"] += major
            counts["rectified"] += f["rectified_on"] is not None
            counts["closed"] += f["closed_on"] is not None
            counts["major_closed"] += major and f["closed_on"] is not None
        with db.write() as conn:
            conn.execute(
                t.console_rollup.insert(),
                [{"day": day, "team": tm, "grid": g, **n} for (tm, g), n in rollup.items()],
            )
            open_counts: dict[tuple[object, ...], int] = {}
            for f in f_rows:
                if f["status"] != "closed":
                    key = (f["deadline"], f["team"], f["grid"], f["severity"])
                    open_counts[key] = open_counts.get(key, 0) + 1
            if open_counts:
                table = t.console_open_findings
                for (deadline, team, grid, severity), n in open_counts.items():
                    updated = conn.execute(
                        table.update()
                        .where(
                            table.c.deadline == deadline,
                            table.c.team == team,
                            table.c.grid == grid,
                            table.c.severity == severity,
                        )
                        .values(findings=table.c.findings + n)
                    ).rowcount
                    if not updated:
                        conn.execute(
                            table.insert().values(
                                deadline=deadline, team=team, grid=grid, severity=severity, findings=n
                            )
                        )
            conn.execute(
                t.console_inspector_days.insert(),
                [
                    {"day": day, "badge_number": f"{tm}-1", "team": tm, "visits": n}
                    for tm, n in _per_team(cv_rows)
                ],
            )
            conn.execute(t.visits.insert(), v_rows)
            conn.execute(t.console_visits.insert(), cv_rows)
            conn.execute(t.console_visit_inspectors.insert(), vi_rows)
            if f_rows:
                conn.execute(t.console_findings.insert(), f_rows)
        visits += len(v_rows)
        findings += len(f_rows)
    print(f"seeded: {ENTERPRISES} enterprises, {visits} visits, {findings} findings")
    return teams[17], codes[17]


COUNTS = ("inspections", "rechecks", "raised", "raised_major", "rectified", "closed", "major_closed")


def _per_team(rows: list[dict[str, object]]) -> list[tuple[str, int]]:
    out: dict[str, int] = {}
    for r in rows:
        out[str(r["team"])] = out.get(str(r["team"]), 0) + 1
    return sorted(out.items())


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) > 1 else samples[0]


def timed(client: TestClient, url: str, runs: int = 40) -> tuple[float, float]:
    client.get(url)  # warm
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        r = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200, (url, r.status_code)
    return statistics.median(samples), p95(samples)


def projection_cost(db: Database, code: str) -> tuple[float, float]:
    """Milliseconds to project one received visit with three findings (what a push pays)."""
    samples = []
    for _ in range(50):
        vid = str(uuid.uuid4())
        doc = VisitDocument.model_validate(
            {
                "schema": 1,
                "id": vid,
                "kind": "inspection",
                "enterprise": {"credit_code": code, "name": "x"},
                "form": {"code": "work-safety", "version": "1"},
                "inspectors": ["b1", "b2"],
                "place": "",
                "started_at": "2026-11-30T09:00:00+08:00",
                "completed_at": "2026-11-30T09:30:00+08:00",
                "outcome": "通过",
                "answers": {},
                "recheck": [],
                "photos": [],
                "signatures": [],
                "requests": [],
                "manifest": [],
                "content_hash": "0" * 64,
                "findings": [
                    {
                        "id": str(uuid.uuid4()),
                        "item_key": "k",
                        "option": "",
                        "title": "t",
                        "severity": "一般",
                        "description": "",
                        "order": "限期整改",
                        "deadline": "2026-12-07",
                        "found_on": "2026-11-30",
                        "legal_basis": "",
                        "photos": [],
                    }
                    for _ in range(3)
                ],
            }
        )
        with db.write() as conn:
            uid = conn.execute(select(t.users.c.id)).scalar_one()
            conn.execute(
                t.visits.insert().values(
                    id=vid,
                    content_hash="0" * 64,
                    document_json="{}",
                    enterprise_code=code,
                    form_code="work-safety",
                    form_version="1",
                    team="第01检查组",
                    pushed_by=uid,
                    completed_at_client="x",
                    pushed_at=datetime.now(UTC),
                )
            )
            start = time.perf_counter()
            projection.project_visits(conn, [doc])
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), p95(samples)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--database-url", default="")
    ap.add_argument("--keep", type=Path, help="data folder to keep (and reuse when it holds a season)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=args.keep or Path(tmp), database_url=args.database_url)
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        migrate.upgrade(settings.url)
        db = Database(settings.url)
        with db.read() as conn:
            seeded = conn.execute(select(t.enterprises.c.credit_code).limit(1)).first() is not None
        if seeded:
            team, code = "第18检查组", credit_code.complete(f"9144030{17:010d}")
        else:
            started = time.perf_counter()
            team, code = seed(db)
            print(f"seed took {time.perf_counter() - started:.0f} s")
        if db.is_postgres:
            # What autovacuum does to a bulk load on its own, minutes later: statistics and the
            # visibility map (index-only scans), so the figures are timed as in steady use.
            with db.writer.connect().execution_options(isolation_level="AUTOCOMMIT") as raw:
                raw.exec_driver_sql("VACUUM ANALYZE")
        with TestClient(create_app(settings, db=db)) as client:
            page = client.get("/console/login")
            token = page.cookies.get("console_login_csrf") or client.cookies.get("console_login_csrf")
            r = client.post(
                "/console/login",
                data={"username": "admin", "password": "bench-pass-1", "csrf": token},
                follow_redirects=False,
            )
            assert r.status_code == 303, r.text[:300]
            for label, url, target in (
                ("总览 street, season", "/console/overview?period=season", 300),
                ("总览 street, today", "/console/overview", 300),
                ("总览 one team, season", f"/console/overview?period=season&team={team}", 300),
                ("findings tracker (open)", "/console/findings", 200),
                ("findings tracker (overdue)", "/console/findings?state=overdue", 200),
                ("enterprise page", f"/console/enterprises/{code}", 200),
            ):
                median, high = timed(client, url)
                print(f"{label:28s} median {median:7.1f} ms  p95 {high:7.1f} ms  (target < {target} ms)")
            for label, url in (("日报 PDF, street, today", "/console/overview.pdf"),
                               ("report PDF, street, season", "/console/overview.pdf?period=season")):
                median, high = timed(client, url, runs=5)
                print(f"{label:28s} median {median:7.1f} ms  p95 {high:7.1f} ms  (target < 3000 ms)")
        median, high = projection_cost(db, code)
        print(f"projecting one received visit: median {median:.2f} ms  p95 {high:.2f} ms (target < 5 ms)")
        db.dispose()


if __name__ == "__main__":
    main()
