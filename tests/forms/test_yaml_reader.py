"""The fast YAML reader must agree with ruamel.yaml on everything it accepts, lines included."""

from __future__ import annotations

from typing import Any

import pytest

from inspector_app.checklist import default_forms_dir
from inspector_app.checklist.yamlread import YMap, YSeq, fast_read, read_yaml_ruamel


def same(a: Any, b: Any, path: str = "") -> None:
    assert type(a) is type(b), path
    if isinstance(a, YMap):
        assert list(a) == list(b) and a.line == b.line and a.key_lines == b.key_lines, path
        for k in a:
            same(a[k], b[k], f"{path}/{k}")
    elif isinstance(a, YSeq):
        assert len(a) == len(b) and a.line == b.line and a.item_lines == b.item_lines, path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            same(x, y, f"{path}[{i}]")
    else:
        assert a == b, path


@pytest.mark.parametrize("path", sorted(default_forms_dir().glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_form_is_read_by_the_fast_reader_exactly_as_ruamel_reads_it(path):
    text = path.read_text(encoding="utf-8")
    fast = fast_read(text)
    assert fast is not None, "the shipped forms should stay inside the fast subset"
    same(fast, read_yaml_ruamel(text))


SNIPPETS = [
    "a: 1\nb: -2\nc: 2.50\nd: true\ne: False\nf: ~\ng: null\nh:\n",
    "a: yes\nb: no\nc: on\nd: 'it''s'\ne: \"q\\\"uote\"\n",
    "a: 2026-01-01\n",
    "a: 0o17\nb: 1e3\nc: 1_000\nd: .inf\ne: 010\n",
    "a: [1, 'x, y', {b: c}]\nb: {zh: 甲, en: \"A, B\"}\n",
    "list:\n- a\n- b\nnext: 1\n",
    "a: |\n  block\n  text\n",
    "a: plain\n  continued\n",
    "a: &anchor 1\nb: *anchor\n",
    "a: x # comment\nb: 'y # not a comment'\n",
    "a: b: c\n",
    "- - nested\n",
    "a:\n  - key: x\n    v: [1,2]\n  -\n    key: y\n",
    "a: 10间\nb: 3层楼\n",
    "a: {b: }\n",
    "null: 1\n",
    "a: 1\na: 2\n",
    "a: 'unterminated\n",
    "---\na: 1\n",
    "a:\tb\n",
]


@pytest.mark.parametrize("text", SNIPPETS)
def test_the_fast_reader_either_agrees_with_ruamel_or_hands_over(text):
    fast = fast_read(text)
    if fast is None:
        return
    same(fast, read_yaml_ruamel(text))
