"""Reading one item of a form: its type and the fields that type takes, choices, bounds,
constraints, the signer of a signature item and the finding a failed answer raises."""

from __future__ import annotations

import keyword
from decimal import Decimal, InvalidOperation
from typing import Any

from inspector_app.checklist.model import (
    CHOICE_TYPES,
    NUMERIC_TYPES,
    Choice,
    Constraint,
    Item,
    ItemType,
    Label,
)
from inspector_app.checklist.parse_fields import (
    CONSTRAINT_NAMES,
    KEY_PATTERN,
    RESERVED_NAMES,
    FormNames,
    ParseContext,
    check_fields,
    line_of,
    read_expr,
    read_flag,
    read_int,
    read_label,
    read_text,
)
from inspector_app.checklist.yamlread import YMap, YSeq
from inspector_app.domain.finding import Severity
from inspector_app.domain.visit import ENTERPRISE_ROLE

_COMMON_FIELDS = frozenset(
    {"key", "type", "label", "required", "hint", "relevant", "constraint", "message", "constraints",
     "compute", "finding_when", "severity", "description", "rectification", "deadline_days",
     "legal_basis", "veto", "violation"}
)
_FINDING_FIELDS = (
    "severity", "description", "rectification", "deadline_days", "legal_basis", "veto", "violation"
)
_TYPE_FIELDS: dict[ItemType, frozenset[str]] = {
    ItemType.COMPLIANCE: frozenset(),
    ItemType.YESNO: frozenset({"bad_answer"}),
    ItemType.INTEGER: frozenset({"unit", "min", "max"}),
    ItemType.DECIMAL: frozenset({"unit", "min", "max", "places"}),
    ItemType.TEXT: frozenset({"max_length"}),
    ItemType.CHOICE: frozenset({"choices"}),
    ItemType.MULTI: frozenset({"choices", "tick_list", "min", "max"}),
    ItemType.DATE: frozenset(),
    ItemType.PHOTOS: frozenset({"min", "max"}),
    ItemType.SIGNATURE: frozenset({"signer", "refusable"}),
}
_CHOICE_FIELDS = frozenset({"value", "label"})
_TICK_FIELDS = frozenset({"severity", "description", "rectification", "deadline_days", "legal_basis"})
MAX_DEADLINE_DAYS = 365


