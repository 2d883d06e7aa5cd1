"""Enterprise edits pushed by laptops: a three-way merge per field, the office decides a conflict.

Each edit is judged alone and is idempotent: the same edit again answers "exists", the same id
with other content is a conflict (409) and is never overwritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from inspector_app.central.db import tables as t
from inspector_app.central.db.statements import insert_ignore
from inspector_app.central.logic import changes
from inspector_app.central.logic.answers import conflict, reject
from inspector_app.central.logic.auth import Principal
from inspector_app.domain.enterprise import ResumptionStatus
from inspector_app.wire import EnterpriseEdit, ItemResult, ItemStatus, Role

INT_FIELDS = frozenset({"staff_total", "staff_on_site"})


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    return str(value)


def parse_field(field: str, value: str | None) -> Any:
    """The column value of an edit's text; ValueError with a message when it is not valid."""
    if field in INT_FIELDS:
        if value is None or value == "":
            return None
        number = int(value)
        if number < 0:
            raise ValueError("人数不能为负数")
        return number
    if field == "resumption_status":
        return ResumptionStatus(value or "").value
    if field == "name" and not (value or "").strip():
        raise ValueError("企业名称不能为空")
    return value or ""


def push_edits(
    conn: Connection, p: Principal, edits: Sequence[EnterpriseEdit], now: datetime
) -> list[ItemResult]:
    return [_push_edit(conn, p, e, now) for e in edits]


def _push_edit(conn: Connection, p: Principal, e: EnterpriseEdit, now: datetime) -> ItemResult:
    ee = t.enterprise_edits.c
    prior = conn.execute(select(t.enterprise_edits).where(ee.id == e.id)).mappings().first()
    if prior is not None:
        return _repeat_edit(conn, e, dict(prior))
    ent = (
        conn.execute(select(t.enterprises).where(t.enterprises.c.credit_code == e.credit_code))
        .mappings()
        .first()
    )
    if ent is None:
        return reject("enterprise_change", e.id, f"企业 {e.credit_code} 不在办公室的企业名录中")
    if p.role is not Role.ADMIN:
        team = conn.execute(
            select(t.assignments.c.team).where(t.assignments.c.enterprise_id == ent["id"])
        ).scalar_one_or_none()
        if team is None or team != p.team:
            return reject("enterprise_change", e.id, "该企业已不由本组负责，修改未被接受", 403)
        if e.changed_by not in ("", p.username):
            return reject("enterprise_change", e.id, "只能提交本人的企业信息修改", 403)
    try:
        value = parse_field(e.field, e.new_value)
    except ValueError as exc:
        return reject("enterprise_change", e.id, f"{e.field} 的新值无效（{exc}）")
    current = as_text(ent[e.field])
    # A three-way merge per field: the edit applies when the field still holds what the inspector
    # saw. Edits to other fields since then do not matter; another edit of this field does.
    applies = current == e.old_value or current == as_text(value)
    status = "applied" if applies else "conflict"
    row = {
        "id": e.id,
        "enterprise_id": ent["id"],
        "field": e.field,
        "old_value": e.old_value,
        "new_value": e.new_value,
        "base_version": e.base_version,
        "changed_at_client": e.changed_at,
        # Who changed it is the authenticated pusher (an admin may carry a field worker's name).
        "changed_by": e.changed_by if p.role is Role.ADMIN else p.username,
        "pushed_by": p.user_id,
        "received_at": now,
        "status": status,
        "note": "" if applies else f"办公室当前值为“{current or ''}”",
    }
    if not insert_ignore(conn, t.enterprise_edits, [row], "id"):
        prior = conn.execute(select(t.enterprise_edits).where(ee.id == e.id)).mappings().one()
        return _repeat_edit(conn, e, dict(prior))
    if not applies:
        return conflict("enterprise_change", e.id, f"该字段在办公室已被改为“{current or ''}”，待办公室裁定")
    if current != as_text(value):
        set_field(conn, int(ent["id"]), e.credit_code, e.field, value=value, now=now)
    return ItemResult(entity="enterprise_change", id=e.id, status=ItemStatus.MERGED, http_status=200)


def set_field(
    conn: Connection, enterprise_id: int, credit_code: str, field: str, *, value: Any, now: datetime
) -> None:
    c = t.enterprises.c
    conn.execute(
        update(t.enterprises)
        .where(c.id == enterprise_id)
        .values({field: value, "version": c.version + 1, "updated_at": now})
    )
    changes.record_enterprise(conn, enterprise_id, credit_code, now)


def _repeat_edit(conn: Connection, e: EnterpriseEdit, prior: dict[str, Any]) -> ItemResult:
    code = conn.execute(
        select(t.enterprises.c.credit_code).where(t.enterprises.c.id == prior["enterprise_id"])
    ).scalar_one()
    same = (code, prior["field"], prior["old_value"], prior["new_value"]) == (
        e.credit_code,
        e.field,
        e.old_value,
        e.new_value,
    )
    if not same:
        return conflict("enterprise_change", e.id, "服务器上已有同一编号但内容不同的修改，未覆盖")
    if prior["status"] == "conflict":
        return conflict("enterprise_change", e.id, f"待办公室裁定（{prior['note']}）")
    return ItemResult(
        entity="enterprise_change", id=e.id, status=ItemStatus.EXISTS, http_status=200, reason=prior["status"]
    )
