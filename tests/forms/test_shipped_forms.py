"""The checklists shipped in forms/: each loads, and evaluates as an inspector would expect."""

from __future__ import annotations

from datetime import date

import pytest

from inspector_app.checklist import FormLibrary, default_forms_dir, evaluate
from inspector_app.checklist.model import ItemType
from inspector_app.domain.enterprise import DEFAULT_CATEGORIES
from inspector_app.domain.finding import Severity
from inspector_app.domain.visit import FORBIDDEN_OUTCOMES, Outcome, VisitKind

SHA = "b" * 64


@pytest.fixture(scope="module")
def library() -> FormLibrary:
    return FormLibrary.load(default_forms_dir())


def test_the_four_checklists_and_the_recheck_form_are_shipped(library):
    codes = {f.code: f for f in library.latest()}
    assert set(codes) == {"epidemic-resumption", "work-safety", "fire-safety", "three-small", "recheck"}
    assert codes["recheck"].kind is VisitKind.RECHECK
    for code in ("epidemic-resumption", "work-safety", "fire-safety", "three-small"):
        form = codes[code]
        assert form.kind is VisitKind.INSPECTION
        assert 20 <= len(form.items) <= 60, code
        assert any(i.legal_basis for i in form.items.values()), code
        assert any(i.type is ItemType.SIGNATURE and i.required for i in form.items.values()), code


def test_every_shipped_form_names_known_enterprise_categories(library):
    for form in library.all():
        assert set(form.applies_to) <= {*DEFAULT_CATEGORIES, "*"}, form.code


def test_every_enterprise_category_has_at_least_one_inspection_form(library):
    for category in DEFAULT_CATEGORIES:
        assert library.for_category(category, VisitKind.INSPECTION), category


def all_compliant(form, **extra):
    answers = {}
    for key, item in form.items.items():
        if item.type is ItemType.COMPLIANCE:
            answers[key] = "Y"
        elif item.type is ItemType.SIGNATURE:
            answers[key] = SHA
        elif item.type is ItemType.PHOTOS:
            answers[key] = [SHA]
        elif item.tick_list:
            answers[key] = []
    answers.update(extra)
    return answers


def test_epidemic_resumption_passes_when_everything_is_in_place(library):
    form = library.get("epidemic-resumption")
    answers = all_compliant(
        form,
        staff_total=120,
        staff_returned=100,
        staff_key_regions=0,
        masks_count=1000,
        thermometer_count=2,
        ventilation="off",
        canteen_exists=False,
        dorm_exists=False,
        isolation_room_exists=True,
        isolation_room_count=2,
        mechanism_leader="张三 13800000000",
    )
    result = evaluate(form, answers, category="规上工业企业")
    assert result.errors == {} and result.findings == [], result.findings
    assert result.missing_required == [] and result.can_complete
    assert result.computed["return_rate"] == "83.3"
    assert result.outcome == "准予复工"


def test_a_missing_prevention_mechanism_refuses_resumption(library):
    form = library.get("epidemic-resumption")
    result = evaluate(form, {"mechanism_team": "N", "staff_total": 10, "staff_returned": 10})
    assert result.veto_failed == ["mechanism_team"] and result.outcome == "不予复工"


def test_isolated_staff_cannot_exceed_those_back_at_work(library):
    form = library.get("epidemic-resumption")
    result = evaluate(
        form, {"staff_total": 50, "staff_returned": 10, "staff_key_regions": 5, "staff_isolated": 12}
    )
    assert result.errors["staff_isolated"] == "隔离人数不能大于返岗人数"


def test_withdrawn_2020_measures_are_no_longer_findings(library):
    """14-day pre-work isolation and "≤ 6 per dormitory room" were withdrawn for low-risk areas by the
    national guidance of April 2020: counts are recorded, never a finding or a veto."""
    form = library.get("epidemic-resumption")
    result = evaluate(
        form,
        {
            "staff_total": 50,
            "staff_returned": 10,
            "staff_key_regions": 5,
            "staff_isolated": 0,
            "dorm_exists": True,
            "dorm_per_room": 8,
        },
    )
    assert not {"staff_isolated", "dorm_per_room"} & {f.item_key for f in result.findings}
    assert "staff_isolated" not in result.veto_failed
    text = "".join(str(i.label) + i.rectification + i.description for i in form.items.values())
    assert "14天" not in text and "不超过6人" not in text


