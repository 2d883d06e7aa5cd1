"""Numbers of the 执法文书: fixed when a visit is completed, printed GB/T 9704 style.

When a visit completes, each numbered document it issues (domain.enforcement.documents_for_visit)
gets the next sequence number of its kind and year, and the completion day as its date; the pair is
kept in the ``IssuedDocument`` table and never changes or is reused, however often or late the
document is printed. The number is *formatted* when printed, from the authority's current short
name and 文书代字: （龙宝）应急检记〔2026〕15号.

All allocation goes through :func:`next_number`. Today it counts on this laptop (unique per
workspace). The office step — each laptop holding a block of numbers per kind received at sync, a
warning when a block runs low, the office seeing who used which — replaces that one function and
keeps every caller as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from inspector_app.checklist import Form
from inspector_app.domain.authority import AuthorityMissing, IssuingAuthority
from inspector_app.domain.enforcement import DOC_SPECS, DocKind, FindingFacts, format_number
from inspector_app.domain.visit import VisitKind
from inspector_app.reports.compose import document_kinds, numbers_for_document
from inspector_app.store import tables

__all__ = [
    "DocKind", "IssuedNumber", "find", "for_document", "issue", "next_number", "number_on_completion",
]

# The laptop's own sequence; office blocks will carry the block's holder instead.
LOCAL_SEQUENCE = ""


@dataclass(frozen=True, slots=True)
class IssuedNumber:
    visit_id: str
    kind: DocKind
    year: int
    number: int
    issued_on: date

    def text(self, authority: IssuingAuthority) -> str:
        """The printed number; refuses (naming the setting) when the short name or 文书代字 is missing."""
        missing = [
            m for m in authority.missing_for(self.kind) if m in ("发文机关简称",) or m.startswith("文书代字")
        ]
        if missing:
            raise AuthorityMissing(DOC_SPECS[self.kind].title, missing)
        return format_number(authority.short_name, authority.code(self.kind), self.year, self.number)


def _as_issued(row: tables.IssuedDocument) -> IssuedNumber:
    return IssuedNumber(row.visit_id, DocKind(row.kind), row.year, row.number, row.issued_on)


def find(session: Session, visit_id: str, kind: DocKind) -> IssuedNumber | None:
    row = session.exec(
        select(tables.IssuedDocument)
        .where(tables.IssuedDocument.visit_id == visit_id, tables.IssuedDocument.kind == kind.value)
        .order_by(col(tables.IssuedDocument.id))
    ).first()
    return None if row is None else _as_issued(row)


def next_number(session: Session, kind: DocKind, year: int) -> int:
    """The one place numbers come from (see the module docstring)."""
    current = session.exec(
        select(func.max(tables.IssuedDocument.number)).where(
            tables.IssuedDocument.issuing_unit == LOCAL_SEQUENCE,
            tables.IssuedDocument.kind == kind.value,
            tables.IssuedDocument.year == year,
        )
    ).one()
    return (current or 0) + 1


def issue(session: Session, visit_id: str, kind: DocKind, *, on: date) -> IssuedNumber:
    """The visit's number for this kind, given now if it has none (visits completed before numbers
    were fixed at completion)."""
    existing = find(session, visit_id, kind)
    if existing is not None:
        return existing
    if session.get(tables.Visit, visit_id) is None:
        raise LookupError(f"检查记录 {visit_id} 不存在")
    for _attempt in range(5):
        row = tables.IssuedDocument(
            visit_id=visit_id,
            kind=kind.value,
            issuing_unit=LOCAL_SEQUENCE,
            year=on.year,
            number=next_number(session, kind, on.year),
            issued_on=on,
            prefix="",
        )
        # A savepoint, so that losing a race with another window only retries this insert.
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            continue
        return _as_issued(row)
    raise RuntimeError("文书编号分配冲突，请重试")


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


def issued_for_visits(session: Session, visit_ids: list[str], kind: DocKind) -> dict[str, IssuedNumber]:
    if not visit_ids:
        return {}
    rows = session.exec(
        select(tables.IssuedDocument).where(
            col(tables.IssuedDocument.visit_id).in_(visit_ids), tables.IssuedDocument.kind == kind.value
        )
    ).all()
    return {r.visit_id: _as_issued(r) for r in rows}
