"""Answers → what the screen and the services need: visibility, errors, findings, outcome.

Pure and cheap (the GUI calls it after every answer). Answers of hidden items are treated as
unanswered everywhere, so an item that stops being relevant can never leave a finding behind.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from inspector_app.checklist.answers import AnswerError, coerce, decimal_text, is_answered
from inspector_app.checklist.expr import Evaluator
from inspector_app.checklist.model import Form, Item, ItemType, Label
from inspector_app.domain.finding import Order, Severity
from inspector_app.domain.visit import ENTERPRISE_ROLE, AnswerValue, Compliance

DEFAULT_COMPUTED_PLACES = 2


@dataclass(frozen=True, slots=True)
class FindingDraft:
    """A non-compliance the form derived; services turn it into a Finding with dates and photos."""

    item_key: str
    title: str
    severity: Severity
    description: str
    rectification: str
    deadline_days: int | None
    legal_basis: str
    option: str | None = None  # the ticked option of a tick-list item
    veto: bool = False
    title_en: str | None = None

    @property
    def order(self) -> Order:
        """No days given or zero days means it is fixed on the spot."""
        return Order.DEADLINE if self.deadline_days else Order.IMMEDIATE


@dataclass(slots=True)
class Evaluation:
    visible: set[str] = field(default_factory=set)
    values: dict[str, AnswerValue] = field(default_factory=dict)  # normalized, visible items only
    errors: dict[str, str] = field(default_factory=dict)
    computed: dict[str, AnswerValue] = field(default_factory=dict)
    missing_required: list[str] = field(default_factory=list)
    findings: list[FindingDraft] = field(default_factory=list)
    veto_failed: list[str] = field(default_factory=list)
    outcome: str = ""
    answered_required: int = 0
    total_required: int = 0

    @property
    def progress(self) -> tuple[int, int]:
        return self.answered_required, self.total_required

    @property
    def can_complete(self) -> bool:
        return not self.missing_required and not self.errors

    @property
    def major_count(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.MAJOR)


def _expr_value(item: Item, value: AnswerValue) -> Any:
    """What an expression sees: decimals as numbers, everything else as stored."""
    if item.type is ItemType.DECIMAL and isinstance(value, str):
        return float(value)
    return value


@dataclass(frozen=True, slots=True)
class VisitContext:
    """Everything a form's rules read besides the answers. The visit service builds it from the
    visit (``VisitService.context``); the page, the service, the reports and the server evaluate
    through it, so they can never disagree on what is shown or required."""

    category: str = ""  # the enterprise's category (items only for 建筑工地 …)
    today: date | None = None  # the day the visit is judged on (expired certificates …)
    enterprise_refused: bool = False  # the enterprise's refusal to sign is on record

    def evaluate(self, form: Form, answers: Mapping[str, object]) -> Evaluation:
        return evaluate(form, answers, category=self.category, today=self.today,
                        enterprise_refused=self.enterprise_refused)


def visit_context(
    *, category: str | None, today: date, completed_on: date | None = None, enterprise_refused: bool = False
) -> VisitContext:
    """The one rule for a visit's context: a completed visit is judged on the day it was completed
    (its record never changes afterwards), an open one on today."""
    return VisitContext(category or "", completed_on or today, enterprise_refused)


def item_numbers(form: Form, visible: set[str] | frozenset[str]) -> dict[str, int]:
    """The one numbering of a checklist, on screen and on paper: visible items numbered through
    in form order; signature items are not numbered (the record prints signatures apart)."""
    out: dict[str, int] = {}
    for key, item in form.items.items():
        if key in visible and item.type is not ItemType.SIGNATURE:
            out[key] = len(out) + 1
    return out


# A form's own section number ("四、", "（四）", "4.") at the start of a title: the numbering below
# replaces it, so a hidden section leaves no gap.
LEADING_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+\s*[.、．])\s*")
CHINESE_DIGITS = "零一二三四五六七八九"


def section_numbers(form: Form, visible: set[str] | frozenset[str]) -> dict[str, int]:
    """The one numbering of a checklist's sections, on screen and on paper: the sections with a
    numbered item (``item_numbers``) numbered through in form order, so a hidden section
    (四、建筑工地专项 for a shop) leaves no gap: 一、二、三、四, never 一、二、三、五."""
    numbered = item_numbers(form, visible)
    out: dict[str, int] = {}
    for section in form.sections:
        if any(item.key in numbered for item in section.items):
            out[section.key] = len(out) + 1
    return out


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (a checklist has fewer than a hundred sections)."""
    if n < 10:
        return CHINESE_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" + (CHINESE_DIGITS[ones] if ones else "")