def test_epidemic_form_uses_no_safety_or_fire_terms(library):
    form = library.get("epidemic-resumption")
    for item in form.items.values():
        assert item.severity is Severity.GENERAL, item.key  # the gate is the veto, not a hazard grade
        assert "安全生产法" not in item.legal_basis and "消防法" not in item.legal_basis, item.key
        if "传染病防治法" in item.legal_basis:
            assert "2025年修订" in item.legal_basis, item.key


def test_isolation_room_details_only_for_a_hundred_staff_or_an_existing_room(library):
    form = library.get("epidemic-resumption")
    assert "isolation_room_count" not in evaluate(form, {"staff_total": 40}).visible
    assert "isolation_room_count" in evaluate(form, {"staff_total": 100}).visible
    assert (
        "isolation_room_count" in evaluate(form, {"staff_total": 40, "isolation_room_exists": True}).visible
    )


def test_construction_site_items_only_for_construction_sites(library):
    form = library.get("epidemic-resumption")
    assert "site_no_shared_beds" in evaluate(form, {}, category="建筑工地").visible
    assert "site_no_shared_beds" not in evaluate(form, {}, category="规上工业企业").visible


def test_work_safety_uncertified_operators_are_a_major_hazard(library):
    form = library.get("work-safety")
    result = evaluate(
        form,
        {
            "special_ops": True,
            "special_ops_count": 4,
            "special_ops_certified": 3,
            "certificate_expiry": "2027-01-01",
        },
        today=date(2026, 3, 1),
    )
    [finding] = result.findings
    assert finding.item_key == "special_ops_certified" and finding.severity is Severity.MAJOR
    assert "第三十条" in finding.legal_basis
    assert "应急管理部令第10号" in finding.legal_basis and "第三条第（二）项" in finding.legal_basis
    assert result.outcome == "发现重大事故隐患，采取现场处理措施"


def test_work_safety_chemical_details_only_when_chemicals_are_stored(library):
    form = library.get("work-safety")
    assert "chemicals_quantity" not in evaluate(form, {"chemicals_stored": False}).visible
    result = evaluate(form, {"chemicals_stored": True, "chemicals_quantity": "1.250"})
    assert result.values["chemicals_quantity"] == "1.25"


def test_work_safety_passes_with_everything_in_order(library):
    form = library.get("work-safety")
    answers = all_compliant(
        form,
        special_ops=False,
        chemicals_stored=False,
        dust_present=False,
        ammonia_present=False,
        safety_grade="good",
        last_drill_date="2025-10-01",
    )
    result = evaluate(form, answers, today=date(2026, 3, 1))
    assert result.findings == [] and result.can_complete and result.outcome == "未发现事故隐患"


def test_fire_safety_major_criteria_follow_gb_35181(library):
    form = library.get("fire-safety")
    majors = {k for k, i in form.items.items() if i.severity is Severity.MAJOR}
    assert {"flammables_with_people", "exits_sufficient", "sprinklers_required"} <= majors
    assert all("GB 35181-2025" in form.items[k].legal_basis for k in majors)
    result = evaluate(form, {"flammables_with_people": "N", "exits_clear": "N", "extinguisher_count": 1})
    assert [f.severity for f in result.findings].count(Severity.MAJOR) == 1
    # Suspected, for collective review: never an on-site verdict, never a penalty.
    assert len(result.findings) == 3 and result.outcome == "发现涉嫌重大火灾隐患，报请集体讨论判定"


