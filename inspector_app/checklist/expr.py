"""Form expressions: parsed and checked once at load time, evaluated safely with simpleeval.

A form is data that may come from anywhere (a colleague's USB stick, a sync from the centre), so an
expression must never be able to run code. Two fences: at load time the syntax tree may only hold
a small whitelist of node kinds, names and functions (no attributes, no subscripts, no
comprehensions, no dunders); at run time simpleeval walks the tree with size-bounded operators.

A form is also a way to make a laptop hang: ``[[[1]*99999]*99999]*99999`` or ``str([[[1]*1000]*1000]*1000)``
are three short lines that need terabytes. So every evaluation runs on a budget (see ``Budget``):
each value an operation makes is measured (nested lists counted in full, strings by length, whole
numbers by bits) and refused before it is built when it would be too large, and one evaluation of a
whole form may only do so much work. A refused value reads as "not computable", like a division by
zero. Parts of an expression that read no answer are evaluated once at load time on the same budget,
so an author learns of such an expression from ``forms check``, not from a frozen laptop.
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
MAX_NODES = 400  # syntax-tree nodes of one expression; the shipped forms use at most a few dozen
# The size of one value: the elements of a list (nested lists counted in full, shared or not) plus
# the characters of its strings, or a string's length. A long text answer stays readable.
MAX_VALUE_SIZE = 100_000
MAX_INT_BITS = 256  # whole numbers up to ~10**77: counts, areas and days need far less
MAX_ROUND_DIGITS = 30
# Work is one unit per node evaluated plus the size of every value made or compared.
MAX_EXPRESSION_WORK = 200_000
MAX_EVALUATION_WORK = 1_000_000  # one evaluation of a whole form (an Evaluator), all expressions


class ExprError(ValueError):
    """An expression that is not acceptable in a form; the message says why."""


class BudgetExceeded(ArithmeticError):
    """An evaluation would make too large a value or do too much work; it reads as not computable."""


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


def _round(number: Any, digits: Any = None) -> Any:
    # round(5, -10**9) computes 10**(10**9) inside CPython before it answers.
    if digits is not None and (not isinstance(digits, int) or abs(digits) > MAX_ROUND_DIGITS):
        raise BudgetExceeded(f"round() to more than {MAX_ROUND_DIGITS} digits")
    return round(number) if digits is None else round(number, digits)


def _int(value: Any = 0) -> int:
    if isinstance(value, str) and len(value) > MAX_INT_BITS:
        raise BudgetExceeded("int() of a text longer than a number can be")
    return int(value)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "answered": _answered,
    "selected": _selected,
    "count_selected": _count_selected,
    "days_between": _days_between,
    "len": len,
    "int": _int,
    "float": float,
    "str": str,
    "min": min,
    "max": max,
    "round": _round,
    "abs": abs,
}

_ALLOWED_NODES: tuple[type[ast.AST], ...] = (
    ast.Expression, ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.Compare, ast.IfExp, ast.Call, ast.Name,
    ast.Constant, ast.List, ast.Tuple, ast.Load,
    ast.And, ast.Or, ast.Not, ast.USub, ast.UAdd,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow,
    ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot,
)

_SEQUENCES = (str, list, tuple)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class Budget:
    """What one Evaluator may still spend, and the checks every operation goes through.

    Sizes are predicted before a value is built wherever Python would build it in one step
    (repeating a list, joining two, a power, a product of whole numbers), and measured after for
    the rest; a measured size is remembered by identity so shared sublists are measured once.
    """

    __slots__ = ("_sizes", "evaluation_left", "expression_left")

    def __init__(self) -> None:
        self.evaluation_left = MAX_EVALUATION_WORK
        self.expression_left = MAX_EXPRESSION_WORK
        self._sizes: dict[int, tuple[object, int]] = {}

    def start_expression(self) -> None:
        self.expression_left = MAX_EXPRESSION_WORK
        self._sizes.clear()

    def spend(self, units: int) -> None:
        self.expression_left -= units
        self.evaluation_left -= units
        if self.expression_left < 0:
            raise BudgetExceeded(f"more than {MAX_EXPRESSION_WORK} steps of work")
        if self.evaluation_left < 0:
            raise BudgetExceeded(f"the form's expressions took more than {MAX_EVALUATION_WORK} steps of work")

    def size(self, value: object) -> int:
        """Elements plus characters, nested lists in full; stops counting past the limit."""
        if isinstance(value, str):
            return len(value)
        if not isinstance(value, list | tuple):
            return 1
        known = self._sizes.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        total = 0
        stack: list[list[Any] | tuple[Any, ...]] = [value]
        while stack and total <= MAX_VALUE_SIZE:
            for element in stack.pop():
                if isinstance(element, str):
                    total += len(element) + 1
                elif isinstance(element, list | tuple):
                    seen = self._sizes.get(id(element))
                    if seen is not None and seen[0] is element:
                        total += seen[1] + 1
                    else:
                        total += 1
                        stack.append(element)
                else:
                    total += 1
        self._sizes[id(value)] = (value, total)
        return total

    def check(self, value: Any) -> Any:
        """``value`` if it is within the limits (and charged as work), else BudgetExceeded."""
        if _is_int(value):
            if value.bit_length() > MAX_INT_BITS:
                raise BudgetExceeded(f"a whole number of more than {MAX_INT_BITS} bits")
        elif isinstance(value, _SEQUENCES):
            size = self.size(value)
            if size > MAX_VALUE_SIZE:
                raise BudgetExceeded(f"a value larger than {MAX_VALUE_SIZE} elements or characters")
            self.spend(size)
        return value

    @staticmethod
    def predict(size: int) -> None:
        """Refuse a value before it is built; ``check`` charges it once built."""
        if size > MAX_VALUE_SIZE:
            raise BudgetExceeded(f"a value larger than {MAX_VALUE_SIZE} elements or characters")

    # The operators. Each predicts what it can before Python builds anything.

    def add(self, a: Any, b: Any) -> Any:
        if isinstance(a, _SEQUENCES) and isinstance(b, _SEQUENCES):
            self.predict(self.size(a) + self.size(b))
        return self.check(a + b)

    def mult(self, a: Any, b: Any) -> Any:
        for seq, times in ((a, b), (b, a)):
            if isinstance(seq, _SEQUENCES) and isinstance(times, int):
                self.predict(self.size(seq) * max(times, 0))
        if _is_int(a) and _is_int(b) and a.bit_length() + b.bit_length() > MAX_INT_BITS + 1:
            raise BudgetExceeded(f"a whole number of more than {MAX_INT_BITS} bits")
        return self.check(a * b)

    def power(self, base: Any, exponent: Any) -> Any:
        # The result has at least (bits - 1) * exponent bits; what passes is at most twice the limit.
        if _is_int(base) and _is_int(exponent) and (
            abs(exponent) > 16 * MAX_INT_BITS or (abs(base).bit_length() - 1) * exponent > MAX_INT_BITS
        ):
            raise BudgetExceeded(f"a power of more than {MAX_INT_BITS} bits")
        return self.check(base**exponent)  # a float power that overflows raises by itself

    def mod(self, a: Any, b: Any) -> Any:
        # "%0999999999d" % 1 is text formatting, not a remainder: numbers only.
        if isinstance(a, _SEQUENCES):
            raise BudgetExceeded("% works on numbers only (as text formatting it makes text of any length)")
        return self.check(a % b)

    def other(self, operator: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        def checked(a: Any, b: Any) -> Any:
            if isinstance(a, list | tuple) or isinstance(b, list | tuple):
                self.spend(self.size(a) + self.size(b))  # comparing or searching walks them
            return self.check(operator(a, b))

        return checked


def _operators(budget: Budget) -> dict[type[ast.AST], Callable[..., Any]]:
    ops: dict[type[ast.AST], Callable[..., Any]] = {
        k: budget.other(v) for k, v in DEFAULT_OPERATORS.items() if k in _ALLOWED_NODES
    }
    ops[ast.Add] = budget.add
    ops[ast.Mult] = budget.mult
    ops[ast.Pow] = budget.power
    ops[ast.Mod] = budget.mod
    ops[ast.USub] = lambda a: budget.check(-a)
    ops[ast.UAdd] = lambda a: budget.check(+a)
    ops[ast.Not] = lambda a: not a
    return ops


def _functions(budget: Budget) -> dict[str, Callable[..., Any]]:
    def checked(function: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            for arg in args:
                if isinstance(arg, list | tuple):
                    budget.spend(budget.size(arg))  # str(), len(), max() … walk their argument
            return budget.check(function(*args))

        return call

    return {name: checked(function) for name, function in FUNCTIONS.items()}


class _BoundedEngine(EvalWithCompoundTypes):  # type: ignore[misc]  # simpleeval is untyped
    """simpleeval's walker with every node charged to the budget and every result checked.

    simpleeval's own ``_eval`` also walks each result looking for forbidden functions, which on
    ``[[1]*99999]*99999`` alone means ten billion steps; here functions are whitelisted and names
    are answers, so no result can hold a function and that walk is left out.
    """

    def __init__(self, budget: Budget, names: Mapping[str, Any]) -> None:
        super().__init__(operators=_operators(budget), functions=_functions(budget), names=names)
        self.functions = _functions(budget)  # not the list()/dict()/set() simpleeval adds here
        for kind in (ast.Dict, ast.Set, ast.ListComp, ast.GeneratorExp, ast.DictComp, ast.Attribute,
                     ast.Subscript, ast.JoinedStr, ast.FormattedValue):
            self.nodes.pop(kind, None)
        self.budget = budget

    def _eval(self, node: ast.AST) -> Any:
        self.budget.spend(1)
        try:
            handler = self.nodes[type(node)]
        except KeyError:
            raise BudgetExceeded(f"{type(node).__name__} is not available") from None
        result = handler(node)
        if isinstance(node, ast.List | ast.Tuple):
            self.budget.check(result)
        return result


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
    for count, node in enumerate(ast.walk(module), start=1):
        if count > MAX_NODES:
            raise ExprError(f"expression {text!r} has more than {MAX_NODES} parts")
        _check_node(node, text, allowed_names, names, options)
    _check_constant_parts(module.body, text)
    return Expr(text, module.body, frozenset(names), tuple(options))


def _reads_names(node: ast.AST) -> bool:
    """Whether a part of an expression reads an answer or a context name (not just a function)."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id not in FUNCTIONS and sub.id not in ("True", "False", "None"):
            return True
    return False


