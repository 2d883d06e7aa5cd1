"""诉求/困难: follow-up of what enterprises asked for during visits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from inspector_app.domain.clock import Clock, system_clock
from inspector_app.domain.requests import REQUEST_TRANSITIONS, RequestStatus
from inspector_app.domain.visit import new_id
from inspector_app.services.changes import Changes
from inspector_app.services.errors import NotFound, ServiceError
from inspector_app.store import tables
from inspector_app.store.workspace import Workspace


@dataclass(frozen=True)
class RequestView:
    id: str
    enterprise_code: str
    enterprise_name: str
    visit_id: str | None
    category: str
    description: str
    status: RequestStatus
    created_at: datetime
    updated_at: datetime
    follow_ups: tuple[tuple[datetime, str, str], ...]  # (at, status, note)


class RequestService:
    def __init__(self, workspace: Workspace, *, clock: Clock = system_clock, account: str = "") -> None:
        self.ws = workspace
        self.clock = clock
        self.account = account

    def list(
        self, *, enterprise: str | None = None, status: RequestStatus | None = None
    ) -> list[RequestView]:
        with self.ws.session() as s:
            q = select(tables.EnterpriseRequest, tables.Enterprise).join(
                tables.Enterprise, col(tables.Enterprise.id) == col(tables.EnterpriseRequest.enterprise_id)
            )
            if enterprise is not None:
                q = q.where(tables.Enterprise.credit_code == enterprise)
            if status is not None:
                q = q.where(tables.EnterpriseRequest.status == status.value)
            rows = s.exec(q.order_by(col(tables.EnterpriseRequest.created_at).desc())).all()
            ids = [r.id for r, _ in rows]
            ups: dict[str, list[tuple[datetime, str, str]]] = {}
            if ids:
                for u in s.exec(
                    select(tables.RequestFollowUp)
                    .where(col(tables.RequestFollowUp.request_id).in_(ids))
                    .order_by(col(tables.RequestFollowUp.at))
                ):
                    ups.setdefault(u.request_id, []).append((u.at, u.status, u.note))
            return [
                RequestView(
                    r.id,
                    e.credit_code,
                    e.name,
                    r.visit_id,
                    r.category,
                    r.description,
                    RequestStatus(r.status),
                    r.created_at,
                    r.updated_at,
                    tuple(ups.get(r.id, [])),
                )
                for r, e in rows
            ]

    def follow_up(self, request_id: str, status: RequestStatus, note: str = "") -> Changes:
        with self.ws.session() as s:
            r = s.get(tables.EnterpriseRequest, request_id)
            if r is None:
                raise NotFound(f"诉求 {request_id} 不存在")
            current = RequestStatus(r.status)
            if status is not current and status not in REQUEST_TRANSITIONS[current]:
                raise ServiceError(f"诉求状态不能从“{current}”变为“{status}”")
            if status is current and not note.strip():
                raise ServiceError("跟进记录不能为空")
            now = self.clock()
            r.status = status.value
            r.updated_at = now
            s.add(r)
            follow = tables.RequestFollowUp(
                event_id=new_id(),
                request_id=r.id,
                at=now,
                status=status.value,
                note=note.strip(),
                by=self.account,
            )
            s.add(follow)
            # One outbox entry per follow-up, keyed by its event id: it travels as an append-only event.
            s.add(
                tables.Outbox(
                    entity="request", entity_id=follow.event_id, account=self.account, created_at=now
                )
            )
        return Changes(requests={request_id}, outbox=True)
