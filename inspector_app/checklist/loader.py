"""Reading checklist files: YAML → checked, compiled Form, or every problem with its line.

Validation collects problems instead of stopping at the first one, so the author of a form fixes
them all in one round; a form with any problem is never returned.
"""

from __future__ import annotations

import keyword
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from inspector_app import paths
from inspector_app.checklist.expr import FUNCTIONS, Expr, ExprError, compile_expr
from inspector_app.checklist.model import (
    CHOICE_TYPES,
    NUMERIC_TYPES,
    Choice,
    Constraint,
    Form,
    FormError,
    FormProblem,
    Item,
    ItemType,
    Label,
    OutcomeRule,
    Section,
)
from inspector_app.checklist.yamlread import YamlSyntaxError, YMap, YSeq, read_yaml
from inspector_app.domain.enforcement import DocKind, Domain
from inspector_app.domain.finding import Severity
from inspector_app.domain.visit import ENTERPRISE_ROLE, VisitKind

FORMS_DIR_ENV = "INSPECTOR_FORMS_DIR"
FORM_SUFFIXES = (".yaml", ".yml")

# Names the evaluator provides besides item keys; an item may not shadow them.
CONTEXT_NAMES = frozenset({"category", "today", "enterprise_refused"})
CONSTRAINT_NAMES = frozenset({"value"})
OUTCOME_NAMES = frozenset(
    {"veto_failed", "veto_count", "finding_count", "major_count", "general_count", "missing_count"}
)
RESERVED_NAMES = (
    CONTEXT_NAMES | CONSTRAINT_NAMES | OUTCOME_NAMES | frozenset(FUNCTIONS) | {"true", "false", "none"}
)

# A visit is made by at most a crew this size; more is a typo, not a rule (forms/SCHEMA.md).
MAX_OFFICERS = 4
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,31}$")

_FORM_FIELDS = frozenset(
    {"code", "version", "title", "description", "kind", "applies_to", "sections", "outcome",
     "domain", "documents", "valid_from", "valid_until", "officers"}
)
_SECTION_FIELDS = frozenset({"key", "title", "items", "relevant"})
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


def default_forms_dir() -> Path:
    """The forms shipped with the app, unless ``INSPECTOR_FORMS_DIR`` points elsewhere."""
    override = os.environ.get(FORMS_DIR_ENV)
    return Path(override) if override else paths.forms_dir()


def display_path(path: Path) -> str:
    """The path as an author would type it: relative to the working directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def read_form_bytes(path: str | os.PathLike[str], name: str | None = None) -> bytes:
    """A form file's bytes, never more than MAX_FORM_BYTES + 1 of them whatever the file holds
    (``parse_form`` then refuses an over-long one); FormError when it cannot be read."""
    if Path(path).exists() and not Path(path).is_file():  # a pipe would block, a device never end
        shown = name or display_path(Path(path))
        raise FormError([FormProblem(shown, None, None, "not a regular file")])
    try:
        with Path(path).open("rb") as fh:
            return fh.read(MAX_FORM_BYTES + 1)
    except OSError as exc:
        shown = name or display_path(Path(path))
        reason = f"cannot read file: {exc.strerror or exc}"
        raise FormError([FormProblem(shown, None, None, reason)]) from None


def load_form(path: str | os.PathLike[str]) -> Form:
    name = display_path(Path(path))
    return parse_form(read_form_bytes(path, name), name)


def parse_form(data: bytes | str, name: str = "<form>") -> Form:
    """Build a Form from YAML text; ``name`` is what problems call the file.

    Raises FormError and nothing else, whatever the text holds.
    """
    ctx = _Ctx(name)
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


def form_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """Files named directly, and the YAML files of named folders (sorted, not recursive)."""
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            yield from sorted(f for f in p.iterdir() if f.suffix in FORM_SUFFIXES and f.is_file())
        else:
            yield p


def check_files(paths: Iterable[str | os.PathLike[str]]) -> list[FormProblem]:
    """Every problem in the given files and folders, including a code and version used twice."""
    problems, _ = _load_many(form_files(paths))
    return problems


def _load_many(files: Iterable[Path]) -> tuple[list[FormProblem], list[Form]]:
    problems: list[FormProblem] = []
    forms: list[Form] = []
    seen: dict[tuple[str, str], str] = {}
    for f in files:
        try:
            form = load_form(f)
        except FormError as exc:
            problems.extend(exc.problems)
            continue
        ident = (form.code, form.version)
        if ident in seen:
            problems.append(FormProblem(
                form.source, 1, None,
                f'form "{form.code}" version "{form.version}" is also defined in {seen[ident]}',
            ))
            continue
        seen[ident] = form.source
        forms.append(form)
    return problems, forms


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Orders "2026.2" before "2026.10": numeric parts as numbers, other parts after them as text."""
    parts = re.split(r"[.\-]", version)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)


