"""Expressions are data from a file: checked at load time, evaluated safely, never executed."""

from __future__ import annotations

import time

import pytest

from inspector_app.checklist import ExprError, FormError, compile_expr, evaluate
from inspector_app.checklist.expr import Evaluator

NAMES = frozenset({"a", "b", "items"})


@pytest.mark.parametrize(
    "source",
    [
        "().__class__.__bases__",
        "a.__class__",
        "__import__('os').system('echo hacked')",
        "open('/etc/passwd')",
        "eval('1+1')",
        "[x for x in (1, 2)]",
        "lambda: 1",
        "a[0]",
        "(x := 1)",
        "f'{a}'",
        "__builtins__",
        "getattr(a, 'x')",
        "len(a, key=1)",
    ],
)
def test_a_malicious_or_unsupported_expression_is_refused_at_load_time(source):
    with pytest.raises(ExprError):
        compile_expr(source, NAMES)


def test_the_refusal_names_the_file_and_line_when_it_sits_in_a_form(make_form):
    with pytest.raises(FormError) as err:
        make_form("""
            - key: a
              type: integer
              label: 甲
              relevant: "().__class__.__bases__"
        """)
    [problem] = err.value.problems
    assert problem.line == 13 and "attribute access is not allowed" in problem.message


def test_a_huge_power_of_an_answer_is_not_computable_and_returns_at_once():
    expr = compile_expr("a ** 9 ** 9 > 1", NAMES)
    start = time.perf_counter()
    assert Evaluator({"a": 9}).value(expr) == (False, None)
    assert time.perf_counter() - start < 0.5


def test_a_huge_string_from_an_answer_is_not_computable():
    expr = compile_expr("a * 10 ** 9", NAMES)
    assert Evaluator({"a": "x"}).value(expr) == (False, None)


def test_errors_at_run_time_read_as_false():
    names = {"a": None, "b": 0, "items": None}
    engine = Evaluator(names)
    assert engine.truth(compile_expr("a > 3", NAMES)) is False
    assert engine.truth(compile_expr("10 / b > 1", NAMES)) is False
    assert engine.truth(compile_expr("int('x') == 1", NAMES)) is False


def test_the_whitelisted_helpers_behave_as_documented():
    names = {"a": ["x", "y"], "b": None, "items": ""}
    engine = Evaluator(names)
    checks = {
        "answered(a)": True,
        "answered(b)": False,
        "answered(items)": False,
        "selected(a, 'y')": True,
        "selected(b, 'y')": False,
        "count_selected(a) == 2": True,
        "max(1, 5) == 5 and min(1, 5) == 1 and abs(-2) == 2 and round(2.46, 1) == 2.5": True,
        "days_between('2026-01-01', '2026-02-01') == 31": True,
        "'x' in a": True,
    }
    for source, expected in checks.items():
        assert engine.truth(compile_expr(source, NAMES)) is expected, source


def test_unknown_names_and_functions_are_refused():
    with pytest.raises(ExprError, match="unknown name 'c'"):
        compile_expr("c > 1", NAMES)
    with pytest.raises(ExprError, match="unknown function 'sum'"):
        compile_expr("sum(a)", NAMES)


def test_a_malicious_computed_value_cannot_break_an_evaluation(make_form):
    form = make_form("""
        - key: a
          type: integer
          label: 甲
          compute: 2 ** n
        - key: b
          type: integer
          label: 乙
          compute: "'z' * n"
        - key: n
          type: integer
          label: 次数
    """)
    result = evaluate(form, {"n": 99999999})
    assert result.computed == {"a": None, "b": None}
