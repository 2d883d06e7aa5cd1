"""The server's one audit trail, filtered (admins only)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from inspector_app.central.console import access, audit
from inspector_app.central.console.pages.common import PAGE, _int, _query, _read, _render
from inspector_app.central.logic import audit as logic_audit

router = APIRouter(prefix="/console", include_in_schema=False)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _local_midnight(day: date) -> datetime:
    """The start of an office day (the office's clock, as local_date reads it), in UTC."""
    return datetime.combine(day, dtime()).astimezone().astimezone(UTC)


@router.get("/audit")
def audit_page(request: Request) -> Response:
    """The server's one audit trail: logins, pushes, bundle imports, admin actions from every door
    (API, command line, console), newest first, filtered by group, user, address, day and outcome."""

    def body(conn: Connection, user: access.User) -> Response:
        if not user.is_admin:
            raise access.Denied("只有管理员可以查看审计记录")
        q = request.query_params
        group = q.get("group", "")
        since, until = _day(q.get("since")), _day(q.get("until"))
        rows = logic_audit.entries(
            conn,
            action=group if group in audit.GROUPS or group in audit.LABELS else None,
            user=(q.get("user") or "").strip()[:100] or None,
            address=(q.get("address") or "").strip()[:64] or None,
            since=_local_midnight(since) if since else None,
            until=_local_midnight(until + timedelta(days=1)) if until else None,
            failed_only=q.get("failed") == "1",
            before_id=_int(q.get("before")) or None,
            limit=PAGE + 1,
        )
        more = len(rows) > PAGE
        rows = rows[:PAGE]
        older = {**dict(q), "before": str(rows[-1].id)} if more and rows else None
        return _render(
            request,
            "audit.html",
            user,
            rows=rows,
            labels=audit.LABELS,
            groups=audit.GROUPS,
            older=_query(older) if older else None,
            newest=_query({k: v for k, v in q.items() if k != "before"}) if q.get("before") else None,
        )

    return _read(request, body)
