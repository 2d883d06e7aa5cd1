"""What every console page shares: the one template environment, rendering, the signed-in user,
reads and changes, and the small parsers of query arguments. The pages themselves live beside
this module, one module per part of the console (``pages/__init__.py`` lists them in order).

Every page reads in one transaction; every form posts with its CSRF token, changes in one write
transaction and records itself in the audit trail in that same transaction, then redirects
(post/redirect/get), so a reload never repeats a change.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import Connection, select

from inspector_app.central.api.deps import client_address
from inspector_app.central.console import access, figures, projection, uploads
from inspector_app.central.console.i18n import LANGUAGES, translator
from inspector_app.central.db import tables as t
from inspector_app.central.db.engine import Database
from inspector_app.central.logic import admin, auth
from inspector_app.domain.clock import local_date, local_time
from inspector_app.domain.finding import FINDING_STATUS_LABELS

CONSOLE_DIR = Path(__file__).resolve().parent.parent  # templates/ and static/
PAGE = 50
LANG_COOKIE = "console_lang"

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


def _changer(
    request: Request,
    conn: Connection,
    csrf: str | None,
    *,
    allowed: Callable[[access.User], bool] = lambda u: u.can_change,
    refusal: str = "您的角色无权执行此操作",
) -> access.User:
    """The signed-in user posting a change: the session, the form's CSRF token, then ``allowed``
    (refused with ``refusal``)."""
    user = _user(request, conn)
    access.check_csrf(user.csrf, csrf)
    if not allowed(user):
        raise access.Denied(refusal)
    return user


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
            user = _changer(request, conn, csrf, allowed=allowed)
            target = body(conn, user)
    except access.Denied as exc:
        return _denied(request, exc)
    except (admin.AdminError, ValueError) as exc:
        return _render(
            request, "message.html", None, status=422, message=str(exc), back=request.headers.get("referer")
        )
    return RedirectResponse(target, status_code=303)


_CSRF_FIELD = inspect.Parameter(
    "csrf", inspect.Parameter.KEYWORD_ONLY, default="", annotation=Annotated[str, Form(max_length=100)]
)
_REQUEST = inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request)


def _changes(
    router: APIRouter, path: str, *, allowed: Callable[[access.User], bool] = lambda u: u.can_change
) -> Callable[[Callable[..., str]], Callable[..., Response]]:
    """A form that changes data, posted to ``path`` on the page's ``router``: the decorated
    function takes the write transaction, the signed-in user and the form's fields (and the path's
    parameters), makes the change with its audit line, and answers where to go next. The route
    around it checks the session, the CSRF token and ``allowed`` first (``_change``) and
    redirects (post/redirect/get)."""

    def register(change: Callable[..., str]) -> Callable[..., Response]:
        # Annotations resolved where the change is written (its module's names, not this one's).
        fields = list(inspect.signature(change, eval_str=True).parameters.values())[2:]  # after conn, user

        def endpoint(request: Request, csrf: str = "", **form: Any) -> Response:
            return _change(request, csrf, lambda conn, user: change(conn, user, **form), allowed=allowed)

        params = [_REQUEST, *(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in fields), _CSRF_FIELD]
        endpoint.__signature__ = inspect.Signature(params, return_annotation=Response)  # type: ignore[attr-defined]
        endpoint.__name__ = change.__name__
        endpoint.__doc__ = change.__doc__
        router.post(path)(endpoint)
        return endpoint

    return register


def _int(value: str | None, default: int = 0) -> int:
    try:
        return max(0, int(value or default))
    except ValueError:
        return default


def _day_arg(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def _teams(conn: Connection) -> list[str]:
    return sorted(conn.execute(select(t.teams.c.name)).scalars(), key=figures.team_order)


def _grids(conn: Connection) -> list[str]:
    return list(conn.execute(select(t.grids.c.name).order_by(t.grids.c.name)).scalars())


def _visible(user: access.User, team: str | None) -> None:
    if user.team is not None and team != user.team:
        raise access.Denied("组长只能查看本组的记录", 403)


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
