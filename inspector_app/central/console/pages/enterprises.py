"""The register of enterprises: the searched list, an import from a file, one enterprise's page."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import Connection, func, select
from sqlalchemy.sql.elements import ColumnElement

from inspector_app.central.console import access, audit, figures, projection, uploads
from inspector_app.central.console.pages.common import (
    PAGE,
    _changer,
    _db,
    _denied,
    _form_titles,
    _grids,
    _int,
    _read,
    _render,
    _teams,
    _today,
)
from inspector_app.central.db import tables as t
from inspector_app.central.logic import admin
from inspector_app.central.logic import audit as logic_audit
from inspector_app.domain.enterprise import RESUMPTION_FORMS, ResumptionStatus
from inspector_app.domain.finding import FindingStatus

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/enterprises")
def enterprises_page(request: Request) -> Response:
    """The register, searched as on the laptop: every term of the query in the name, code or
    address, or in their pinyin (full or initials: "blwj" finds 宝龙五金)."""
    db = _db(request)
    text = (request.query_params.get("q") or "").strip()[:100]
    if text:
        with db.read() as conn:
            stale = projection.search_pending(conn)
        if stale:
            with db.write() as conn:
                projection.catch_up_search(conn)

    def body(conn: Connection, user: access.User) -> Response:
        args = request.query_params
        e, a = t.enterprises.c, t.assignments.c
        conds: list[ColumnElement[bool]] = projection.search_conditions(text) if text else []
        for key, col in (("category", e.category), ("status", e.resumption_status), ("grid", e.grid)):
            if args.get(key):
                conds.append(col == args[key])
        team = user.team or args.get("team")
        if team:
            conds.append(e.id.in_(select(a.enterprise_id).where(a.team == team)))
        if args.get("resumed") == "1":
            conds.append(e.resumption_status.in_(figures.RESUMED))
        offset = _int(args.get("offset"))
        total = int(conn.execute(select(func.count()).select_from(t.enterprises).where(*conds)).scalar_one())
        rows = (
            conn.execute(
                select(t.enterprises, a.team, a.visits_per_week)
                .select_from(t.enterprises.outerjoin(t.assignments, a.enterprise_id == e.id))
                .where(*conds)
                .order_by(e.grid, e.name)
                .offset(offset)
                .limit(PAGE)
            )
            .mappings()
            .all()
        )
        categories = list(conn.execute(select(e.category).distinct().order_by(e.category)).scalars())
        return _render(
            request,
            "enterprises.html",
            user,
            rows=rows,
            total=total,
            offset=offset,
            page=PAGE,
            categories=categories,
            statuses=[s.value for s in ResumptionStatus],
            teams=_teams(conn),
            grids=_grids(conn),
            report=None,
        )

    return _read(request, body)


@router.post("/enterprises/import")
async def enterprises_import(
    request: Request,
    file: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    name = Path(file.filename or "register.xlsx").name
    suffix = Path(name).suffix.lower()
    data = await file.read(uploads.REGISTER_FILE_BYTES + 1)
    db = _db(request)
    try:
        with db.read() as conn:
            user = _changer(request, conn, csrf, refusal="您的角色无权导入企业名录")
    except access.Denied as exc:
        return _denied(request, exc)
    report: dict[str, Any] = {"file": name}
    if len(data) > uploads.REGISTER_FILE_BYTES:
        report["error"] = uploads.too_large(uploads.REGISTER_FILE_BYTES)
    elif suffix not in {".xlsx", ".csv"}:
        report["error"] = "只能导入 .xlsx 或 .csv 文件"
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"register{suffix}"
            path.write_bytes(data)
            try:
                with db.write() as conn:
                    summary = admin.import_enterprises(conn, path)
                    if not summary.problems:
                        audit.record(
                            conn,
                            user,
                            logic_audit.REGISTER_IMPORTED,
                            name,
                            f"新增 {summary.inserted}，更新 {summary.updated}，未变 {summary.unchanged}，"
                            f"分配 {summary.assigned}",
                        )
                report["summary"] = summary
            except admin.AdminError as exc:
                report["error"] = str(exc)
    with db.read() as conn:
        return _render(request, "import_report.html", user, report=report)


@router.get("/enterprises/{code}")
def enterprise_page(request: Request, code: str) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        e = t.enterprises.c
        ent = conn.execute(select(t.enterprises).where(e.credit_code == code)).mappings().first()
        if ent is None:
            raise access.Denied("没有这家企业", 404)
        assignment = (
            conn.execute(select(t.assignments).where(t.assignments.c.enterprise_id == ent["id"]))
            .mappings()
            .first()
        )
        if user.team is not None and (assignment is None or assignment["team"] != user.team):
            raise access.Denied("组长只能查看本组负责的企业", 403)
        cv, f, r = t.console_visits.c, t.console_findings.c, t.enterprise_requests.c
        visit_rows = (
            conn.execute(
                select(t.console_visits)
                .where(cv.enterprise_code == code)
                .order_by(cv.visit_day.desc(), cv.completed_at.desc())
                .limit(200)
            )
            .mappings()
            .all()
        )
        finding_rows = (
            conn.execute(
                select(t.console_findings)
                .where(f.enterprise_code == code)
                .order_by(f.status == FindingStatus.CLOSED.value, f.deadline)
                .limit(200)
            )
            .mappings()
            .all()
        )
        request_rows = (
            conn.execute(
                select(t.enterprise_requests).where(r.enterprise_code == code).order_by(r.created_at.desc())
            )
            .mappings()
            .all()
        )
        ed = t.enterprise_edits.c
        history = (
            conn.execute(
                select(t.enterprise_edits)
                .where(ed.enterprise_id == ent["id"], ed.field == "resumption_status")
                .order_by(ed.changed_at_client.desc())
            )
            .mappings()
            .all()
        )
        resumption_visits = [v for v in visit_rows if v["form_code"] in RESUMPTION_FORMS]
        return _render(
            request,
            "enterprise.html",
            user,
            form_titles=_form_titles(conn),
            ent=ent,
            assignment=assignment,
            visits=visit_rows,
            findings=finding_rows,
            requests=request_rows,
            history=history,
            resumption_visits=resumption_visits,
            today=_today(),
            extra=json.loads(ent["extra_json"] or "{}"),
        )

    return _read(request, body)