def section_heading(title: str, number: int | None, lang: str = "zh") -> str:
    """A section's title with its number in place of the form's own: 三、日常防控措施 / 3. Daily
    prevention; without a number (nothing to show), the title alone."""
    bare = LEADING_NUMBER.sub("", title)
    if number is None:
        return bare
    return f"{chinese_numeral(number)}、{bare}" if lang == "zh" else f"{number}. {bare}"


def implied_choices(form: Form, context: VisitContext) -> dict[str, str]:
    """Choice items the visit's context leaves one valid choice for: the 三小 form's 场所类型 of
    a KTV (a 小娱乐场所) can only be 小娱乐场所, of an 出租屋 only 出租屋. A new visit starts with
    that answer (the inspector may still change it); with several valid choices, none is given."""
    out: dict[str, str] = {}
    shown = context.evaluate(form, {}).visible
    for key, item in form.items.items():
        if item.type is not ItemType.CHOICE or item.computed or not item.constraints or key not in shown:
            continue
        valid = [c.value for c in item.choices if key not in context.evaluate(form, {key: c.value}).errors]
        if len(valid) == 1:
            out[key] = valid[0]
    return out


def evaluate(
    form: Form,
    answers: Mapping[str, object],
    *,
    category: str | None = None,
    today: date | None = None,
    enterprise_refused: bool = False,
) -> Evaluation:
    """Evaluate ``answers`` (item key → raw or stored value) against ``form``.

    Expressions read ``category`` (the enterprise category, e.g. items only for 建筑工地),
    ``today`` (the visit date as an ISO string, e.g. to spot an expired certificate) and
    ``enterprise_refused``; category and today are None when not given, so such checks read as
    false. Prefer ``VisitContext.evaluate``: it passes what the visit service knows.

    A refused enterprise signature satisfies a ``refusable`` signature item of the enterprise.
    An answer that breaks its constraint counts as not given (for progress, computed values and
    findings alike), so 到岗 300 of 291 never shows a rate of 103.1%; its message stays.
    """
    result = _evaluate_once(form, answers, category, today, enterprise_refused)
    broken = {k for k in result.errors if answers.get(k) is not None}
    if not broken:
        return result
    cleaned = {k: v for k, v in answers.items() if k not in broken}
    again = _evaluate_once(form, cleaned, category, today, enterprise_refused)
    for key, message in result.errors.items():
        if key in again.visible:
            again.errors.setdefault(key, message)
    return again


def _evaluate_once(
    form: Form,
    answers: Mapping[str, object],
    category: str | None,
    today: date | None,
    enterprise_refused: bool,
) -> Evaluation:
    result = Evaluation()
    names: dict[str, Any] = {
        "category": category,
        "today": today.isoformat() if today else None,
        "enterprise_refused": enterprise_refused,
    }
    engine = Evaluator(names)
    section_visible: dict[str, bool] = {}
    sections = {s.key: s for s in form.sections}
    items = form.items

    for key in form.eval_order:
        item = items[key]
        sec = item.section
        if sec not in section_visible:
            rel = sections[sec].relevant
            section_visible[sec] = rel is None or engine.truth(rel)
        if not section_visible[sec] or (item.relevant is not None and not engine.truth(item.relevant)):
            names[key] = None
            continue
        result.visible.add(key)
        value: AnswerValue
        if item.compute is not None:
            value = _computed(engine, item, result)
            result.computed[key] = value
        else:
            try:
                value = coerce(item, answers.get(key))
            except AnswerError as exc:
                result.errors[key] = str(exc)
                value = None
        names[key] = _expr_value(item, value)
        if value is not None:
            result.values[key] = value

    for key, item in items.items():  # form order from here on: findings read top to bottom
        if key not in result.visible:
            continue
        value = result.values.get(key)
        if item.required:
            result.total_required += 1
            refused = enterprise_refused and item.signer == ENTERPRISE_ROLE and item.refusable
            if is_answered(item, value) or refused:
                result.answered_required += 1
            else:
                result.missing_required.append(key)
        if value is None or key in result.errors:
            continue
        for constraint in item.constraints:
            ok, passed = engine.value(constraint.check, {"value": names[key]})
            # A check that cannot be computed yet (another answer missing) is not reported.
            if ok and not passed:
                result.errors[key] = constraint.message.zh
                break
        _derive_findings(engine, item, value, names[key], result)

    result.outcome = _outcome(form, engine, names, result)
    return result


