"""The documents written as files from their values (see ``reports.compose`` for the values).

Files are written next to the target and renamed into place, so a failed build (a missing photo, a
full disk) never leaves half a PDF where the user expects a document.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from inspector_app.reports import notices, record, summary
from inspector_app.reports.data import NoticeData, RecheckData, RecordData, SummaryData


def _write(target: Path, make: Callable[[Path], object]) -> None:
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}-", suffix=target.suffix or ".pdf")
    os.close(fd)
    try:
        make(Path(tmp))
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_record(data: RecordData, target: Path) -> None:
    _write(target, lambda p: record.build_record(data, p))


def write_orders(data: Sequence[NoticeData], target: Path) -> str:
    """Every order with its 送达回证 in one file; returns their titles and numbers."""
    _write(target, lambda p: notices.build_notice(list(data), p))
    return "、".join(f"《{d.spec.title}》{d.number}" for d in data)


def write_recheck(data: RecheckData, target: Path) -> None:
    _write(target, lambda p: notices.build_recheck(data, p))


def write_summary(data: SummaryData, target: Path) -> None:
    if Path(target).suffix.lower() == ".xlsx":  # the same figures as a workbook
        _write(target, lambda p: summary.build_summary_xlsx(data, p))
    else:
        _write(target, lambda p: summary.build_summary(data, p))


def write_batch(loaders: Sequence[Callable[[], RecordData]], target: Path, day: date) -> None:
    _write(target, lambda p: record.build_batch(loaders, p, title=f"现场检查记录 {day.isoformat()}"))


def record_pdf(data: RecordData) -> bytes:
    """The record as bytes (the office serves it over HTTP)."""
    out = io.BytesIO()
    record.build_record(data, out)
    return out.getvalue()


def orders_pdf(data: Sequence[NoticeData]) -> bytes:
    out = io.BytesIO()
    notices.build_notice(list(data), out)
    return out.getvalue()


def recheck_pdf(data: RecheckData) -> bytes:
    out = io.BytesIO()
    notices.build_recheck(data, out)
    return out.getvalue()
