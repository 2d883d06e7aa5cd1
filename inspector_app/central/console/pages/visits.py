"""The visits received from the laptops: the filtered list, one visit's page, its photos and signatures."""

from __future__ import annotations

import json
from datetime import date

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, Response
from sqlalchemy import Connection, distinct, func, select
from sqlalchemy.sql.elements import ColumnElement

from inspector_app.central.console import access
from inspector_app.central.console.pages.common import (
    PAGE,
    _day_arg,
    _db,
    _denied,
    _form_text,
    _form_titles,
    _int,
    _read,
    _render,
    _teams,
    _user,
    _visible,
)
from inspector_app.central.db import tables as t
from inspector_app.domain.visit import VisitKind

router = APIRouter(prefix="/console", include_in_schema=False)


def _visit_filters(request: Request, user: access.User) -> tuple[list[ColumnElement[bool]], dict[str, str]]:
    args = request.query_params
    cv = t.console_visits.c
    conds: list[ColumnElement[bool]] = []
    shown: dict[str, str] = {}
    team = user.team or args.get("team")
    for key, col in (
        ("team", cv.team),
        ("grid", cv.grid),
        ("enterprise", cv.enterprise_code),
        ("category", cv.category),
        ("form", cv.form_code),
    ):
        value = team if key == "team" else args.get(key)
        if value:
            conds.append(col == value)
            shown[key] = value
    if args.get("from"):
        conds.append(cv.visit_day >= _day_arg(args.get("from"), date.min))
        shown["from"] = args["from"]
    if args.get("to"):
        conds.append(cv.visit_day <= _day_arg(args.get("to"), date.max))
        shown["to"] = args["to"]
    kind = args.get("kind")
    if kind == "inspection":
        conds.append(cv.kind != VisitKind.RECHECK.value)
    elif kind == "recheck":
        conds.append(cv.kind == VisitKind.RECHECK.value)
    if kind:
        shown["kind"] = kind
    if args.get("inspector"):
        badge = args["inspector"]
        conds.append(
            cv.visit_id.in_(
                select(t.console_visit_inspectors.c.visit_id).where(
                    t.console_visit_inspectors.c.badge_number == badge
                )
            )
        )
        shown["inspector"] = badge
    return conds, shown


@router.get("/visits")
def visits_list(request: Request) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        conds, shown = _visit_filters(request, user)
        cv, e = t.console_visits.c, t.enterprises.c
        offset = _int(request.query_params.get("offset"))
        total = int(
            conn.execute(select(func.count()).where(*conds).select_from(t.console_visits)).scalar_one()
        )
        homes = int(conn.execute(select(func.count(distinct(cv.enterprise_code))).where(*conds)).scalar_one())
        rows = (
            conn.execute(
                select(t.console_visits, e.name)
                .select_from(t.console_visits.outerjoin(t.enterprises, e.credit_code == cv.enterprise_code))
                .where(*conds)
                .order_by(cv.visit_day.desc(), cv.completed_at.desc())
                .offset(offset)
                .limit(PAGE)
            )
            .mappings()
            .all()
        )
        return _render(
            request,
            "visits.html",
            user,
            form_titles=_form_titles(conn),
            rows=rows,
            total=total,
            homes=homes,
            shown=shown,
            offset=offset,
            page=PAGE,
            teams=_teams(conn),
        )

    return _read(request, body)


@router.get("/visits/{visit_id}")
def visit_page(request: Request, visit_id: str) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        v = t.visits.c
        row = conn.execute(select(t.visits).where(v.id == visit_id)).mappings().first()
        if row is None:
            raise access.Denied("没有这条检查记录", 404)
        _visible(user, row["team"])
        doc = json.loads(row["document_json"])
        ent = (
            conn.execute(select(t.enterprises).where(t.enterprises.c.credit_code == row["enterprise_code"]))
            .mappings()
            .first()
        )
        form_yaml = conn.execute(
            select(t.forms.c.yaml).where(
                t.forms.c.code == row["form_code"], t.forms.c.version == row["form_version"]
            )
        ).scalar_one_or_none()
        text = _form_text(form_yaml)
        states = {
            r.finding_id: r
            for r in conn.execute(select(t.console_findings).where(t.console_findings.c.visit_id == visit_id))
        }
        pushed_by = conn.execute(
            select(t.users.c.display_name).where(t.users.c.id == row["pushed_by"])
        ).scalar_one_or_none()
        return _render(
            request,
            "visit.html",
            user,
            visit=row,
            doc=doc,
            ent=ent,
            labels=text.labels,
            answers=text.in_form_order(doc.get("answers", {})),
            form=text,
            form_title=text.title,
            states=states,
            pushed_by=pushed_by,
        )

    return _read(request, body)


@router.get("/files/{sha}")
def file_download(request: Request, sha: str) -> Response:
    if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        raise HTTPException(404)
    db = _db(request)
    try:
        with db.read() as conn:
            user = _user(request, conn)
            teams = set(
                conn.execute(
                    select(t.visits.c.team)
                    .join(t.visit_files, t.visit_files.c.visit_id == t.visits.c.id)
                    .where(t.visit_files.c.sha256 == sha)
                ).scalars()
            )
    except access.Denied as exc:
        return _denied(request, exc)
    if not teams or (user.team is not None and user.team not in teams):
        raise HTTPException(404)
    path = request.app.state.files.path(sha)
    if not path.exists():
        raise HTTPException(404)
    head = path.read_bytes()[:4]
    media = "image/png" if head.startswith(b"\x89PNG") else "image/jpeg"
    return FileResponse(path, media_type=media, headers={"Cache-Control": "private, max-age=86400"})
