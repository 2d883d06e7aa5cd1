"""Loading a form: everything wrong is reported with the file, the line and the item."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector_app.checklist import FormError, FormLibrary, check_files, default_forms_dir, load_form
from inspector_app.checklist.model import ItemType
from inspector_app.domain.visit import VisitKind
from tests.support.forms import HEADER, OUTCOME, form_text


def problems_of(path: Path) -> list[str]:
    with pytest.raises(FormError) as err:
        load_form(path)
    return [str(p) for p in err.value.problems]


def test_a_sound_form_loads_with_its_sections_items_and_rules(make_form):
    form = make_form("""
        - key: exits_clear
          type: compliance
          label: {zh: 疏散通道畅通, en: Exits clear}
          required: true
          severity: 重大
          deadline_days: 0
          legal_basis: 《中华人民共和国消防法》第二十八条
    """)
    assert (form.code, form.version, form.kind) == ("test-form", "1.0", VisitKind.INSPECTION)
    assert form.title.zh == "测试表" and form.title.text("en") == "Test form"
    item = form.items["exits_clear"]
    assert item.type is ItemType.COMPLIANCE and item.required and item.deadline_days == 0
    assert item.label.en == "Exits clear" and item.legal_basis.startswith("《中华人民共和国消防法》")
    assert [s.key for s in form.sections] == ["main"]
    assert form.outcomes == ("不予复工", "责令停产整顿", "限期整改", "通过")


def test_an_unknown_type_is_reported_with_file_line_and_item(write, monkeypatch):
    path = write(
        form_text("""
        - key: exits_clear
          type: yesno2
          label: 疏散通道畅通
    """),
        "fire.yaml",
    )
    monkeypatch.chdir(path.parent)
    [problem] = problems_of(path)
    assert problem.startswith('fire.yaml:11: item "exits_clear": unknown type "yesno2"')


def test_malformed_yaml_is_reported_with_its_line(write):
    path = write(HEADER + "sections: [\n  - key: a\n")
    [problem] = problems_of(path)
    assert "form.yaml:" in problem and "YAML error" in problem


def test_a_duplicate_yaml_key_is_reported_with_its_line(write):
    path = write(
        form_text("""
        - key: a
          type: text
          label: 甲
          label: 乙
    """)
    )
    [problem] = problems_of(path)
    assert ":13: YAML error" in problem and 'duplicate key "label"' in problem


def test_a_duplicate_item_key_names_the_first_line(make_form):
    with pytest.raises(FormError) as err:
        make_form("""
            - key: a
              type: text
              label: 甲
            - key: a
              type: text
              label: 乙
        """)
    assert [p.line for p in err.value.problems] == [13]
    assert "first used on line 10" in err.value.problems[0].message


def test_missing_top_level_fields_are_each_reported(write):
    path = write("""\
        sections:
          - key: main
            title: 甲
            items:
              - {key: a, type: text, label: 甲}
    """)
    text = "\n".join(problems_of(path))
    for field in ('"code"', '"version"', '"title"', '"kind"', '"applies_to"', '"outcome"'):
        assert field in text


def test_an_unquoted_version_is_refused_so_2026_10_never_becomes_2026_1(write):
    path = write(form_text("- {key: a, type: text, label: 甲}", header=HEADER.replace('"1.0"', "2026.10")))
    [problem] = problems_of(path)
    assert ':2: "version" must be quoted text (write "2026.1" in quotes)' in problem


def test_unknown_and_misplaced_fields_are_reported(make_form):
    with pytest.raises(FormError) as err:
        make_form("""
            - key: a
              type: text
              label: 甲
              requird: true
              unit: 人
        """)
    messages = [p.message for p in err.value.problems]
    assert 'field "requird" is not allowed for an item' in messages
    assert 'field "unit" is not allowed for type "text"' in messages


def test_a_reference_to_an_unknown_item_is_a_load_error(make_form):
    with pytest.raises(FormError) as err:
        make_form("""
            - key: a
              type: integer
              label: 甲
              relevant: staf_total > 0
        """)
    [problem] = err.value.problems
    assert problem.item_key == "a" and problem.line == 13
    assert "unknown name 'staf_total'" in problem.message


def test_a_syntax_error_in_an_expression_is_a_load_error(make_form):
    with pytest.raises(FormError) as err:
        make_form("""
            - key: a
              type: integer
              label: 甲
              constraint: value <=
              message: 太大
        """)
    assert "syntax error" in err.value.problems[0].message


def test_value_is_only_known_inside_constraints_and_finding_rules(make_form):
    with pytest.raises(FormError) as err:
        make_form("""
            - key: a
              type: integer
              label: 甲
              relevant: value > 0
        """)
    assert "unknown name 'value'" in err.value.problems[0].message


def test_a_range_with_min_above_max_is_refused(make_form):
    with pytest.raises(FormError) as err:
        make_form("""
            - key: a
              type: decimal
              label: 甲
              min: 10
              max: 2.5
        """)
    assert "bad range: min 10 is greater than max 2.5" in err.value.problems[0].message


def test_a_cycle_of_relevance_and_computed_values_is_refused(make_form):
    with pytest.raises(FormError) as err:
        make_form("""
            - key: a
              type: integer
              label: 甲
              compute: b + 1
            - key: b
              type: integer
              label: 乙
              relevant: a > 0
        """)
    [problem] = err.value.problems
    assert "cycle" in problem.message and "a → b → a" in problem.message


def test_selected_must_name_an_existing_option(make_form):
    with pytest.raises(FormError) as err:
        make_form("""
            - key: kind
              type: choice
              label: 类型
              choices: [shop, workshop]
            - key: b
              type: text
              label: 乙
              relevant: selected(kind, 'shopp')
        """)
    assert '"kind" has no option "shopp"' in err.value.problems[0].message


def test_finding_fields_on_an_item_that_can_never_fail_are_refused(make_form):
    with pytest.raises(FormError) as err:
        make_form("""
            - key: remarks
              type: text
              label: 意见
              veto: true
              severity: 重大
        """)
    assert {p.message.split(" ")[0] for p in err.value.problems} == {'"veto"', '"severity"'}


def test_an_item_key_may_not_shadow_a_function_or_context_name(make_form):
    with pytest.raises(FormError) as err:
        make_form("- {key: category, type: text, label: 类别}")
    assert "reserved name" in err.value.problems[0].message


def test_bad_severity_deadline_and_choices_are_reported(make_form):
    with pytest.raises(FormError) as err:
        make_form("""
            - key: a
              type: compliance
              label: 甲
              severity: 严重
              deadline_days: -1
            - key: b
              type: multi
              label: 乙
              choices: [x, x]
        """)
    messages = " | ".join(p.message for p in err.value.problems)
    assert "severity must be 一般 or 重大" in messages
    assert '"deadline_days" must be a whole number from 0 to 365' in messages
    assert 'duplicate choice "x"' in messages


def test_check_files_reports_a_code_and_version_defined_twice(write, tmp_path):
    write(form_text("- {key: a, type: text, label: 甲}"), "one.yaml")
    write(form_text("- {key: a, type: text, label: 甲}"), "two.yaml")
    [problem] = check_files([tmp_path])
    assert 'form "test-form" version "1.0" is also defined in' in problem.message


def test_the_library_gives_the_latest_version_unless_one_is_named(write, tmp_path):
    write(form_text("- {key: a, type: text, label: 甲}"), "v1.yaml")
    write(
        form_text("- {key: a, type: text, label: 甲}", header=HEADER.replace('"1.0"', '"1.10"')), "v110.yaml"
    )
    write(form_text("- {key: a, type: text, label: 甲}", header=HEADER.replace('"1.0"', '"1.2"')), "v12.yaml")
    library = FormLibrary.load(tmp_path)
    assert library.get("test-form").version == "1.10"
    assert library.get("test-form", "1.2").version == "1.2"
    assert len(library.all()) == 3
    with pytest.raises(KeyError):
        library.get("no-such-form")


def test_the_library_picks_forms_by_enterprise_category(write, tmp_path):
    write(form_text("- {key: a, type: text, label: 甲}"), "a.yaml")
    everyone = HEADER.replace("test-form", "for-all").replace("[规上工业企业]", '["*"]')
    write(form_text("- {key: a, type: text, label: 甲}", header=everyone), "b.yaml")
    library = FormLibrary.load(tmp_path)
    assert [f.code for f in library.for_category("规上工业企业")] == ["for-all", "test-form"]
    assert [f.code for f in library.for_category("小档口")] == ["for-all"]


def test_a_library_with_a_broken_file_raises_unless_told_to_keep_the_sound_ones(write, tmp_path):
    write(form_text("- {key: a, type: text, label: 甲}"), "good.yaml")
    write("code: [", "bad.yaml")
    with pytest.raises(FormError):
        FormLibrary.load(tmp_path)
    library = FormLibrary.load(tmp_path, strict=False)
    assert [f.code for f in library.all()] == ["test-form"] and len(library.problems) == 1


def test_the_forms_folder_is_the_shipped_one_unless_the_environment_says_otherwise(monkeypatch, tmp_path):
    monkeypatch.delenv("INSPECTOR_FORMS_DIR", raising=False)
    assert default_forms_dir() == Path(__file__).resolve().parents[2] / "forms"
    monkeypatch.setenv("INSPECTOR_FORMS_DIR", str(tmp_path))
    assert default_forms_dir() == tmp_path


def test_outcome_rules_need_a_default(write):
    path = write(form_text("- {key: a, type: text, label: 甲}", outcome="outcome:\n  rules: []\n"))
    assert any('outcome needs a text "default"' in p for p in problems_of(path))


def test_outcome_names_are_unknown_outside_outcome_rules(make_form):
    with pytest.raises(FormError) as err:
        make_form("- {key: a, type: text, label: 甲, relevant: finding_count > 0}")
    assert "unknown name 'finding_count'" in err.value.problems[0].message


def test_outcome_is_a_required_part_of_a_form(write):
    path = write(form_text("- {key: a, type: text, label: 甲}", outcome=""))
    assert any('"outcome" must be a mapping' in p for p in problems_of(path))


def test_a_file_that_is_not_utf8_is_reported(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("code: 测试".encode("gbk"))
    assert "not UTF-8" in problems_of(path)[0]


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path):
    assert "cannot read file" in problems_of(tmp_path / "nope.yaml")[0]


def test_the_header_and_outcome_helpers_make_a_valid_form(make_form):
    assert make_form("- {key: a, type: text, label: 甲}").default_outcome == "通过"
    assert "default: 通过" in OUTCOME
