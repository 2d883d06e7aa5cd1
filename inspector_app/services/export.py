"""Visits and findings for the office: as rows to print, and as an XLSX workbook with Chinese headers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from sqlalchemy import Connection, Table, select

from inspector_app.domain.finding import FINDING_STATUS_LABELS, FindingStatus
from inspector_app.domain.visit import VisitKind, VisitStatus
from inspector_app.register.sheets import sheet_value
from inspector_app.services.errors import ServiceError
from inspector_app.store import tables
from inspector_app.store.workspace import Workspace

VISIT: Table = tables.Visit.__table__  # type: ignore[attr-defined]
FINDING: Table = tables.Finding.__table__  # type: ignore[attr-defined]
ENTERPRISE: Table = tables.Enterprise.__table__  # type: ignore[attr-defined]
INSPECTOR: Table = tables.Inspector.__table__  # type: ignore[attr-defined]

KIND_LABELS = {VisitKind.INSPECTION.value: "检查", VisitKind.RECHECK.value: "复查"}
STATUS_LABELS = {VisitStatus.DRAFT.value: "进行中", VisitStatus.COMPLETED.value: "已完成"}

# (key, header, column width in characters): the widths fit the typical content of each column.
VISIT_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("id", "检查编号", 38),
    ("credit_code", "统一社会信用代码", 22),
    ("enterprise", "企业名称", 36),
    ("grid", "网格", 14),
    ("kind", "类型", 8),
    ("form", "检查表", 24),
    ("status", "状态", 10),
    ("started_at", "开始时间", 18),
    ("completed_at", "完成时间", 18),
    ("inspectors", "检查人员", 28),
    ("place", "检查地点", 36),
    ("findings", "隐患数", 8),
    ("outcome", "检查结论", 30),
    ("content_hash", "内容校验值", 66),
)
FINDING_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("id", "隐患编号", 38),
    ("credit_code", "统一社会信用代码", 22),
    ("enterprise", "企业名称", 36),
    ("visit_id", "检查编号", 38),
    ("found_on", "发现日期", 12),
    ("title", "隐患", 36),
    ("severity", "等级", 8),
    ("description", "描述", 40),
    ("rectification", "整改要求", 36),
    ("order", "整改方式", 10),
    ("deadline", "整改期限", 12),
    ("status", "状态", 10),
    ("closed_on", "销号日期", 12),
    ("legal_basis", "依据", 36),
)


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    visits: int
    findings: int


def _local_start(day: date) -> datetime:
    """Local midnight as an aware moment: the office counts days in its own time zone."""
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


def _local_text(moment: datetime | None) -> str:
    return "" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _badge_names(conn: Connection) -> dict[str, str]:
    return dict(conn.execute(select(INSPECTOR.c.badge_number, INSPECTOR.c.name)).all())


def visit_rows(
    conn: Connection,
    *,
    enterprise_code: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    completed_only: bool = False,
) -> list[dict[str, Any]]:
    """Visits newest first, with the enterprise, inspectors by name and the number of findings."""
    v, e = VISIT.c, ENTERPRISE.c
    stmt = (
        select(
            v.id, e.credit_code, e.name, e.grid, v.kind, v.form_code, v.form_version, v.status, v.started_at,
            v.completed_at, v.inspectors_json, v.place, v.outcome, v.content_hash,
        )
        .select_from(VISIT.join(ENTERPRISE, e.id == v.enterprise_id))
        .order_by(v.started_at.desc(), v.id)
    )
    if enterprise_code:
        stmt = stmt.where(e.credit_code == enterprise_code.strip().upper())
    if date_from is not None:
        stmt = stmt.where(v.started_at >= _local_start(date_from))
    if date_to is not None:
        stmt = stmt.where(v.started_at < _local_start(date_to + timedelta(days=1)))
    if completed_only:
        stmt = stmt.where(v.status == VisitStatus.COMPLETED.value)
    rows = conn.execute(stmt).all()
    counts: dict[str, int] = {}
    ids = [r[0] for r in rows]
    for start in range(0, len(ids), 900):
        chunk = ids[start:start + 900]
        for (visit_id,) in conn.execute(select(FINDING.c.visit_id).where(FINDING.c.visit_id.in_(chunk))):
            counts[visit_id] = counts.get(visit_id, 0) + 1
    names = _badge_names(conn)
    return [
        {
            "id": r[0], "credit_code": r[1], "enterprise": r[2], "grid": r[3] or "",
            "kind": KIND_LABELS.get(r[4], r[4]), "form": f"{r[5]} v{r[6]}",
            "status": STATUS_LABELS.get(r[7], r[7]),
            "started_at": _local_text(r[8]), "completed_at": _local_text(r[9]),
            "inspectors": "、".join(f"{names[b]}({b})" if b in names else b for b in json.loads(r[10])),
            "place": r[11], "findings": counts.get(r[0], 0), "outcome": r[12], "content_hash": r[13],
        }
        for r in rows
    ]


def finding_rows(
    conn: Connection, *, date_from: date | None = None, date_to: date | None = None
) -> list[dict[str, Any]]:
    f, e = FINDING.c, ENTERPRISE.c
    stmt = (
        select(
            f.id, e.credit_code, e.name, f.visit_id, f.found_on, f.title, f.severity, f.description,
            f.rectification, f.order, f.deadline, f.status, f.closed_on, f.legal_basis,
        )
        .select_from(FINDING.join(ENTERPRISE, e.id == f.enterprise_id).join(VISIT, VISIT.c.id == f.visit_id))
        # A draft visit's findings still change with its answers; the office gets settled ones.
        .where(VISIT.c.status == VisitStatus.COMPLETED.value)
        .order_by(f.found_on, e.credit_code, f.id)
    )
    if date_from is not None:
        stmt = stmt.where(f.found_on >= date_from)
    if date_to is not None:
        stmt = stmt.where(f.found_on <= date_to)
    keys = [k for k, _h, _w in FINDING_COLUMNS]
    out = []
    for r in conn.execute(stmt):
        row = dict(zip(keys, r, strict=True))
        row["status"] = FINDING_STATUS_LABELS.get(FindingStatus(row["status"]), row["status"])
        out.append(row)
    return out


def list_visits(ws: Workspace, *, enterprise_code: str | None = None) -> list[dict[str, Any]]:
    with ws.engine.connect() as conn:
        return visit_rows(conn, enterprise_code=enterprise_code)


def _write_sheet(sheet: Any, columns: Sequence[tuple[str, str, int]], rows: Sequence[dict[str, Any]]) -> None:
    sheet.append([header for _k, header, _w in columns])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for row in rows:
        sheet.append([sheet_value(row.get(key)) for key, _h, _w in columns])
    for index, (_k, _h, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"  # the header stays visible while scrolling
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(rows) + 1}"


def export_workbook(
    ws: Workspace, path: str | Path, *, date_from: date | None = None, date_to: date | None = None
) -> ExportSummary:
    """Completed visits (by start date) and their findings (by date found) in one XLSX for the office."""
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ServiceError(f"起始日期 {date_from} 晚于结束日期 {date_to}")
    target = Path(path)
    with ws.engine.connect() as conn:
        visits = visit_rows(conn, date_from=date_from, date_to=date_to, completed_only=True)
        findings = finding_rows(conn, date_from=date_from, date_to=date_to)
    book = Workbook()
    visit_sheet = book.active
    assert visit_sheet is not None
    visit_sheet.title = "检查记录"
    _write_sheet(visit_sheet, VISIT_COLUMNS, visits)
    _write_sheet(book.create_sheet("隐患"), FINDING_COLUMNS, findings)
    # Written next to the target first, so a failure never leaves half a workbook under its name.
    partial = target.with_name(f".{target.name}.partial")
    try:
        book.save(partial)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ServiceError(f"无法写入 {target}（{exc.strerror or exc}）") from exc
    return ExportSummary(target, len(visits), len(findings))
