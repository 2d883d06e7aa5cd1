"""The enterprise register: importing the office's list, field edits, listing and search."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, update
from sqlmodel import Session

from inspector_app.domain import enterprise as domain
from inspector_app.domain.clock import Clock, local_date, system_clock
from inspector_app.register import RECORD_FIELDS, Record, RegisterFile, RegisterFileError, RowProblem
from inspector_app.services.changes import Changes
from inspector_app.services.errors import NotFound, ServiceError
from inspector_app.store import enterprises as store
from inspector_app.store import organisation, tables
from inspector_app.store import search as search_store
from inspector_app.store.search import SearchRow
from inspector_app.store.workspace import Workspace

# Rows written per executemany: large enough to amortise the round trips, small enough that the
# existing-row lookup (an IN list) and the batch itself stay small in memory.
BATCH_SIZE = 2000

# Fields an inspector may correct in the field.
EDITABLE_FIELDS = domain.MASTER_DATA_FIELDS
FIELD_LABELS: dict[str, str] = {
    "credit_code": "统一社会信用代码",
    "name": "企业名称",
    "address": "地址",
    "grid": "网格",
    "category": "类别",
    "industry": "行业",
    "size_class": "规模",
    "legal_representative": "法定代表人",
    "contact": "联系人",
    "phone": "联系电话",
    "staff_total": "员工总数",
    "staff_on_site": "到岗人数",
    "resumption_status": "复工状态",
}


class ImportRefused(ServiceError):
    """Rows were invalid and the import was all-or-nothing: nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"文件 {report.source} 有 {report.refused_rows} 行数据不合格，未导入任何数据")
        self.report = report


class ImportFileError(ServiceError):
    """The file is not a register we can read (not XLSX/CSV, empty, no name or code column …)."""


@dataclass
class ImportReport:
    source: Path
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    refused_rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    created_grids: list[str] = field(default_factory=list)
    created_categories: list[str] = field(default_factory=list)
    created_teams: list[str] = field(default_factory=list)
    committed: bool = False
    changes: Changes = field(default_factory=Changes)

    @property
    def imported(self) -> int:
        return self.inserted + self.updated + self.unchanged

    def summary(self) -> str:
        if not self.committed:
            return f"未导入：{self.refused_rows} 行数据不合格，工作区未做任何改动"
        parts = [f"新增 {self.inserted} 家", f"更新 {self.updated} 家", f"未变 {self.unchanged} 家"]
        if self.refused_rows:
            parts.append(f"跳过不合格 {self.refused_rows} 行")
        for label, names in (
            ("网格", self.created_grids),
            ("类别", self.created_categories),
            ("队伍", self.created_teams),
        ):
            if names:
                parts.append(f"新建{label}：{'、'.join(names)}")
        return "导入完成：" + "，".join(parts)


class _Rollback(Exception):
    """Raised inside the import transaction so the workspace session rolls everything back."""


# A record's values line up with store.DATA_COLUMNS ("extra" there, "extra_json" here, last).
# _BLANK is the stored form of an enterprise with every field blank: a new enterprise's blank cells
# take these values (the domain's defaults, as store.data_values writes them).
_BLANK_VALUES = store.data_values(domain.Enterprise(credit_code="", name=""))
_BLANK: tuple[Any, ...] = tuple(_BLANK_VALUES[c] for c in store.DATA_COLUMNS)
_EXTRA = store.DATA_COLUMNS.index("extra_json")
_NAME, _ADDRESS = store.DATA_COLUMNS.index("name"), store.DATA_COLUMNS.index("address")
_GRID, _CATEGORY = RECORD_FIELDS.index("grid"), RECORD_FIELDS.index("category")


def _laid_over(values: tuple[Any, ...], base: tuple[Any, ...]) -> tuple[Any, ...]:
    """A record's values over a stored row (or the blank one): a blank cell (None) erases nothing;
    the file's extra columns are added to the stored ones."""
    fields = values[:_EXTRA]
    if None in fields:  # some cells blank (a file without every column, or gaps)
        fields = tuple([b if v is None else v for v, b in zip(fields, base, strict=False)])
    extra = values[_EXTRA]
    if extra is None:
        return (*fields, base[_EXTRA])
    merged = json.loads(base[_EXTRA] or "{}") | extra
    return (*fields, json.dumps(merged, ensure_ascii=False, sort_keys=True))


