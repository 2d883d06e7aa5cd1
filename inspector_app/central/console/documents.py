"""The office prints a received visit's documents: the same PDFs the laptop prints.

Each document is made by ``reports.compose`` from the frozen visit document the laptop pushed (its
numbers included), the office's enterprise record, the form version the visit used and the
office's own issuing authority (kept in ``console_state`` under AUTHORITY_KEY, with the seal as a
stored file); nothing is re-derived from projections. Without a complete authority the answer is
the laptop's refusal, naming the missing settings.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import Connection, select
from starlette.datastructures import UploadFile as StarletteUpload

from inspector_app.central.console import access, audit
from inspector_app.central.console.pages import common
from inspector_app.central.console.pages.common import _change, _read, _render, _visible
from inspector_app.central.db import tables as t
from inspector_app.checklist import Form, FormError, FormLibrary, default_forms_dir, parse_form
from inspector_app.domain.authority import IssuingAuthority
from inspector_app.domain.enforcement import DOC_SPECS, DocKind, domain_of
from inspector_app.domain.finding import Order, Severity
from inspector_app.domain.visit import VisitKind
from inspector_app.reports import api
from inspector_app.reports.compose import (
    FindingOrigin,
    PhotoFile,
    Sources,
    numbers_of,
    orders_data,
    recheck_data,
    record_data,
)
from inspector_app.reports.data import EnterpriseInfo, ReportError
from inspector_app.wire import VisitDocument

AUTHORITY_KEY = "documents.authority"
MAX_AUTHORITY_JSON = 64 * 1024

router = APIRouter(prefix="/console", include_in_schema=False)

# The visit page's print links (Chinese first, English beside it, as the console's i18n table).
PRINT_LABELS = {
    "record": ("打印现场检查记录", "Print the inspection record"),
    "notice": ("打印整改文书及送达回证", "Print the orders with service receipts"),
    "recheck": ("打印整改复查意见书", "Print the re-inspection opinion"),
}


def print_links(doc: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """The documents a received visit can be printed as: the record always, the orders when it
    found problems, the re-inspection opinion for a re-inspection."""
    kinds = ["record"]
    if doc.get("kind") == VisitKind.RECHECK.value:
        kinds.append("recheck")
    elif doc.get("findings"):
        kinds.append("notice")
    en = lang == "en"
    return [(f"/console/visits/{doc.get('id')}/{k}.pdf", PRINT_LABELS[k][1 if en else 0]) for k in kinds]


common._env.globals["print_links"] = print_links  # the console's one template environment


# ------------------------------------------------------------------ the office's issuing authority


def load_authority(conn: Connection) -> tuple[IssuingAuthority, str | None]:
    """The authority the office prints under, and its seal's sha256 (None when no seal is set)."""
    raw = conn.execute(
        select(t.console_state.c.value).where(t.console_state.c.key == AUTHORITY_KEY)
    ).scalar_one_or_none()
    data: dict[str, Any] = {}
    if raw and len(raw) <= MAX_AUTHORITY_JSON:
        try:
            loaded = json.loads(raw)
        except ValueError:
            loaded = {}
        data = loaded if isinstance(loaded, dict) else {}
    codes = data.get("doc_codes")
    seal = data.get("seal_sha256")
    authority = IssuingAuthority(
        full_name=str(data.get("full_name", "")),
        short_name=str(data.get("short_name", "")),
        doc_codes={str(k): str(v) for k, v in codes.items()} if isinstance(codes, dict) else {},
        authorization=str(data.get("authorization", "")),
        review_body=str(data.get("review_body", "")),
        court=str(data.get("court", "")),
        seal_present=isinstance(seal, str) and len(seal) == 64,
    )
    return authority, seal if authority.seal_present else None


def save_authority(conn: Connection, authority: IssuingAuthority, seal_sha256: str | None) -> None:
    """Store the office's authority (the seal image must already be a stored file)."""
    problems = authority.problems()
    if problems:
        raise ValueError("；".join(problems))
    value = json.dumps(
        {
            "full_name": authority.full_name,
            "short_name": authority.short_name,
            "doc_codes": dict(authority.doc_codes),
            "authorization": authority.authorization,
            "review_body": authority.review_body,
            "court": authority.court,
            "seal_sha256": seal_sha256,
        },
        ensure_ascii=False,
    )
    st = t.console_state
    if conn.execute(select(st.c.key).where(st.c.key == AUTHORITY_KEY)).first() is None:
        conn.execute(st.insert().values(key=AUTHORITY_KEY, value=value))
    else:
        conn.execute(st.update().where(st.c.key == AUTHORITY_KEY).values(value=value))


# ------------------------------------------------------------------ what a document is made from


def _form(conn: Connection, code: str, version: str) -> Form | None:
    """The form version the visit used: published by the office, or shipped with the app (the
    laptop's library is the shipped forms overlaid by the published ones)."""
    text = conn.execute(
        select(t.forms.c.yaml).where(t.forms.c.code == code, t.forms.c.version == version)
    ).scalar_one_or_none()
    if text:
        return _parsed(text, f"{code}@{version}.yaml")
    try:
        return _shipped().get(code, version)
    except KeyError:
        return None


