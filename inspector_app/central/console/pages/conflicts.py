"""For reviewers: field edits that met another edit of the same field, and visits refused at push."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy import Connection, select

from inspector_app.central.console import access, audit, refusals
from inspector_app.central.console.pages.common import _changes, _read, _render
from inspector_app.central.db import tables as t
from inspector_app.central.logic import admin
from inspector_app.central.logic import audit as logic_audit
from inspector_app.register.columns import label as register_label

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/conflicts")
def conflicts_page(request: Request) -> Response:
    """For reviewers: field edits that met another edit of the same field (the field's value beside
    the office's), and visits the server refused at push, with who, when and why."""

    def body(conn: Connection, user: access.User) -> Response:
        rows = admin.list_conflicts(conn)
        e = t.enterprises.c
        for row in rows:
            current = conn.execute(
                select(e[row["field"]]).where(e.credit_code == row["credit_code"])
            ).scalar()
            row["office_value"] = "" if current is None else str(current)
            row["label"] = register_label(row["field"])
        refused_total, refused = refusals.recent(conn, team=user.team)
        return _render(
            request, "conflicts.html", user, rows=rows, refused=refused, refused_total=refused_total
        )

    return _read(request, body)


@_changes(router, "/conflicts/{edit_id:path}")
def conflict_resolve(
    conn: Connection,
    user: access.User,
    *,
    edit_id: str,
    keep: Annotated[str, Form(max_length=10)],
) -> str:
    admin.resolve_conflict(conn, edit_id, keep, f"{user.username} 在控制台裁定")
    audit.record(
        conn,
        user,
        logic_audit.CONFLICT_RESOLVED,
        edit_id,
        "采用现场修改" if keep == "field" else "保留办公室数据",
    )
    return "/console/conflicts"
