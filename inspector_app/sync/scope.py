"""Leaving this laptop's scope: an enterprise no longer assigned, or a new team or role.

What leaves is purged from the laptop unless it has unsynced work (a draft, or anything still in
the outbox): then only its assignment goes, and the work is kept until it is sent.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, select, update

from inspector_app.batches import chunks
from inspector_app.store import enterprises as store
from inspector_app.store import organisation
from inspector_app.store import tables as _T
from inspector_app.sync.pulled_records import table_of
from inspector_app.wire import ChangesPage
from inspector_app.wire.models import AssignmentChange

if TYPE_CHECKING:
    from inspector_app.sync.apply import PageEffect


def unsynced_work(conn: Connection, enterprise_id: int) -> bool:
    """Drafts, or anything of this enterprise still in the outbox (any account's)."""
    v = table_of(_T.Visit).c
    visit_rows = conn.execute(select(v.id, v.status).where(v.enterprise_id == enterprise_id)).all()
    if any(r.status != "completed" for r in visit_rows):
        return True
    keys: list[tuple[str, str]] = [("visit", r.id) for r in visit_rows]
    ch = table_of(_T.EnterpriseChange).c
    keys += [
        ("enterprise_change", str(i))
        for i in conn.execute(select(ch.id).where(ch.enterprise_id == enterprise_id)).scalars()
    ]
    rq, fu = table_of(_T.EnterpriseRequest).c, table_of(_T.RequestFollowUp).c
    keys += [
        ("request", i)  # a "request" entry is one follow-up, keyed by its event id
        for i in conn.execute(
            select(fu.event_id)
            .join_from(table_of(_T.RequestFollowUp), table_of(_T.EnterpriseRequest))
            .where(rq.enterprise_id == enterprise_id)
        ).scalars()
    ]
    f = table_of(_T.Finding).c
    fe = table_of(_T.FindingEvent).c
    finding_ids = list(conn.execute(select(f.id).where(f.enterprise_id == enterprise_id)).scalars())
    for chunk in chunks(finding_ids):
        keys += [
            ("finding_event", i)
            for i in conn.execute(select(fe.id).where(fe.finding_id.in_(list(chunk)))).scalars()
        ]
    ob = table_of(_T.Outbox).c
    by_entity: dict[str, list[str]] = {}
    for entity, key in keys:
        by_entity.setdefault(entity, []).append(key)
    for entity, ids in by_entity.items():
        for chunk in chunks(ids):
            pending = conn.execute(
                select(ob.id)
                .where(ob.entity == entity, ob.entity_id.in_(list(chunk)), ob.state != "sent")
                .limit(1)
            ).first()
            if pending is not None:
                return True
    return False


def purge_enterprise(conn: Connection, credit_code: str) -> bool:
    """Remove an enterprise no longer assigned, unless it has unsynced work (then only the assignment).

    Returns True when it was purged.
    """
    ent = store.ENTERPRISE
    eid = conn.execute(select(ent.c.id).where(ent.c.credit_code == credit_code)).scalar_one_or_none()
    if eid is None:
        return True
    conn.execute(delete(organisation.ASSIGNMENT).where(organisation.ASSIGNMENT.c.enterprise_id == eid))
    if unsynced_work(conn, eid):
        return False
    v, f, rq = table_of(_T.Visit).c, table_of(_T.Finding).c, table_of(_T.EnterpriseRequest).c
    visit_ids = list(conn.execute(select(v.id).where(v.enterprise_id == eid)).scalars())
    finding_ids = list(
        conn.execute(select(f.id).where((f.enterprise_id == eid) | f.visit_id.in_(visit_ids))).scalars()
    )
    request_ids = list(
        conn.execute(select(rq.id).where((rq.enterprise_id == eid) | rq.visit_id.in_(visit_ids))).scalars()
    )

    def gone(model: Any, column: str, ids: list[Any]) -> None:
        table = table_of(model)
        for chunk in chunks(ids):
            conn.execute(delete(table).where(table.c[column].in_(list(chunk))))

    gone(_T.RequestFollowUp, "request_id", request_ids)
    gone(_T.EnterpriseRequest, "id", request_ids)
    gone(_T.RecheckMark, "visit_id", visit_ids)
    gone(_T.RecheckMark, "finding_id", finding_ids)
    gone(_T.FindingPhoto, "finding_id", finding_ids)
    gone(_T.FindingEvent, "finding_id", finding_ids)
    gone(_T.FindingEvent, "visit_id", visit_ids)
    for chunk in chunks(visit_ids):
        conn.execute(
            update(table_of(_T.Finding))
            .where(f.closed_by_visit_id.in_(list(chunk)))
            .values(closed_by_visit_id=None)
        )
    gone(_T.Finding, "id", finding_ids)
    for model in (_T.IssuedDocument, _T.SitePerson, _T.Signature, _T.VisitPhoto, _T.Answer):
        gone(model, "visit_id", visit_ids)
    gone(_T.Visit, "id", visit_ids)
    gone(_T.EnterpriseChange, "enterprise_id", [eid])
    conn.execute(delete(ent).where(ent.c.id == eid))
    return True


# ------------------------------------------------------------------ a new scope (team or role)


def _rescope_key(account: str) -> str:
    return f"sync.rescope:{account}"


def begin_rescope(conn: Connection, account: str) -> None:
    """Note every enterprise the old scope assigned to this laptop, as the pull starts again.

    Kept in the workspace (a setting) and committed with the page, so a pull interrupted between
    pages still finishes the job.
    """
    held = set(
        conn.execute(
            select(store.ENTERPRISE.c.credit_code).join_from(store.ENTERPRISE, organisation.ASSIGNMENT)
        ).scalars()
    )
    _save_rescope(conn, account, held | set(_rescope_pending(conn, account) or ()))


def _rescope_pending(conn: Connection, account: str) -> list[str] | None:
    setting = table_of(_T.Setting).c
    raw = conn.execute(select(setting.value).where(setting.key == _rescope_key(account))).scalar_one_or_none()
    return None if raw is None else [str(code) for code in json.loads(raw)]


def _save_rescope(conn: Connection, account: str, codes: set[str] | None) -> None:
    table = table_of(_T.Setting)
    key = _rescope_key(account)
    conn.execute(delete(table).where(table.c.key == key))
    if codes is not None:
        conn.execute(table.insert().values(key=key, value=json.dumps(sorted(codes))))


def settle_rescope(conn: Connection, account: str, page: ChangesPage, effect: PageEffect) -> None:
    """Strike what this page assigns again; after the last page, purge what is left.

    The purge rule is the one of an unassignment: an enterprise with unsynced work stays.
    """
    pending = _rescope_pending(conn, account)
    if pending is None:
        return
    assigned = {
        ch.assignment.enterprise.credit_code for ch in page.changes if isinstance(ch, AssignmentChange)
    }
    left = set(pending) - assigned
    if page.has_more:
        _save_rescope(conn, account, left)
        return
    for code in sorted(store.ids_by_codes(conn, sorted(left))):  # an unassignment may have purged some
        if purge_enterprise(conn, code):
            effect.purged += 1
        else:
            effect.kept_for_unsynced_work.append(code)
    _save_rescope(conn, account, None)
