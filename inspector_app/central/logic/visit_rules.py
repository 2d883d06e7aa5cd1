"""What the office derives from a pushed visit itself, with the published form: never taken on trust.

A laptop may be old, buggy or in hostile hands. So the server reads the visit's answers with the
very form version the visit names (as published by the office) and decides alone:

* which answers are files (a photos or signature item), and that the document declares them so
  that its manifest, and so "received", covers them;
* whether the answers make a complete record of that form (every required item answered, every
  answer valid for its item, no answer to an item the form does not have);
* the outcome, by the form's rules: a document whose outcome differs is refused, and the
  enterprise's resumption status moves by the outcome computed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import Connection, bindparam, select

from inspector_app.central.db import tables as t
from inspector_app.checklist import Evaluation, Form, FormError, evaluate, parse_form
from inspector_app.domain.clock import as_utc, local_date
from inspector_app.wire import VisitDocument
from inspector_app.wire.models import FILE_ANSWER_TYPES

_SHA256 = re.compile(r"^[0-9a-f]{64}\Z")


class VisitRefused(ValueError):
    """The visit contradicts its published form; the message says how (for the laptop's quarantine)."""


@dataclass(frozen=True)
class Judgement:
    outcome: str
    # Files a document frozen before ``file_answers`` existed cites through its answers without
    # listing them: the visit is received only once these arrive too.
    undeclared_files: frozenset[str] = frozenset()


@lru_cache(maxsize=64)
def _parsed(sha256: str, text: str) -> Form:
    # Keyed by the published file's hash: a published version never changes, so parsing once is enough.
    return parse_form(text, f"published:{sha256[:12]}")


_f = t.forms.c
_PUBLISHED = select(_f.sha256, _f.yaml).where(
    _f.code == bindparam("code"), _f.version == bindparam("version")
)


def published_form(conn: Connection, code: str, version: str) -> Form | None:
    row = conn.execute(_PUBLISHED, {"code": code, "version": version}).first()
    if row is None:
        return None
    try:
        return _parsed(str(row.sha256), str(row.yaml))
    except FormError:
        return None  # a form the office can no longer read cannot vouch for any visit


def judge(form: Form, doc: VisitDocument, category: str, *, declares_files: bool = True) -> Judgement:
    """Check the document against its form; returns what the office derived, or VisitRefused.

    ``declares_files``: the raw document has ``file_answers``. One frozen by a laptop before that
    key existed cannot be changed (its hash covers it), so its file answers are read from the form
    instead and must arrive before the visit counts as received; a document that has the key must
    declare every file answer, or it is refused.
    """
    unknown = sorted(k for k in doc.answers if k not in form.items)
    if unknown:
        raise VisitRefused(f"检查表 {form.code} 版本 {form.version} 没有检查项 {unknown[0]}")
    undeclared: set[str] = set()
    for key, value in doc.answers.items():
        kind = form.items[key].type.value
        if value is None or kind not in FILE_ANSWER_TYPES or doc.file_answers.get(key) == kind:
            continue
        if declares_files:
            raise VisitRefused(f"检查项 {key} 的答案是文件，但文档未将其列为文件")
        shas = value if isinstance(value, list) else [value]
        if not all(isinstance(sha, str) and _SHA256.match(sha) for sha in shas):
            raise VisitRefused(f"检查项 {key} 的答案不是文件校验值")
        undeclared |= {str(sha) for sha in shas}
    for key, kind in doc.file_answers.items():
        if key not in form.items or form.items[key].type.value != kind:
            raise VisitRefused(f"文档把检查项 {key} 列为{kind}文件，与检查表不符")
    try:
        completed = datetime.fromisoformat(doc.completed_at)
    except ValueError as exc:
        raise VisitRefused(f"完成时间 {doc.completed_at[:40]} 无法识别") from exc
    # Rules may read the visit's date, and the laptop counted it on its own clock's calendar: the
    # office, perhaps in another time zone, accepts any calendar day the completion instant falls
    # on somewhere (UTC-12 to UTC+14), the office's own day first.
    days = [local_date(completed)]
    for hours in (-12, 0, 14):
        day = (as_utc(completed) + timedelta(hours=hours)).date()
        if day not in days:
            days.append(day)
    first: VisitRefused | None = None
    for candidate in days:
        try:
            ev = _evaluated(form, doc, category, candidate)
        except VisitRefused as exc:
            first = first or exc
            continue
        break
    else:
        assert first is not None
        raise first
    return Judgement(outcome=ev.outcome, undeclared_files=frozenset(undeclared - doc.referenced_files()))


def _evaluated(form: Form, doc: VisitDocument, category: str, day: date) -> Evaluation:
    """The evaluation of the answers on ``day``, or VisitRefused saying what does not hold."""
    ev = evaluate(form, doc.answers, category=category, today=day)
    if ev.errors:
        key, message = sorted(ev.errors.items())[0]
        raise VisitRefused(f"检查项 {key} 的答案无效（{message}）")
    if ev.missing_required:
        raise VisitRefused(f"必填检查项 {ev.missing_required[0]} 未填写，检查记录不完整")
    hidden = sorted(k for k in doc.answers if k not in ev.visible)
    if hidden:
        raise VisitRefused(f"检查项 {hidden[0]} 按检查表规则不应出现在本次检查中")
    if ev.outcome != doc.outcome:
        raise VisitRefused(f"检查结论“{doc.outcome}”与答案按检查表得出的结论“{ev.outcome}”不符")
    return ev
