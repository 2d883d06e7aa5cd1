"""The documents as the GUI and the CLI ask for them: load from the workspace, build, write the file.

Files are written next to the target and renamed into place, so a failed build (a missing photo, a
full disk) never leaves half a PDF where the user expects a document.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from inspector_app.checklist import FormLibrary, default_forms_dir
from inspector_app.reports import notices, record, summary
from inspector_app.reports.data import FormSource, NoticeRef, RecordData, ReportLoader, library_source
from inspector_app.store.workspace import Workspace


@dataclass(frozen=True, slots=True)
class RecheckResult:
    number: str
    notices: tuple[NoticeRef, ...]


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


class Reporter:
    def __init__(self, workspace: Workspace, forms: FormLibrary | FormSource | None = None) -> None:
        if forms is None:
            forms = FormLibrary.load(default_forms_dir(), strict=False)
        source = library_source(forms) if isinstance(forms, FormLibrary) else forms
        self.loader = ReportLoader(workspace, source)

    def record(self, visit_id: str, target: Path, *, blank_signatures: bool = False) -> RecordData:
        """现场检查记录; ``blank_signatures`` leaves the signature boxes empty for wet ink."""
        data = self.loader.record(visit_id, blank_signatures=blank_signatures)
        _write(target, lambda p: record.build_record(data, p))
        return data

    def notice(self, visit_id: str, target: Path, *, blank_signatures: bool = False) -> str:
        """Every order the visit issues (指令书 / 通知书 / 决定书), each with its 送达回证, in one file;
        returns their numbers."""
        data = self.loader.orders(visit_id, blank_signatures=blank_signatures)
        _write(target, lambda p: notices.build_notice(data, p))
        return "、".join(f"《{d.spec.title}》{d.number}" for d in data)

    def recheck(
        self, visit_id: str, target: Path, *, auto_issue_notice: bool = True, blank_signatures: bool = False
    ) -> RecheckResult:
        data = self.loader.recheck(
            visit_id, auto_issue_notice=auto_issue_notice, blank_signatures=blank_signatures
        )
        _write(target, lambda p: notices.build_recheck(data, p))
        return RecheckResult(data.number, data.notices)

    def summary(
        self,
        date_from: date,
        date_to: date,
        target: Path,
        *,
        team: str | None = None,
        grid: str | None = None,
    ) -> None:
        data = self.loader.summary(date_from, date_to, team=team, grid=grid)
        if Path(target).suffix.lower() == ".xlsx":  # the same figures as a workbook
            _write(target, lambda p: summary.build_summary_xlsx(data, p))
        else:
            _write(target, lambda p: summary.build_summary(data, p))

    def batch(self, day: date, target: Path) -> int:
        ids = self.loader.visits_of_day(day)
        loaders = [(lambda vid=vid: self.loader.record(vid)) for vid in ids]
        _write(target, lambda p: record.build_batch(loaders, p, title=f"现场检查记录 {day.isoformat()}"))
        return len(ids)
