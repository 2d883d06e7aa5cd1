"""Numbers of the 执法文书: fixed when a visit is completed, printed GB/T 9704 style.

When a visit completes, each numbered document it issues (domain.enforcement.documents_for_visit)
gets the next number of its kind and year, and the completion day as its date; the pair is kept in
the ``IssuedDocument`` table and never changes or is reused, however often or late the document is
printed. The number is *formatted* when printed, from the authority's current short name and
文书代字: （龙宝）应急检记〔2026〕15号.

All allocation goes through :func:`next_number`. Numbers come from the blocks the office hands
this laptop at sync (``NumberBlock``, fetched by sync/numbers.py): the office keeps one sequence per
kind and year for the whole unit, so a number is unique across the unit, and the office sees who
used which. A number taken from a block is never given again (the block's ``used_upto`` only
grows, in the transaction that completes the visit).

A laptop that works alone (no office server was ever configured: no login on it) is its unit's
register: it numbers on its own, plainly, as before. A laptop that belongs to an office but holds
no block of the kind and year (it never synced this year, or ran out while offline) still completes
the visit — a notice served on site cannot wait for a network — but its number is
counted on this laptop and **marked**: 临, the laptop's tag and the local count,
（龙宝）应急检记〔2026〕临3F2A-1号. Such a number can never collide with one of the unit's register,
says on its face that it was not allocated by the office, and the console lists it for the
office's 文书登记 (central/logic/numbers.py). The laptop warns before it happens
(:func:`block_warnings`, shown on the sync page).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from inspector_app.checklist import Form
from inspector_app.domain.authority import AuthorityMissing, IssuingAuthority
from inspector_app.domain.enforcement import DOC_SPECS, DocKind, FindingFacts, format_number
from inspector_app.domain.visit import VisitKind
from inspector_app.reports.compose import document_kinds, numbers_for_document
from inspector_app.store import tables
from inspector_app.store.sync_tables import SyncAccount
from inspector_app.store.workspace import Workspace

__all__ = [
    "BlockState",
    "DocKind",
    "IssuedNumber",
    "NumberAlert",
    "alerts",
    "block_states",
    "block_warnings",
    "find",
    "for_document",
    "issue",
    "issued_for",
    "next_number",
    "number_alerts",
    "number_on_completion",
]

# The laptop's own sequence (numbers given without an office block), and the unit's (from blocks).
LOCAL_SEQUENCE = ""
OFFICE_SEQUENCE = "office"
# Fewer unused numbers than this in the blocks of a kind: the laptop says so (sync to get more).
LOW_BLOCK = 10
KEY_LOW_MARK = "documents.number_low_mark"  # set by sync/numbers.py from the office's answer
DEVICE_ID_KEY = "sync.device_id"  # the same setting sync/accounts.py keeps the device id in


# What a visit's print buttons ask for (services.report_data.Reporter.visit_document), by the title
# its file is named after. Here, not beside the builders: the window names them without importing
# ReportLab.
VISIT_DOCUMENT_TITLES = {"record": "现场检查记录", "notice": "整改通知书", "recheck": "整改复查意见书"}


@dataclass(frozen=True, slots=True)
class PrintedDocument:
    path: Path
    title: str  # one of VISIT_DOCUMENT_TITLES: what was written


@dataclass(frozen=True, slots=True)
class IssuedNumber:
    visit_id: str
    kind: DocKind
    year: int
    number: int
    issued_on: date
    provisional: str = ""  # the laptop's tag on a number given without an office block

    def text(self, authority: IssuingAuthority) -> str:
        """The printed number; refuses (naming the setting) when the short name or 文书代字 is missing."""
        missing = [
            m for m in authority.missing_for(self.kind) if m in ("发文机关简称",) or m.startswith("文书代字")
        ]
        if missing:
            raise AuthorityMissing(DOC_SPECS[self.kind].title, missing)
        return format_number(
            authority.short_name, authority.code(self.kind), self.year, self.number, self.provisional
        )


def _as_issued(row: tables.IssuedDocument) -> IssuedNumber:
    # The prefix column keeps the provisional mark of a number given without a block.
    return IssuedNumber(row.visit_id, DocKind(row.kind), row.year, row.number, row.issued_on, row.prefix)


def issued_for(session: Session, visit_id: str) -> list[IssuedNumber]:
    """Every number issued for a visit, in the order issued."""
    rows = session.exec(
        select(tables.IssuedDocument)
        .where(tables.IssuedDocument.visit_id == visit_id)
        .order_by(col(tables.IssuedDocument.id))
    )
    return [_as_issued(r) for r in rows]


def find(session: Session, visit_id: str, kind: DocKind) -> IssuedNumber | None:
    row = session.exec(
        select(tables.IssuedDocument)
        .where(tables.IssuedDocument.visit_id == visit_id, tables.IssuedDocument.kind == kind.value)
        .order_by(col(tables.IssuedDocument.id))
    ).first()
    return None if row is None else _as_issued(row)


def _block(session: Session, kind: DocKind, year: int) -> tables.NumberBlock | None:
    """The block the next number of this kind and year comes from (the lowest with numbers left)."""
    return session.exec(
        select(tables.NumberBlock)
        .where(
            tables.NumberBlock.kind == kind.value,
            tables.NumberBlock.year == year,
            col(tables.NumberBlock.used_upto) < col(tables.NumberBlock.last),
        )
        .order_by(col(tables.NumberBlock.first))
    ).first()


def _local_next(session: Session, kind: DocKind, year: int) -> int:
    current = session.exec(
        select(func.max(tables.IssuedDocument.number)).where(
            tables.IssuedDocument.issuing_unit == LOCAL_SEQUENCE,
            tables.IssuedDocument.kind == kind.value,
            tables.IssuedDocument.year == year,
        )
    ).one()
    return (current or 0) + 1


def next_number(session: Session, kind: DocKind, year: int) -> int:
    """The one place numbers come from (see the module docstring): the next of the office block
    held for this kind and year, else the next of this laptop's own (provisional) count."""
    block = _block(session, kind, year)
    if block is not None:
        return max(block.used_upto, block.first - 1) + 1
    return _local_next(session, kind, year)


