"""Numbers of official documents: 〔2026〕第N号, one sequence per issuing unit, kind and year.

A number is given once, when a visit's document of that kind is first issued, and kept in the
``IssuedDocument`` table: printing the same notice again shows the same number and date, across
restarts and reopenings of the workspace. Numbers are never reused, even if a later document is
never printed again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from inspector_app.services.settings import DocumentSettings
from inspector_app.store import tables


class DocKind(StrEnum):
    RECORD = "record"  # 现场检查记录
    NOTICE = "notice"  # 责令限期整改通知书
    RECHECK = "recheck"  # 整改复查意见书


# The short word in the number keeps the sequences of different kinds apart on paper.
KIND_WORDS = {DocKind.RECORD: "检记", DocKind.NOTICE: "责改", DocKind.RECHECK: "复查"}
KIND_TITLES = {
    DocKind.RECORD: "现场检查记录",
    DocKind.NOTICE: "责令限期整改通知书",
    DocKind.RECHECK: "整改复查意见书",
}


@dataclass(frozen=True, slots=True)
class IssuedNumber:
    visit_id: str
    kind: DocKind
    issuing_unit: str
    year: int
    number: int
    issued_on: date
    prefix: str = ""

    @property
    def text(self) -> str:
        return format_number(self.prefix, self.kind, self.year, self.number)


def format_number(prefix: str, kind: DocKind, year: int, number: int) -> str:
    return f"{prefix}{KIND_WORDS[kind]}〔{year}〕第{number}号"


def _as_issued(row: tables.IssuedDocument) -> IssuedNumber:
    return IssuedNumber(
        visit_id=row.visit_id,
        kind=DocKind(row.kind),
        issuing_unit=row.issuing_unit,
        year=row.year,
        number=row.number,
        issued_on=row.issued_on,
        prefix=row.prefix,
    )


def find(session: Session, visit_id: str, kind: DocKind, settings: DocumentSettings) -> IssuedNumber | None:
    row = session.exec(
        select(tables.IssuedDocument)
        .where(tables.IssuedDocument.visit_id == visit_id, tables.IssuedDocument.kind == kind.value)
        .order_by(col(tables.IssuedDocument.id))
    ).first()
    return None if row is None else _as_issued(row)


def issue(
    session: Session, visit_id: str, kind: DocKind, settings: DocumentSettings, *, on: date
) -> IssuedNumber:
    """The visit's number for this kind of document, given now if it has none yet.

    ``on`` is the document's date (the visit's day for documents served on site); its year picks
    the sequence.
    """
    existing = find(session, visit_id, kind, settings)
    if existing is not None:
        return existing
    if session.get(tables.Visit, visit_id) is None:
        raise LookupError(f"检查记录 {visit_id} 不存在")
    unit = settings.issuing_unit
    for _attempt in range(5):
        current = session.exec(
            select(func.max(tables.IssuedDocument.number)).where(
                tables.IssuedDocument.issuing_unit == unit,
                tables.IssuedDocument.kind == kind.value,
                tables.IssuedDocument.year == on.year,
            )
        ).one()
        row = tables.IssuedDocument(
            visit_id=visit_id,
            kind=kind.value,
            issuing_unit=unit,
            year=on.year,
            number=(current or 0) + 1,
            issued_on=on,
            prefix=settings.number_prefix,
        )
        # A savepoint, so that losing a race with another window only retries this insert.
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            continue
        return _as_issued(row)
    raise RuntimeError("文书编号分配冲突，请重试")


def issued_for_visits(
    session: Session, visit_ids: list[str], kind: DocKind, settings: DocumentSettings
) -> dict[str, IssuedNumber]:
    if not visit_ids:
        return {}
    rows = session.exec(
        select(tables.IssuedDocument).where(
            col(tables.IssuedDocument.visit_id).in_(visit_ids), tables.IssuedDocument.kind == kind.value
        )
    ).all()
    return {r.visit_id: _as_issued(r) for r in rows}
