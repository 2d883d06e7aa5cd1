"""How long an answer takes to be durably saved (the GUI shows it saved only after this returns).

Run: ./dev.sh run python bench/bench_answers.py [--answers 600]
Target (issue "local workspace"): p95 under 5 ms per answer, with synchronous=FULL commits.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from inspector_app.domain import credit_code
from inspector_app.services.context import AppServices
from inspector_app.store import tables

FORMS = Path(__file__).resolve().parent.parent / "tests" / "support" / "fixtures" / "workspace" / "forms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=600)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = AppServices.open(Path(tmp) / "ws", forms_dir=FORMS)
        now = datetime.now(UTC)
        code = credit_code.complete("91440300MA5F00001")
        with app.workspace.session() as s:
            s.add(tables.Team(name="一组"))
            s.flush()
            s.add(tables.Inspector(badge_number="1", name="张伟", team="一组"))
            ent = tables.Enterprise(credit_code=code, name="测试企业", updated_at=now)
            s.add(ent)
            s.flush()
            assert ent.id is not None
            s.add(tables.Assignment(enterprise_id=ent.id, team="一组", assigned_on=date.today()))
        vid, _ = app.visits.start(code, "mini-check", ["1"])
        cycle = [("plan", "Y"), ("staff", 120), ("on_site", 100), ("exits", "N"), ("exits", "Y")]
        times = []
        for i in range(args.answers):
            key, value = cycle[i % len(cycle)]
            t0 = time.perf_counter()
            app.visits.answer(vid, key, value)
            times.append((time.perf_counter() - t0) * 1000)
        app.close()
    times.sort()
    p50 = statistics.median(times)
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"answers saved durably: {len(times)}")
    print(f"p50 {p50:.2f} ms   p95 {p95:.2f} ms   max {times[-1]:.2f} ms   (target p95 < 5 ms)")


if __name__ == "__main__":
    main()
