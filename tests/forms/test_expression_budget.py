"""A form's expressions run on a budget: no expression can take a laptop's memory or time.

The attacks are the ones of issue 11: nested repetitions that need terabytes, ``str()`` of such a
list, and chains of computed whole numbers. Where an expression reads no answer the refusal comes
from ``forms check`` with the file, line and item; where it reads one, the answer is saved at once
and the value reads as not computable.
"""

from __future__ import annotations

import time

import pytest

from inspector_app.checklist import ExprError, FormError, compile_expr, evaluate
from inspector_app.checklist.expr import MAX_INT_BITS, MAX_VALUE_SIZE, Evaluator
from tests.support.bounded import run_bounded
from tests.support.forms import form_text

from .test_forms_cmd import run as forms_check

NAMES = frozenset({"a", "n", "s"})


@pytest.mark.parametrize(
    "source",
    [
        "[[[1]*99999]*99999]*99999 == a",
        "str([[[1]*1000]*1000]*1000) == s",
        "len(str([[[1]*1000]*1000]*1000)) > 0",
        "9 ** 9 ** 9 ** 9 > 1",
        "(10 ** 70) * (10 ** 70) > a",
        "'x' * 10 ** 9 == s",
        "'%0999999999d' % 1 == s",
        "a > " + "9" * 100,
    ],
)
def test_a_part_that_reads_no_answer_and_is_too_large_is_refused_at_load_time(source):
    with pytest.raises(ExprError, match=r"too large|longer than"):
        compile_expr(source, NAMES)


def test_an_expression_with_too_many_parts_is_refused():
    with pytest.raises(ExprError, match="more than 400 parts"):
        compile_expr(" + ".join(["a"] * 300), NAMES)


def test_forms_check_names_file_line_and_item_of_a_bomb(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(form_text("""
        - key: a
          type: integer
          label: 甲
        - key: b
          type: yesno
          label: 乙
          relevant: "[[[1]*99999]*99999]*99999 == a"
    """), encoding="utf-8")
    started = time.perf_counter()
    result = forms_check(str(bomb))
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'bomb.yaml:16: item "b": "relevant": ' in result.stdout
    assert "is too large" in result.stdout and "Traceback" not in result.stderr
    assert time.perf_counter() - started < 30


@pytest.mark.parametrize(
    ("source", "names"),
    [
        ("str([[[n]*n]*n]*n) == s", {"n": 1000, "s": ""}),
        ("[[[a]*n]*n]*n == s", {"a": 1, "n": 99999, "s": ""}),
        ("a*a*a*a*a*a*a*a*a*a > 0", {"a": 10**40}),
        ("a ** n > 0", {"a": 3, "n": 10**6}),
        ("s * n == s", {"s": "x", "n": 10**9}),
        ("s % n == s", {"s": "%0999999999d", "n": 1}),
        ("round(a, n) == 0", {"a": 5, "n": -(10**9)}),
        ("int(s) > 0", {"s": "9" * 4000}),
    ],
)
def test_a_value_too_large_for_the_budget_reads_as_not_computable_at_once(source, names):
    expr = compile_expr(source, NAMES)
    started = time.perf_counter()
    assert Evaluator(names).value(expr) == (False, None)
    assert time.perf_counter() - started < 1


def test_the_limits_leave_room_for_every_real_use():
    long_text = "检" * (MAX_VALUE_SIZE - 1)
    engine = Evaluator({"a": 10**30, "n": 3, "s": long_text})
    for source in (
        "a * a > 0",  # 200 bits
        "len(s) > 10 and answered(s)",  # a long text answer can be read
        "2 ** (n * 80) > 0",
        "[1, 2, 3] * 1000 != []",
        "round(a / 7, 2) > 0 and str(a) != ''",
    ):
        assert engine.truth(compile_expr(source, NAMES)), source
    assert MAX_INT_BITS >= 128


def test_one_evaluation_of_a_form_has_a_total_budget():
    # Each expression is within its own limit; together they would be slow, so the rest stop.
    expr = compile_expr("[n] * 49000 == [n] * 49000", NAMES)
    engine = Evaluator({"n": 1})
    results = [engine.value(expr)[0] for _ in range(100)]
    assert results[0] and not results[-1]


def test_computed_items_chained_into_a_huge_number_are_not_computable(make_form):
    form = make_form("""
        - key: n
          type: integer
          label: 数量
        - key: c1
          type: integer
          label: 一
          compute: n * n * n * n
        - key: c2
          type: integer
          label: 二
          compute: c1 * c1 * c1 * c1
        - key: c3
          type: integer
          label: 三
          compute: c2 * c2 * c2 * c2
        - key: c4
          type: integer
          label: 四
          compute: c3 * c3 * c3 * c3
    """)
    result = evaluate(form, {"n": 10**9})
    assert result.computed["c1"] == 10**36
    assert result.computed["c2"] is None and result.computed["c3"] is None and result.computed["c4"] is None


def test_a_computed_item_that_explodes_without_reading_an_answer_is_refused_at_load_time(make_form):
    with pytest.raises(FormError):
        make_form("""
            - key: a
              type: integer
              label: 甲
              compute: str([[[1]*1000]*1000]*1000)
        """)


HOSTILE_FORM = """\
code: hostile
version: "1"
kind: inspection
title: 炸弹表
applies_to: ["*"]
sections:
  - key: main
    title: 检查内容
    items:
      - {key: n, type: integer, label: 数量}
      - {key: big, type: text, label: 大, compute: "str([[[n]*n]*n]*n)"}
      - {key: nest, type: yesno, label: 嵌, relevant: "[[[n]*n]*n]*n == n"}
      - {key: c1, type: integer, label: 一, compute: n * n * n * n * n * n * n * n}
      - {key: c2, type: integer, label: 二, compute: c1 * c1 * c1 * c1 * c1 * c1}
outcome:
  default: 通过
"""


def test_answering_a_hostile_form_returns_at_once_in_bounded_memory(tmp_path):
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "hostile.yaml").write_text(HOSTILE_FORM, encoding="utf-8")
    outcome = run_bounded(
        f"""
        import time
        from pathlib import Path
        from inspector_app.services.context import AppServices
        from tests.support.clock import FakeClock
        from tests.support.workspace_world import BADGES, CODE, seed
        from datetime import UTC, datetime
        clock = FakeClock(datetime(2026, 11, 23, 1, 30, tzinfo=UTC))
        app = AppServices.open(Path({str(tmp_path / "ws")!r}), forms_dir=Path({str(forms)!r}), clock=clock)
        seed(app, clock())
        vid, _ = app.visits.start(CODE, "hostile", BADGES[:1])
        started = time.perf_counter()
        app.visits.answer(vid, "n", 99999)
        seconds = time.perf_counter() - started
        snap = app.visits.snapshot(vid)
        report(seconds=seconds, n=snap.answers.get("n"))
        """,
        memory_mb=700, seconds=60,
    )
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    assert outcome.values["n"] == 99999
    assert float(outcome.values["seconds"]) < 5  # type: ignore[arg-type]
    assert outcome.peak_mb < 400