@dataclass
class _ImportRun:
    conn: Connection
    writer: store.RegisterWriter
    report: ImportReport
    known_grids: set[str] = field(default_factory=set)
    known_categories: set[str] = field(default_factory=set)
    known_teams: set[str] = field(default_factory=set)

    def _ensure(self, names: set[str], known: set[str], ensure: Any, created: list[str]) -> None:
        new = names - known - {None, ""}
        if new:
            created.extend(ensure(self.conn, new))
            known.update(new)

    def flush(self, batch: Sequence[Record]) -> None:
        if not batch:
            return
        report, writer = self.report, self.writer
        grid, category = _GRID, _CATEGORY
        self._ensure(
            {r.values[grid] for r in batch}, self.known_grids, organisation.ensure_grids, report.created_grids
        )
        self._ensure(
            {r.values[category] for r in batch},
            self.known_categories,
            organisation.ensure_categories,
            report.created_categories,
        )
        self._ensure(
            {r.team for r in batch}, self.known_teams, organisation.ensure_teams, report.created_teams
        )
        existing = writer.stored([r.values[0] for r in batch])
        inserts: list[tuple[Any, ...]] = []
        new_teams: list[str] = []
        updates: list[tuple[Any, ...]] = []
        moves: list[tuple[int, str]] = []
        search_parts = search_store.search_parts
        for record in batch:
            stored = existing.get(record.values[0])
            if stored is None:
                values = _laid_over(record.values, _BLANK)
                # Pinyin only for the rows written: an unchanged row keeps the search text it has.
                inserts.append((*values, *search_parts(values[_NAME], values[0], values[_ADDRESS])))
                new_teams.append(record.team)
                continue
            data = stored[2:]
            values = _laid_over(record.values, data)
            if values != data:
                texts = search_parts(values[_NAME], values[0], values[_ADDRESS])
                updates.append((stored[0], *values, *texts))
            else:
                report.unchanged += 1
            if record.team and stored[1] != record.team:
                moves.append((stored[0], record.team))
        ids = writer.insert(inserts)
        writer.update(updates)
        moves.extend((i, team) for i, team in zip(ids, new_teams, strict=True) if team)
        writer.assign(moves)
        report.inserted += len(inserts)
        report.updated += len(updates)
        report.changes.assignments |= bool(moves)