def _check_constant_parts(tree: ast.expr, text: str) -> None:
    """Evaluate, on the run-time budget, every largest part that reads no name: what is too big
    for the budget is too big for any answer, so it is refused now with the part named."""
    todo: list[ast.AST] = [tree]
    while todo:
        node = todo.pop()
        if not isinstance(node, ast.expr) or isinstance(node, ast.Constant | ast.Name):
            continue
        if _reads_names(node):
            todo.extend(ast.iter_child_nodes(node))
            continue
        engine = _BoundedEngine(Budget(), {})
        try:
            engine.eval(text, previously_parsed=node)
        except BudgetExceeded as exc:
            raise ExprError(f"{ast.unparse(node)!r} in expression {text!r} is too large: {exc}") from None
        except Exception:  # noqa: S112  # other failures (1/0, int('x')) read as false at run time
            continue


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
        if isinstance(node.value, int) and node.value.bit_length() > MAX_INT_BITS:
            raise ExprError(f"number longer than {MAX_INT_BITS} bits in expression")
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
    """Evaluates checked expressions against one set of names; never raises.

    One Evaluator is one evaluation of a form: all its expressions share ``MAX_EVALUATION_WORK``.
    """

    __slots__ = ("_budget", "_engine")

    def __init__(self, names: Mapping[str, Any]) -> None:
        self._budget = Budget()
        self._engine = _BoundedEngine(self._budget, names)

    def value(self, expr: Expr, extra: Mapping[str, Any] | None = None) -> tuple[bool, Any]:
        """(True, result), or (False, None) when the expression cannot be computed."""
        engine = self._engine
        saved: dict[str, Any] = {}
        if extra:
            for k, v in extra.items():
                saved[k] = engine.names.get(k, _MISSING)
                engine.names[k] = v
        self._budget.start_expression()
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