@dataclass
class FormLibrary:
    """All forms of a folder, every version kept: a completed visit names the version it used."""

    forms: list[Form] = field(default_factory=list)
    problems: list[FormProblem] = field(default_factory=list)

    @classmethod
    def load(cls, directory: str | os.PathLike[str] | None = None, *, strict: bool = True) -> FormLibrary:
        """Load every form of ``directory`` (default: ``default_forms_dir()``).

        With ``strict`` any problem raises FormError; otherwise the sound forms are kept and
        the problems are listed in ``problems`` (the app still starts when one file is broken).
        """
        folder = Path(directory) if directory is not None else default_forms_dir()
        if not folder.is_dir():
            problem = FormProblem(display_path(folder), None, None, "forms folder not found")
            if strict:
                raise FormError([problem])
            return cls([], [problem])
        problems, forms = _load_many(form_files([folder]))
        if problems and strict:
            raise FormError(problems)
        forms.sort(key=lambda f: (f.code, version_key(f.version)))
        return cls(forms, problems)

    def overlaid(self, other: FormLibrary) -> FormLibrary:
        """These forms with ``other``'s added; where both have a code and version, ``other``'s wins
        (the office's published copy is the authority over the one shipped with the app)."""
        theirs = {(f.code, f.version) for f in other.forms}
        forms = [f for f in self.forms if (f.code, f.version) not in theirs] + list(other.forms)
        forms.sort(key=lambda f: (f.code, version_key(f.version)))
        return FormLibrary(forms, [*self.problems, *other.problems])

    def all(self) -> list[Form]:
        return list(self.forms)

    def get(self, code: str, version: str | None = None) -> Form:
        """The form with this code, the latest version unless one is named; KeyError when absent."""
        matching = [f for f in self.forms if f.code == code]
        if version is not None:
            matching = [f for f in matching if f.version == version]
        if not matching:
            raise KeyError(code if version is None else f"{code}@{version}")
        return max(matching, key=lambda f: version_key(f.version))

    def latest(self) -> list[Form]:
        best: dict[str, Form] = {}
        for f in self.forms:
            if f.code not in best or version_key(f.version) > version_key(best[f.code].version):
                best[f.code] = f
        return sorted(best.values(), key=lambda f: f.code)

    def for_category(self, category: str, kind: VisitKind | None = None) -> list[Form]:
        """The latest version of each form that applies to the category (``*`` applies to all)."""
        return [f for f in self.latest() if f.applies(category) and (kind is None or f.kind is kind)]


# --------------------------------------------------------------------------------------------
# Validation


MAX_PROBLEMS = 200  # listed per file; a hostile file could otherwise print a million lines