@functools.lru_cache(maxsize=64)
def _parsed(text: str, name: str) -> Form | None:
    """Parsed once per published text (a version never changes)."""
    try:
        return parse_form(text.encode("utf-8"), name)
    except FormError:
        return None


@functools.lru_cache(maxsize=1)
def _shipped() -> FormLibrary:
    return FormLibrary.load(default_forms_dir(), strict=False)


def _enterprise(conn: Connection, doc: VisitDocument) -> EnterpriseInfo:
    e = (
        conn.execute(select(t.enterprises).where(t.enterprises.c.credit_code == doc.enterprise.credit_code))
        .mappings()
        .first()
    )
    if e is None:  # the register lost it: print what the visit itself recorded
        return EnterpriseInfo(doc.enterprise.name, doc.enterprise.credit_code)
    return EnterpriseInfo(
        name=e["name"],
        credit_code=e["credit_code"],
        address=e["address"],
        legal_representative=e["legal_representative"],
        contact=e["contact"],
        phone=e["phone"],
        category=e["category"],
        grid=e["grid"],
    )


def _stored(conn: Connection, visit_id: str) -> tuple[str | None, VisitDocument] | None:
    row = conn.execute(
        select(t.visits.c.team, t.visits.c.document_json).where(t.visits.c.id == visit_id)
    ).first()
    if row is None:
        return None
    return row.team, VisitDocument.model_validate(json.loads(row.document_json))


def _origins(conn: Connection, doc: VisitDocument) -> dict[str, FindingOrigin]:
    """The findings a re-inspection judged, from the documents of the visits that found them."""
    wanted = {m.finding_id for m in doc.recheck}
    if not wanted:
        return {}
    out: dict[str, FindingOrigin] = {}
    visit_ids = set(
        conn.execute(
            select(t.console_findings.c.visit_id).where(t.console_findings.c.finding_id.in_(sorted(wanted)))
        ).scalars()
    )
    for vid in sorted(visit_ids):
        stored = _stored(conn, vid)
        if stored is None:
            continue
        origin = stored[1]
        form = _form(conn, origin.form.code, origin.form.version)
        domain = domain_of(origin.form.code, form.domain if form is not None else "")
        numbers = numbers_of(origin)
        for f in origin.findings:
            if f.id in wanted:
                out[f.id] = FindingOrigin(
                    title=f.title,
                    description=f.description,
                    severity=Severity(f.severity),
                    order=Order(f.order),
                    deadline=date.fromisoformat(f.deadline),
                    found_on=date.fromisoformat(f.found_on),
                    domain=domain,
                    visit_id=origin.id,
                    numbers=numbers,
                )
    return out


def _sources(request: Request, conn: Connection, doc: VisitDocument) -> Sources:
    files = request.app.state.files
    authority, seal_sha = load_authority(conn)
    seal = files.path(seal_sha) if seal_sha else None
    if seal is not None and not seal.exists():
        seal = None
    users = t.users.c
    names = {
        str(r.badge_number): str(r.display_name)
        for r in conn.execute(
            select(users.badge_number, users.display_name).where(users.badge_number.in_(list(doc.inspectors)))
        )
    }
    if seal is None:
        authority = dataclasses.replace(authority, seal_present=False)
    cache: Path = request.app.state.settings.data_dir / "print-cache"
    cache.mkdir(parents=True, exist_ok=True)
    return Sources(
        form=_form(conn, doc.form.code, doc.form.version),
        enterprise=_enterprise(conn, doc),
        authority=authority,
        seal=seal,
        numbers={},  # the document carries its own
        photo=lambda sha: PhotoFile(files.path(sha)),
        inspector_names=names,
        cache_dir=cache,
        origins=_origins(conn, doc) if doc.kind == VisitKind.RECHECK.value else {},
    )


# ------------------------------------------------------------------ the office's settings page

MAX_SEAL = 60 * 1024  # the console's bodies are small (max_small_body_bytes); a seal PNG fits
AUTHORITY_TEXT = {
    "zh": {
        "title": "发文单位设置",
        "saved": "已保存。此后打印的文书使用新的设置。",
        "codes": "文书代字",
        "seal": "印章图片（PNG，透明底）",
        "seal_set": "已设置",
        "save": "保存",
        "status": "各类文书能否出具",
        "ready": "可以出具",
        "hint": "办公室打印的文书与笔记本打印的相同：内容取自检查完成时冻结的记录，"
        "文号在笔记本完成检查时确定。",
        "full_name": "发文机关全称",
        "short_name": "发文机关简称",
        "authorization": "执法依据（授权文件）",
        "review_body": "复议机关",
        "court": "人民法院",
    },
    "en": {
        "title": "Issuing authority",
        "saved": "Saved. Documents printed from now on use these settings.",
        "codes": "Document codes (文书代字)",
        "seal": "Seal image (PNG, transparent background)",
        "seal_set": "set",
        "save": "Save",
        "status": "Which documents can be issued",
        "ready": "ready",
        "hint": "The office prints the same documents as the laptop: content from the record frozen at "
        "completion, numbers fixed on the laptop when the visit was completed.",
        "full_name": "Full name of the issuing authority",
        "short_name": "Short name",
        "authorization": "Basis of enforcement (authorization)",
        "review_body": "Administrative review body",
        "court": "People's court",
    },
}
TEXT_FIELDS = ("full_name", "short_name", "authorization", "review_body", "court")
OFFICE_HINT = "请管理员在“发文单位设置”（/console/documents/authority）中设置。"


