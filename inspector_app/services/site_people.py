"""The people met on site: the person in charge (现场负责人 with 职务, 证件号码 and phone) and a
witness (见证人, who attests a refusal to sign or to accept service).

Recorded on the visit's finish page while the visit is a draft, frozen into its canonical document
(key ``site_people``, wire/site_people.py) when it completes, and printed in the record's header,
its witness block and every 送达回证.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlmodel import Session, select

from inspector_app.domain.visit import VisitLockedError, VisitStatus
from inspector_app.services.changes import Changes
from inspector_app.services.errors import NotFound, ServiceError
from inspector_app.store import tables
from inspector_app.store.workspace import Workspace
from inspector_app.wire.site_people import SITE_PEOPLE_KEY, OnSitePerson, SitePeople, Witness

ONSITE, WITNESS = "onsite", "witness"
_PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")
# 居民身份证 (18, the last may be X), or another document's number: letters, digits and "-".
_ID = re.compile(r"^[0-9A-Za-z\-]{4,30}$")
_LIMITS = {"name": 30, "title": 30, "id_number": 30, "phone": 20, "unit": 60}
_LABELS = {"name": "姓名", "title": "职务", "id_number": "证件号码", "phone": "联系电话", "unit": "工作单位"}


@dataclass(frozen=True, slots=True)
class SitePeopleInput:
    onsite_name: str = ""
    onsite_title: str = ""
    onsite_id_number: str = ""
    onsite_phone: str = ""
    witness_name: str = ""
    witness_unit: str = ""


def _clean(value: str, who: str, field: str) -> str:
    text = " ".join(value.split())
    if len(text) > _LIMITS[field]:
        raise ServiceError(f"{who}{_LABELS[field]}过长（最多{_LIMITS[field]}字）")
    return text


def validate(given: SitePeopleInput) -> SitePeople:
    """The people as they will be stored; a bad value is refused naming who and which field."""
    onsite = OnSitePerson(
        name=_clean(given.onsite_name, "现场负责人", "name"),
        title=_clean(given.onsite_title, "现场负责人", "title"),
        id_number=_clean(given.onsite_id_number, "现场负责人", "id_number").upper(),
        phone=_clean(given.onsite_phone, "现场负责人", "phone"),
    )
    witness = Witness(
        name=_clean(given.witness_name, "见证人", "name"), unit=_clean(given.witness_unit, "见证人", "unit")
    )
    if onsite.id_number and not _ID.match(onsite.id_number):
        raise ServiceError("现场负责人证件号码只能包含数字、字母和“-”（4至30位）")
    if onsite.phone and not _PHONE.match(onsite.phone):
        raise ServiceError("现场负责人联系电话应为5至20位数字（可含“-”“+”、括号）")
    if not onsite.name and (onsite.title or onsite.id_number or onsite.phone):
        raise ServiceError("请填写现场负责人姓名")
    if witness.unit and not witness.name:
        raise ServiceError("请填写见证人姓名")
    return SitePeople(onsite=onsite, witness=witness)


def _read(s: Session, visit_id: str) -> SitePeople:
    found = s.exec(select(tables.SitePerson).where(tables.SitePerson.visit_id == visit_id))
    rows = {r.role: r for r in found}
    on, wi = rows.get(ONSITE), rows.get(WITNESS)
    return SitePeople(
        onsite=OnSitePerson(name=on.name, title=on.title, id_number=on.id_number, phone=on.phone)
        if on
        else OnSitePerson(),
        witness=Witness(name=wi.name, unit=wi.unit) if wi else Witness(),
    )


def onsite_name(s: Session, visit_id: str) -> str:
    """The person in charge on site as recorded for the visit ("" when none is)."""
    row = s.get(tables.SitePerson, (visit_id, ONSITE))
    return row.name if row is not None else ""


def load(ws: Workspace, visit_id: str) -> SitePeople:
    with ws.session() as s:
        return _read(s, visit_id)


class Saved(NamedTuple):
    """What was recorded, and the change set (the visit's document changed)."""

    people: SitePeople
    changes: Changes


def save(ws: Workspace, visit_id: str, given: SitePeopleInput) -> Saved:
    """Record the site people of a draft visit (a completed visit is locked)."""
    people = validate(given)
    with ws.session() as s:
        v = s.get(tables.Visit, visit_id)
        if v is None:
            raise NotFound(f"检查记录 {visit_id} 不存在")
        if v.status == VisitStatus.COMPLETED.value:
            raise VisitLockedError("该检查已完成并锁定，不能再修改")
        for role, values in ((ONSITE, people.onsite.model_dump()), (WITNESS, people.witness.model_dump())):
            row = s.get(tables.SitePerson, (visit_id, role))
            if not any(values.values()):
                if row is not None:
                    s.delete(row)
                continue
            row = row or tables.SitePerson(visit_id=visit_id, role=role)
            for key, value in values.items():
                setattr(row, key, value)
            s.add(row)
    return Saved(people, Changes(visits={visit_id}))


def for_document(s: Session, visit_id: str) -> dict[str, Any]:
    """The document's ``site_people`` entry; nothing when nobody was recorded (the hash of a visit
    recorded without them stays what it was)."""
    people = _read(s, visit_id)
    if people.is_empty():
        return {}
    return {SITE_PEOPLE_KEY: people.model_dump()}
