"""Form expressions: parsed and checked once at load time, evaluated safely with simpleeval.

A form is data that may come from anywhere (a colleague's USB stick, a sync from the centre), so an
expression must never be able to run code. Two fences: at load time the syntax tree may only hold
a small whitelist of node kinds, names and functions (no attributes, no subscripts, no
comprehensions, no dunders); at run time simpleeval walks the tree with size-bounded operators.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from simpleeval import DEFAULT_OPERATORS, EvalWithCompoundTypes

MAX_SOURCE_LENGTH = 2000
MAX_LITERAL_LENGTH = 500
# Powers are the one operator whose result grows without bound from a short text.
MAX_POWER_EXPONENT = 64
MAX_POWER_BASE = 10**12


class ExprError(ValueError):
    """An expression that is not acceptable in a form; the message says why."""


def _answered(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return bool(value)
    return True


def _selected(value: object, option: object) -> bool:
    if isinstance(value, list):
        return option in value
    return value == option and value is not None


def _count_selected(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, list):
        return len(value)
    return 1


def _days_between(start: object, end: object) -> int:
    """Days from ``start`` to ``end`` (ISO dates); raises on anything else, which reads as false."""
    if not isinstance(start, str) or not isinstance(end, str):
        raise TypeError("days_between needs two ISO dates")
    return (date.fromisoformat(end) - date.fromisoformat(start)).days


def _safe_power(base: Any, exponent: Any) -> Any:
    if abs(exponent) > MAX_POWER_EXPONENT or abs(base) > MAX_POWER_BASE:
        raise OverflowError("power too large")
    return base**exponent


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "answered": _answered,
    "selected": _selected,
    "count_selected": _count_selected,
    "days_between": _days_between,
    "len": len,
    "int": int,
    "float": float,
    "str": str,
    "min": min,
    "max": max,
    "round": round,
    "abs": abs,
}

_ALLOWED_NODES: tuple[type[ast.AST], ...] = (
    ast.Expression, ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Compare, ast.IfExp, ast.Call, ast.Name,
    ast.Constant, ast.List, ast.Tuple, ast.Load,
    ast.And, ast.Or, ast.Not, ast.USub, ast.UAdd,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot,
)

_OPERATORS: dict[type[ast.AST], Callable[..., Any]] = {
    k: v for k, v in DEFAULT_OPERATORS.items() if k in _ALLOWED_NODES
}
_OPERATORS[ast.Pow] = _safe_power


@dataclass(frozen=True, slots=True)
class Expr:
    """A checked expression: its source, its parsed tree and the names it reads."""

    source: str
    tree: ast.expr
    names: frozenset[str]
    # (item key, option) pairs from ``selected(x, '…')`` calls, checked against the item's choices.
    option_refs: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        return self.source


def compile_expr(source: object, allowed_names: Collection[str]) -> Expr:
    """Parse and check an expression; raise ExprError naming the first problem."""
    if isinstance(source, bool) or not isinstance(source, str | int | float):
        raise ExprError(f"expression must be text, not {type(source).__name__}")
    text = str(source).strip()
    if not text:
        raise ExprError("empty expression")
    if len(text) > MAX_SOURCE_LENGTH:
        raise ExprError(f"expression longer than {MAX_SOURCE_LENGTH} characters")
    try:
        module = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        raise ExprError(f"syntax error in expression {text!r}: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError):
        raise ExprError(f"expression {text!r} is too deeply nested") from None
    names: set[str] = set()
    options: list[tuple[str, str]] = []
    for node in ast.walk(module):
        _check_node(node, text, allowed_names, names, options)
    return Expr(text, module.body, frozenset(names), tuple(options))


def _check_node(
    node: ast.AST, text: str, allowed: Collection[str], names: set[str], options: list[tuple[str, str]]
) -> None:
    if not isinstance(node, _ALLOWED_NODES):
        raise ExprError(f"{_describe(node)} is not allowed in expression {text!r}")
    if isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise ExprError(f"name {node.id!r} is not allowed in expression {text!r}")
        if node.id in FUNCTIONS or node.id in ("True", "False", "None"):
            return  # function names are checked at their call; a bare one simply fails at run time
        if node.id not in allowed:
            raise ExprError(f"unknown name {node.id!r} in expression {text!r}")
        names.add(node.id)
    elif isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            called = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            raise ExprError(f"unknown function {called!r} in expression {text!r}")
        if node.keywords:
            raise ExprError(f"keyword arguments are not allowed in expression {text!r}")
        if node.func.id == "selected" and len(node.args) == 2:
            subject, option = node.args
            if isinstance(subject, ast.Name) and isinstance(option, ast.Constant):
                options.append((subject.id, str(option.value)))
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, str | bytes) and len(node.value) > MAX_LITERAL_LENGTH:
            raise ExprError(f"literal longer than {MAX_LITERAL_LENGTH} characters in expression")
        if isinstance(node.value, bytes | complex) or node.value is Ellipsis:
            raise ExprError(f"literal {node.value!r} is not allowed in expression {text!r}")


def _describe(node: ast.AST) -> str:
    kinds = {
        ast.Attribute: "attribute access", ast.Subscript: "subscript", ast.Lambda: "lambda",
        ast.NamedExpr: "assignment", ast.JoinedStr: "f-string", ast.Starred: "unpacking",
    }
    for kind, text in kinds.items():
        if isinstance(node, kind):
            return text
    if isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
        return "comprehension"
    return f"{type(node).__name__}"


class Evaluator:
    """Evaluates checked expressions against one set of names; never raises."""

    __slots__ = ("_engine",)

    def __init__(self, names: Mapping[str, Any]) -> None:
        engine = EvalWithCompoundTypes(operators=dict(_OPERATORS), functions=dict(FUNCTIONS), names=names)
        # The compound-type evaluator adds list()/dict()/… and comprehensions; forms need neither.
        engine.functions = dict(FUNCTIONS)
        for kind in (ast.Dict, ast.Set, ast.ListComp, ast.GeneratorExp, ast.DictComp, ast.Attribute,
                     ast.Subscript, ast.JoinedStr, ast.FormattedValue):
            engine.nodes.pop(kind, None)
        self._engine = engine

    def value(self, expr: Expr, extra: Mapping[str, Any] | None = None) -> tuple[bool, Any]:
        """(True, result), or (False, None) when the expression cannot be computed."""
        engine = self._engine
        saved: dict[str, Any] = {}
        if extra:
            for k, v in extra.items():
                saved[k] = engine.names.get(k, _MISSING)
                engine.names[k] = v
        try:
            return True, engine.eval(expr.source, previously_parsed=expr.tree)
        # Form expressions are data: a None compared with an int, a division by zero or an
        # over-sized number all mean "not computable", never a crash of the inspection screen.
        except Exception:
            return False, None
        finally:
            for k, v in saved.items():
                if v is _MISSING:
                    engine.names.pop(k, None)
                else:
                    engine.names[k] = v

    def truth(self, expr: Expr, extra: Mapping[str, Any] | None = None) -> bool:
        ok, result = self.value(expr, extra)
        if not ok:
            return False
        try:
            return bool(result)
        except Exception:
            return False


_MISSING = object()


def referenced(exprs: Iterable[Expr | None]) -> set[str]:
    out: set[str] = set()
    for e in exprs:
        if e is not None:
            out |= e.names
    return out
