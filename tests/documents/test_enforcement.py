"""The 执法文书 rules: which documents each domain issues, numbers, remedies, authority, finding dates."""

from __future__ import annotations

from datetime import date

import pytest

from inspector_app.domain.authority import IssuingAuthority
from inspector_app.domain.enforcement import (
    DOC_SPECS,
    DocKind,
    Domain,
    FindingFacts,
    documents_for_visit,
    format_number,
    outcome_wording,
    remedies,
)
from inspector_app.domain.finding import (
    Order,
    Severity,
    default_deadline,
    recheck_deadline,
    validate_deadline,
)


def facts(*rows: tuple[str, bool]) -> list[FindingFacts]:
    return [FindingFacts(order, major) for order, major in rows]


def test_each_domain_issues_its_own_documents() -> None:
    safety = documents_for_visit(Domain.SAFETY, facts(("限期整改", True), ("立即整改", False)), recheck=False)
    assert safety == (DocKind.RECORD, DocKind.SAFETY_ORDER, DocKind.SITE_MEASURE)
    fire = documents_for_visit(Domain.FIRE, facts(("立即整改", False), ("限期整改", True)), recheck=False)
    assert fire == (DocKind.RECORD, DocKind.FIRE_IMMEDIATE, DocKind.FIRE_DEADLINE)
    small = documents_for_visit(Domain.SMALL_VENUES, facts(("限期整改", False)), recheck=False)
    assert small == (DocKind.RECORD, DocKind.FIRE_DEADLINE)
    epidemic = documents_for_visit(Domain.EPIDEMIC, facts(("立即整改", True)), recheck=False)
    assert epidemic == (DocKind.RECORD, DocKind.EPIDEMIC_NOTICE)
    assert documents_for_visit(Domain.FIRE, [], recheck=True) == (DocKind.RECORD, DocKind.RECHECK)


def test_a_finding_corrected_on_the_spot_is_served_no_order() -> None:
    assert documents_for_visit(Domain.SAFETY, facts(("当场整改完毕", False)), recheck=False) == (
        DocKind.RECORD,
    )


def test_numbers_follow_gb_t_9704_without_di() -> None:
    assert format_number("龙宝", "应急检记", 2026, 15) == "（龙宝）应急检记〔2026〕15号"


def test_remedies_in_full_and_not_suspended_where_the_law_says_so() -> None:
    order = remedies(DOC_SPECS[DocKind.SAFETY_ORDER], "龙岗区人民政府", "龙岗区人民法院")
    assert "可在六十日内向龙岗区人民政府申请行政复议，或者在六个月内向龙岗区人民法院提起行政诉讼" in order
    assert "不停止本指令的执行" in order
    fire = remedies(DOC_SPECS[DocKind.FIRE_DEADLINE], "龙岗区人民政府", "龙岗区人民法院")
    assert "六十日" in fire and "不停止" not in fire


def test_a_penalty_is_never_printed_as_an_outcome() -> None:
    assert "停产整顿" not in outcome_wording("责令停产整顿")
    assert outcome_wording("通过") != "通过"


def test_the_authority_names_every_missing_setting() -> None:
    empty = IssuingAuthority()
    assert empty.missing_for(DocKind.SAFETY_ORDER) == [
        "发文机关全称",
        "发文机关简称",
        "文书代字（责令限期整改指令书）",
        "执法依据（授权文件）",
        "复议机关",
        "人民法院",
        "印章图片",
    ]
    full = IssuingAuthority(
        "宝龙街道办事处", "龙宝", {"record": "应急检记"}, "授权决定", "区政府", "区法院", True
    )
    assert full.missing_for(DocKind.RECORD) == []
    assert IssuingAuthority(doc_codes={"record": "检〔记"}).problems()


def test_corrected_on_the_spot_has_no_deadline_to_miss() -> None:
    assert default_deadline(Order.ON_SITE_FIXED, date(2026, 11, 20), 7) == date(2026, 11, 20)
    with pytest.raises(ValueError, match="没有整改期限"):
        validate_deadline(Order.ON_SITE_FIXED, date(2026, 11, 20), date(2026, 11, 21))


def test_a_recheck_before_the_deadline_never_shortens_it() -> None:
    original = date(2026, 12, 1)
    # Rechecked on 11-23, judged not yet fixed: the enterprise keeps until 12-01.
    assert recheck_deadline(original, None, date(2026, 11, 23)) == original
    with pytest.raises(ValueError, match="不能早于原整改期限"):
        recheck_deadline(original, date(2026, 11, 30), date(2026, 11, 23))
    assert recheck_deadline(original, date(2026, 12, 8), date(2026, 11, 23)) == date(2026, 12, 8)
    # On or after the deadline: a week from the recheck by default, never the day itself.
    assert recheck_deadline(original, None, date(2026, 12, 2)) == date(2026, 12, 9)
    with pytest.raises(ValueError, match="应晚于复查当日"):
        recheck_deadline(original, date(2026, 12, 2), date(2026, 12, 2))


def test_a_major_hazard_is_never_corrected_on_the_spot() -> None:
    from inspector_app.domain.finding import validate_order

    validate_order(Order.ON_SITE_FIXED, Severity.GENERAL)
    with pytest.raises(ValueError, match="重大隐患不能记为当场整改完毕"):
        validate_order(Order.ON_SITE_FIXED, Severity.MAJOR)