def test_fire_safety_expired_extinguishers_are_found(library):
    form = library.get("fire-safety")
    result = evaluate(
        form, {"extinguisher_count": 4, "extinguisher_expiry": "2025-12-31"}, today=date(2026, 1, 5)
    )
    assert [f.item_key for f in result.findings] == ["extinguisher_expiry"]


def test_three_small_tick_list_gives_one_finding_per_tick(library):
    form = library.get("three-small")
    result = evaluate(
        form,
        {
            "venue_type": "shop",
            "floor_area": "80",
            "shop_problems": ["routes_blocked", "flammables_with_living"],
            "fire_pledge_signed": True,
        },
    )
    assert [(f.option, f.severity) for f in result.findings] == [
        ("routes_blocked", Severity.GENERAL),
        ("flammables_with_living", Severity.MAJOR),
    ]
    assert "workshop_problems" not in result.visible


def test_three_small_rental_housing_density_is_computed(library):
    form = library.get("three-small")
    result = evaluate(
        form, {"venue_type": "rental", "floor_area": "30", "rental_rooms": 3, "rental_tenants": 9}
    )
    assert result.computed["tenants_per_room"] == "3" and result.computed["area_per_person"] == "3.3"
    assert {f.item_key for f in result.findings} == {"tenants_per_room", "area_per_person"}


def test_recheck_form_asks_for_a_reason_only_when_the_enterprise_refused_to_sign(library):
    form = library.get("recheck")
    base = {"recheck_opinion": "已按要求整改", "new_problems_found": False}
    unsigned = evaluate(form, base)
    assert unsigned.missing_required == ["enterprise_signature"]  # the signature, not a refusal note
    refused = evaluate(form, base, enterprise_refused=True)
    assert refused.missing_required == ["signature_refused"]  # the refusal stands for 1.7, 1.8 explains
    assert evaluate(form, {**base, "signature_refused": "负责人拒绝签字，有两名员工在场"},
                    enterprise_refused=True).can_complete
    signed = evaluate(form, {**base, "enterprise_signature": SHA})
    assert signed.can_complete and signed.outcome == "复查完成"
    assert "signature_refused" not in signed.visible  # never a refusal note beside a signature


# ------------------------------------------------------------------ content current and traceable

INSPECTION_FORMS = ("epidemic-resumption", "work-safety", "fire-safety", "three-small")


def test_no_outcome_is_a_penalty_or_a_bare_pass(library):
    for code in INSPECTION_FORMS:
        form = library.get(code)
        assert "责令停产整顿" not in form.outcomes and "通过" not in form.outcomes, code
        assert set(form.outcomes) <= {o.value for o in Outcome}, code
        assert not FORBIDDEN_OUTCOMES & set(form.outcomes), code


def test_every_form_names_its_domain_documents_and_validity(library):
    from inspector_app.domain.enforcement import DOMAIN_DOCUMENTS, Domain

    for code in INSPECTION_FORMS:
        form = library.get(code)
        domain = Domain(form.domain)
        assert set(form.documents) == {k.value for k in DOMAIN_DOCUMENTS[domain]}, code
        assert date.fromisoformat(form.valid_from) <= date(2026, 3, 1), code


def test_every_finding_states_the_violation_as_a_fact(library):
    """No "requirement：不符合要求": each item that can be non-compliant has a violation sentence."""
    for code in INSPECTION_FORMS:
        for item in library.get(code).items.values():
            if item.can_derive_finding and not item.tick_list:
                assert item.violation is not None, (code, item.key)
                assert item.violation.en and "不符合要求" not in item.violation.zh, (code, item.key)


def test_legal_bases_cite_texts_in_force_with_their_edition(library):
    for code in INSPECTION_FORMS:
        form = library.get(code)
        bases = [i.legal_basis for i in form.items.values()] + [
            c.legal_basis or "" for i in form.items.values() for c in i.choices
        ]
        for basis in bases:
            assert "2017" not in basis and "5.2" not in basis, (code, basis)
            if "安全生产法" in basis:
                assert "2021年修正" in basis, (code, basis)
            if "消防法" in basis:
                assert "2021年修正" in basis, (code, basis)
    ws = library.get("work-safety")
    assert "《工贸企业重大事故隐患判定标准》（应急管理部令第10号" in ws.items["dust_building"].legal_basis


