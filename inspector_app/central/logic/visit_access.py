"""Who may see a visit and its files, and which files the office takes from whom.

Admins see every visit; a team leader the team's visits; an inspector the visits they took part
in. A file is visible through a visit one may see whose pusher holds it, and the office takes a
file only from someone whose pushed visit cites it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, bindparam, select

from inspector_app.batches import chunks
from inspector_app.central.db import tables as t
from inspector_app.central.db.statements import CHUNK, many
from inspector_app.central.logic.auth import Principal
from inspector_app.wire import Role

_v, _vf = t.visits.c, t.visit_files.c
_AWAITED = (
    select(_vf.sha256)
    .distinct()
    .join_from(t.visit_files, t.visits, _v.id == _vf.visit_id)
    .where(_vf.sha256.in_(many("shas")), _v.pushed_by == bindparam("user_id"))
)


def may_see(p: Principal, team: str | None, document_json: str) -> bool:
    if p.role is Role.ADMIN or (p.role is Role.LEADER and team == p.team):
        return True
    return p.badge_number in json.loads(document_json).get("inspectors", [])


def visit_document(conn: Connection, visit_id: str) -> dict[str, Any] | None:
    raw = conn.execute(select(t.visits.c.document_json).where(t.visits.c.id == visit_id)).scalar_one_or_none()
    return None if raw is None else dict(json.loads(raw))


def visible_visit(conn: Connection, p: Principal, visit_id: str) -> bool:
    """Admins see all; a leader the team's visits; an inspector the visits it took part in."""
    row = conn.execute(
        select(t.visits.c.team, t.visits.c.document_json).where(t.visits.c.id == visit_id)
    ).first()
    if row is None:
        return False
    return may_see(p, row.team, row.document_json)


def awaited_from(conn: Connection, p: Principal, sha: str) -> bool:
    """Whether a visit the caller pushed cites this file: the only files the office takes from
    anyone (no storage for bytes nothing needs, however many)."""
    return sha in awaited_among(conn, p, [sha])


def awaited_among(conn: Connection, p: Principal, shas: Sequence[str]) -> set[str]:
    """Those of ``shas`` that a visit the caller pushed cites (see :func:`awaited_from`)."""
    found: set[str] = set()
    for chunk in chunks(list(shas), CHUNK):
        found.update(conn.execute(_AWAITED, {"shas": list(chunk), "user_id": p.user_id}).scalars())
    return found


def file_visible(conn: Connection, p: Principal, sha: str) -> bool:
    """A file is visible through a visit the caller may see whose pusher holds that file."""
    if p.role is Role.ADMIN:
        return True
    vf, v, h = t.visit_files, t.visits, t.file_holders
    rows = conn.execute(
        select(v.c.team, v.c.document_json)
        .select_from(
            vf.join(v, v.c.id == vf.c.visit_id).join(
                h, and_(h.c.sha256 == vf.c.sha256, h.c.user_id == v.c.pushed_by)
            )
        )
        .where(vf.c.sha256 == sha)
    ).all()
    return any(may_see(p, r.team, r.document_json) for r in rows)