def _authority_page(request: Request, conn: Connection, user: access.User, *, saved: bool) -> Response:
    lang = request.cookies.get(common.LANG_COOKIE, "zh")
    text = AUTHORITY_TEXT["en" if lang == "en" else "zh"]
    authority, seal = load_authority(conn)
    return _render(
        request,
        "documents_authority.html",
        user,
        T=text,
        saved=saved,
        authority=authority,
        seal=seal,
        values={name: getattr(authority, name) for name in TEXT_FIELDS},
        fields=[(name, text[name]) for name in TEXT_FIELDS],
        kinds=[(k.value, DOC_SPECS[k].title) for k in DocKind],
        readiness=[(DOC_SPECS[k].title, authority.missing_for(k)) for k in DocKind],
    )


@router.get("/documents/authority")
def authority_page(request: Request) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        if not user.can_change:
            raise access.Denied("只有管理员和办公室人员可以设置发文单位", 403)
        return _authority_page(request, conn, user, saved=request.query_params.get("saved") == "1")

    return _read(request, body)


@router.post("/documents/authority")
async def authority_save(request: Request) -> Response:
    """Save the office's issuing authority; a seal image, when given, is stored as a file."""
    form = await request.form()
    values = {name: str(form.get(name) or "").strip() for name in TEXT_FIELDS}
    codes = {k.value: str(form.get(f"code_{k.value}") or "").strip() for k in DocKind}
    seal_upload = form.get("seal")
    seal_bytes = b""
    if isinstance(seal_upload, StarletteUpload) and seal_upload.filename:
        seal_bytes = await seal_upload.read(MAX_SEAL + 1)
    files = request.app.state.files

    def body(conn: Connection, user: access.User) -> str:
        if len(seal_bytes) > MAX_SEAL:
            raise ValueError(f"印章图片不能超过 {MAX_SEAL // 1024} KB")
        _, seal_sha = load_authority(conn)
        if seal_bytes:
            seal_sha = _store_seal(files, seal_bytes)
        authority = IssuingAuthority(
            doc_codes={k: v for k, v in codes.items() if v}, seal_present=seal_sha is not None, **values
        )
        save_authority(conn, authority, seal_sha)
        audit.record(conn, user, audit.AUTHORITY_SET, authority.full_name)
        return "/console/documents/authority?saved=1"

    return _change(request, str(form.get("csrf") or ""), body)


def _store_seal(files: Any, data: bytes) -> str:
    """Check it is an image, then keep it content-addressed beside the visits' files."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.verify()
            if img.format not in ("PNG", "JPEG"):
                raise ValueError("印章图片须为 PNG 或 JPEG")
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError("印章图片无法识别，请上传 PNG 或 JPEG 图片") from exc
    sha = hashlib.sha256(data).hexdigest()
    target: Path = files.path(sha)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(target)
    return sha


# ------------------------------------------------------------------ the PDFs


def _pdf(request: Request, visit_id: str, kind: str) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        stored = _stored(conn, visit_id)
        if stored is None:
            raise access.Denied("没有这条检查记录", 404)
        team, doc = stored
        _visible(user, team)
        src = _sources(request, conn, doc)
        try:
            if kind == "record":
                pdf = api.record_pdf(record_data(doc, src))
            elif kind == "notice":
                pdf = api.orders_pdf(orders_data(doc, src))
            else:
                pdf = api.recheck_pdf(recheck_data(doc, src))
        except ReportError as exc:
            message = re.sub(r"请在“报表打印 › 发文单位”中设置.*$", OFFICE_HINT, str(exc))
            return _render(request, "message.html", user, status=409, message=message)
        name = f"{visit_id}-{kind}.pdf"
        return Response(
            pdf,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'inline; filename="{name}"',
                "Cache-Control": "private, no-store",
            },
        )

    return _read(request, body)


@router.get("/visits/{visit_id}/record.pdf")
def record_pdf(request: Request, visit_id: str) -> Response:
    """现场检查记录 (现场复查记录 for a re-inspection)."""
    return _pdf(request, visit_id, "record")


@router.get("/visits/{visit_id}/notice.pdf")
def notice_pdf(request: Request, visit_id: str) -> Response:
    """Every order the visit issued (指令书 / 通知书 / 决定书), each with its 送达回证."""
    return _pdf(request, visit_id, "notice")


@router.get("/visits/{visit_id}/recheck.pdf")
def recheck_pdf(request: Request, visit_id: str) -> Response:
    """整改复查意见书 of a re-inspection."""
    return _pdf(request, visit_id, "recheck")
