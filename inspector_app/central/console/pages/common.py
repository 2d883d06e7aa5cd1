"""The console's pages: server-rendered (Jinja2), one route per page or form, under ``/console``.

Every page reads in one transaction; every form posts with its CSRF token, changes in one write
transaction and records itself in the audit trail in that same transaction, then redirects
(post/redirect/get), so a reload never repeats a change.
"""

from __future__ import annotations

import functools
import inspect
import json
import tempfile
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Connection, distinct, func, select
from sqlalchemy.sql.elements import ColumnElement

from inspector_app.central.api.deps import client_address, get_settings
from inspector_app.central.console import (
    access,
    audit,
    chart,
    daily_report,
    export,
    figures,
    projection,
    refusals,
    uploads,
)
from inspector_app.central.console.i18n import LANGUAGES, translator
from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database
from inspector_app.central.db.statements import insert_ignore
from inspector_app.central.logic import admin, auth, follow_ups, throttle
from inspector_app.central.logic import audit as logic_audit
from inspector_app.domain.clock import local_date, local_time
from inspector_app.domain.enterprise import RESUMPTION_FORMS, ResumptionStatus
from inspector_app.domain.finding import FINDING_STATUS_LABELS, FindingStatus
from inspector_app.domain.requests import REQUEST_TRANSITIONS, RequestStatus
from inspector_app.domain.visit import VisitKind
from inspector_app.register.columns import label as register_label
from inspector_app.reports.data import Issuer
from inspector_app.wire import RequestFollowUpRecord, Role

CONSOLE_DIR = Path(__file__).resolve().parent.parent  # templates/ and static/
PAGE = 50
LANG_COOKIE = "console_lang"

