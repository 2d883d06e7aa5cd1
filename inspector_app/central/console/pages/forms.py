"""The inspection forms: publishing a new version, and which version every laptop holds."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import Connection, func, select

from inspector_app.central.console import access, audit, figures, uploads
from inspector_app.central.console.pages.common import _changer, _db, _denied, _form_titles, _read, _render
from inspector_app.central.db import tables as t
from inspector_app.central.logic import admin
from inspector_app.central.logic import audit as logic_audit

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/forms")
def forms_page(request: Request) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        f = t.forms.c
        rows = conn.execute(
            select(f.code, f.version, f.sha256, f.published_at).order_by(f.code, f.published_at.desc())
        ).all()
        cv = t.console_visits.c
        used: dict[str, int] = dict(
            conn.execute(select(cv.form_code, func.count()).group_by(cv.form_code)).all()
        )
        return _render(
            request,
            "forms.html",
            user,
            rows=rows,
            used=used,
            errors=None,
            form_titles=_form_titles(conn),
            in_use=_versions_in_use(conn, rows),
        )

    return _read(request, body)


@dataclass
class VersionsInUse:
    """Which version of each form every laptop holds, as the laptop reported it with its last pull
    (wire.forms_held): one row per user and device."""

    codes: list[str]
    newest: dict[str, str]
    # user, team, device, code → version, when reported
    laptops: list[tuple[str, str, str, dict[str, str], datetime]]


def _versions_in_use(conn: Connection, rows: Any) -> VersionsInUse:
    newest: dict[str, str] = {}
    for code, version, _sha, _at in rows:  # newest published first within each code
        newest.setdefault(code, version)
    d, u = t.device_forms.c, t.users.c
    laptops: dict[tuple[str, str, str], tuple[dict[str, str], datetime]] = {}
    codes: set[str] = set()
    for name, team, device, code, version, at in conn.execute(
        select(u.username, u.team, d.device_name, d.form_code, d.version, d.reported_at).join(
            t.users, u.id == d.user_id
        )
    ):
        held, when = laptops.setdefault((name, team or "", device), ({}, at))
        held[code] = version
        laptops[name, team or "", device] = (held, max(when, at))
        codes.add(code)
    return VersionsInUse(
        codes=sorted(codes),
        newest=newest,
        laptops=[
            (n, tm, dev, held, at)
            for (n, tm, dev), (held, at) in sorted(
                laptops.items(), key=lambda x: (figures.team_order(x[0][1]), x[0][0], x[0][2])
            )
        ],
    )


@router.post("/forms")
async def forms_publish(
    request: Request,
    file: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    data = await file.read(uploads.FORM_FILE_BYTES + 1)
    name = Path(file.filename or "form.yaml").name
    db = _db(request)
    try:
        with db.read() as conn:
            user = _changer(request, conn, csrf, refusal="只有管理员和办公室人员可以发布检查表")
    except access.Denied as exc:
        return _denied(request, exc)
    errors: list[str] = []
    published = ""
    if len(data) > uploads.FORM_FILE_BYTES:
        errors = [f"{name}：{uploads.too_large(uploads.FORM_FILE_BYTES)}"]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            path.write_bytes(data)
            try:
                with db.write() as conn:
                    code, version, new = admin.publish_form(conn, path)
                    audit.record(
                        conn,
                        user,
                        logic_audit.FORM_PUBLISHED,
                        f"{code}@{version}",
                        "新版本" if new else "此前已发布",
                    )
                published = f"{code} {version}：{'已发布' if new else '此前已发布，未变'}"
            except admin.AdminError as exc:
                errors = [line.replace(str(path), name) for line in str(exc).splitlines() if line.strip()]
    with db.read() as conn:
        f = t.forms.c
        rows = conn.execute(
            select(f.code, f.version, f.sha256, f.published_at).order_by(f.code, f.published_at.desc())
        ).all()
        return _render(
            request,
            "forms.html",
            user,
            form_titles=_form_titles(conn),
            rows=rows,
            used={},
            errors=errors,
            published=published,
            status=422 if errors else 200,
        )
