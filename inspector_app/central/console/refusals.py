"""Visits the server refused at push, kept for the console's reviewers.

A refused visit stays in the laptop's quarantine with its reason; without this, the office never
learns of it. ``push_visits`` calls :func:`record` in the push's own transaction for every visit
it answers "rejected" (whatever door it came through: batch push, single PUT, bundle import), and
the review page lists them with :func:`recent`. One row per visit and pusher: a laptop retrying
the same visit updates its row (the latest reason, how many attempts) instead of adding rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from inspector_app.central.db import tables as t
from inspector_app.central.logic.auth import Principal
from inspector_app.wire import ItemResult, ItemStatus, PushVisit

_REASON_CHARS = 500


@dataclass(frozen=True)
class Refusal:
    visit_id: str
    username: str
    team: str | None
    enterprise_code: str
    enterprise_name: str
    form: str
    reason: str
    first_at: datetime
    last_at: datetime
    attempts: int
    stored_since: bool  # the same visit was accepted later (resubmitted after a fix)


def _text(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def record(
    conn: Connection, p: Principal, items: Sequence[PushVisit], results: Sequence[ItemResult], now: datetime
) -> None:
    c = t.console_refusals.c
    for item, result in zip(items, results, strict=True):
        if result.status is not ItemStatus.REJECTED:
            continue
        # The document was refused: read only what names it, bounded, never trusting its shape.
        doc: Mapping[str, Any] = item.document
        ent = _mapping(doc.get("enterprise"))
        form = _mapping(doc.get("form"))
        values = {
            "team": p.team,
            "enterprise_code": _text(ent.get("credit_code"), 40),
            "enterprise_name": _text(ent.get("name"), 200),
            "form": f"{_text(form.get('code'), 60)}@{_text(form.get('version'), 30)}".strip("@"),
            "reason": result.reason[:_REASON_CHARS],
            "http_status": result.http_status,
            "last_at": now,
        }
        key = (c.visit_id == str(item.id)) & (c.username == p.username)
        updated = conn.execute(
            update(t.console_refusals).where(key).values(**values, attempts=c.attempts + 1)
        ).rowcount
        if not updated:
            insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
            conn.execute(
                insert(t.console_refusals)
                .values(visit_id=str(item.id), username=p.username, first_at=now, attempts=1, **values)
                .on_conflict_do_nothing()
            )


def recent(conn: Connection, *, team: str | None = None, limit: int = 200) -> tuple[int, list[Refusal]]:
    """The newest refusals (of one team for a team leader) and how many there are in all."""
    c = t.console_refusals.c
    where = [c.team == team] if team is not None else []
    total = int(conn.execute(select(func.count()).select_from(t.console_refusals).where(*where)).scalar_one())
    stored = select(t.visits.c.id).where(t.visits.c.id == c.visit_id).exists()
    rows = conn.execute(
        select(t.console_refusals, stored.label("stored_since"))
        .where(*where)
        .order_by(c.last_at.desc(), c.visit_id)
        .limit(limit)
    ).mappings()
    return total, [
        Refusal(
            visit_id=r["visit_id"],
            username=r["username"],
            team=r["team"],
            enterprise_code=r["enterprise_code"],
            enterprise_name=r["enterprise_name"],
            form=r["form"],
            reason=r["reason"],
            first_at=r["first_at"],
            last_at=r["last_at"],
            attempts=int(r["attempts"]),
            stored_since=bool(r["stored_since"]),
        )
        for r in rows
    ]
