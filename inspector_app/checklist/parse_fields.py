"""Reading one field of a form: the problems found, each with its line; labels, texts, flags,
bounded numbers, expressions; the names a form's expressions may use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from inspector_app.checklist.expr import FUNCTIONS, Expr, ExprError, compile_expr
from inspector_app.checklist.model import (
    FormProblem,
    ItemType,
    Label,
)
from inspector_app.checklist.yamlread import YMap, YSeq

# Names the evaluator provides besides item keys; an item may not shadow them.
CONTEXT_NAMES = frozenset({"category", "today", "enterprise_refused"})
CONSTRAINT_NAMES = frozenset({"value"})
OUTCOME_NAMES = frozenset(
    {"veto_failed", "veto_count", "finding_count", "major_count", "general_count", "missing_count"}
)
RESERVED_NAMES = (
    CONTEXT_NAMES | CONSTRAINT_NAMES | OUTCOME_NAMES | frozenset(FUNCTIONS) | {"true", "false", "none"}
)
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
MAX_PROBLEMS = 200  # listed per file; a hostile file could otherwise print a million lines


class ParseContext:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[FormProblem] = []

    def add(self, line: int | None, item: str | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(FormProblem(self.name, line, item, message))
        elif len(self.problems) == MAX_PROBLEMS:
            self.problems.append(FormProblem(self.name, None, None, f"more than {MAX_PROBLEMS} problems; "
                                             "the rest are not listed"))


def line_of(node: Any, key: str | None = None) -> int | None:
    if isinstance(node, YMap):
        if key is not None and key in node.key_lines:
            return node.key_lines[key]
        return node.line
    if isinstance(node, YSeq):
        return node.line
    return None


def read_label(
    ctx: ParseContext, node: YMap, key: str, item: str | None, *, required: bool = True
) -> Label | None:
    raw = node.get(key)
    line = line_of(node, key)
    if raw is None:
        if required:
            ctx.add(line, item, f'missing "{key}"')
        return None
    if isinstance(raw, str):
        if not raw.strip():
            ctx.add(line, item, f'"{key}" is empty')
            return None
        return Label(raw.strip())
    if isinstance(raw, YMap):
        for extra in raw.keys() - {"zh", "en"}:
            ctx.add(line_of(raw, extra), item, f'"{key}" has unknown language "{extra}" (use zh, en)')
        zh, en = raw.get("zh"), raw.get("en")
        if not isinstance(zh, str) or not zh.strip():
            ctx.add(line, item, f'"{key}" needs Chinese text in "zh"')
            return None
        if en is not None and not isinstance(en, str):
            ctx.add(line_of(raw, "en"), item, f'"{key}.en" must be text')
            en = None
        return Label(zh.strip(), en.strip() if en and en.strip() else None)
    ctx.add(line, item, f'"{key}" must be text or {{zh: …, en: …}}')
    return None


def read_text(ctx: ParseContext, node: YMap, key: str, item: str | None) -> str:
    raw = node.get(key)
    if raw is None:
        return ""
    if not isinstance(raw, str):
        ctx.add(line_of(node, key), item, f'"{key}" must be text')
        return ""
    return raw.strip()


def read_flag(ctx: ParseContext, node: YMap, key: str, item: str | None) -> bool:
    raw = node.get(key, False)
    if not isinstance(raw, bool):
        ctx.add(line_of(node, key), item, f'"{key}" must be true or false')
        return False
    return raw


def read_int(
    ctx: ParseContext, node: YMap, key: str, item: str | None, bounds: tuple[int, int]
) -> int | None:
    low, high = bounds
    raw = node.get(key)
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        ctx.add(line_of(node, key), item, f'"{key}" must be a whole number from {low} to {high}, not {raw!r}')
        return None
    return raw


def read_expr(
    ctx: ParseContext, node: YMap, key: str, item: str | None, names: frozenset[str]
) -> Expr | None:
    raw = node.get(key)
    if raw is None:
        return None
    try:
        return compile_expr(raw, names)
    except ExprError as exc:
        ctx.add(line_of(node, key), item, f'"{key}": {exc}')
        return None


def check_fields(ctx: ParseContext, node: YMap, allowed: frozenset[str], item: str | None, what: str) -> None:
    for k in node:
        if k not in allowed:
            ctx.add(line_of(node, k), item, f'unknown field "{k}" in {what}')


@dataclass
class FormNames:
    keys: dict[str, YMap]
    types: dict[str, ItemType]

    @property
    def plain(self) -> frozenset[str]:
        return frozenset(self.keys) | CONTEXT_NAMES
