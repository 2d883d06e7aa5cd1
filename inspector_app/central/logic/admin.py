"""Office administration: users, teams, grids, the register, assignments, forms, conflicts.

Every change a laptop must learn about is written to the change log in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, update

from inspector_app.central.db import tables as t
from inspector_app.central.db.statements import insert_ignore
from inspector_app.central.logic import changes, passwords
from inspector_app.central.logic.auth import hash_password, now_utc, revoke_device
from inspector_app.central.logic.edits import parse_field, set_field
from inspector_app.checklist import FormError, parse_form, read_form_bytes
from inspector_app.domain.enterprise import MASTER_DATA_FIELDS
from inspector_app.register import RegisterFileError, read_register
from inspector_app.wire import Role

ENTERPRISE_FIELDS = MASTER_DATA_FIELDS
_CHUNK = 900


class AdminError(Exception):
    """Refused; the message says why (the CLI prints it and exits 1)."""


# ------------------------------------------------------------------ users and teams


def ensure_team(conn: Connection, name: str) -> None:
    insert_ignore(conn, t.teams, [{"name": name, "created_at": now_utc()}], "name")


def add_user(
    conn: Connection,
    username: str,
    password: str,
    role: Role,
    *,
    team: str | None = None,
    badge_number: str = "",
    display_name: str = "",
) -> None:
    if not username.strip() or username != username.strip() or len(username) > 100:
        raise AdminError("用户名不能为空，不能以空格开头或结尾，至多 100 个字符")
    _check_password(password, username, role)
    if role in {Role.INSPECTOR, Role.LEADER} and not team:
        raise AdminError("检查员和组长必须属于一个检查组（--team）")
    if not role.syncs and team:
        raise AdminError("办公室人员和只读用户不属于检查组")
    # A badge is never the username by default: a user named like another's badge would read and
    # push that inspector's visits.
    badge = _valid_badge(badge_number, role)
    if team:
        ensure_team(conn, team)
    exists = conn.execute(select(t.users.c.id).where(t.users.c.username == username)).first()
    if exists is not None:
        raise AdminError(f"用户 {username} 已存在")
    _badge_free(conn, badge, username)
    now = now_utc()
    conn.execute(
        t.users.insert().values(
            username=username,
            display_name=display_name or username,
            badge_number=badge,
            role=role.value,
            team=team,
            password_hash=hash_password(password),
            disabled=False,
            created_at=now,
        )
    )
    _member_changed(conn, username, team, now)


def _check_password(password: str, username: str, role: Role) -> None:
    try:
        passwords.check(password, username=username, role=role)
    except passwords.PasswordRefused as exc:
        raise AdminError(str(exc)) from None


def _valid_badge(badge_number: str, role: Role) -> str:
    badge = badge_number.strip()
    if not badge:
        if role in {Role.ADMIN, Role.OFFICE, Role.VIEWER}:  # no visits signed: no badge needed
            return ""
        raise AdminError("检查员和组长必须有执法证号（--badge），且各人不同")
    if len(badge) > 50 or any(ch.isspace() for ch in badge):
        raise AdminError("执法证号至多 50 个字符，不能含空格")
    return badge


def _badge_free(conn: Connection, badge: str, username: str) -> None:
    if not badge:
        return
    u = t.users.c
    holder = conn.execute(
        select(u.username).where(u.badge_number == badge, u.username != username)
    ).scalar_one_or_none()
    if holder is not None:
        raise AdminError(f"执法证号 {badge} 已属于用户 {holder}；每个执法证号只能给一个人")


def set_badge(conn: Connection, username: str, badge_number: str) -> None:
    """Give a user another badge number. Their laptops pull their visits again under it."""
    u = t.users.c
    row = conn.execute(select(u.role, u.team).where(u.username == username)).first()
    if row is None:
        raise AdminError(f"没有用户 {username}")
    badge = _valid_badge(badge_number, Role(row.role))
    _badge_free(conn, badge, username)
    conn.execute(update(t.users).where(u.username == username).values(badge_number=badge))
    _member_changed(conn, username, row.team, now_utc())


def _member_changed(conn: Connection, username: str, team: str | None, now: datetime) -> None:
    buckets = [changes.user_bucket(username)] + ([changes.team_bucket(team)] if team else [])
    changes.record(conn, [(b, "member", username) for b in buckets], now)


def set_disabled(conn: Connection, username: str, disabled: bool) -> None:
    u = t.users.c
    row = conn.execute(select(u.team).where(u.username == username)).first()
    if row is None:
        raise AdminError(f"没有用户 {username}")
    conn.execute(update(t.users).where(u.username == username).values(disabled=disabled))
    if disabled:
        # Sessions end with the account: enabling it again does not bring old tokens back.
        revoke_device(conn, username)
    _member_changed(conn, username, row.team, now_utc())


def set_team(conn: Connection, username: str, team: str) -> None:
    """Move a user to another team: its laptops pull the new team from the start and purge the old one."""
    u = t.users.c
    row = conn.execute(select(u.team, u.role).where(u.username == username)).first()
    if row is None:
        raise AdminError(f"没有用户 {username}")
    if row.role not in {Role.INSPECTOR.value, Role.LEADER.value}:
        raise AdminError("只有检查员和组长属于检查组")
    ensure_team(conn, team)
    conn.execute(update(t.users).where(u.username == username).values(team=team))
    now = now_utc()
    _member_changed(conn, username, team, now)
    if row.team and row.team != team:
        changes.record(conn, [(changes.team_bucket(row.team), "member", username)], now)


def set_password(conn: Connection, username: str, password: str) -> None:
    """A new password ends every session of the account: whoever knew the old one is logged out."""
    u = t.users.c
    role = conn.execute(select(u.role).where(u.username == username)).scalar_one_or_none()
    if role is None:
        raise AdminError(f"没有用户 {username}")
    _check_password(password, username, Role(role))
    conn.execute(update(t.users).where(u.username == username).values(password_hash=hash_password(password)))
    revoke_device(conn, username)


def list_users(conn: Connection) -> list[dict[str, Any]]:
    u = t.users.c
    rows = conn.execute(
        select(u.username, u.display_name, u.badge_number, u.role, u.team, u.disabled).order_by(u.username)
    ).mappings()
    return [dict(r) for r in rows]


# ------------------------------------------------------------------ grids and assignments


def add_grid(conn: Connection, name: str, team: str | None = None) -> int:
    """Create a grid (optionally giving it to a team); returns how many enterprises were assigned."""
    insert_ignore(conn, t.grids, [{"name": name, "team": None}], "name")
    if team is None:
        return 0
    ensure_team(conn, team)
    conn.execute(update(t.grids).where(t.grids.c.name == name).values(team=team))
    ids = list(conn.execute(select(t.enterprises.c.id).where(t.enterprises.c.grid == name)).scalars())
    return assign(conn, team, ids)


def _codes_to_ids(conn: Connection, codes: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    e = t.enterprises.c
    for i in range(0, len(codes), _CHUNK):
        chunk = list(codes[i : i + _CHUNK])
        out.update(
            {
                r.credit_code: int(r.id)
                for r in conn.execute(select(e.credit_code, e.id).where(e.credit_code.in_(chunk)))
            }
        )
    unknown = [c for c in codes if c not in out]
    if unknown:
        raise AdminError(f"企业名录中没有：{'、'.join(unknown[:5])}")
    return out


def assign_codes(conn: Connection, team: str, codes: Sequence[str]) -> int:
    return assign(conn, team, list(_codes_to_ids(conn, codes).values()))


def assign(conn: Connection, team: str, enterprise_ids: Sequence[int], visits_per_week: int = 3) -> int:
    """Give enterprises to a team; one taken from another team is unassigned there first."""
    ensure_team(conn, team)
    now = now_utc()
    a, e = t.assignments.c, t.enterprises.c
    log: list[tuple[str, str, str]] = []
    count = 0
    for i in range(0, len(enterprise_ids), _CHUNK):
        chunk = list(enterprise_ids[i : i + _CHUNK])
        rows = conn.execute(
            select(e.id, e.credit_code, a.team)
            .select_from(t.enterprises.outerjoin(t.assignments, a.enterprise_id == e.id))
            .where(e.id.in_(chunk))
        ).all()
        moved = [r for r in rows if r.team is not None and r.team != team]
        fresh = [r for r in rows if r.team is None]
        if moved:
            conn.execute(
                update(t.assignments)
                .where(a.enterprise_id.in_([r.id for r in moved]))
                .values(team=team, assigned_on=now.date())
            )
            log += [(changes.team_bucket(r.team), "unassignment", r.credit_code) for r in moved]
        if fresh:
            conn.execute(
                t.assignments.insert(),
                [
                    {
                        "enterprise_id": r.id,
                        "team": team,
                        "visits_per_week": visits_per_week,
                        "assigned_on": now.date(),
                    }
                    for r in fresh
                ],
            )
        log += [(changes.team_bucket(team), "assignment", r.credit_code) for r in moved + fresh]
        count += len(moved) + len(fresh)
    changes.record(conn, log, now)
    return count


def unassign_codes(conn: Connection, codes: Sequence[str]) -> int:
    ids = _codes_to_ids(conn, codes)
    a = t.assignments.c
    now = now_utc()
    rows = conn.execute(select(a.enterprise_id, a.team).where(a.enterprise_id.in_(list(ids.values())))).all()
    by_id = {v: k for k, v in ids.items()}
    conn.execute(t.assignments.delete().where(a.enterprise_id.in_([r.enterprise_id for r in rows])))
    changes.record(
        conn, [(changes.team_bucket(r.team), "unassignment", by_id[r.enterprise_id]) for r in rows], now
    )
    return len(rows)


# ------------------------------------------------------------------ the register


@dataclass
class ImportSummary:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    assigned: int = 0
    problems: list[str] = field(default_factory=list)


def import_enterprises(conn: Connection, path: Path, *, team: str | None = None) -> ImportSummary:
    """Read a register with the desktop's reader; all or nothing, like the desktop import."""
    try:
        rows, problems = read_register(path)
    except RegisterFileError as exc:
        raise AdminError(str(exc)) from exc
    summary = ImportSummary(problems=[str(p) for p in problems])
    if problems:
        return summary
    now = now_utc()
    e = t.enterprises.c
    by_code = {r.enterprise.credit_code: r for r in rows}
    codes = list(by_code)
    stored: dict[str, dict[str, Any]] = {}
    for i in range(0, len(codes), _CHUNK):
        stored.update(
            {
                r["credit_code"]: dict(r)
                for r in conn.execute(
                    select(t.enterprises).where(e.credit_code.in_(codes[i : i + _CHUNK]))
                ).mappings()
            }
        )
    inserts: list[dict[str, Any]] = []
    changed: list[tuple[int, str]] = []
    for code, row in by_code.items():
        ent = row.enterprise
        values: dict[str, Any] = {
            "name": ent.name,
            "address": ent.address,
            "grid": ent.grid,
            "category": ent.category,
            "industry": ent.industry,
            "size_class": ent.size_class,
            "legal_representative": ent.legal_representative,
            "contact": ent.contact,
            "phone": ent.phone,
            "staff_total": ent.staff_total,
            "staff_on_site": ent.staff_on_site,
            "resumption_status": str(ent.resumption_status),
            "extra_json": json.dumps(ent.extra, ensure_ascii=False, sort_keys=True),
        }
        old = stored.get(code)
        if old is None:
            inserts.append({"credit_code": code, **values, "version": 1, "updated_at": now})
            continue
        # A blank cell never erases what the office already holds.
        given = {k: v for k, v in values.items() if k in row.given or (k == "extra_json" and ent.extra)}
        diff = {k: v for k, v in given.items() if old[k] != v}
        if not diff:
            summary.unchanged += 1
            continue
        conn.execute(
            update(t.enterprises)
            .where(e.id == old["id"])
            .values({**diff, "version": e.version + 1, "updated_at": now})
        )
        changed.append((int(old["id"]), code))
        summary.updated += 1
    if inserts:
        conn.execute(t.enterprises.insert(), inserts)
        summary.inserted = len(inserts)
    for grid in sorted({r["grid"] for r in inserts if r["grid"]}):
        insert_ignore(conn, t.grids, [{"name": grid, "team": None}], "name")
    # Enterprises already assigned: their team learns of the new values.
    a = t.assignments.c
    log: list[tuple[str, str, str]] = []
    ids = [i for i, _ in changed]
    for i in range(0, len(ids), _CHUNK):
        for r in conn.execute(
            select(a.enterprise_id, a.team).where(a.enterprise_id.in_(ids[i : i + _CHUNK]))
        ):
            log.append((changes.team_bucket(r.team), "enterprise", dict(changed)[r.enterprise_id]))
    changes.record(conn, log, now)
    # New enterprises go to the team named on the command line, else to their grid's team.
    new_ids = _codes_to_ids(conn, [r["credit_code"] for r in inserts]) if inserts else {}
    grid_team = {r.name: r.team for r in conn.execute(select(t.grids.c.name, t.grids.c.team))}
    by_team: dict[str, list[int]] = {}
    for new in inserts:
        target = team or grid_team.get(new["grid"]) or by_code[new["credit_code"]].team or None
        if target:
            by_team.setdefault(target, []).append(new_ids[new["credit_code"]])
    for target, team_ids in by_team.items():
        summary.assigned += assign(conn, target, team_ids)
    return summary