def belongs_to_office(session: Session) -> bool:
    """Whether an office hands this laptop its numbers (someone logged in to an office server)."""
    return session.exec(select(SyncAccount.username)).first() is not None


def device_tag(session: Session) -> str:
    """Four characters naming this laptop on a provisional number (from its permanent device id)."""
    row = session.get(tables.Setting, DEVICE_ID_KEY)
    if row is None:
        row = tables.Setting(key=DEVICE_ID_KEY, value=str(uuid.uuid4()))
        session.add(row)
        session.flush()
    return row.value.replace("-", "")[:4].upper()


def issue(session: Session, visit_id: str, kind: DocKind, *, on: date) -> IssuedNumber:
    """The visit's number for this kind, given now if it has none (visits completed before numbers
    were fixed at completion)."""
    existing = find(session, visit_id, kind)
    if existing is not None:
        return existing
    if session.get(tables.Visit, visit_id) is None:
        raise LookupError(f"检查记录 {visit_id} 不存在")
    office = belongs_to_office(session)
    for _attempt in range(5):
        block = _block(session, kind, on.year)
        number = next_number(session, kind, on.year)
        row = tables.IssuedDocument(
            visit_id=visit_id,
            kind=kind.value,
            issuing_unit=OFFICE_SEQUENCE if block is not None else LOCAL_SEQUENCE,
            year=on.year,
            number=number,
            issued_on=on,
            prefix="" if block is not None or not office else device_tag(session),
        )
        # A savepoint, so that losing a race with another window only retries this insert.
        try:
            with session.begin_nested():
                session.add(row)
                if block is not None:
                    block.used_upto = number  # taken: never handed out again
                    session.add(block)
        except IntegrityError:
            continue
        return _as_issued(row)
    raise RuntimeError("文书编号分配冲突，请重试")


