"""The checklists shipped in forms/: each loads, and evaluates as an inspector would expect."""

from __future__ import annotations

from datetime import date

import pytest

from inspector_app.checklist import FormLibrary, default_forms_dir, evaluate
from inspector_app.checklist.model import ItemType
from inspector_app.domain.enterprise import DEFAULT_CATEGORIES
from inspector_app.domain.finding import Severity
from inspector_app.domain.visit import VisitKind

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
    assert result.outcome == "通过"


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


def test_returnees_from_key_regions_not_all_isolated_is_a_veto(library):
    form = library.get("epidemic-resumption")
    result = evaluate(
        form, {"staff_total": 50, "staff_returned": 10, "staff_key_regions": 5, "staff_isolated": 3}
    )
    assert "staff_isolated" in result.veto_failed and result.outcome == "不予复工"


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
    assert result.outcome == "责令停产整顿"


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
    assert result.findings == [] and result.can_complete and result.outcome == "通过"


def test_fire_safety_major_criteria_follow_gb_35181(library):
    form = library.get("fire-safety")
    majors = {k for k, i in form.items.items() if i.severity is Severity.MAJOR}
    assert {"flammables_with_people", "exits_sufficient", "sprinklers_required"} <= majors
    assert all("GB 35181" in form.items[k].legal_basis for k in majors)
    result = evaluate(form, {"flammables_with_people": "N", "exits_clear": "N", "extinguisher_count": 1})
    assert [f.severity for f in result.findings].count(Severity.MAJOR) == 1
    assert len(result.findings) == 3 and result.outcome == "责令停产整顿"


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