def test_construction_sites_get_their_own_safety_rows(library):
    form = library.get("work-safety")
    site = evaluate(form, {}, category="建筑工地").visible
    factory = evaluate(form, {}, category="规上工业企业").visible
    assert {"cs_permit", "cs_cranes", "cs_dangerous_works"} <= site
    assert not {"cs_permit", "cs_cranes"} & factory
    assert (
        not {"dust_present", "ammonia_present", "chemicals_stored", "contractors_managed", "special_ops"}
        & site
    )
    assert {"dust_present", "ammonia_present"} <= factory


def test_three_small_venue_type_follows_the_category(library):
    form = library.get("three-small")
    ktv_as_shop = evaluate(form, {"venue_type": "shop"}, category="小娱乐场所")
    assert "venue_type" in ktv_as_shop.errors
    assert "venue_type" not in evaluate(form, {"venue_type": "venue"}, category="小娱乐场所").errors


def test_one_fact_ticked_twice_is_one_finding(library):
    form = library.get("three-small")
    result = evaluate(
        form,
        {"venue_type": "shop", "shop_problems": ["living_inside"], "shop_sleepers": 3},
        category="小档口",
    )
    assert [f.option for f in result.findings] == ["living_inside"]
    # The count alone asks for the tick rather than making a second finding.
    alone = evaluate(form, {"venue_type": "shop", "shop_problems": [], "shop_sleepers": 3}, category="小档口")
    assert alone.findings == [] and "shop_sleepers" in alone.errors


def test_an_unsigned_pledge_is_not_a_finding(library):
    form = library.get("three-small")
    result = evaluate(form, {"venue_type": "shop", "fire_pledge_signed": False}, category="小档口")
    assert result.findings == []


def test_the_category_leaves_the_three_small_venue_type_one_choice(library):
    """A KTV is checked as a 小娱乐场所, an 出租屋 as an 出租屋: a new visit starts with that answer
    (implied_choices); a 个体工商户 may be any of them, so nothing is given."""
    from inspector_app.checklist import implied_choices, visit_context

    form = library.get("three-small")
    expected = {"小档口": "shop", "小作坊": "workshop", "小娱乐场所": "venue", "出租屋": "rental"}
    for category, venue in expected.items():
        chosen = implied_choices(form, visit_context(category=category, today=date(2026, 3, 2)))
        assert chosen == {"venue_type": venue}, category
        ev = evaluate(form, chosen, category=category, today=date(2026, 3, 2))
        assert "venue_type" not in ev.errors  # the answer given is one the form accepts
    assert implied_choices(form, visit_context(category="个体工商户", today=date(2026, 3, 2))) == {}
    for other in library.latest():  # no other shipped form has such a choice
        if other.code != "three-small":
            for category in other.applies_to:
                assert implied_choices(other, visit_context(category=category, today=date(2026, 3, 2))) == {}


def test_sections_are_numbered_through_the_visible_ones(library):
    from inspector_app.checklist import section_heading, section_numbers

    form = library.get("epidemic-resumption")
    factory = evaluate(form, {}, category="规上工业企业", today=date(2026, 3, 2))
    site = evaluate(form, {}, category="建筑工地", today=date(2026, 3, 2))
    assert list(section_numbers(form, factory.visible).values()) == [1, 2, 3, 4]  # 建筑工地专项 hidden
    assert "site" not in section_numbers(form, factory.visible)
    assert section_numbers(form, factory.visible)["closing"] == 4
    assert section_numbers(form, site.visible)["closing"] == 5
    assert section_heading("五、检查意见与签字", 4) == "四、检查意见与签字"
    assert section_heading("5. Opinion and signature", 4, "en") == "4. Opinion and signature"
    assert section_heading("复查情况", 1) == "一、复查情况"
    assert section_heading("（二）小档口", 12) == "十二、小档口"