@dataclass(frozen=True, slots=True)
class BlockState:
    kind: DocKind
    year: int
    left: int  # unused numbers of office blocks held for this kind and year
    blocks: int


def block_states(session: Session, year: int) -> list[BlockState]:
    """What this laptop holds of each document kind for ``year``."""
    rows = session.exec(select(tables.NumberBlock).where(tables.NumberBlock.year == year)).all()
    out = []
    for kind in DocKind:
        mine = [b for b in rows if b.kind == kind.value]
        left = sum(b.last - max(b.used_upto, b.first - 1) for b in mine)
        out.append(BlockState(kind, year, left, sum(1 for b in mine if b.used_upto < b.last)))
    return out


def low_mark(session: Session) -> int:
    """Below how many unused numbers of a kind the laptop warns: the office's refill mark (it gives
    the next block at a sync below it), as the last sync said, else LOW_BLOCK."""
    row = session.get(tables.Setting, KEY_LOW_MARK)
    return int(row.value) if row is not None and row.value.isdigit() else LOW_BLOCK


@dataclass(frozen=True, slots=True)
class NumberAlert:
    """Something the inspector should know before completing visits (see :func:`number_alerts`)."""

    kind: DocKind | None  # None: no office numbers at all for the year
    left: int
    year: int

    @property
    def title(self) -> str:
        return DOC_SPECS[self.kind].title if self.kind is not None else ""


def alerts(workspace: Workspace, year: int) -> list[NumberAlert]:
    """:func:`number_alerts` for a page: its own session, so no SQL is written above services."""
    with workspace.session() as s:
        return number_alerts(s, year)


def number_alerts(session: Session, year: int, *, low: int | None = None) -> list[NumberAlert]:
    """No office numbers at all (numbers would be provisional, 临), or the kinds whose office numbers
    run low: fewer than the office's refill mark, so the next sync brings more."""
    if not belongs_to_office(session):
        return []  # a laptop working alone numbers on its own: nothing to run out of
    low = low_mark(session) if low is None else low
    states = block_states(session, year)
    if not any(st.blocks for st in states):
        return [NumberAlert(None, 0, year)]
    return [NumberAlert(st.kind, st.left, year) for st in states if st.left < low]


def block_warnings(session: Session, year: int, *, low: int | None = None) -> list[str]:
    """:func:`number_alerts` in words (the sync page says the same, translated)."""
    out = []
    for a in number_alerts(session, year, low=low):
        if a.kind is None:
            out.append(
                f"尚未从办公室领取{year}年的文书编号：此时完成的检查将使用本机临时编号（带“临”字），"
                "请先连接办公室同步。"
            )
        elif a.left == 0:
            out.append(f"{a.title}的编号已用完：此时完成的检查将使用本机临时编号，请同步领取。")
        else:
            out.append(f"{a.title}的编号仅剩{a.left}个，请尽快同步领取。")
    return out


def number_on_completion(session: Session, visit_id: str, form: Form | None, on: date) -> list[IssuedNumber]:
    """Fix the numbers of every document the completed visit issues (called by VisitService.complete)."""
    v = session.get(tables.Visit, visit_id)
    if v is None:
        raise LookupError(f"检查记录 {visit_id} 不存在")
    return [issue(session, visit_id, kind, on=on) for kind in kinds_for(session, v, form)]


def for_document(issued: list[IssuedNumber]) -> list[dict[str, object]]:
    """The ``numbers`` a completed visit's document carries, so the office prints the same ones."""
    return numbers_for_document(issued)


def kinds_for(session: Session, v: tables.Visit, form: Form | None) -> tuple[DocKind, ...]:
    rows = session.exec(select(tables.Finding).where(tables.Finding.visit_id == v.id)).all()
    facts = [FindingFacts(f.order, f.severity == "重大") for f in rows]
    return document_kinds(v.form_code, form, facts, recheck=v.kind == VisitKind.RECHECK.value)
