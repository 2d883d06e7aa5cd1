"""Fuzzing the form reader and the expression engine: any text is a Form or a FormError (issue 11).

Bounded: a fixed number of examples, each with a deadline, drawn from a fixed seed so a run is
repeatable; inputs stay small, and the caps under test keep each one cheap whatever it holds.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from inspector_app.checklist import ExprError, Form, FormError, compile_expr, evaluate, parse_form
from inspector_app.checklist.expr import Evaluator

SHIPPED = sorted((Path(__file__).resolve().parents[2] / "forms").glob("*.yaml"))
SHIPPED_TEXT = [p.read_text(encoding="utf-8") for p in SHIPPED]
FUZZ = settings(
    max_examples=150, deadline=timedelta(seconds=3), derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# What YAML and form authors' mistakes and attacks are made of.
YAML_PIECES = [
    "&a ", "*a", "!!python/object:os.system ", "!x ", "[", "]", "{", "}", ": ", "- ", "\n", "\n  ",
    "\t", "'", "\"", "#", "---\n", "...\n", "|\n", ">\n", "? ", "%YAML 1.1\n", "key", "label",
    "type", "relevant", "compute", "answered(a)", "[[1]*99999]*99999", "9**9**9", "检查", "\x00",
    "\ufeff", "9" * 5000, "2026-02-30", "12:61:61", "0x" + "f" * 3000,
]


def read(text: str | bytes) -> Form | None:
    """The reader's contract: a Form, or a FormError listing problems that each name the file."""
    try:
        data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
        return parse_form(data, "fuzz.yaml")
    except FormError as exc:
        assert exc.problems and all(p.file == "fuzz.yaml" for p in exc.problems)
        return None


@FUZZ
@seed(11)
@given(st.text(max_size=2000))
def test_any_text_is_a_form_or_a_form_error(text):
    read(text)


@FUZZ
@seed(12)
@given(st.binary(max_size=2000))
def test_any_bytes_are_a_form_or_a_form_error(data):
    read(data)


@FUZZ
@seed(13)
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=120))
def test_pieces_of_yaml_and_attacks_are_a_form_or_a_form_error(pieces):
    read("".join(pieces))


@settings(FUZZ, max_examples=100, suppress_health_check=list(HealthCheck))
@seed(14)
@given(
    st.sampled_from(range(len(SHIPPED_TEXT))),
    st.lists(st.tuples(st.floats(0, 1), st.sampled_from(YAML_PIECES), st.integers(0, 40)),
             min_size=1, max_size=6),
)
def test_a_shipped_form_with_damage_is_a_form_or_a_form_error(index, edits):
    """Insert attack pieces and cut spans at random places of a real form."""
    text = SHIPPED_TEXT[index]
    for where, piece, cut in edits:
        at = int(where * len(text))
        text = text[:at] + piece + text[at + cut :]
    form = read(text)
    if form is not None:
        evaluate(form, dict.fromkeys(form.items, 1))  # and whatever loaded evaluates


EXPR_PIECES = [
    "a", "b", "n", "1", "99999", "10", "'x'", "'%0999d'", "[", "]", "(", ")", ",", "*", "**", "+",
    "-", "%", "/", "//", "==", "<", "in", "not", "and", "or", "if", "else", "str(", "int(", "len(",
    "round(", "max(", "answered(", "days_between(", "selected(", "True", "None", "__class__", ".",
    "lambda",
]


@settings(FUZZ, max_examples=300)
@seed(15)
@given(
    st.lists(st.sampled_from(EXPR_PIECES), min_size=1, max_size=40),
    st.fixed_dictionaries({
        "a": st.one_of(st.none(), st.integers(), st.text(max_size=50),
                       st.lists(st.text(max_size=5), max_size=5)),
        "b": st.one_of(st.none(), st.floats(allow_nan=True), st.integers(-(10**30), 10**30)),
        "n": st.integers(-(10**6), 10**6),
    }),
)
def test_any_expression_compiles_or_is_refused_and_never_raises_when_evaluated(pieces, names):
    source = " ".join(pieces)
    try:
        expr = compile_expr(source, frozenset(names))
    except ExprError:
        return
    ok, _value = Evaluator(names).value(expr)
    assert ok in (True, False)


FIELDS = [
    "code", "version", "title", "kind", "applies_to", "sections", "outcome", "key", "type", "label", "items",
    "required", "relevant", "compute", "constraint", "message", "constraints", "check", "finding_when",
    "severity", "deadline_days", "choices", "value", "tick_list", "bad_answer", "min", "max", "places",
    "max_length", "rules", "when", "default", "zh", "en", "veto", "legal_basis", "hint", "unit",
]
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from([
        "compliance", "yesno", "integer", "decimal", "text", "choice", "multi", "date", "photos", "signature",
        "inspection", "recheck", "一般", "重大", "a", "b", "answered(a)", "a > 1", "*",
    ]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=5),
    max_leaves=30,
)


@settings(FUZZ, max_examples=150)
@seed(16)
@given(st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8),
       st.lists(st.dictionaries(st.sampled_from(FIELDS), VALUES, max_size=8), max_size=6))
def test_a_form_of_the_right_fields_with_values_of_any_type_is_a_form_or_a_form_error(root, items):
    """JSON is YAML: every field the loader knows, holding any type, at any place."""
    form = {"code": "x", "version": "1", "kind": "inspection", "title": "表", "applies_to": ["*"],
            "sections": [{"key": "s", "title": "节",
                          "items": [{"key": "a", "type": "yesno", "label": "甲"}, *items]}],
            "outcome": {"default": "通过"}, **root}
    read(json.dumps(form, ensure_ascii=False))
