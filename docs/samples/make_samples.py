"""Make the sample documents in docs/samples from the demo workspace, one set per domain.

    ./dev.sh run python docs/samples/make_samples.py

The demo is built on a fixed day (2026-11-30) so the samples are the same every run; each PDF is
rendered to PNG at 60 dpi (``pdftoppm -r 60 -png``) for reading in the repository.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from sqlmodel import col, select

from inspector_app.demo.workspace import DemoService
from inspector_app.services.context import AppServices
from inspector_app.services.report_data import Reporter
from inspector_app.store import tables

HERE = Path(__file__).parent
DAY = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
DOMAINS = {
    "work-safety": "safety",
    "fire-safety": "fire",
    "three-small": "small-venues",
    "epidemic-resumption": "epidemic",
}


def pick(app: AppServices) -> dict[str, str]:
    """The visit with the most findings for each form, and one re-inspection."""
    out: dict[str, str] = {}
    with app.workspace.session() as s:
        visits = s.exec(
            select(tables.Visit)
            .where(tables.Visit.status == "completed")
            .order_by(col(tables.Visit.started_at))
        ).all()
        # Open findings, a major one counting most (so the 现场处理措施决定书 has a sample too).
        counts = {
            v.id: sum(
                10 if f.severity == "重大" else 1
                for f in s.exec(select(tables.Finding).where(tables.Finding.visit_id == v.id))
                if f.order != "当场整改完毕"
            )
            for v in visits
        }
        for v in visits:
            key = "recheck" if v.kind == "recheck" else DOMAINS.get(v.form_code)
            if key and counts[v.id] >= counts.get(out.get(key, ""), -1):
                if key == "recheck" and key in out:
                    continue
                out[key] = v.id
    return out


def render(pdf: Path) -> None:
    for old in HERE.glob(f"{pdf.stem}*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(HERE / pdf.stem)], check=True)


def main() -> int:
    for old in HERE.glob("*.p*"):
        if old.suffix in (".pdf", ".png"):
            old.unlink()
    tmp = Path(tempfile.mkdtemp())
    try:
        app = AppServices.open(tmp / "ws", clock=lambda: DAY)
        DemoService(app.workspace, clock=lambda: DAY, forms=app.forms).create()
        reporter = Reporter(app.workspace, app.forms)
        for name, vid in sorted(pick(app).items()):
            if name == "recheck":
                reporter.recheck(vid, HERE / "recheck.pdf")
                render(HERE / "recheck.pdf")
                continue
            reporter.record(vid, HERE / f"{name}-record.pdf")
            render(HERE / f"{name}-record.pdf")
            try:
                reporter.notice(vid, HERE / f"{name}-orders.pdf")
                render(HERE / f"{name}-orders.pdf")
            except ValueError as exc:
                print(f"{name}: {exc}", file=sys.stderr)
        reporter.record(pick(app)["safety"], HERE / "blank-signatures.pdf", blank_signatures=True)
        render(HERE / "blank-signatures.pdf")
        reporter.summary(date(2026, 11, 16), date(2026, 11, 29), HERE / "summary.pdf")
        render(HERE / "summary.pdf")
        app.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