class _Ctx:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[FormProblem] = []

    def add(self, line: int | None, item: str | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(FormProblem(self.name, line, item, message))
        elif len(self.problems) == MAX_PROBLEMS:
            self.problems.append(FormProblem(self.name, None, None, f"more than {MAX_PROBLEMS} problems; "
                                             "the rest are not listed"))


def _line(node: Any, key: str | None = None) -> int | None:
    if isinstance(node, YMap):
        if key is not None and key in node.key_lines:
            return node.key_lines[key]
        return node.line
    if isinstance(node, YSeq):
        return node.line
    return None


def _label(ctx: _Ctx, node: YMap, key: str, item: str | None, *, required: bool = True) -> Label | None:
    raw = node.get(key)
    line = _line(node, key)
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
            ctx.add(_line(raw, extra), item, f'"{key}" has unknown language "{extra}" (use zh, en)')
        zh, en = raw.get("zh"), raw.get("en")
        if not isinstance(zh, str) or not zh.strip():
            ctx.add(line, item, f'"{key}" needs Chinese text in "zh"')
            return None
        if en is not None and not isinstance(en, str):
            ctx.add(_line(raw, "en"), item, f'"{key}.en" must be text')
            en = None
        return Label(zh.strip(), en.strip() if en and en.strip() else None)
    ctx.add(line, item, f'"{key}" must be text or {{zh: …, en: …}}')
    return None


def _text(ctx: _Ctx, node: YMap, key: str, item: str | None) -> str:
    raw = node.get(key)
    if raw is None:
        return ""
    if not isinstance(raw, str):
        ctx.add(_line(node, key), item, f'"{key}" must be text')
        return ""
    return raw.strip()


def _flag(ctx: _Ctx, node: YMap, key: str, item: str | None) -> bool:
    raw = node.get(key, False)
    if not isinstance(raw, bool):
        ctx.add(_line(node, key), item, f'"{key}" must be true or false')
        return False
    return raw


def _int(ctx: _Ctx, node: YMap, key: str, item: str | None, bounds: tuple[int, int]) -> int | None:
    low, high = bounds
    raw = node.get(key)
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        ctx.add(_line(node, key), item, f'"{key}" must be a whole number from {low} to {high}, not {raw!r}')
        return None
    return raw


def _expr(ctx: _Ctx, node: YMap, key: str, item: str | None, names: frozenset[str]) -> Expr | None:
    raw = node.get(key)
    if raw is None:
        return None
    try:
        return compile_expr(raw, names)
    except ExprError as exc:
        ctx.add(_line(node, key), item, f'"{key}": {exc}')
        return None


def _unknown_fields(ctx: _Ctx, node: YMap, allowed: frozenset[str], item: str | None, what: str) -> None:
    for k in node:
        if k not in allowed:
            ctx.add(_line(node, k), item, f'unknown field "{k}" in {what}')


@dataclass
class _Names:
    keys: dict[str, YMap]
    types: dict[str, ItemType]

    @property
    def plain(self) -> frozenset[str]:
        return frozenset(self.keys) | CONTEXT_NAMES


def _check_shape(ctx: _Ctx, root: Any) -> bool:
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
            ctx.add(_line(root, "sections"), None, too_many)
    return len(ctx.problems) == before


def _build_form(ctx: _Ctx, root: Any) -> Form | None:
    if not isinstance(root, YMap):
        ctx.add(_line(root) or 1, None, "a form must be a mapping with code, version, title, sections …")
        return None
    _unknown_fields(ctx, root, _FORM_FIELDS, None, "form")
    code = root.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        ctx.add(_line(root, "code"), None, f'"code" must be lower-case letters, digits and "-", not {code!r}')
    version = root.get("version")
    if not isinstance(version, str):
        hint = f' (write "{version}" in quotes)' if isinstance(version, int | float) else ""
        ctx.add(_line(root, "version"), None, f'"version" must be quoted text{hint}')
    elif not _VERSION.match(version):
        ctx.add(_line(root, "version"), None, f'"version" {version!r}: only letters, digits, "." and "-"')
    title = _label(ctx, root, "title", None)
    description = _label(ctx, root, "description", None, required=False)
    kind_raw = root.get("kind")
    kind = VisitKind.INSPECTION
    if not isinstance(kind_raw, str) or kind_raw not in {k.value for k in VisitKind}:
        ctx.add(_line(root, "kind"), None, f'"kind" must be inspection or recheck, not {kind_raw!r}')
    else:
        kind = VisitKind(kind_raw)
    applies_to = _applies_to(ctx, root)

    sections_raw = root.get("sections")
    if not isinstance(sections_raw, YSeq) or not sections_raw:
        ctx.add(_line(root, "sections"), None, '"sections" must be a non-empty list')
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


def _enforcement(ctx: _Ctx, root: YMap) -> dict[str, Any]:
    """domain, documents and the validity period (see forms/SCHEMA.md)."""
    out: dict[str, Any] = {}
    domain = _text(ctx, root, "domain", None)
    if domain and domain not in {d.value for d in Domain}:
        ctx.add(_line(root, "domain"), None, f'"domain" must be one of {", ".join(d.value for d in Domain)}')
    out["domain"] = domain
    docs = root.get("documents", YSeq())
    if not isinstance(docs, YSeq) or any(d not in {k.value for k in DocKind} for d in docs):
        ctx.add(_line(root, "documents"), None, f'"documents" must list kinds among {", ".join(DocKind)}')
        docs = YSeq()
    out["documents"] = tuple(str(d) for d in docs)
    officers = root.get("officers", 1)
    if isinstance(officers, bool) or not isinstance(officers, int) or not 1 <= officers <= MAX_OFFICERS:
        ctx.add(_line(root, "officers"), None,
                f'"officers" must be a whole number of officers from 1 to {MAX_OFFICERS}, not {officers!r}')
        officers = 1
    out["officers"] = officers
    for key in ("valid_from", "valid_until"):
        text = _text(ctx, root, key, None)
        try:
            out[key] = date.fromisoformat(text).isoformat() if text else ""
        except ValueError:
            ctx.add(_line(root, key), None, f'"{key}" must be a quoted date "YYYY-MM-DD", not {text!r}')
    return out


def _applies_to(ctx: _Ctx, root: YMap) -> tuple[str, ...]:
    raw = root.get("applies_to")
    if isinstance(raw, str):
        raw = [raw]
    if not isinstance(raw, list) or not raw or not all(isinstance(c, str) and c.strip() for c in raw):
        ctx.add(_line(root, "applies_to"), None, '"applies_to" must list enterprise categories ("*": all)')
        return ()
    return tuple(c.strip() for c in raw)


def _collect_names(ctx: _Ctx, sections: YSeq) -> _Names:
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
                first = _line(keys[key], "key")
                ctx.add(_line(inode, "key"), key, f"duplicate item key (first used on line {first})")
                continue
            keys[key] = inode
            t = inode.get("type")
            if isinstance(t, str) and t in ItemType.__members__.values():
                types[key] = ItemType(t)
    return _Names(keys, types)


def _build_section(ctx: _Ctx, node: Any, names: _Names, seen: set[str]) -> Section | None:
    if not isinstance(node, YMap):
        ctx.add(_line(node), None, "each section must be a mapping with key, title and items")
        return None
    _unknown_fields(ctx, node, _SECTION_FIELDS, None, "section")
    key = node.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        ctx.add(_line(node, "key"), None, f"section key must be lower-case letters, digits, _, not {key!r}")
        key = "?"
    elif key in seen:
        ctx.add(_line(node, "key"), None, f'duplicate section key "{key}"')
    seen.add(key)
    title = _label(ctx, node, "title", None)
    relevant = _expr(ctx, node, "relevant", None, names.plain)
    raw_items = node.get("items")
    if not isinstance(raw_items, YSeq) or not raw_items:
        ctx.add(_line(node, "items"), None, f'section "{key}": "items" must be a non-empty list')
        raw_items = YSeq()
    items: list[Item] = []
    for inode in raw_items:
        built = _build_item(ctx, inode, key, names)
        if built is not None:
            items.append(built)
    if title is None:
        return None
    return Section(key, title, tuple(items), relevant)


def _build_item(ctx: _Ctx, node: Any, section: str, names: _Names) -> Item | None:
    if not isinstance(node, YMap):
        ctx.add(_line(node), None, "each item must be a mapping with key, type and label")
        return None
    before = len(ctx.problems)
    key = node.get("key")
    if not isinstance(key, str) or not _KEY.match(key):
        ctx.add(_line(node, "key"), None, f"item key must be lower-case letters, digits, _, not {key!r}")
        return None
    if key in RESERVED_NAMES or keyword.iskeyword(key) or keyword.issoftkeyword(key):
        ctx.add(_line(node, "key"), key, "item key is a reserved name")
    type_raw = node.get("type")
    if not isinstance(type_raw, str) or type_raw not in ItemType.__members__.values():
        shown = "missing type" if type_raw is None else f"unknown type {_q(type_raw)}"
        ctx.add(_line(node, "type"), key, f"{shown} (one of {', '.join(t.value for t in ItemType)})")
        return None
    kind = ItemType(type_raw)
    allowed = _COMMON_FIELDS | _TYPE_FIELDS[kind]
    for k in node:
        if k not in allowed:
            where = "for an item" if k not in set().union(*_TYPE_FIELDS.values()) else f'for type "{kind}"'
            ctx.add(_line(node, k), key, f'field "{k}" is not allowed {where}')
    label = _label(ctx, node, "label", key)
    hint = _label(ctx, node, "hint", key, required=False)
    required = _flag(ctx, node, "required", key)
    veto = _flag(ctx, node, "veto", key)
    tick_list = _flag(ctx, node, "tick_list", key)

    plain = names.plain
    with_value = plain | CONSTRAINT_NAMES
    relevant = _expr(ctx, node, "relevant", key, plain)
    compute = _expr(ctx, node, "compute", key, plain)
    finding_when = _expr(ctx, node, "finding_when", key, with_value)
    constraints = _constraints(ctx, node, key, with_value)
    if compute is not None and required:
        ctx.add(_line(node, "required"), key, "a computed item cannot be required (nobody answers it)")
    if compute is not None and kind in (ItemType.PHOTOS, ItemType.SIGNATURE):
        ctx.add(_line(node, "compute"), key, f'an item of type "{kind}" cannot be computed')

    severity = _severity(ctx, node, key) or Severity.GENERAL
    bad_answer = node.get("bad_answer")
    if bad_answer is not None and not isinstance(bad_answer, bool):
        ctx.add(_line(node, "bad_answer"), key, '"bad_answer" must be true or false')
        bad_answer = None

    low, high = _bounds(ctx, node, key, kind)
    choices = _choices(ctx, node, key, kind, tick_list)
    violation = _label(ctx, node, "violation", key, required=False)
    item = Item(
        key=key, type=kind, label=label or Label(key), section=section, line=_line(node, "key"),
        required=required, hint=hint, unit=_text(ctx, node, "unit", key), min=low, max=high,
        places=_int(ctx, node, "places", key, (0, 10)),
        max_length=_int(ctx, node, "max_length", key, (1, 100_000)),
        choices=choices, tick_list=tick_list, bad_answer=bad_answer, severity=severity,
        description=_text(ctx, node, "description", key) or (violation.zh if violation else ""),
        violation=violation,
        rectification=_text(ctx, node, "rectification", key),
        deadline_days=_int(ctx, node, "deadline_days", key, (0, MAX_DEADLINE_DAYS)),
        legal_basis=_text(ctx, node, "legal_basis", key), veto=veto, relevant=relevant,
        constraints=constraints, compute=compute, finding_when=finding_when,
        signer=_signer(ctx, node, key), refusable=_flag(ctx, node, "refusable", key),
    )
    if item.refusable and not item.signer:
        ctx.add(_line(node, "refusable"), key, 'a refusal is recorded for a signer: add "signer: enterprise"')
    if not item.can_derive_finding:
        for k in _FINDING_FIELDS:
            if k in node:
                ctx.add(_line(node, k), key, f'"{k}" is set but this item can never be a non-compliance '
                        "(use compliance, a yesno with bad_answer, a tick_list or finding_when)")
    if len(ctx.problems) > before:
        return None
    return item


SIGNERS = frozenset({ENTERPRISE_ROLE})


def _signer(ctx: _Ctx, node: YMap, key: str) -> str:
    raw = node.get("signer", "")
    if raw != "" and raw not in SIGNERS:
        known = ", ".join(sorted(SIGNERS))
        ctx.add(_line(node, "signer"), key, f"signer must be one of {known}, not {_q(raw)}")
        return ""
    return str(raw)


def _severity(ctx: _Ctx, node: YMap, key: str) -> Severity | None:
    raw = node.get("severity")
    if raw is None:
        return None
    if not isinstance(raw, str) or raw not in {s.value for s in Severity}:
        ctx.add(_line(node, "severity"), key, f"severity must be 一般 or 重大, not {_q(raw)}")
        return None
    return Severity(raw)


def _q(raw: object) -> str:
    return f'"{raw}"' if isinstance(raw, str) else repr(raw)


def _constraints(ctx: _Ctx, node: YMap, key: str, names: frozenset[str]) -> tuple[Constraint, ...]:
    out: list[Constraint] = []
    if "constraint" in node:
        check = _expr(ctx, node, "constraint", key, names)
        message = _label(ctx, node, "message", key)
        if check is not None and message is not None:
            out.append(Constraint(check, message))
    elif "message" in node:
        ctx.add(_line(node, "message"), key, '"message" belongs to a "constraint"')
    raw = node.get("constraints")
    if raw is None:
        return tuple(out)
    if not isinstance(raw, YSeq):
        ctx.add(_line(node, "constraints"), key, '"constraints" must be a list of {check, message}')
        return tuple(out)
    for entry in raw:
        if not isinstance(entry, YMap):
            ctx.add(_line(raw), key, 'each constraint must be a mapping {check: …, message: …}')
            continue
        _unknown_fields(ctx, entry, frozenset({"check", "message"}), key, "constraint")
        if "check" not in entry:
            ctx.add(_line(entry), key, 'constraint without "check"')
            continue
        check = _expr(ctx, entry, "check", key, names)
        message = _label(ctx, entry, "message", key)
        if check is not None and message is not None:
            out.append(Constraint(check, message))
    return tuple(out)


_Bound = int | Decimal | None


def _bounds(ctx: _Ctx, node: YMap, key: str, kind: ItemType) -> tuple[_Bound, _Bound]:
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
                ctx.add(_line(node, name), key, f'"{name}" must be a number, not {raw!r}')
                value = None
        elif isinstance(raw, int) and not isinstance(raw, bool):
            value = raw
            if kind not in NUMERIC_TYPES and raw < 0:
                ctx.add(_line(node, name), key, f'"{name}" counts and cannot be negative')
        else:
            ctx.add(_line(node, name), key, f'"{name}" must be a whole number, not {raw!r}')
        out.append(value)
    low, high = out
    if low is not None and high is not None and low > high:
        ctx.add(_line(node, "max"), key, f"bad range: min {low} is greater than max {high}")
    return low, high


def _choices(ctx: _Ctx, node: YMap, key: str, kind: ItemType, tick_list: bool) -> tuple[Choice, ...]:
    if kind not in CHOICE_TYPES:
        return ()
    raw = node.get("choices")
    if not isinstance(raw, YSeq) or not raw:
        ctx.add(_line(node, "choices") or _line(node, "key"), key, '"choices" must be a non-empty list')
        return ()
    out: list[Choice] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw):
        line = raw.item_lines[i] if i < len(raw.item_lines) else _line(raw)
        if isinstance(entry, str) and entry.strip():
            choice = Choice(entry.strip(), Label(entry.strip()))
        elif isinstance(entry, YMap):
            allowed = _CHOICE_FIELDS | (_TICK_FIELDS if tick_list else frozenset())
            what = "choice" if tick_list else "choice (finding fields need tick_list: true)"
            _unknown_fields(ctx, entry, allowed, key, what)
            value = entry.get("value")
            if not isinstance(value, str) or not value.strip():
                ctx.add(_line(entry, "value"), key, 'choice needs a text "value"')
                continue
            label = _label(ctx, entry, "label", key, required=False) or Label(value.strip())
            choice = Choice(
                value.strip(), label, _severity(ctx, entry, key),
                _text(ctx, entry, "rectification", key) or None,
                _int(ctx, entry, "deadline_days", key, (0, MAX_DEADLINE_DAYS)),
                _text(ctx, entry, "legal_basis", key) or None,
                _text(ctx, entry, "description", key) or None,
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


def _check_option_refs(ctx: _Ctx, items: dict[str, Item]) -> None:
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


def _evaluation_order(ctx: _Ctx, sections: list[Section], items: dict[str, Item]) -> list[str]:
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


def _build_outcome(ctx: _Ctx, root: YMap, names: _Names) -> tuple[list[OutcomeRule], str | None]:
    node = root.get("outcome")
    if not isinstance(node, YMap):
        ctx.add(_line(root, "outcome"), None, '"outcome" must be a mapping with rules and default')
        return [], None
    _unknown_fields(ctx, node, frozenset({"rules", "default"}), None, "outcome")
    default = node.get("default")
    if not isinstance(default, str) or not default.strip():
        ctx.add(_line(node, "default"), None, 'outcome needs a text "default"')
        default = None
    rules: list[OutcomeRule] = []
    raw = node.get("rules", YSeq())
    if not isinstance(raw, YSeq):
        ctx.add(_line(node, "rules"), None, 'outcome "rules" must be a list of {when, outcome}')
        return rules, default
    allowed = names.plain | OUTCOME_NAMES
    for entry in raw:
        if not isinstance(entry, YMap):
            ctx.add(_line(raw), None, "each outcome rule must be a mapping {when: …, outcome: …}")
            continue
        _unknown_fields(ctx, entry, frozenset({"when", "outcome"}), None, "outcome rule")
        when = _expr(ctx, entry, "when", None, allowed)
        if "when" not in entry:
            ctx.add(_line(entry), None, 'outcome rule without "when"')
        outcome = entry.get("outcome")
        if not isinstance(outcome, str) or not outcome.strip():
            ctx.add(_line(entry, "outcome") or _line(entry), None, 'outcome rule needs a text "outcome"')
            continue
        if when is not None:
            rules.append(OutcomeRule(when, outcome.strip(), _line(entry)))
    return rules, default.strip() if default else None
