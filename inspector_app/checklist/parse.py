"""Parsing a checklist: YAML text → checked, compiled Form, or every problem with its line.

Validation collects problems instead of stopping at the first one, so the author of a form fixes
them all in one round; a form with any problem is never returned.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from inspector_app.checklist.expr import Expr
from inspector_app.checklist.model import (
    CHOICE_TYPES,
    Form,
    FormError,
    FormProblem,
    Item,
    ItemType,
    OutcomeRule,
    Section,
)
from inspector_app.checklist.parse_fields import (
    KEY_PATTERN,
    OUTCOME_NAMES,
    FormNames,
    ParseContext,
    check_fields,
    line_of,
    read_expr,
    read_label,
    read_text,
)
from inspector_app.checklist.parse_items import build_item
from inspector_app.checklist.yamlread import YamlSyntaxError, YMap, YSeq, read_yaml
from inspector_app.domain.enforcement import DocKind, Domain
from inspector_app.domain.visit import VisitKind

# A visit is made by at most a crew this size; more is a typo, not a rule (forms/SCHEMA.md).
MAX_OFFICERS = 4
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,31}$")
_FORM_FIELDS = frozenset(
    {"code", "version", "title", "description", "kind", "applies_to", "sections", "outcome",
     "domain", "documents", "valid_from", "valid_until", "officers"}
)
_SECTION_FIELDS = frozenset({"key", "title", "items", "relevant"})
# A form is a file from outside (a USB stick, a sync): every dimension is capped, far above what a
# real checklist needs (the largest shipped form: 21 KB, 60 items, labels under 70 characters).
MAX_FORM_BYTES = 512_000
MAX_SECTIONS = 200
MAX_ITEMS = 2_000
MAX_LIST_LENGTH = 2_000  # choices of an item, constraints, outcome rules …
MAX_LABEL_LENGTH = 500  # titles and labels, each language
MAX_TEXT_LENGTH = 4_000  # descriptions, legal bases, hints and every other text
_LABEL_KEYS = frozenset({"title", "label", "zh", "en", "message"})
_LISTS_OF_MAPPINGS = frozenset({"sections", "items", "choices", "constraints", "rules"})


def parse_form(data: bytes | str, name: str = "<form>") -> Form:
    """Build a Form from YAML text; ``name`` is what problems call the file.

    Raises FormError and nothing else, whatever the text holds.
    """
    ctx = ParseContext(name)
    if len(data) > MAX_FORM_BYTES:
        too_big = (f"file larger than {MAX_FORM_BYTES:,} bytes; a form needs far less "
                   "(the largest shipped form has 21 KB)")
        raise FormError([FormProblem(name, None, None, too_big)])
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FormError([FormProblem(name, None, None, f"not UTF-8 text: {exc.reason}")]) from None
    else:
        text = data
    try:
        root = read_yaml(text)
        form = _build_form(ctx, root) if _check_shape(ctx, root) else None
    except YamlSyntaxError as exc:
        raise FormError([FormProblem(name, exc.line, None, f"YAML error: {exc.message}")]) from None
    except (RecursionError, MemoryError):
        # Every cap above should stop a hostile file first; this is the last fence, so that a
        # form the caps missed is still one refused file, never a workspace that will not open.
        problem = FormProblem(name, None, None, "form too large or too deeply nested to read")
        raise FormError([problem]) from None
    if ctx.problems or form is None:
        raise FormError(ctx.problems)
    return form


def _check_shape(ctx: ParseContext, root: Any) -> bool:
    """Caps on sizes, checked in one pass over the whole tree before anything is built; each
    problem names the line and the item it sits in. False when the form is too big to go on."""
    before = len(ctx.problems)
    # (node, field it is the value of, item key it belongs to, line of that field)
    todo: list[tuple[Any, str | None, str | None, int | None]] = [(root, None, None, 1)]
    while todo:
        node, name, item, line = todo.pop()
        if isinstance(node, YMap):
            key = node.get("key")
            if name is None and isinstance(key, str) and "type" in node:
                item = key[:64]
            for k, v in node.items():
                todo.append((v, name if name in _LABEL_KEYS and k in ("zh", "en") else k, item,
                             node.key_lines.get(k, node.line)))
        elif isinstance(node, YSeq):
            limit = {"sections": MAX_SECTIONS}.get(name or "", MAX_LIST_LENGTH)
            if len(node) > limit:
                ctx.add(line, item, f'"{name}" has {len(node)} entries; at most {limit} are allowed')
                continue
            inner = None if name in _LISTS_OF_MAPPINGS else name
            lines = node.item_lines
            todo.extend((v, inner, item, lines[i] if i < len(lines) else line) for i, v in enumerate(node))
        elif isinstance(node, str):
            limit = MAX_LABEL_LENGTH if name in _LABEL_KEYS else MAX_TEXT_LENGTH
            if len(node) > limit:
                ctx.add(line, item, f'"{name}" is {len(node):,} characters long; at most {limit} are allowed')
    sections = root.get("sections") if isinstance(root, YMap) else None
    if isinstance(sections, YSeq):
        lists = [s["items"] for s in sections if isinstance(s, YMap) and isinstance(s.get("items"), YSeq)]
        count = sum(len(items) for items in lists)
        if count > MAX_ITEMS:
            too_many = f"the form has {count} items; at most {MAX_ITEMS} are allowed"
            ctx.add(line_of(root, "sections"), None, too_many)
    return len(ctx.problems) == before


def _build_form(ctx: ParseContext, root: Any) -> Form | None:
    if not isinstance(root, YMap):
        ctx.add(line_of(root) or 1, None, "a form must be a mapping with code, version, title, sections …")
        return None
    check_fields(ctx, root, _FORM_FIELDS, None, "form")
    code = root.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        ctx.add(line_of(root, "code"), None,
                f'"code" must be lower-case letters, digits and "-", not {code!r}')
    version = root.get("version")
    if not isinstance(version, str):
        hint = f' (write "{version}" in quotes)' if isinstance(version, int | float) else ""
        ctx.add(line_of(root, "version"), None, f'"version" must be quoted text{hint}')
    elif not _VERSION.match(version):
        ctx.add(line_of(root, "version"), None, f'"version" {version!r}: only letters, digits, "." and "-"')
    title = read_label(ctx, root, "title", None)
    description = read_label(ctx, root, "description", None, required=False)
    kind_raw = root.get("kind")
    kind = VisitKind.INSPECTION
    if not isinstance(kind_raw, str) or kind_raw not in {k.value for k in VisitKind}:
        ctx.add(line_of(root, "kind"), None, f'"kind" must be inspection or recheck, not {kind_raw!r}')
    else:
        kind = VisitKind(kind_raw)
    applies_to = _applies_to(ctx, root)

    sections_raw = root.get("sections")
    if not isinstance(sections_raw, YSeq) or not sections_raw:
        ctx.add(line_of(root, "sections"), None, '"sections" must be a non-empty list')
        sections_raw = YSeq()
    names = _collect_names(ctx, sections_raw)
    sections: list[Section] = []
    items: dict[str, Item] = {}
    seen_sections: set[str] = set()
    for snode in sections_raw:
        section = _build_section(ctx, snode, names, seen_sections)
        if section is not None:
            sections.append(section)
            for it in section.items:
                items.setdefault(it.key, it)
    _check_option_refs(ctx, items)
    order = _evaluation_order(ctx, sections, items)
    rules, default = _build_outcome(ctx, root, names)
    if ctx.problems:
        return None
    assert isinstance(code, str) and isinstance(version, str) and title is not None and default is not None
    return Form(
        code=code, version=version, title=title, kind=kind, applies_to=applies_to,
        sections=tuple(sections), items=items, outcome_rules=tuple(rules), default_outcome=default,
        description=description, source=ctx.name, eval_order=tuple(order), **_enforcement(ctx, root),
    )


def _enforcement(ctx: ParseContext, root: YMap) -> dict[str, Any]:
    """domain, documents and the validity period (see forms/SCHEMA.md)."""
    out: dict[str, Any] = {}
    domain = read_text(ctx, root, "domain", None)
    if domain and domain not in {d.value for d in Domain}:
        ctx.add(line_of(root, "domain"), None,
                f'"domain" must be one of {", ".join(d.value for d in Domain)}')
    out["domain"] = domain
    docs = root.get("documents", YSeq())
    if not isinstance(docs, YSeq) or any(d not in {k.value for k in DocKind} for d in docs):
        ctx.add(line_of(root, "documents"), None, f'"documents" must list kinds among {", ".join(DocKind)}')
        docs = YSeq()
    out["documents"] = tuple(str(d) for d in docs)
    officers = root.get("officers", 1)
    if isinstance(officers, bool) or not isinstance(officers, int) or not 1 <= officers <= MAX_OFFICERS:
        ctx.add(line_of(root, "officers"), None,
                f'"officers" must be a whole number of officers from 1 to {MAX_OFFICERS}, not {officers!r}')
        officers = 1
    out["officers"] = officers
    for key in ("valid_from", "valid_until"):
        text = read_text(ctx, root, key, None)
        try:
            out[key] = date.fromisoformat(text).isoformat() if text else ""
        except ValueError:
            ctx.add(line_of(root, key), None, f'"{key}" must be a quoted date "YYYY-MM-DD", not {text!r}')
    return out


def _applies_to(ctx: ParseContext, root: YMap) -> tuple[str, ...]:
    raw = root.get("applies_to")
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw or not all(isinstance(c, str) and c.strip() for c in raw):
        ctx.add(line_of(root, "applies_to"), None, '"applies_to" must list enterprise categories ("*": all)')
        return ()
    return tuple(c.strip() for c in raw)


def _collect_names(ctx: ParseContext, sections: YSeq) -> FormNames:
    """First pass: every item key and type, so expressions may refer to items further down."""
    keys: dict[str, YMap] = {}
    types: dict[str, ItemType] = {}
    for snode in sections:
        if not isinstance(snode, YMap) or not isinstance(snode.get("items"), YSeq):
            continue
        for inode in snode["items"]:
            if not isinstance(inode, YMap):
                continue
            key = inode.get("key")
            if not isinstance(key, str):
                continue
            if key in keys:
                first = line_of(keys[key], "key")
                ctx.add(line_of(inode, "key"), key, f"duplicate item key (first used on line {first})")
                continue
            keys[key] = inode
            t = inode.get("type")
            if isinstance(t, str) and t in ItemType.__members__.values():
                types[key] = ItemType(t)
    return FormNames(keys, types)


def _build_section(ctx: ParseContext, node: Any, names: FormNames, seen: set[str]) -> Section | None:
    if not isinstance(node, YMap):
        ctx.add(line_of(node), None, "each section must be a mapping with key, title and items")
        return None
    check_fields(ctx, node, _SECTION_FIELDS, None, "section")
    key = node.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        ctx.add(line_of(node, "key"), None, f"section key must be lower-case letters, digits, _, not {key!r}")
        key = "?"
    elif key in seen:
        ctx.add(line_of(node, "key"), None, f'duplicate section key "{key}"')
    seen.add(key)
    title = read_label(ctx, node, "title", None)
    relevant = read_expr(ctx, node, "relevant", None, names.plain)
    raw_items = node.get("items")
    if not isinstance(raw_items, YSeq) or not raw_items:
        ctx.add(line_of(node, "items"), None, f'section "{key}": "items" must be a non-empty list')
        raw_items = YSeq()
    items: list[Item] = []
    for inode in raw_items:
        built = build_item(ctx, inode, key, names)
        if built is not None:
            items.append(built)
    if title is None:
        return None
    return Section(key, title, tuple(items), relevant)


def _check_option_refs(ctx: ParseContext, items: dict[str, Item]) -> None:
    """``selected(x, 'opt')`` must name a choice item and one of its options: a typo never matches."""
    for item in items.values():
        exprs: list[Expr | None] = [item.relevant, item.compute, item.finding_when]
        exprs += [c.check for c in item.constraints]
        for e in exprs:
            if e is None:
                continue
            for subject, option in e.option_refs:
                target = items.get(subject)
                if target is None:
                    continue
                if target.type not in CHOICE_TYPES:
                    ctx.add(item.line, item.key, f'selected() on "{subject}", which is not a choice item')
                elif target.choice(option) is None:
                    ctx.add(item.line, item.key, f'"{subject}" has no option "{option}"')


def _evaluation_order(ctx: ParseContext, sections: list[Section], items: dict[str, Item]) -> list[str]:
    """Keys ordered so relevance and computed values only read settled items; cycles are errors.

    A depth-first search with its own stack: a chain of thousands of items that each read the
    next must not exhaust Python's recursion, and each item costs its own dependencies only.
    """
    section_rel = {s.key: s.relevant for s in sections}
    position = {key: i for i, key in enumerate(items)}
    deps: dict[str, list[str]] = {}
    for key, item in items.items():
        names: set[str] = set()
        for e in (item.relevant, item.compute, section_rel.get(item.section)):
            if e is not None:
                names |= e.names
        deps[key] = sorted((n for n in names if n in position), key=position.__getitem__)
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[frozenset[str]] = set()
    for root in items:
        if root in state:
            continue
        path: list[str] = [root]
        on_path = {root: 0}  # key → its place in path
        stack: list[Iterator[str]] = [iter(deps[root])]
        state[root] = 1
        while stack:
            dep = next(stack[-1], None)
            if dep is None:
                stack.pop()
                done = path.pop()
                del on_path[done]
                state[done] = 2
                order.append(done)
            elif dep in on_path:
                if len(reported) < _MAX_CYCLES_REPORTED:
                    cycle = [*path[on_path[dep]:], dep]
                    if frozenset(cycle) not in reported:
                        reported.add(frozenset(cycle))
                        shown = " → ".join(_shorten(cycle))
                        ctx.add(items[dep].line, dep, f"relevance/computation cycle: {shown}")
            elif dep not in state:
                state[dep] = 1
                on_path[dep] = len(path)
                path.append(dep)
                stack.append(iter(deps[dep]))
    return order


_MAX_CYCLES_REPORTED = 20


def _shorten(cycle: list[str]) -> list[str]:
    """A cycle through thousands of items is named by its ends."""
    return cycle if len(cycle) <= 12 else [*cycle[:5], f"… {len(cycle) - 10} more …", *cycle[-5:]]


def _build_outcome(ctx: ParseContext, root: YMap, names: FormNames) -> tuple[list[OutcomeRule], str | None]:
    node = root.get("outcome")
    if not isinstance(node, YMap):
        ctx.add(line_of(root, "outcome"), None, '"outcome" must be a mapping with rules and default')
        return [], None
    check_fields(ctx, node, frozenset({"rules", "default"}), None, "outcome")
    default = node.get("default")
    if not isinstance(default, str) or not default.strip():
        ctx.add(line_of(node, "default"), None, 'outcome needs a text "default"')
        default = None
    rules: list[OutcomeRule] = []
    raw = node.get("rules", YSeq())
    if not isinstance(raw, YSeq):
        ctx.add(line_of(node, "rules"), None, 'outcome "rules" must be a list of {when, outcome}')
        return rules, default
    allowed = names.plain | OUTCOME_NAMES
    for entry in raw:
        if not isinstance(entry, YMap):
            ctx.add(line_of(raw), None, "each outcome rule must be a mapping {when: …, outcome: …}")
            continue
        check_fields(ctx, entry, frozenset({"when", "outcome"}), None, "outcome rule")
        when = read_expr(ctx, entry, "when", None, allowed)
        if "when" not in entry:
            ctx.add(line_of(entry), None, 'outcome rule without "when"')
        outcome = entry.get("outcome")
        if not isinstance(outcome, str) or not outcome.strip():
            ctx.add(line_of(entry, "outcome") or line_of(entry), None, 'outcome rule needs a text "outcome"')
            continue
        if when is not None:
            rules.append(OutcomeRule(when, outcome.strip(), line_of(entry)))
    return rules, default.strip() if default else None
