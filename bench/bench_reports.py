"""Document build times and memory. A plain script (not a timed test): prints the figures.

    .venv/bin/python bench/bench_reports.py

1. one record with six 12-megapixel photos (half with EXIF orientation 6), first print and reprint
   (the print copies are cached by sha256 in the workspace's thumbnails/ folder);
2. a summary over 500 visits;
3. a batch of 100 records of one day.
Targets: 1 under 0.5 s (reprint; the first print also reported), 2 and 3 under 10 s each, with
peak RSS printed (a batch must not grow with the number of photos).
"""

from __future__ import annotations

import io
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from inspector_app.demo.seed import DEMO_AUTHORITY  # noqa: E402
from inspector_app.domain import credit_code  # noqa: E402
from inspector_app.domain.visit import ENTERPRISE_ROLE, inspector_role  # noqa: E402
from inspector_app.reports.fonts import register_fonts  # noqa: E402
from inspector_app.services import settings  # noqa: E402
from inspector_app.services.context import AppServices  # noqa: E402
from inspector_app.services.report_data import Reporter  # noqa: E402
from inspector_app.store import tables  # noqa: E402
from tests.support.clock import FakeClock  # noqa: E402
from tests.support.documents_world import FORMS  # noqa: E402
from tests.support.images import signature_png  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def photo_12mp(seed: int, orientation: int) -> bytes:
    rnd = random.Random(seed)
    img = Image.new("RGB", (4000, 3000), (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    d = ImageDraw.Draw(img)
    for _ in range(60):  # some detail, so the JPEG is photo-sized (several MB) rather than flat
        x, y = rnd.randrange(4000), rnd.randrange(3000)
        d.rectangle(
            [x, y, x + rnd.randrange(50, 900), y + rnd.randrange(50, 700)],
            fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)),
        )
    exif = Image.Exif()
    exif[0x0112] = orientation
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=92, exif=exif.tobytes())
    return buf.getvalue()


def seed(app: AppServices, enterprises: int) -> list[str]:
    codes = [credit_code.complete(f"9144030{n:010d}") for n in range(1, enterprises + 1)]
    with app.workspace.session() as s:
        s.add(tables.Grid(name="工业一区"))
        s.add(tables.Category(name="规上工业企业"))
        s.add(tables.Category(name="小档口"))
        s.add(tables.Team(name="第一检查组"))
        s.flush()
        s.add(tables.Inspector(badge_number="44030012345", name="张伟", team="第一检查组"))
        s.add(tables.Inspector(badge_number="44030012346", name="李娜", team="第一检查组"))
        for n, code in enumerate(codes):
            s.add(
                tables.Enterprise(
                    credit_code=code,
                    name=f"福永第{n + 1}号五金制品有限公司",
                    grid="工业一区",
                    category="规上工业企业" if n % 3 else "小档口",
                    address=f"凤凰工业区{n}栋",
                    updated_at=datetime(2026, 3, 1, tzinfo=UTC),
                )
            )
    return codes


def inspect(app: AppServices, clock: FakeClock, code: str, photos: list[bytes], sig: bytes) -> str:
    v = app.visits
    badges = ["44030012345", "44030012346"]
    vid, _ = v.start(code, "report-site", badges)
    fids: list[str] = []
    for key in ("exits", "extinguishers", "ledger", "drills"):
        fids += v.answer(vid, key, "N" if key in ("exits", "ledger") else "Y").new_findings
    for k, data in enumerate(photos):
        v.add_photo(vid, data, finding_id=fids[k % len(fids)])
    v.record_request(vid, "用工招聘", "缺少熟练工")
    for b, name in zip(badges, ("张伟", "李娜"), strict=True):
        v.sign(vid, inspector_role(b), name, sig)
    v.sign(vid, ENTERPRISE_ROLE, "陈志强", sig)
    clock.advance(minutes=20)
    v.complete(vid)
    return vid


def main() -> None:
    register_fonts()
    tmp = Path(tempfile.mkdtemp(prefix="bench-reports-"))
    clock = FakeClock(datetime(2026, 3, 2, 0, 30, tzinfo=UTC))
    app = AppServices.open(tmp / "ws", forms_dir=FORMS, clock=clock, account="bench")
    codes = seed(app, 120)
    with app.workspace.session() as s:  # the issuing authority every document names (the demo's)
        settings.save(s, DEMO_AUTHORITY)
    sig = signature_png()
    reporter = Reporter(app.workspace, app.forms)

    print("1. one record with six 12-megapixel photos")
    big = [photo_12mp(i, 6 if i % 2 else 1) for i in range(6)]
    print(f"   photos: {sum(len(b) for b in big) / 1e6:.1f} MB of JPEG")
    vid = inspect(app, clock, codes[0], big, sig)
    t = time.perf_counter()
    reporter.record(vid, tmp / "record.pdf")
    first = time.perf_counter() - t
    t = time.perf_counter()
    reporter.record(vid, tmp / "record.pdf")
    again = time.perf_counter() - t
    print(
        f"   first print {first:.2f} s (downscales and caches), reprint {again:.2f} s, "
        f"PDF {(tmp / 'record.pdf').stat().st_size / 1e6:.2f} MB   [target < 0.5 s]"
    )
    del big

    print("2. summary over 500 visits")
    small = [photo_12mp(100 + i, 1) for i in range(2)]
    small = [_shrink(b) for b in small]
    t = time.perf_counter()
    day_ids: list[str] = []
    for n in range(499):
        clock.now = datetime(2026, 3, 2, 0, 30, tzinfo=UTC) + timedelta(days=n // 100, minutes=n % 100 * 5)
        vid_n = inspect(app, clock, codes[1 + n % 119], small if n < 100 else [], sig)
        if n < 100:
            day_ids.append(vid_n)
    print(f"   (made 499 more visits through the visit service in {time.perf_counter() - t:.1f} s)")
    t = time.perf_counter()
    data = reporter.loader.summary(date(2026, 3, 1), date(2026, 3, 8))
    reporter.summary(date(2026, 3, 1), date(2026, 3, 8), tmp / "summary.pdf")
    print(
        f"   {data.visits} visits, {data.findings_found} findings: {time.perf_counter() - t:.2f} s "
        f"(load twice + build), peak RSS {peak_rss_mb():.0f} MB   [target < 10 s]"
    )

    print("3. batch of the day's records")
    rss_before = peak_rss_mb()
    t = time.perf_counter()
    count = reporter.batch(date(2026, 3, 2), tmp / "batch.pdf")
    print(
        f"   {count} records, {(tmp / 'batch.pdf').stat().st_size / 1e6:.1f} MB: "
        f"{time.perf_counter() - t:.2f} s, "
        f"peak RSS {peak_rss_mb():.0f} MB (was {rss_before:.0f} MB before)   [target < 10 s]"
    )
    app.close()
    print(f"output in {tmp}")


def _shrink(data: bytes) -> bytes:
    """Batch photos are 2 MP phone shots: the batch measures layout, not 100 x 12 MP decoding."""
    with Image.open(io.BytesIO(data)) as img:
        img.thumbnail((1600, 1600))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=85)
        return buf.getvalue()


if __name__ == "__main__":
    main()
