"""YAML text → plain mappings and lists that remember their 1-based line numbers.

ruamel.yaml's round-trip loader is the reference: it reports syntax errors and duplicate keys with
their lines. Its result is converted to YMap/YSeq so the validator never depends on ruamel types.

A form may come from anyone, so before ruamel builds anything its event stream is read once
(``_guard``): anchors and aliases are refused (a 600-byte alias bomb expands to gigabytes), as are
tags (``!!python/object`` …), nesting deeper than ``MAX_DEPTH`` (ruamel's composer recurses) and
more than ``MAX_NODES`` values. Forms need none of these.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, NodeEvent, ScalarEvent

MAX_DEPTH = 32  # a form nests 8 deep (form, sections, section, items, item, choices, choice, label)
MAX_NUMBER_LENGTH = 100  # digits: Python refuses to convert more than 4,300, a form needs a few
_NUMERIC_START = frozenset("0123456789+-.")
MAX_NODES = 50_000  # keys and values in one file; the largest shipped form has about 1,100


class YamlSyntaxError(ValueError):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class YMap(dict[str, Any]):
    """A mapping with the line of its first key and of each key."""

    __slots__ = ("key_lines", "line")

    def __init__(self, line: int | None = None) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}


class YSeq(list[Any]):
    __slots__ = ("item_lines", "line")

    def __init__(self, line: int | None = None) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


def read_yaml(text: str) -> Any:
    fast = fast_read(text)
    if fast is not None:
        return fast
    return read_yaml_ruamel(text)


def read_yaml_ruamel(text: str) -> Any:
    yaml = YAML(typ="rt", pure=True)
    plain: list[tuple[int | None, str]] = []
    try:
        _guard(yaml, text, plain)
        data = yaml.load(text)
    except YamlSyntaxError:
        raise
    except (ValueError, TypeError, OverflowError) as exc:
        # ruamel builds dates, times and numbers from plain text and lets their errors through
        # ("2026-02-30": day is out of range for month); find the value to name its line.
        line, value = _unbuildable(plain)
        shown = f" {value[:40]!r}" if value is not None else ""
        raise YamlSyntaxError(line, f"value{shown} cannot be read ({exc})") from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise YamlSyntaxError(mark.line + 1 if mark is not None else None, message or str(exc)) from None
    except YAMLError as exc:
        raise YamlSyntaxError(None, str(exc)) from None
    return _convert(data, 1)


def _guard(yaml: YAML, text: str, plain: list[tuple[int | None, str]]) -> None:
    """Refuse what a form never needs and an attacker does, before anything is built.

    ruamel's parser yields events from a state stack (no recursion, nothing expanded), so this
    pass takes time and memory in proportion to the text. Plain scalars that ruamel may turn into
    numbers, dates or times are collected in ``plain`` with their lines.
    """
    depth = nodes = 0
    for event in yaml.parse(text):
        line = event.start_mark.line + 1 if event.start_mark is not None else None
        if isinstance(event, AliasEvent):
            raise YamlSyntaxError(line, f"aliases (*{event.anchor}) are not allowed in a form")
        if isinstance(event, NodeEvent):
            if event.anchor is not None:
                raise YamlSyntaxError(line, f"anchors (&{event.anchor}) are not allowed in a form")
            tag = getattr(event, "ctag", None) or getattr(event, "tag", None)
            if tag is not None:
                raise YamlSyntaxError(line, f"tags ({tag}) are not allowed in a form")
            nodes += 1
            if nodes > MAX_NODES:
                raise YamlSyntaxError(line, f"more than {MAX_NODES} values in one form")
            if isinstance(event, ScalarEvent) and event.style is None and event.value[:1] in _NUMERIC_START:
                if len(event.value) > MAX_NUMBER_LENGTH and event.value.lstrip("+-").isdigit():
                    too_long = f"number {event.value[:20]}… is longer than {MAX_NUMBER_LENGTH} digits"
                    raise YamlSyntaxError(line, too_long)
                plain.append((line, event.value))
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlSyntaxError(line, f"nested more than {MAX_DEPTH} levels deep")
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def _unbuildable(plain: list[tuple[int | None, str]]) -> tuple[int | None, str | None]:
    """The first plain scalar ruamel cannot build on its own, with its line."""
    for line, value in plain:
        try:
            YAML(typ="safe", pure=True).load(value)
        except (ValueError, TypeError, OverflowError, YAMLError):
            return line, value
    return None, None


def _convert(node: Any, line: int) -> Any:
    lc = getattr(node, "lc", None)
    if isinstance(node, dict):
        out = YMap(lc.line + 1 if lc is not None else line)
        for k, v in node.items():
            kline = lc.key(k)[0] + 1 if lc is not None else line
            if not isinstance(k, str):
                raise YamlSyntaxError(kline, f"mapping key {k!r} must be text")
            out.key_lines[k] = kline
            out[k] = _convert(v, kline)
        return out
    if isinstance(node, list):
        seq = YSeq(lc.line + 1 if lc is not None else line)
        for i, v in enumerate(node):
            iline = lc.item(i)[0] + 1 if lc is not None else line
            seq.item_lines.append(iline)
            seq.append(_convert(v, iline))
        return seq
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, date):
        return node
    return str(node)


# --------------------------------------------------------------------------------------------
# Fast path. ruamel.yaml is pure Python here and spends ~1 ms per 10 lines, which alone would
# break the 50 ms budget for a 120-item form. Forms are written in a small, regular subset of YAML
# (block mappings and sequences, one-line flow collections, plain and quoted scalars), so this
# reader handles exactly that subset and gives up on anything else: ruamel then reads the file
# and stays the authority for every syntax error and every construct outside the subset. The tests
# compare both readers on every shipped form and on a set of awkward snippets.


class _Unsupported(Exception):
    pass


_FAST_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_\-]*):(?:[ ]+(.*))?$")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+$")
_NULLS = frozenset({"null", "Null", "NULL", "~"})
_TRUES = frozenset({"true", "True", "TRUE"})
_FALSES = frozenset({"false", "False", "FALSE"})
_NON_TEXT_KEYS = _NULLS | _TRUES | _FALSES
_PLAIN_START_BAD = frozenset("&*!|>%@`?:,#'\"[]{}")
_FLOW_STOP = frozenset(",[]{}")


def fast_read(text: str) -> Any:
    """The document, or None when it uses anything beyond the subset (then ruamel must read it)."""
    try:
        lines = _fast_lines(text)
        if not lines:
            return None
        value, idx = _block(lines, 0, lines[0][1])
        if idx != len(lines) or _too_deep(value):
            return None  # ruamel's guard then refuses deep nesting with its line
        return value
    except (_Unsupported, IndexError, RecursionError):
        return None  # a RecursionError means deep nesting, which ruamel's guard refuses with its line


def _too_deep(root: Any) -> bool:
    todo: list[tuple[Any, int]] = [(root, 1)]
    while todo:
        node, depth = todo.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(node, dict):
            todo.extend((v, depth + 1) for v in node.values() if isinstance(v, dict | list))
        elif isinstance(node, list):
            todo.extend((v, depth + 1) for v in node if isinstance(v, dict | list))
    return False


def _fast_lines(text: str) -> list[list[Any]]:
    out: list[list[Any]] = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip("\r")
        stripped = line.strip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        if "\t" in line or stripped.startswith(("---", "...", "%")):
            raise _Unsupported
        cut = line.find(" #")
        if cut >= 0:
            if "'" in line or '"' in line:
                raise _Unsupported  # a "#" that might sit inside quotes: let ruamel decide
            line = line[:cut]
        content = line.strip(" ")
        out.append([number, len(line) - len(line.lstrip(" ")), content])
    return out


def _block(lines: list[list[Any]], idx: int, indent: int) -> tuple[Any, int]:
    content = lines[idx][2]
    if content == "-" or content.startswith("- "):
        return _seq(lines, idx, indent)
    return _map(lines, idx, indent)


def _seq(lines: list[list[Any]], idx: int, indent: int) -> tuple[YSeq, int]:
    seq = YSeq(lines[idx][0])
    while idx < len(lines) and lines[idx][1] == indent:
        number, _, content = lines[idx]
        if not (content == "-" or content.startswith("- ")):
            break
        seq.item_lines.append(number)
        rest = content[1:].lstrip(" ")
        if not rest:
            raise _Unsupported  # ruamel gives such items the line of their content, not of the "-"
        if _FAST_KEY.match(rest):
            # "- key: x" opens a mapping whose column is that of "key".
            lines[idx] = [number, indent + len(content) - len(rest), rest]
            value, idx = _map(lines, idx, lines[idx][1])
        elif rest == "-" or rest.startswith("- "):
            raise _Unsupported
        else:
            value = _inline(rest, number)
            idx += 1
            if idx < len(lines) and lines[idx][1] > indent:
                raise _Unsupported  # a multi-line scalar
        seq.append(value)
    if idx < len(lines) and lines[idx][1] > indent:
        raise _Unsupported
    return seq, idx


def _map(lines: list[list[Any]], idx: int, indent: int) -> tuple[YMap, int]:
    mapping = YMap(lines[idx][0])
    while idx < len(lines) and lines[idx][1] == indent:
        number, _, content = lines[idx]
        if content == "-" or content.startswith("- "):
            break
        match = _FAST_KEY.match(content)
        if match is None or match.group(1) in _NON_TEXT_KEYS:
            raise _Unsupported
        key, rest = match.group(1), (match.group(2) or "").strip(" ")
        if key in mapping:
            raise _Unsupported  # ruamel reports duplicate keys with both lines
        mapping.key_lines[key] = number
        idx += 1
        value: Any
        if rest:
            value = _inline(rest, number)
            if idx < len(lines) and lines[idx][1] > indent:
                raise _Unsupported
        elif idx < len(lines) and lines[idx][1] > indent:
            value, idx = _block(lines, idx, lines[idx][1])
        elif idx < len(lines) and lines[idx][1] == indent and (
            lines[idx][2] == "-" or lines[idx][2].startswith("- ")
        ):
            value, idx = _seq(lines, idx, indent)
        else:
            value = None
        mapping[key] = value
    if idx < len(lines) and lines[idx][1] > indent:
        raise _Unsupported
    return mapping, idx


def _inline(text: str, number: int) -> Any:
    first = text[0]
    if first in "[{":
        value, pos = _flow(text, 0, number)
        if text[pos:].strip(" "):
            raise _Unsupported
        return value
    if first in "\"'":
        value, pos = _quoted(text, 0)
        if text[pos:].strip(" "):
            raise _Unsupported
        return value
    if ": " in text or text.endswith(":"):
        raise _Unsupported
    return _plain(text)


def _plain(text: str) -> Any:
    if not text or text[0] in _PLAIN_START_BAD or text.startswith("- ") or text == "-":
        raise _Unsupported
    if text in _NULLS:
        return None
    if text in _TRUES:
        return True
    if text in _FALSES:
        return False
    if _INT.match(text):
        if len(text) > MAX_NUMBER_LENGTH:
            raise _Unsupported  # ruamel's guard refuses it with its line
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    if not text.isascii():
        return text  # every implicit YAML type (number, date, bool) is spelt in ASCII
    if text[0] in "0123456789+-." or text.lower() in (".inf", ".nan"):
        raise _Unsupported  # dates, octal, exponents, "1_000": ruamel's resolver knows them all
    return text


def _quoted(text: str, pos: int) -> tuple[str, int]:
    quote = text[pos]
    out: list[str] = []
    i = pos + 1
    while i < len(text):
        ch = text[i]
        if quote == "'" and ch == "'":
            if text[i + 1 : i + 2] == "'":
                out.append("'")
                i += 2
                continue
            return "".join(out), i + 1
        if quote == '"' and ch == "\\":
            nxt = text[i + 1 : i + 2]
            if nxt not in ('"', "\\", "/"):
                raise _Unsupported
            out.append(nxt)
            i += 2
            continue
        if quote == '"' and ch == '"':
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    raise _Unsupported  # the string goes on to the next line


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    return pos


def _flow(text: str, pos: int, number: int) -> tuple[Any, int]:
    pos = _skip(text, pos)
    ch = text[pos]
    if ch == "{":
        mapping = YMap(number)
        pos = _skip(text, pos + 1)
        while text[pos] != "}":
            match = _FAST_KEY.match(text[pos:].split(",", 1)[0].split("}", 1)[0])
            end = text.find(":", pos)
            key = text[pos:end]
            if match is None or end < 0 or key in mapping or key in _NON_TEXT_KEYS or text[end + 1] != " ":
                raise _Unsupported
            mapping.key_lines[key] = number
            mapping[key], pos = _flow(text, end + 1, number)
            pos = _skip(text, pos)
            if text[pos] == ",":
                pos = _skip(text, pos + 1)
            elif text[pos] != "}":
                raise _Unsupported
        return mapping, pos + 1
    if ch == "[":
        seq = YSeq(number)
        pos = _skip(text, pos + 1)
        while text[pos] != "]":
            seq.item_lines.append(number)
            item, pos = _flow(text, pos, number)
            seq.append(item)
            pos = _skip(text, pos)
            if text[pos] == ",":
                pos = _skip(text, pos + 1)
            elif text[pos] != "]":
                raise _Unsupported
        return seq, pos + 1
    if ch in "\"'":
        return _quoted(text, pos)
    end = pos
    while end < len(text) and text[end] not in _FLOW_STOP:
        end += 1
    raw = text[pos:end].rstrip(" ")
    if ":" in raw or not raw:
        raise _Unsupported
    return _plain(raw), end