def build_item(ctx: ParseContext, node: Any, section: str, names: FormNames) -> Item | None:
    if not isinstance(node, YMap):
        ctx.add(line_of(node), None, "each item must be a mapping with key, type and label")
        return None
    before = len(ctx.problems)
    key = node.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        ctx.add(line_of(node, "key"), None, f"item key must be lower-case letters, digits, _, not {key!r}")
        return None
    if key in RESERVED_NAMES or keyword.iskeyword(key) or keyword.issoftkeyword(key):
        ctx.add(line_of(node, "key"), key, "item key is a reserved name")
    type_raw = node.get("type")
    if not isinstance(type_raw, str) or type_raw not in ItemType.__members__.values():
        shown = "missing type" if type_raw is None else f"unknown type {_q(type_raw)}"
        ctx.add(line_of(node, "type"), key, f"{shown} (one of {', '.join(t.value for t in ItemType)})")
        return None
    kind = ItemType(type_raw)
    allowed = _COMMON_FIELDS | _TYPE_FIELDS[kind]
    for k in node:
        if k not in allowed:
            where = "for an item" if k not in set().union(*_TYPE_FIELDS.values()) else f'for type "{kind}"'
            ctx.add(line_of(node, k), key, f'field "{k}" is not allowed {where}')
    label = read_label(ctx, node, "label", key)
    hint = read_label(ctx, node, "hint", key, required=False)
    required = read_flag(ctx, node, "required", key)
    veto = read_flag(ctx, node, "veto", key)
    tick_list = read_flag(ctx, node, "tick_list", key)

    plain = names.plain
    with_value = plain | CONSTRAINT_NAMES
    relevant = read_expr(ctx, node, "relevant", key, plain)
    compute = read_expr(ctx, node, "compute", key, plain)
    finding_when = read_expr(ctx, node, "finding_when", key, with_value)
    constraints = _constraints(ctx, node, key, with_value)
    if compute is not None and required:
        ctx.add(line_of(node, "required"), key, "a computed item cannot be required (nobody answers it)")
    if compute is not None and kind in (ItemType.PHOTOS, ItemType.SIGNATURE):
        ctx.add(line_of(node, "compute"), key, f'an item of type "{kind}" cannot be computed')

    severity = _severity(ctx, node, key) or Severity.GENERAL
    bad_answer = node.get("bad_answer")
    if bad_answer is not None and not isinstance(bad_answer, bool):
        ctx.add(line_of(node, "bad_answer"), key, '"bad_answer" must be true or false')
        bad_answer = None

    low, high = _bounds(ctx, node, key, kind)
    choices = _choices(ctx, node, key, kind, tick_list)
    violation = read_label(ctx, node, "violation", key, required=False)
    item = Item(
        key=key, type=kind, label=label or Label(key), section=section, line=line_of(node, "key"),
        required=required, hint=hint, unit=read_text(ctx, node, "unit", key), min=low, max=high,
        places=read_int(ctx, node, "places", key, (0, 10)),
        max_length=read_int(ctx, node, "max_length", key, (1, 100_000)),
        choices=choices, tick_list=tick_list, bad_answer=bad_answer, severity=severity,
        description=read_text(ctx, node, "description", key) or (violation.zh if violation else ""),
        violation=violation,
        rectification=read_text(ctx, node, "rectification", key),
        deadline_days=read_int(ctx, node, "deadline_days", key, (0, MAX_DEADLINE_DAYS)),
        legal_basis=read_text(ctx, node, "legal_basis", key), veto=veto, relevant=relevant,
        constraints=constraints, compute=compute, finding_when=finding_when,
        signer=_signer(ctx, node, key), refusable=read_flag(ctx, node, "refusable", key),
    )
    if item.refusable and not item.signer:
        ctx.add(line_of(node, "refusable"), key,
                'a refusal is recorded for a signer: add "signer: enterprise"')
    if not item.can_derive_finding:
        for k in _FINDING_FIELDS:
            if k in node:
                ctx.add(line_of(node, k), key, f'"{k}" is set but this item can never be a non-compliance '
                        "(use compliance, a yesno with bad_answer, a tick_list or finding_when)")
    if len(ctx.problems) > before:
        return None
    return item


SIGNERS = frozenset({ENTERPRISE_ROLE})


def _signer(ctx: ParseContext, node: YMap, key: str) -> str:
    raw = node.get("signer", "")
    if raw != "" and raw not in SIGNERS:
        known = ", ".join(sorted(SIGNERS))
        ctx.add(line_of(node, "signer"), key, f"signer must be one of {known}, not {_q(raw)}")
        return ""
    return str(raw)


def _severity(ctx: ParseContext, node: YMap, key: str) -> Severity | None:
    raw = node.get("severity")
    if raw is None:
        return None
    if not isinstance(raw, str) or raw not in {s.value for s in Severity}:
        ctx.add(line_of(node, "severity"), key, f"severity must be 一般 or 重大, not {_q(raw)}")
        return None
    return Severity(raw)


def _q(raw: object) -> str:
    return f'"{raw}"' if isinstance(raw, str) else repr(raw)