router = APIRouter(prefix="/console", include_in_schema=False)
_env = Environment(
    loader=FileSystemLoader(CONSOLE_DIR / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _query(base: Mapping[str, Any], **changes: Any) -> str:
    merged = {k: v for k, v in {**base, **changes}.items() if v not in (None, "")}
    return "?" + urlencode(merged) if merged else ""


def _local(moment: datetime | None, fmt: str) -> str:
    """A stored moment (UTC) on the office's clock."""
    return "—" if moment is None else local_time(moment).strftime(fmt)


_env.filters["pct"] = _pct
_env.filters["local"] = _local
_env.globals["q"] = _query
_env.globals["uploads"] = uploads
# Filter names shown as chips above a list (the query keys are English; the office reads Chinese).
_env.globals["filter_labels"] = {
    "team": "检查组",
    "grid": "网格",
    "severity": "等级",
    "enterprise": "企业",
    "from": "从",
    "to": "到",
    "category": "类别",
    "form": "检查表",
    "kind": "类型",
    "inspector": "检查人员",
}
_env.globals["sync_role_labels"] = {
    "inspector": "检查员",
    "leader": "组长",
    "admin": "管理员",
    "office": "办公室（仅控制台）",
    "viewer": "只读（仅控制台）",
}
_env.globals["kind_labels"] = {"inspection": "检查", "recheck": "复查"}
_env.globals["finding_labels"] = {s.value: label for s, label in FINDING_STATUS_LABELS.items()}


def _db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def _today() -> date:
    return local_date(auth.now_utc())


def _lang(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "zh")
    return lang if lang in LANGUAGES else "zh"


def _render(
    request: Request, name: str, user: access.User | None, status: int = 200, **ctx: Any
) -> HTMLResponse:
    lang = _lang(request)
    html = _env.get_template(name).render(
        request=request,
        user=user,
        lang=lang,
        _=translator(lang),
        path=request.url.path,
        args=dict(request.query_params),
        role_labels=access.ROLE_LABELS,
        form_titles=ctx.pop("form_titles", {}),
        **ctx,
    )
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def message_page(message: str, lang: str = "zh") -> str:
    """A page with only a message, for answers made outside a route (api/limits.py's 413)."""
    return _env.get_template("message.html").render(
        user=None,
        lang=lang if lang in LANGUAGES else "zh",
        _=translator(lang if lang in LANGUAGES else "zh"),
        path="",
        args={},
        role_labels=access.ROLE_LABELS,
        form_titles={},
        message=message,
    )


def _user(request: Request, conn: Connection) -> access.User:
    return access.session_user(conn, request.cookies.get(access.COOKIE), client_address(request))


def _denied(request: Request, exc: access.Denied) -> Response:
    if exc.status == 401:
        target = "/console/login" + _query({"next": str(request.url.path)})
        return RedirectResponse(target, status_code=303)
    return _render(request, "message.html", None, status=exc.status, message=str(exc))


def _read(request: Request, body: Callable[[Connection, access.User], Response]) -> Response:
    db = _db(request)
    try:
        if _needs_catch_up(db):
            with db.write() as conn:
                projection.catch_up_events(conn)
        with db.read() as conn:
            user = _user(request, conn)
            return body(conn, user)
    except access.Denied as exc:
        return _denied(request, exc)


def _needs_catch_up(db: Database) -> bool:
    with db.read() as conn:
        return projection.events_pending(conn)


def _change(
    request: Request,
    csrf: str | None,
    body: Callable[[Connection, access.User], str],
    *,
    allowed: Callable[[access.User], bool] = lambda u: u.can_change,
) -> Response:
    """One change: session, CSRF, role, then the body in one write transaction; redirect to its result."""
    db = _db(request)
    try:
        with db.write() as conn:
            user = _user(request, conn)
            access.check_csrf(user.csrf, csrf)
            if not allowed(user):
                raise access.Denied("您的角色无权执行此操作")
            target = body(conn, user)
    except access.Denied as exc:
        return _denied(request, exc)
    except (admin.AdminError, ValueError) as exc:
        return _render(
            request, "message.html", None, status=422, message=str(exc), back=request.headers.get("referer")
        )
    return RedirectResponse(target, status_code=303)


_CSRF_FIELD = inspect.Parameter(
    "csrf", inspect.Parameter.KEYWORD_ONLY, default="", annotation="Annotated[str, Form(max_length=100)]"
)
_REQUEST = inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation="Request")


def _changes(
    path: str, *, allowed: Callable[[access.User], bool] = lambda u: u.can_change
) -> Callable[[Callable[..., str]], Callable[..., Response]]:
    """A form that changes data, posted to ``path``: the decorated function takes the write
    transaction, the signed-in user and the form's fields (and the path's parameters), makes the
    change with its audit line, and answers where to go next. The route around it checks the
    session, the CSRF token and ``allowed`` first (``_change``) and redirects (post/redirect/get)."""

    def register(change: Callable[..., str]) -> Callable[..., Response]:
        fields = list(inspect.signature(change).parameters.values())[2:]  # after conn, user

        def endpoint(request: Request, csrf: str = "", **form: Any) -> Response:
            return _change(request, csrf, lambda conn, user: change(conn, user, **form), allowed=allowed)

        params = [_REQUEST, *(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in fields), _CSRF_FIELD]
        endpoint.__signature__ = inspect.Signature(params, return_annotation="Response")  # type: ignore[attr-defined]
        endpoint.__name__ = change.__name__
        endpoint.__doc__ = change.__doc__
        router.post(path)(endpoint)
        return endpoint

    return register


def _team_or_refuse(conn: Connection, team: str) -> str:
    """The team named in a form, or a refusal naming it when the office has no such team."""
    if team not in _teams(conn):
        raise ValueError(f"没有检查组“{team}”")
    return team


def _wait_text(seconds: int) -> str:
    minutes = -(-seconds // 60)
    return f"{seconds} 秒" if seconds < 120 else f"{minutes} 分钟"


def _int(value: str | None, default: int = 0) -> int:
    try:
        return max(0, int(value or default))
    except ValueError:
        return default


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _local_midnight(day: date) -> datetime:
    """The start of an office day (the office's clock, as local_date reads it), in UTC."""
    return datetime.combine(day, dtime()).astimezone().astimezone(UTC)


def _day_arg(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _scope(request: Request, user: access.User) -> tuple[str, figures.Scope]:
    args = request.query_params
    period = args.get("period") or "today"
    today = _today()
    start, end = figures.period_range(period if period in figures.PERIODS else "today", today)
    if args.get("from") or args.get("to"):
        period = "custom"
        start, end = _day_arg(args.get("from"), start), _day_arg(args.get("to"), end)
    team = user.team or (args.get("team") or None)
    return period, figures.Scope(start, end, team, args.get("grid") or None)


def _teams(conn: Connection) -> list[str]:
    return sorted(conn.execute(select(t.teams.c.name)).scalars(), key=figures.team_order)


def _grids(conn: Connection) -> list[str]:
    return list(conn.execute(select(t.grids.c.name).order_by(t.grids.c.name)).scalars())


# ------------------------------------------------------------------ login


@router.get("/login")
def login_page(request: Request) -> Response:
    token = uuid.uuid4().hex
    resp = _render(request, "login.html", None, login_csrf=token, next=request.query_params.get("next", ""))
    resp.set_cookie(access.LOGIN_COOKIE, token, httponly=True, samesite="strict", path="/console")
    return resp


@router.post("/login")
def login_submit(
    request: Request,
    username: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    expected = request.cookies.get(access.LOGIN_COOKIE, "")
    if not expected or csrf != expected:
        return _render(
            request,
            "login.html",
            None,
            status=400,
            error="登录表单已过期，请重试",
            login_csrf=expected,
            next=next,
        )
    # The same defences as the API's login (api/routes/auth.py): throttling and lockout first,
    # without looking at the password; every attempt, good or bad, in the one audit trail.
    db, address, name, now = _db(request), client_address(request), username.strip(), auth.now_utc()
    settings = get_settings(request)

    def refused(status: int, error: str, headers: Mapping[str, str] | None = None) -> Response:
        page = _render(
            request,
            "login.html",
            None,
            status=status,
            error=error,
            login_csrf=expected,
            next=next,
            username=name,
        )
        page.headers.update(headers or {})
        return page

    try:
        with db.read() as conn:
            throttle.check(conn, name, address, now, settings)
    except throttle.Throttled as exc:
        with db.write() as conn:
            throttle.record_held_off(conn, name, address, now, str(exc))
        return refused(
            429, f"{exc}（约 {_wait_text(exc.retry_after)}后可再试）", {"Retry-After": str(exc.retry_after)}
        )
    try:
        with db.write() as conn:
            token, user = access.sign_in(conn, name, password, address)
            audit.record(conn, user, logic_audit.LOGIN, user.username, access.DEVICE_NAME)
    except access.Denied as exc:
        # Its own transaction: the refused login rolled back, its record must stay. A password
        # that is right for an account without console access is no failure of the password.
        with db.write() as conn:
            logic_audit.record(
                conn,
                logic_audit.LOGIN_FAILED if exc.status == 401 else logic_audit.LOGIN,
                ok=False,  # an ok login would reset the account's failures (throttle.check)
                actor="" if exc.status == 401 else name,
                subject=name,
                address=address,
                detail=f"{access.DEVICE_NAME}：{exc}",
            )
        return refused(exc.status, str(exc))
    target = next if next.startswith("/console/") and "//" not in next else "/console/overview"
    resp = RedirectResponse(target, status_code=303)
    resp.set_cookie(
        access.COOKIE,
        token,
        httponly=True,
        samesite="strict",
        path="/",
        max_age=access.SESSION_DAYS * 86400,
        secure=request.url.scheme == "https",
    )
    resp.delete_cookie(access.LOGIN_COOKIE, path="/console")
    return resp


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    def body(conn: Connection, user: access.User) -> str:
        auth.revoke_token(conn, user.principal.token_id)
        audit.record(conn, user, logic_audit.LOGOUT, user.username, access.DEVICE_NAME)
        return "/console/login"

    resp = _change(request, csrf, body, allowed=lambda _u: True)
    resp.delete_cookie(access.COOKIE, path="/")
    return resp


@router.get("/lang/{lang}")
def set_language(request: Request, lang: str) -> Response:
    back = request.headers.get("referer") or "/console/overview"
    resp = RedirectResponse(back if "/console" in back else "/console/overview", status_code=303)
    if lang in LANGUAGES:
        resp.set_cookie(LANG_COOKIE, lang, samesite="lax", path="/", max_age=365 * 86400)
    return resp


@router.get("")
@router.get("/")
def home() -> Response:
    return RedirectResponse("/console/overview", status_code=303)


# ------------------------------------------------------------------ 总览


@router.get("/overview")
def overview(request: Request) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        period, scope = _scope(request, user)
        today = _today()
        data = figures.overview(conn, scope, today)
        svg = chart.daily_chart(data["series"], translator(_lang(request)))
        return _render(
            request,
            "overview.html",
            user,
            period=period,
            scope=scope,
            data=data,
            today=today,
            chart=svg,
            teams=_teams(conn),
            grids=_grids(conn),
            sq=scope.query(),
        )

    return _read(request, body)


@router.get("/overview.xlsx")
def overview_xlsx(request: Request) -> Response:
    """The same figures as the page, as the street's 日报 / 周报 workbook."""

    def body(conn: Connection, user: access.User) -> Response:
        _period, scope = _scope(request, user)
        today = _today()
        data = figures.overview(conn, scope, today)
        content = export.overview_workbook(data, scope, today, user.principal.display_name)
        name = f"overview-{scope.start}-{scope.end}.xlsx"
        return Response(
            content,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
        )

    return _read(request, body)


@router.get("/overview.pdf")
def overview_pdf(request: Request) -> Response:
    """The street's 日报 (or the period's report) as the laptop prints it, from the same figure
    definitions (domain.figures) as the page; a team leader's is their team's."""

    from inspector_app.central.console.documents import load_authority  # it imports this module

    def body(conn: Connection, user: access.User) -> Response:
        _period, scope = _scope(request, user)
        authority, _seal = load_authority(conn)
        issuer = Issuer(authority.full_name or "（未设置填报单位：请在“发文单位”页面填写）")
        data = daily_report.summary_data(conn, scope, issuer=issuer, now=local_time(auth.now_utc()))
        name = f"daily-report-{scope.start}-{scope.end}.pdf"
        return Response(
            daily_report.daily_report_pdf(data),
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"},
        )

    return _read(request, body)


# ------------------------------------------------------------------ visits


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


def _visible(user: access.User, team: str | None) -> None:
    if user.team is not None and team != user.team:
        raise access.Denied("组长只能查看本组的记录", 403)


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


def _form_titles(conn: Connection) -> dict[str, str]:
    """Each form code's title (its latest published version), for lists that name the form."""
    f = t.forms.c
    out: dict[str, str] = {}
    for code, text in conn.execute(select(f.code, f.yaml).order_by(f.code, f.published_at)):
        title = _form_text(text).title
        if title:
            out[code] = title
    return out


@dataclass(frozen=True)
class FormText:
    """What a visit page needs of its form: the title, each item's question and choice labels."""

    title: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)
    choices: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def in_form_order(self, answers: Mapping[str, Any]) -> list[tuple[str, Any]]:
        """Answers in the order the form asks them (a document keeps them sorted by key)."""
        known = [(k, answers[k]) for k in self.labels if k in answers]
        return known + [(k, v) for k, v in answers.items() if k not in self.labels]

    def answer(self, key: str, value: Any) -> str:
        """An answer as the inspector saw it: choice labels for choice values, lists joined."""
        names = self.choices.get(key, {})
        if isinstance(value, list):
            return "、".join(names.get(str(v), str(v)) for v in value)
        return names.get(str(value), str(value))


@functools.lru_cache(maxsize=64)
def _form_text(yaml_text: str | None) -> FormText:
    """Parsed once per published text (a version never changes)."""
    if not yaml_text:
        return FormText()
    from inspector_app.checklist import FormError, parse_form

    try:
        form = parse_form(yaml_text.encode("utf-8"), "form.yaml")
    except FormError:
        return FormText()
    labels: dict[str, str] = {}
    choices: dict[str, dict[str, str]] = {}
    for section in form.sections:
        for item in section.items:
            labels[item.key] = item.label.zh
            if item.choices:
                choices[item.key] = {c.value: c.label.zh for c in item.choices}
    return FormText(form.title.zh, labels, choices)


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


# ------------------------------------------------------------------ findings


FINDING_STATES = ("open", "overdue", "due", "rectified", "closed", "raised")


def _finding_conds(request: Request, user: access.User) -> tuple[list[ColumnElement[bool]], str]:
    args = request.query_params
    f = t.console_findings.c
    today = _today()
    state = args.get("state") or "open"
    conds: list[ColumnElement[bool]] = []
    live = f.status.in_(figures.LIVE)
    start, end = _day_arg(args.get("from"), date.min), _day_arg(args.get("to"), date.max)
    if state == "open":
        conds.append(live)
    elif state == "overdue":
        conds += [live, f.deadline < today]
    elif state == "due":
        conds += [live, f.deadline <= today + timedelta(days=3)]
    elif state == "rectified":
        conds += [f.found_on >= start, f.found_on <= end, f.rectified_on.is_not(None), f.rectified_on <= end]
    elif state == "closed":
        conds += [f.found_on >= start, f.found_on <= end, f.closed_on.is_not(None), f.closed_on <= end]
    else:
        state = "raised"
        conds += [f.found_on >= start, f.found_on <= end]
    team = user.team or args.get("team")
    if team:
        conds.append(f.team == team)
    if args.get("grid"):
        conds.append(f.grid == args["grid"])
    if args.get("severity"):
        conds.append(f.severity == args["severity"])
    if args.get("enterprise"):
        conds.append(f.enterprise_code == args["enterprise"])
    return conds, state


@router.get("/findings")
def findings_page(request: Request) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        conds, state = _finding_conds(request, user)
        f, e = t.console_findings.c, t.enterprises.c
        offset = _int(request.query_params.get("offset"))
        total = int(
            conn.execute(select(func.count()).select_from(t.console_findings).where(*conds)).scalar_one()
        )
        # The page's keys first, from the index alone (sorting tens of thousands of open findings'
        # keys is cheap, their rows are not); then the page's rows.
        page_ids = list(
            conn.execute(
                select(f.finding_id)
                .where(*conds)
                .order_by(f.deadline, f.finding_id)
                .offset(offset)
                .limit(PAGE)
            ).scalars()
        )
        rows = (
            conn.execute(
                select(t.console_findings, e.name)
                .select_from(t.console_findings.outerjoin(t.enterprises, e.credit_code == f.enterprise_code))
                .where(f.finding_id.in_(page_ids))
                .order_by(f.deadline, f.finding_id)
            )
            .mappings()
            .all()
        )
        today = _today()
        by_team = figures.open_by_team(conn, figures.Scope(today, today, user.team), today)
        return _render(
            request,
            "findings.html",
            user,
            rows=rows,
            total=total,
            state=state,
            states=FINDING_STATES,
            offset=offset,
            page=PAGE,
            by_team=by_team,
            today=today,
            teams=_teams(conn),
        )

    return _read(request, body)


# ------------------------------------------------------------------ enterprises (the register)


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
            user = _user(request, conn)
            access.check_csrf(user.csrf, csrf)
            if not user.can_change:
                raise access.Denied("您的角色无权导入企业名录")
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


# ------------------------------------------------------------------ 诉求 (requests)


def _request_conds(request: Request, user: access.User) -> list[ColumnElement[bool]]:
    args = request.query_params
    r, rr = t.enterprise_requests.c, t.console_request_routes.c
    conds: list[ColumnElement[bool]] = []
    status = args.get("status") or "open"
    if status == "open":
        conds.append(r.status != RequestStatus.RESOLVED.value)
    elif status != "all":
        conds.append(r.status == status)
    if args.get("category"):
        conds.append(r.category == args["category"])
    team = user.team or args.get("team")
    if team:
        conds.append(r.team == team)
    group = args.get("group")
    if group == "-":
        conds.append(r.id.not_in(select(rr.request_id)))
    elif group:
        conds.append(r.id.in_(select(rr.request_id).where(rr.sub_group == group)))
    return conds


@router.get("/requests")
def requests_page(request: Request) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        conds = _request_conds(request, user)
        r, e, rr = t.enterprise_requests.c, t.enterprises.c, t.console_request_routes.c
        offset = _int(request.query_params.get("offset"))
        total = int(
            conn.execute(select(func.count()).select_from(t.enterprise_requests).where(*conds)).scalar_one()
        )
        rows = (
            conn.execute(
                select(t.enterprise_requests, e.name, rr.sub_group)
                .select_from(
                    t.enterprise_requests.outerjoin(
                        t.enterprises, e.credit_code == r.enterprise_code
                    ).outerjoin(t.console_request_routes, rr.request_id == r.id)
                )
                .where(*conds)
                .order_by(r.status == RequestStatus.RESOLVED.value, r.created_at.desc())
                .offset(offset)
                .limit(PAGE)
            )
            .mappings()
            .all()
        )
        by_cat = conn.execute(
            select(r.category, r.status, func.count())
            .where(*([r.team == user.team] if user.team else []))
            .group_by(r.category, r.status)
        ).all()
        table: dict[str, dict[str, int]] = {}
        for cat, st, n in by_cat:
            table.setdefault(cat, {})[st] = int(n)
        return _render(
            request,
            "requests.html",
            user,
            rows=rows,
            total=total,
            offset=offset,
            page=PAGE,
            by_cat=table,
            statuses=[s.value for s in RequestStatus],
            groups=_sub_groups(conn),
            teams=_teams(conn),
        )

    return _read(request, body)


def _sub_groups(conn: Connection) -> list[str]:
    return list(
        conn.execute(select(t.console_sub_groups.c.name).order_by(t.console_sub_groups.c.name)).scalars()
    )


@router.get("/requests/{request_id}")
def request_page(request: Request, request_id: str) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        r, fu, rr = t.enterprise_requests.c, t.request_follow_ups.c, t.console_request_routes.c
        row = conn.execute(select(t.enterprise_requests).where(r.id == request_id)).mappings().first()
        if row is None:
            raise access.Denied("没有这条诉求", 404)
        _visible(user, row["team"])
        ent = conn.execute(
            select(t.enterprises.c.name).where(t.enterprises.c.credit_code == row["enterprise_code"])
        ).scalar_one_or_none()
        follow_ups = (
            conn.execute(
                select(t.request_follow_ups).where(fu.request_id == request_id).order_by(fu.at_client)
            )
            .mappings()
            .all()
        )
        route = (
            conn.execute(select(t.console_request_routes).where(rr.request_id == request_id))
            .mappings()
            .first()
        )
        current = RequestStatus(row["status"])
        options = [s.value for s in RequestStatus if s in REQUEST_TRANSITIONS[current] or s is current]
        return _render(
            request,
            "request.html",
            user,
            req=row,
            ent_name=ent,
            follow_ups=follow_ups,
            route=route,
            groups=_sub_groups(conn),
            options=options,
            may_follow=user.can_change or (user.role is access.ConsoleRole.LEADER),
        )

    return _read(request, body)


@_changes(
    "/requests/{request_id}/follow-up", allowed=lambda u: u.can_change or u.role is access.ConsoleRole.LEADER
)
def request_follow_up(
    conn: Connection,
    user: access.User,
    *,
    request_id: str,
    status: Annotated[str, Form(max_length=20)],
    note: Annotated[str, Form(max_length=2000)] = "",
) -> str:
    """A follow-up made in the office: stored as the laptops' are, so it reaches them by sync."""
    r = t.enterprise_requests.c
    row = conn.execute(select(t.enterprise_requests).where(r.id == request_id)).mappings().first()
    if row is None:
        raise access.Denied("没有这条诉求", 404)
    _visible(user, row["team"])
    try:
        new = RequestStatus(status)
    except ValueError:
        raise ValueError(f"未知的诉求状态：{status}") from None
    current = RequestStatus(row["status"])
    if new is not current and new not in REQUEST_TRANSITIONS[current]:
        raise ValueError(f"诉求不能从“{current.value}”改为“{new.value}”")
    if not note.strip() and new is current:
        raise ValueError("请填写跟进情况")
    record = RequestFollowUpRecord(
        id=str(uuid.uuid4()),
        request_id=request_id,
        credit_code=row["enterprise_code"],
        category=row["category"],
        description=row["description"],
        visit_id=row["visit_id"],
        at=auth.now_utc(),
        status=new,
        note=note.strip(),
        by=user.username,
    )
    principal = user.principal
    # The server's own rule for follow-ups (an office user may not be in the request's team).
    (result,) = follow_ups.push_request_follow_ups(conn, principal, [record], auth.now_utc())
    if result.status.value not in {"accepted", "exists"}:
        raise ValueError(result.reason or "跟进未被接受")
    audit.record(
        conn,
        user,
        audit.REQUEST_FOLLOWED_UP,
        request_id,
        f"{current.value} → {new.value}：{note.strip()}",
    )
    return f"/console/requests/{request_id}"


@_changes("/requests/{request_id}/route")
def request_route(
    conn: Connection,
    user: access.User,
    *,
    request_id: str,
    group: Annotated[str, Form(max_length=100)],
) -> str:
    rr = t.console_request_routes.c
    if group not in _sub_groups(conn):
        raise ValueError(f"没有分组“{group}”，请先在分组设置中添加")
    if (
        conn.execute(
            select(t.enterprise_requests.c.id).where(t.enterprise_requests.c.id == request_id)
        ).first()
        is None
    ):
        raise access.Denied("没有这条诉求", 404)
    conn.execute(t.console_request_routes.delete().where(rr.request_id == request_id))
    conn.execute(
        t.console_request_routes.insert().values(
            request_id=request_id, sub_group=group, routed_at=auth.now_utc(), routed_by=user.username
        )
    )
    audit.record(conn, user, audit.REQUEST_ROUTED, request_id, group)
    return f"/console/requests/{request_id}"


@_changes("/sub-groups")
def sub_group_add(
    conn: Connection,
    user: access.User,
    *,
    name: Annotated[str, Form(min_length=1, max_length=100)],
) -> str:
    clean = name.strip()
    if not clean:
        raise ValueError("分组名称不能为空")
    insert_ignore(conn, t.console_sub_groups, [{"name": clean, "created_at": auth.now_utc()}], "name")
    audit.record(conn, user, audit.SUB_GROUP_ADDED, clean)
    return "/console/requests"


# ------------------------------------------------------------------ assignment


@router.get("/assignments")
def assignments_page(request: Request) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        g, e, a = t.grids.c, t.enterprises.c, t.assignments.c
        grids = conn.execute(
            select(g.name, g.team, func.count(e.id))
            .select_from(t.grids.outerjoin(t.enterprises, e.grid == g.name))
            .group_by(g.name, g.team)
            .order_by(g.name)
        ).all()
        teams = conn.execute(
            select(t.teams.c.name, func.count(a.enterprise_id), func.coalesce(func.sum(a.visits_per_week), 0))
            .select_from(t.teams.outerjoin(t.assignments, a.team == t.teams.c.name))
            .group_by(t.teams.c.name)
            .order_by(t.teams.c.name)
        ).all()
        unassigned = int(
            conn.execute(
                select(func.count()).select_from(t.enterprises).where(e.id.not_in(select(a.enterprise_id)))
            ).scalar_one()
        )
        return _render(
            request,
            "assignments.html",
            user,
            grids=grids,
            team_rows=sorted(teams, key=lambda r: figures.team_order(r[0])),
            unassigned=unassigned,
            teams=_teams(conn),
        )

    return _read(request, body)


@_changes("/assignments/grid")
def assign_grid(
    conn: Connection,
    user: access.User,
    *,
    grid: Annotated[str, Form(min_length=1, max_length=100)],
    team: Annotated[str, Form(min_length=1, max_length=100)],
    cadence: Annotated[int, Form(ge=1, le=14)] = 3,
) -> str:
    _team_or_refuse(conn, team)
    e = t.enterprises.c
    admin.add_grid(conn, grid, None)
    conn.execute(t.grids.update().where(t.grids.c.name == grid).values(team=team))
    ids = [int(i) for i in conn.execute(select(e.id).where(e.grid == grid)).scalars()]
    n = admin.assign(conn, team, ids, cadence)
    audit.record(conn, user, logic_audit.ASSIGNED, team, f"网格 {grid}，每周 {cadence} 次，{n} 家企业")
    return "/console/assignments"


@_changes("/assignments/enterprises")
def assign_enterprises(
    conn: Connection,
    user: access.User,
    *,
    codes: Annotated[str, Form(min_length=1, max_length=20000)],
    team: Annotated[str, Form(min_length=1, max_length=100)],
    cadence: Annotated[int, Form(ge=1, le=14)] = 3,
) -> str:
    _team_or_refuse(conn, team)
    wanted = [c.strip().upper() for c in codes.replace(",", "\n").split() if c.strip()]
    e = t.enterprises.c
    found = dict(conn.execute(select(e.credit_code, e.id).where(e.credit_code.in_(wanted))).all())
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise ValueError(f"名录中没有这些企业：{'、'.join(unknown[:10])}")
    n = admin.assign(conn, team, [int(i) for i in found.values()], cadence)
    audit.record(
        conn, user, logic_audit.ASSIGNED, team, f"每周 {cadence} 次：{'、'.join(wanted[:50])}（{n} 家）"
    )
    return "/console/assignments"


# ------------------------------------------------------------------ users and devices


@router.get("/users")
def users_page(request: Request) -> Response:
    def body(conn: Connection, user: access.User) -> Response:
        if not user.is_admin:
            raise access.Denied("只有管理员可以管理用户和设备")
        u, d, cr = t.users.c, t.device_tokens.c, t.console_roles.c
        users = (
            conn.execute(
                select(t.users, cr.role.label("console_role"))
                .select_from(t.users.outerjoin(t.console_roles, cr.user_id == u.id))
                .order_by(u.team, u.username)
            )
            .mappings()
            .all()
        )
        now = auth.now_utc()
        devices = (
            conn.execute(
                select(
                    u.username,
                    d.device_id,
                    d.device_name,
                    func.max(d.last_seen_at).label("last_seen"),
                    func.count().label("tokens"),
                )
                .join(t.users, u.id == d.user_id)
                .where(d.revoked_at.is_(None), d.expires_at > now)
                .group_by(u.username, d.device_id, d.device_name)
                .order_by(u.username, func.max(d.last_seen_at).desc())
            )
            .mappings()
            .all()
        )
        return _render(
            request,
            "users.html",
            user,
            users=users,
            devices=devices,
            teams=_teams(conn),
            console_roles=list(access.ConsoleRole),
        )

    return _read(request, body)


@_changes("/users/{username}/role", allowed=lambda u: u.is_admin)
def user_role(
    conn: Connection,
    user: access.User,
    *,
    username: str,
    role: Annotated[str, Form(max_length=20)],
) -> str:
    chosen = access.ConsoleRole(role) if role else None
    if username == user.username and chosen is not access.ConsoleRole.ADMIN:
        raise ValueError("不能取消自己的管理员权限")
    access.set_role(conn, username, chosen)
    audit.record(conn, user, audit.ROLE_SET, username, role or "（按同步角色）")
    return "/console/users"


@_changes("/users/{username}/revoke", allowed=lambda u: u.is_admin)
def user_revoke(
    conn: Connection,
    user: access.User,
    *,
    username: str,
    device: Annotated[str, Form(max_length=36)] = "",
) -> str:
    try:
        n = auth.revoke_device(conn, username, device or None)
    except auth.AuthError as exc:
        raise ValueError(str(exc)) from exc
    audit.record(conn, user, logic_audit.DEVICE_REVOKED, username, f"{device or '全部设备'}：{n} 个登录")
    return "/console/users"


@_changes("/users", allowed=lambda u: u.is_admin)
def user_add(
    conn: Connection,
    user: access.User,
    *,
    username: Annotated[str, Form(min_length=1, max_length=100)],
    password: Annotated[str, Form(min_length=1, max_length=1000)],
    role: Annotated[str, Form(max_length=20)],
    display_name: Annotated[str, Form(max_length=100)] = "",
    team: Annotated[str, Form(max_length=100)] = "",
    badge_number: Annotated[str, Form(max_length=40)] = "",
) -> str:
    """Office staff and viewers are accounts of their own role (no laptop, no team, no badge: the
    sync API refuses them); a team leader belongs to a team and carries a badge."""
    chosen = access.ConsoleRole(role)
    sync_role = access.CONSOLE_TO_SYNC[chosen]
    if sync_role is Role.LEADER and not team:
        raise ValueError("组长须选择一个检查组")
    admin.add_user(
        conn,
        username.strip(),
        password,
        sync_role,
        team=(team or None) if sync_role is Role.LEADER else None,
        display_name=display_name.strip(),
        # A leader carries their own badge (admin.add_user's rule): the server tells people
        # apart by it on the visits they sign.
        badge_number=badge_number.strip() if sync_role is Role.LEADER else "",
    )
    audit.record(
        conn,
        user,
        logic_audit.USER_ADDED,
        username.strip(),
        f"控制台角色 {access.ROLE_LABELS[chosen]}，检查组 {team or '-'}",
    )
    return "/console/users"


# ------------------------------------------------------------------ forms


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
            user = _user(request, conn)
            access.check_csrf(user.csrf, csrf)
            if not user.can_change:
                raise access.Denied("只有管理员和办公室人员可以发布检查表")
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


# ------------------------------------------------------------------ conflicts (reviewers)


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


@_changes("/conflicts/{edit_id:path}")
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


# ------------------------------------------------------------------ audit trail


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
