"""A form file is read in bounded time and memory, whatever it holds (issue 11).

Each attack is refused with a message naming the file, the line and, where there is one, the item;
none ends in a traceback, and a bad form among a workspace's published forms is reported and
skipped while the workspace opens.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from inspector_app.checklist import FormError, FormLibrary, load_form, parse_form
from inspector_app.checklist.parse import MAX_FORM_BYTES, MAX_ITEMS, MAX_LABEL_LENGTH
from inspector_app.checklist.yamlread import MAX_DEPTH
from inspector_app.services.context import AppServices
from tests.support.bounded import run_bounded
from tests.support.forms import form_text

from .test_forms_cmd import run as forms_check

SHIPPED = Path(__file__).resolve().parents[2] / "forms"

# 598 bytes that expand to 9**9 strings: 3.7 GB and 120 s before this was refused.
ALIAS_BOMB = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + "".join(
        f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n"
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
)


def big_form(n: int, *, chain: bool = False, per_section: int = 100) -> str:
    """``n`` yesno items; with ``chain`` each item is relevant only when the next is answered."""
    lines = ['code: big', 'version: "1"', "kind: inspection", "title: 大表", 'applies_to: ["*"]', "sections:"]
    for i in range(n):
        if i % per_section == 0:
            lines += [f"  - key: s{i}", "    title: 节", "    items:"]
        rel = f', relevant: "answered(i{i + 1})"' if chain and i + 1 < n else ""
        lines.append(f"      - {{key: i{i}, type: yesno, label: 项{i}{rel}}}")
    return "\n".join([*lines, "outcome:", "  default: 通过", ""])


def problems(text: str | bytes, name: str = "bad.yaml") -> list[str]:
    with pytest.raises(FormError) as err:
        parse_form(text if isinstance(text, bytes) else text.encode(), name)
    return [str(p) for p in err.value.problems]


def test_the_alias_bomb_is_refused_at_its_first_anchor_in_bounded_memory(tmp_path):
    assert len(ALIAS_BOMB) < 700
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(ALIAS_BOMB, encoding="utf-8")
    outcome = run_bounded(
        f"""
        from inspector_app.checklist import FormError, load_form
        try:
            load_form({str(bomb)!r})
        except FormError as exc:
            report(problems=[str(p) for p in exc.problems])
        """,
        memory_mb=500, seconds=30,
    )
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    assert outcome.values["problems"] == [f"{bomb}:1: YAML error: anchors (&a) are not allowed in a form"]
    assert outcome.peak_mb < 200 and outcome.seconds < 20


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("code: !!python/object:os.system {}\n",
         "bad.yaml:1: YAML error: tags (tag:yaml.org,2002:python/object"),
        ("code: x\ntitle: !custom 表\n", "bad.yaml:2: YAML error: tags (!custom) are not allowed in a form"),
        ("a: [1]\nb: *x\n", "bad.yaml:2: YAML error"),
        ("a: " + "[" * 5000 + "]" * 5000 + "\n",
         f"bad.yaml:1: YAML error: nested more than {MAX_DEPTH} levels"),
        ("".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "x: 1\n",
         f"bad.yaml:{MAX_DEPTH + 1}: YAML error: nested more than {MAX_DEPTH} levels"),
        ("---\nx: [" + "1," * 60_000 + "1]\n", "bad.yaml:2: YAML error: more than 50000 values in one form"),
        # Python refuses to turn more than 4,300 digits into an int: a ValueError, not a YAML error.
        ("code: x\nversion: " + "9" * 5000 + "\n", "bad.yaml:2: YAML error: number 99999999999999999999… is"),
        ("---\ncode: [" + "9" * 5000 + "]\n", "bad.yaml:2: YAML error: number 99999999999999999999… is"),
        ("code: x\nversion: 2026-02-30\n",
         "bad.yaml:2: YAML error: value '2026-02-30' cannot be read (day is out of range for month)"),
    ],
)
def test_tags_aliases_deep_nesting_and_too_many_values_are_refused_with_their_line(text, expected):
    started = time.perf_counter()
    [problem] = problems(text)
    assert problem.startswith(expected), problem
    assert time.perf_counter() - started < 10


def test_forms_check_reports_a_tag_without_a_traceback(tmp_path):
    bad = tmp_path / "tagged.yaml"
    text = form_text("- {key: a, type: text, label: !!python/object:builtins.dict {}}")
    bad.write_text(text, encoding="utf-8")
    result = forms_check(str(bad))
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert "tagged.yaml:10: YAML error: tags (" in result.stdout


def test_a_long_reverse_dependency_chain_loads_in_linear_time():
    started = time.perf_counter()
    form = parse_form(big_form(1500, chain=True).encode())
    assert time.perf_counter() - started < 10
    # Each item reads the next, so the last is settled first.
    assert form.eval_order[0] == "i1499" and form.eval_order[-1] == "i0"


def test_a_long_cycle_is_reported_once_and_named_by_its_ends():
    last = "{key: i1199, type: yesno, label: 项1199"
    text = big_form(1200, chain=True).replace(last + "}", last + ', relevant: "answered(i0)"}')
    [problem] = problems(text)
    assert 'item "i0": relevance/computation cycle: i0 → i1 → i2 → i3 → i4 → … 1191 more … →' in problem


def test_too_many_items_are_refused_before_anything_is_built():
    started = time.perf_counter()
    [problem] = problems(big_form(MAX_ITEMS + 1, per_section=50))
    assert problem == f"bad.yaml:6: the form has {MAX_ITEMS + 1} items; at most {MAX_ITEMS} are allowed"
    assert time.perf_counter() - started < 10


def test_a_form_of_the_largest_allowed_size_loads_in_seconds():
    started = time.perf_counter()
    form = parse_form(big_form(MAX_ITEMS).encode())
    assert len(form.items) == MAX_ITEMS and time.perf_counter() - started < 10


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path):
    huge = tmp_path / "huge.yaml"
    with huge.open("wb") as fh:
        fh.write(form_text("- {key: a, type: text, label: 甲}").encode())
        fh.write(b"#" + b"x" * 50_000_000 + b"\n")
    started = time.perf_counter()
    with pytest.raises(FormError) as err:
        load_form(huge)
    assert [p.message for p in err.value.problems] == [
        f"file larger than {MAX_FORM_BYTES:,} bytes; a form needs far less "
        "(the largest shipped form has 21 KB)"
    ]
    assert time.perf_counter() - started < 2


def test_a_pipe_or_a_device_named_as_a_form_is_refused_without_reading(tmp_path):
    pipe = tmp_path / "form.yaml"
    os.mkfifo(pipe)  # opening it would wait for a writer for ever
    for path in (pipe, Path("/dev/zero")):
        with pytest.raises(FormError) as err:
            load_form(path)
        assert [p.message for p in err.value.problems] == ["not a regular file"]


def test_an_over_long_label_is_refused_with_its_line_and_item():
    long_label = "长" * (MAX_LABEL_LENGTH + 1)
    text = form_text(f"- {{key: a, type: text, label: {long_label}}}\n- {{key: b, type: text, label: 乙}}")
    assert problems(text) == [
        f'bad.yaml:10: item "a": "label" is {MAX_LABEL_LENGTH + 1} characters long; '
        f"at most {MAX_LABEL_LENGTH} are allowed"
    ]


def test_a_flood_of_problems_is_cut_short():
    text = form_text("- {key: a, type: text, label: 甲, " + ", ".join(f"x{i}: 1" for i in range(1000)) + "}")
    listed = problems(text)
    assert len(listed) == 201 and listed[-1].endswith("more than 200 problems; the rest are not listed")


def test_a_bad_form_among_the_published_ones_is_reported_and_the_workspace_opens(tmp_path):
    ws = tmp_path / "ws"
    AppServices.open(ws, forms_dir=SHIPPED).close()
    published = ws / "forms"
    published.mkdir(exist_ok=True)
    (published / "bomb.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    (published / "tagged.yaml").write_text("code: !!python/object:os.system {}\n", encoding="utf-8")
    (published / "deep.yaml").write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    app = AppServices.open(ws, forms_dir=SHIPPED)
    try:
        listed = sorted(str(p) for p in app.forms.problems)
        assert len(listed) == 3 and all(": YAML error: " in p for p in listed), listed
        assert {f.code for f in app.forms.latest()} >= {"fire-safety", "work-safety"}
    finally:
        app.close()
    assert FormLibrary.load(published, strict=False).forms == []