def _constraints(ctx: ParseContext, node: YMap, key: str, names: frozenset[str]) -> tuple[Constraint, ...]:
    out: list[Constraint] = []
    if "constraint" in node:
        check = read_expr(ctx, node, "constraint", key, names)
        message = read_label(ctx, node, "message", key)
        if check is not None and message is not None:
            out.append(Constraint(check, message))
    elif "message" in node:
        ctx.add(line_of(node, "message"), key, '"message" belongs to a "constraint"')
    raw = node.get("constraints")
    if raw is None:
        return tuple(out)
    if not isinstance(raw, YSeq):
        ctx.add(line_of(node, "constraints"), key, '"constraints" must be a list of {check, message}')
        return tuple(out)
    for entry in raw:
        if not isinstance(entry, YMap):
            ctx.add(line_of(raw), key, 'each constraint must be a mapping {check: …, message: …}')
            continue
        check_fields(ctx, entry, frozenset({"check", "message"}), key, "constraint")
        if "check" not in entry:
            ctx.add(line_of(entry), key, 'constraint without "check"')
            continue
        check = read_expr(ctx, entry, "check", key, names)
        message = read_label(ctx, entry, "message", key)
        if check is not None and message is not None:
            out.append(Constraint(check, message))
    return tuple(out)


_Bound = int | Decimal | None


def _bounds(ctx: ParseContext, node: YMap, key: str, kind: ItemType) -> tuple[_Bound, _Bound]:
    out: list[int | Decimal | None] = []
    for name in ("min", "max"):
        raw = node.get(name)
        value: int | Decimal | None = None
        if raw is None:
            pass
        elif kind is ItemType.DECIMAL and not isinstance(raw, bool) and isinstance(raw, int | float | str):
            try:
                value = Decimal(str(raw))
            except InvalidOperation:
                value = None
            if value is None or not value.is_finite():
                ctx.add(line_of(node, name), key, f'"{name}" must be a number, not {raw!r}')
                value = None
        elif isinstance(raw, int) and not isinstance(raw, bool):
            value = raw
            if kind not in NUMERIC_TYPES and raw < 0:
                ctx.add(line_of(node, name), key, f'"{name}" counts and cannot be negative')
        else:
            ctx.add(line_of(node, name), key, f'"{name}" must be a whole number, not {raw!r}')
        out.append(value)
    low, high = out
    if low is not None and high is not None and low > high:
        ctx.add(line_of(node, "max"), key, f"bad range: min {low} is greater than max {high}")
    return low, high


def _choices(ctx: ParseContext, node: YMap, key: str, kind: ItemType, tick_list: bool) -> tuple[Choice, ...]:
    if kind not in CHOICE_TYPES:
        return ()
    raw = node.get("choices")
    if not isinstance(raw, YSeq) or not raw:
        ctx.add(line_of(node, "choices") or line_of(node, "key"), key, '"choices" must be a non-empty list')
        return ()
    out: list[Choice] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw):
        line = raw.item_lines[i] if i < len(raw.item_lines) else line_of(raw)
        if isinstance(entry, str) and entry.strip():
            choice = Choice(entry.strip(), Label(entry.strip()))
        elif isinstance(entry, YMap):
            allowed = _CHOICE_FIELDS | (_TICK_FIELDS if tick_list else frozenset())
            what = "choice" if tick_list else "choice (finding fields need tick_list: true)"
            check_fields(ctx, entry, allowed, key, what)
            value = entry.get("value")
            if not isinstance(value, str) or not value.strip():
                ctx.add(line_of(entry, "value"), key, 'choice needs a text "value"')
                continue
            label = read_label(ctx, entry, "label", key, required=False) or Label(value.strip())
            choice = Choice(
                value.strip(), label, _severity(ctx, entry, key),
                read_text(ctx, entry, "rectification", key) or None,
                read_int(ctx, entry, "deadline_days", key, (0, MAX_DEADLINE_DAYS)),
                read_text(ctx, entry, "legal_basis", key) or None,
                read_text(ctx, entry, "description", key) or None,
            )
        else:
            ctx.add(line, key, "each choice must be text or a mapping with value and label")
            continue
        if choice.value in seen:
            ctx.add(line, key, f'duplicate choice "{choice.value}"')
            continue
        seen.add(choice.value)
        out.append(choice)
    return tuple(out)