class RegisterService:
    def __init__(self, workspace: Workspace, *, clock: Clock = system_clock, account: str = "") -> None:
        self.workspace = workspace
        self.clock = clock
        self.account = account  # the inspector whose edits these are (outbox rows carry it)

    # --- import --------------------------------------------------------------------------------

    def import_file(self, path: str | Path, *, skip_invalid: bool = False) -> ImportReport:
        """Import an office register (XLSX or CSV) in one transaction.

        All or nothing by default: one bad row and :class:`ImportRefused` is raised, carrying a
        report of every bad row, with nothing written. With ``skip_invalid`` the good rows are
        imported and the report lists the rest. Existing enterprises (same credit code) are
        updated in place, so their visits and history stay attached.
        """
        source = Path(path)
        report = ImportReport(source=source)
        try:
            register = RegisterFile(source)
        except RegisterFileError as exc:
            raise ImportFileError(str(exc)) from exc
        try:
            with register, self.workspace.session() as session:
                conn = session.connection()
                now = self.clock()
                # An assignment is dated by the inspector's calendar day, as every other one is.
                writer = store.RegisterWriter(conn, now, local_date(now))
                try:
                    run = _ImportRun(conn, writer, report)
                    writing = True
                    batch: list[Record] = []
                    for checked in register.records():
                        if not isinstance(checked, Record):
                            report.refused_rows += 1
                            report.problems.extend(checked)
                            if not skip_invalid:
                                # Keep reading to report every bad row, but stop spending time on writes.
                                writing = False
                                batch.clear()
                            continue
                        if writing:
                            batch.append(checked)
                            if len(batch) >= BATCH_SIZE:
                                run.flush(batch)
                                batch.clear()
                    if report.refused_rows and not skip_invalid:
                        raise _Rollback
                    run.flush(batch)
                    writer.finish()
                finally:
                    writer.abandon()
        except _Rollback:
            report.inserted = report.updated = report.unchanged = 0
            report.created_grids.clear()
            report.created_categories.clear()
            report.created_teams.clear()
            report.changes = Changes()
            raise ImportRefused(report) from None
        except RegisterFileError as exc:
            raise ImportFileError(str(exc)) from exc
        report.committed = True
        report.changes.register = bool(report.inserted or report.updated)
        return report

    # --- field edits ---------------------------------------------------------------------------

    def edit(
        self,
        credit_code: str,
        values: Mapping[str, Any],
        *,
        changed_by: str = "",
        base_version: int | None = None,
    ) -> Changes:
        """Correct master data in the field; each changed field becomes an EnterpriseChange for the office.

        ``base_version`` is the version the user saw when starting the edit (defaults to the
        current one); the office uses it to spot edits made against stale data.
        """
        unknown = set(values) - set(EDITABLE_FIELDS)
        if unknown:
            raise ServiceError(f"不能修改的字段：{'、'.join(sorted(unknown))}")
        now = self.clock()
        with self.workspace.session() as session:
            conn = session.connection()
            stored = store.get_row(conn, credit_code)
            if stored is None:
                raise NotFound(f"登记册中没有统一社会信用代码为 {credit_code} 的企业")
            new = _validated_edit(stored, values)
            changed = [k for k in EDITABLE_FIELDS if k in values and new[k] != stored[k]]
            if not changed:
                return Changes()
            if new.get("grid"):
                organisation.ensure_grids(conn, [new["grid"]])
            if new.get("category"):
                organisation.ensure_categories(conn, [new["category"]])
            base = stored["version"] if base_version is None else base_version
            record_field_changes(
                session, stored["id"], base, [(key, stored[key], new[key]) for key in changed],
                now=now, changed_by=changed_by, account=self.account or changed_by,
            )
            written, pinyin = search_store.search_parts(new["name"], credit_code, new["address"])
            conn.execute(
                update(store.ENTERPRISE)
                .where(store.ENTERPRISE.c.id == stored["id"])
                .values(
                    {k: new[k] for k in changed}
                    | {
                        "version": store.ENTERPRISE.c.version + 1,
                        "updated_at": now,
                        "search_text": written,
                        "pinyin_text": pinyin,
                    }
                )
            )
        return Changes(enterprises={credit_code}, outbox=True)

    def index_pending_pinyin(self) -> int:
        """One step of indexing the pinyin an import left pending (store.search, migration 0008),
        in a transaction of its own; returns how many enterprises are still pending."""
        with self.workspace.session() as session:
            return search_store.index_pending_pinyin(session.connection())

    # --- reading -------------------------------------------------------------------------------

    def get(self, credit_code: str) -> domain.Enterprise | None:
        with self.workspace.engine.connect() as conn:
            row = store.get_row(conn, credit_code)
        return None if row is None else store.to_domain(row)

    def version(self, credit_code: str) -> int:
        with self.workspace.engine.connect() as conn:
            row = store.get_row(conn, credit_code)
        if row is None:
            raise NotFound(f"登记册中没有统一社会信用代码为 {credit_code} 的企业")
        return int(row["version"])

    def search(
        self,
        query: str = "",
        *,
        grid: str | None = None,
        category: str | None = None,
        status: str | None = None,
        limit: int | None = search_store.DEFAULT_LIMIT,
    ) -> list[SearchRow]:
        with self.workspace.engine.connect() as conn:
            return search_store.search_enterprises(
                conn, query, grid=grid, category=category, status=status, limit=limit
            )

    def list_rows(
        self, *, grid: str | None = None, search: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        """Register rows for printing: the search columns plus contact details and the team."""
        with self.workspace.engine.connect() as conn:
            return store.register_rows(conn, search or "", grid=grid, limit=limit)

    def count(self) -> int:
        with self.workspace.engine.connect() as conn:
            return store.count_enterprises(conn)

    def grids(self) -> list[str]:
        with self.workspace.engine.connect() as conn:
            return organisation.list_grids(conn)

    def teams(self) -> list[str]:
        with self.workspace.engine.connect() as conn:
            return organisation.list_teams(conn)

    def categories(self) -> list[str]:
        with self.workspace.engine.connect() as conn:
            return organisation.list_categories(conn)

    def inspectors(self, *, team: str | None = None) -> list[InspectorInfo]:
        """Active inspectors (for choosing a visit's crew), optionally of one team."""
        with self.workspace.engine.connect() as conn:
            rows = organisation.list_inspectors(conn)
        return [
            InspectorInfo(r["badge_number"], r["name"], r["team"] or "")
            for r in rows
            if r.get("active", True) and (team is None or r["team"] == team)
        ]


@dataclass(frozen=True)
class InspectorInfo:
    badge: str
    name: str
    team: str


def record_field_changes(
    session: Session,
    enterprise_id: int,
    base_version: int,
    changes: Sequence[tuple[str, Any, Any]],
    *,
    now: datetime,
    changed_by: str,
    account: str,
) -> None:
    """The one rule for a field edit of the register, whoever makes it (a correction on the
    enterprise page, the figures a completed visit updates): each changed field, as (field, old,
    new), becomes an EnterpriseChange for the office with its outbox entry, in the caller's
    transaction. ``base_version`` is the register row's version the edit was made against."""
    for field_name, old, new in changes:
        change = tables.EnterpriseChange(
            enterprise_id=enterprise_id,
            field_name=field_name,
            old_value=_text(old),
            new_value=_text(new),
            base_version=base_version,
            changed_at=now,
            changed_by=changed_by,
        )
        session.add(change)
        session.flush()  # the change id is what the outbox row points at
        session.add(
            tables.Outbox(entity="enterprise_change", entity_id=str(change.id), account=account,
                          created_at=now)
        )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _validated_edit(stored: dict[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    new = dict(stored)
    for key, raw in values.items():
        value: Any = raw.strip() if isinstance(raw, str) else raw
        if key in {"grid", "category"}:
            value = value or None
        elif key == "phone":
            try:
                value = domain.validate_phone(value or "")
            except ValueError as exc:
                raise ServiceError(str(exc)) from exc
        elif key in {"staff_total", "staff_on_site"}:
            if value == "":
                value = None
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise ServiceError(f"{FIELD_LABELS[key]}应为整数")
        elif key == "resumption_status":
            try:
                value = str(
                    domain.advance_resumption(
                        domain.ResumptionStatus(stored["resumption_status"]), domain.ResumptionStatus(value)
                    )
                )
            except ValueError as exc:  # TransitionError or an unknown status
                raise ServiceError(str(exc)) from exc
        new[key] = value
    problems = store.to_domain(new).problems()
    if problems:
        raise ServiceError("；".join(message for _field, message in problems))
    return new
