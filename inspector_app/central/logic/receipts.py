"""When a visit counts as received: every file of its manifest here, shown by its own pusher.

A visit is stamped ``received_at`` (and its team leader's pull learns of it) in the transaction
where its last file arrives: with the push that carried it, an upload, or a bundle import.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, select, update

from inspector_app.batches import chunks
from inspector_app.central.db import tables as t
from inspector_app.central.db.statements import CHUNK, many
from inspector_app.central.logic import changes
from inspector_app.central.logic.auth import Principal
from inspector_app.central.logic.visit_access import may_see
from inspector_app.wire import VisitReceipt

_v, _vf, _h = t.visits.c, t.visit_files.c, t.file_holders.c
_MISSING = (
    select(_vf.visit_id, _vf.sha256)
    .select_from(
        t.visit_files.join(t.visits, _v.id == _vf.visit_id).outerjoin(
            t.file_holders, and_(_h.sha256 == _vf.sha256, _h.user_id == _v.pushed_by)
        )
    )
    .where(_vf.visit_id.in_(many("ids")), _h.sha256.is_(None))
)
_RECEIVED = (
    update(t.visits)
    .where(_v.id.in_(many("ids")), _v.received_at.is_(None))
    .values(received_at=bindparam("at"))
    .returning(_v.id, _v.team)
)
_CITING = select(_vf.visit_id).where(_vf.sha256.in_(many("shas")))


def missing_files(conn: Connection, visit_ids: Sequence[str]) -> dict[str, list[str]]:
    """Manifest files each visit still lacks: those its pusher has not shown the bytes of.

    Another user's upload of the same file does not count: citing a sha256 one never held makes a
    visit neither received nor a way to download that file.
    """
    out: dict[str, list[str]] = {}
    for chunk in chunks(list(visit_ids), CHUNK):
        for r in conn.execute(_MISSING, {"ids": list(chunk)}):
            out.setdefault(r.visit_id, []).append(r.sha256)
    return out


def mark_received(conn: Connection, visit_ids: Sequence[str], now: datetime) -> list[str]:
    """Stamp visits whose files are all here; the team leader's pull learns of them from then on."""
    done: list[str] = []
    for chunk in chunks(list(visit_ids), CHUNK):
        rows = conn.execute(_RECEIVED, {"ids": list(chunk), "at": now}).all()
        changes.record(conn, [(changes.team_visits_bucket(r.team or "-"), "visit", r.id) for r in rows], now)
        done += [r.id for r in rows]
    return done


def visits_citing(conn: Connection, shas: Sequence[str]) -> list[str]:
    """The visits whose files include one of ``shas``."""
    ids: set[str] = set()
    for chunk in chunks(list(shas), CHUNK):
        ids.update(conn.execute(_CITING, {"shas": list(chunk)}).scalars())
    return sorted(ids)


def visits_completed_by_file(conn: Connection, sha: str, now: datetime) -> list[str]:
    return visits_completed_by_files(conn, [sha], now)


def visits_completed_by_files(conn: Connection, shas: Sequence[str], now: datetime) -> list[str]:
    """Stamp every visit citing one of these files whose files are now all here."""
    ids = visits_citing(conn, shas)
    missing = missing_files(conn, ids)
    return mark_received(conn, [i for i in ids if not missing.get(i)], now)


def receipt(conn: Connection, visit_id: str) -> VisitReceipt | None:
    row = conn.execute(
        select(t.visits.c.content_hash, t.visits.c.received_at).where(t.visits.c.id == visit_id)
    ).first()
    if row is None:
        return None
    lacking = sorted(missing_files(conn, [visit_id]).get(visit_id, []))
    return VisitReceipt(
        id=visit_id,
        content_hash=row.content_hash,
        received=not lacking,
        missing=lacking,
        received_at=row.received_at,
    )


def receipts(conn: Connection, p: Principal, visit_ids: Sequence[str]) -> list[VisitReceipt]:
    """Receipts of the visits the caller may see, in two queries per chunk whatever their number."""
    out: list[VisitReceipt] = []
    v = t.visits.c
    for chunk in chunks(list(visit_ids), CHUNK):
        rows = conn.execute(
            select(v.id, v.content_hash, v.received_at, v.team, v.document_json).where(v.id.in_(list(chunk)))
        ).all()
        seen = [r for r in rows if may_see(p, r.team, r.document_json)]
        missing = missing_files(conn, [r.id for r in seen])
        for r in seen:
            lacking = sorted(missing.get(r.id, []))
            out.append(
                VisitReceipt(
                    id=r.id,
                    content_hash=r.content_hash,
                    received=not lacking,
                    missing=lacking,
                    received_at=r.received_at,
                )
            )
    return out
