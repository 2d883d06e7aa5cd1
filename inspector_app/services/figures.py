"""The enterprise's staff figures between the register and a visit: the register's numbers are the
defaults of the matching checklist items when a visit starts (the page shows them as prefilled and
the inspector may change them), and the figures a completed visit recorded update the register.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from inspector_app.checklist import Evaluation, Form, ItemType
from inspector_app.domain.visit import AnswerValue
from inspector_app.services.register import record_field_changes
from inspector_app.store import figures as figure_rows
from inspector_app.store import tables
from inspector_app.store.workspace import Workspace

# Checklist item key → the register field it is the same figure as. 防疫复工: 员工总数 and 已返岗人数
# (the register's 到岗人数); 三小场所: 从业人员数 is the premises' whole staff, the register's 员工总数.
ITEM_FIELDS: dict[str, str] = {
    "staff_total": "staff_total",
    "staff_returned": "staff_on_site",
    "staff_on_site": "staff_total",
}
FIELD_LABELS = {"staff_total": "员工总数", "staff_on_site": "到岗人数"}


@dataclass(frozen=True)
class FigureChange:
    field: str  # register field
    label: str
    old: int | None
    new: int


def linked_items(form: Form) -> dict[str, str]:
    """The form's items that carry a register figure: item key → register field."""
    return {
        key: fld for key, fld in ITEM_FIELDS.items()
        if key in form.items and form.items[key].type is ItemType.INTEGER and not form.items[key].computed
    }


def prefill(form: Form, ent: tables.Enterprise) -> dict[str, int]:
    """Defaults for a new visit: each linked item the register has a figure for."""
    out: dict[str, int] = {}
    for key, fld in linked_items(form).items():
        value = getattr(ent, fld)
        if isinstance(value, int) and not isinstance(value, bool):
            out[key] = value
    return out


def register_update(
    form: Form, answers: dict[str, AnswerValue], evaluation: Evaluation, ent: tables.Enterprise
) -> list[FigureChange]:
    """What the completed visit's figures change in the register: shown, valid, different ones.
    An update that would leave 到岗人数 above 员工总数 is not made (the register rule)."""
    wanted: dict[str, int] = {}
    for key, fld in linked_items(form).items():
        value = answers.get(key)
        if key in evaluation.visible and key not in evaluation.errors and isinstance(value, int) \
                and not isinstance(value, bool) and value >= 0:
            wanted.setdefault(fld, value)
    total = wanted.get("staff_total", ent.staff_total)
    on_site = wanted.get("staff_on_site", ent.staff_on_site)
    if total is not None and on_site is not None and on_site > total:
        wanted.pop("staff_on_site", None)
    return [FigureChange(fld, FIELD_LABELS[fld], getattr(ent, fld), new)
            for fld, new in sorted(wanted.items()) if getattr(ent, fld) != new]


def apply(session: Session, ent: tables.Enterprise, updates: list[FigureChange], now: datetime,
          account: str) -> None:
    """Write the figures into the register row, each as an EnterpriseChange sent to the office in
    the outbox: the same record a correction made on the enterprise page leaves (one rule:
    ``register.record_field_changes``), here inside the completing transaction so both happen or
    neither."""
    assert ent.id is not None
    record_field_changes(session, ent.id, ent.version, [(u.field, u.old, u.new) for u in updates],
                         now=now, changed_by=account, account=account)
    for u in updates:
        setattr(ent, u.field, u.new)


def staff_of(ws: Workspace, ids: list[int]) -> dict[int, tuple[int | None, int | None]]:
    """The register's (员工总数, 到岗人数) of these enterprises, by id."""
    with ws.engine.connect() as conn:
        return figure_rows.staff_figures(conn, ids)