# ------------------------------------------------------------------ forms


def publish_form(conn: Connection, path: Path) -> tuple[str, str, bool]:
    """Publish a checklist version; returns (code, version, whether it was new).

    A version, once published, never changes: visits name it and laptops cache it.
    """
    try:
        data = read_form_bytes(path)  # never more than a form may hold, whatever the file is
        form = parse_form(data, str(path))
    except FormError as exc:
        raise AdminError(f"检查表校验失败：\n{exc}") from exc
    sha = hashlib.sha256(data).hexdigest()
    f = t.forms.c
    prior = conn.execute(
        select(f.sha256).where(f.code == form.code, f.version == form.version)
    ).scalar_one_or_none()
    if prior is not None:
        if prior != sha:
            raise AdminError(f"检查表 {form.code} 版本 {form.version} 已发布且内容不同；请使用新的版本号")
        return form.code, form.version, False
    now = now_utc()
    conn.execute(
        t.forms.insert().values(
            code=form.code, version=form.version, sha256=sha, yaml=data.decode("utf-8-sig"), published_at=now
        )
    )
    changes.record(conn, [(changes.ALL, "form", f"{form.code}@{form.version}")], now)
    return form.code, form.version, True


# ------------------------------------------------------------------ conflicts


def list_conflicts(conn: Connection) -> list[dict[str, Any]]:
    ee, e, u = t.enterprise_edits.c, t.enterprises.c, t.users.c
    stmt = (
        select(ee.id, e.credit_code, e.name, ee.field, ee.old_value, ee.new_value, ee.note, u.username)
        .join(t.enterprises, e.id == ee.enterprise_id)
        .join(t.users, u.id == ee.pushed_by)
        .where(ee.status == "conflict")
        .order_by(ee.received_at)
    )
    return [dict(r) for r in conn.execute(stmt).mappings()]