def _computed(engine: Evaluator, item: Item, result: Evaluation) -> AnswerValue:
    assert item.compute is not None
    ok, raw = engine.value(item.compute)
    if not ok or raw is None:
        return None
    try:
        if item.type is ItemType.DECIMAL and isinstance(raw, int | float) and not isinstance(raw, bool):
            places = item.places if item.places is not None else DEFAULT_COMPUTED_PLACES
            raw = decimal_text(round(Decimal(repr(float(raw))), places))
        elif item.type is ItemType.INTEGER and isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        elif item.type is ItemType.TEXT and not isinstance(raw, str):
            raw = str(raw)
        return coerce(item, raw)
    except (AnswerError, InvalidOperation, OverflowError, ValueError) as exc:
        result.errors[item.key] = str(exc) if isinstance(exc, AnswerError) else "无法计算"
        return None


def _derive_findings(
    engine: Evaluator, item: Item, value: AnswerValue, seen: Any, result: Evaluation
) -> None:
    if item.tick_list and isinstance(value, list):
        for option in value:
            choice = item.choice(option)
            if choice is None:
                continue
            result.findings.append(FindingDraft(
                item_key=item.key,
                title=f"{item.label.zh}：{choice.label.zh}",
                title_en=_joined(item.label, choice.label),
                severity=choice.severity or item.severity,
                description=choice.description or item.description or f"存在问题：{choice.label.zh}",
                rectification=choice.rectification or item.rectification,
                deadline_days=item.deadline_days if choice.deadline_days is None else choice.deadline_days,
                legal_basis=choice.legal_basis or item.legal_basis,
                option=option,
                veto=item.veto,
            ))
        if item.veto and value:
            result.veto_failed.append(item.key)
        return
    failed = (
        (item.type is ItemType.COMPLIANCE and value == Compliance.NO.value)
        or (item.type is ItemType.YESNO and item.bad_answer is not None and value is item.bad_answer)
        or (item.finding_when is not None and engine.truth(item.finding_when, {"value": seen}))
    )
    if not failed:
        return
    result.findings.append(FindingDraft(
        item_key=item.key,
        # A compliance label states the requirement; other labels name a measurement, so the
        # author's description of the problem makes the better title.
        title=item.label.zh if item.type is ItemType.COMPLIANCE else item.description or item.label.zh,
        title_en=item.label.en if item.type is ItemType.COMPLIANCE or not item.description else None,
        severity=item.severity,
        description=item.description or f"{item.label.zh}：不符合要求",
        rectification=item.rectification,
        deadline_days=item.deadline_days,
        legal_basis=item.legal_basis,
        veto=item.veto,
    ))
    if item.veto:
        result.veto_failed.append(item.key)


def _joined(a: Label, b: Label) -> str | None:
    return f"{a.en}: {b.en}" if a.en and b.en else None


def _outcome(form: Form, engine: Evaluator, names: dict[str, Any], result: Evaluation) -> str:
    major = result.major_count
    extra = {
        "veto_failed": bool(result.veto_failed),
        "veto_count": len(result.veto_failed),
        "finding_count": len(result.findings),
        "major_count": major,
        "general_count": len(result.findings) - major,
        "missing_count": len(result.missing_required),
    }
    for rule in form.outcome_rules:
        if engine.truth(rule.when, extra):
            return rule.outcome
    return form.default_outcome