def resolve_conflict(conn: Connection, edit_id: str, keep: str, note: str = "") -> None:
    """The office decides: keep the field's value ("field") or the office's ("office")."""
    if keep not in {"field", "office"}:
        raise AdminError("--keep 只能是 field 或 office")
    ee = t.enterprise_edits.c
    row = conn.execute(select(t.enterprise_edits).where(ee.id == edit_id)).mappings().first()
    if row is None or row["status"] != "conflict":
        raise AdminError(f"没有待裁定的修改 {edit_id}")
    now = now_utc()
    code = conn.execute(
        select(t.enterprises.c.credit_code).where(t.enterprises.c.id == row["enterprise_id"])
    ).scalar_one()
    if keep == "field":
        try:
            value = parse_field(row["field"], row["new_value"])
        except ValueError as exc:
            raise AdminError(str(exc)) from exc
        set_field(conn, int(row["enterprise_id"]), code, row["field"], value=value, now=now)
    conn.execute(
        update(t.enterprise_edits)
        .where(ee.id == edit_id)
        .values(status=f"kept_{keep}", note=note or ("采用现场修改" if keep == "field" else "保留办公室数据"))
    )
    pusher = conn.execute(select(t.users.c.username).where(t.users.c.id == row["pushed_by"])).scalar_one()
    changes.record(conn, [(changes.user_bucket(pusher), "edit_resolution", edit_id)], now)


def today() -> date:
    return now_utc().date()
