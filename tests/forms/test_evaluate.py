"""Evaluating answers: visibility, errors, computed values, findings, veto and outcome."""

from __future__ import annotations

from datetime import date

from inspector_app.checklist import evaluate
from inspector_app.domain.finding import Order, Severity

STAFF = """
- key: staff_total
  type: integer
  label: 员工总数
  min: 0
  required: true
- key: staff_returned
  type: integer
  label: 返岗人数
  min: 0
  required: true
  constraint: value <= staff_total
  message: {zh: 返岗人数不能大于员工总数, en: Cannot exceed the total}
- key: return_rate
  type: decimal
  label: 到岗率
  places: 1
  compute: round(staff_returned / staff_total * 100, 1)
- key: isolation_room
  type: compliance
  label: 设置隔离观察室
  required: true
  relevant: staff_total >= 100 or room_exists
- key: room_exists
  type: yesno
  label: 已有隔离室
"""


def test_an_item_is_shown_only_while_its_relevance_holds(make_form):
    form = make_form(STAFF)
    assert "isolation_room" not in evaluate(form, {"staff_total": 20}).visible
    assert "isolation_room" in evaluate(form, {"staff_total": 150}).visible
    assert "isolation_room" in evaluate(form, {"staff_total": 20, "room_exists": True}).visible


def test_answers_of_hidden_items_are_ignored_everywhere(make_form):
    form = make_form(STAFF)
    result = evaluate(form, {"staff_total": 20, "isolation_room": "N"})
    assert "isolation_room" not in result.values
    assert result.findings == [] and result.outcome == "通过"


def test_a_relevance_that_cannot_be_computed_hides_the_item_instead_of_crashing(make_form):
    form = make_form(STAFF)
    result = evaluate(form, {})  # None >= 100 raises inside; it must read as false
    assert "isolation_room" not in result.visible


def test_a_failed_constraint_gives_its_message(make_form):
    form = make_form(STAFF)
    result = evaluate(form, {"staff_total": 10, "staff_returned": 12})
    assert result.errors == {"staff_returned": "返岗人数不能大于员工总数"}
    assert not result.can_complete


def test_a_constraint_waiting_for_another_answer_is_not_reported(make_form):
    form = make_form(STAFF)
    assert evaluate(form, {"staff_returned": 12}).errors == {}


def test_a_value_of_the_wrong_type_or_out_of_range_is_an_error(make_form):
    form = make_form(STAFF)
    result = evaluate(form, {"staff_total": "很多", "staff_returned": -1})
    assert result.errors == {"staff_total": "应为整数", "staff_returned": "不能小于0"}


def test_a_computed_value_follows_its_inputs_and_is_stored_as_text(make_form):
    form = make_form(STAFF)
    assert evaluate(form, {"staff_total": 3, "staff_returned": 2}).computed == {"return_rate": "66.7"}
    assert evaluate(form, {"staff_total": 0, "staff_returned": 0}).computed == {"return_rate": None}


def test_computed_answers_given_by_the_caller_are_ignored(make_form):
    form = make_form(STAFF)
    result = evaluate(form, {"staff_total": 4, "staff_returned": 4, "return_rate": "12"})
    assert result.values["return_rate"] == "100"


def test_missing_required_items_and_progress_count_only_visible_items(make_form):
    form = make_form(STAFF)
    result = evaluate(form, {"staff_total": 20})
    assert result.missing_required == ["staff_returned"]
    assert result.progress == (1, 2)
    result = evaluate(form, {"staff_total": 200, "staff_returned": 150, "isolation_room": "Y"})
    assert result.missing_required == [] and result.progress == (3, 3) and result.can_complete


COMPLIANCE = """
- key: exits_clear
  type: compliance
  label: {zh: 疏散通道畅通, en: Exits clear}
  severity: 重大
  rectification: 立即清理疏散通道
  deadline_days: 0
  legal_basis: 《中华人民共和国消防法》第二十八条
- key: rules
  type: compliance
  label: 制定消防安全制度
  deadline_days: 15
"""


def test_a_non_compliant_answer_derives_a_finding_with_the_form_deadline(make_form):
    form = make_form(COMPLIANCE)
    result = evaluate(form, {"exits_clear": "Y", "rules": "N"})
    [finding] = result.findings
    assert finding.item_key == "rules" and finding.title == "制定消防安全制度"
    assert finding.severity is Severity.GENERAL and finding.deadline_days == 15
    assert finding.order is Order.DEADLINE
    assert result.outcome == "限期整改"


def test_a_major_finding_carries_its_rectification_and_legal_basis(make_form):
    form = make_form(COMPLIANCE)
    [finding] = evaluate(form, {"exits_clear": "N"}).findings
    assert finding.severity is Severity.MAJOR and finding.order is Order.IMMEDIATE
    assert finding.rectification == "立即清理疏散通道"
    assert finding.legal_basis == "《中华人民共和国消防法》第二十八条"
    assert finding.title_en == "Exits clear"


def test_not_applicable_is_not_a_finding(make_form):
    form = make_form(COMPLIANCE)
    result = evaluate(form, {"exits_clear": "NA", "rules": "不适用"})
    assert result.findings == [] and result.values["rules"] == "NA"


def test_a_yes_no_item_declares_which_answer_is_the_bad_one(make_form):
    form = make_form("""
        - key: pledge_signed
          type: yesno
          label: 已签订消防安全承诺书
          bad_answer: false
          description: 未签订消防安全承诺书
          deadline_days: 0
    """)
    assert evaluate(form, {"pledge_signed": True}).findings == []
    [finding] = evaluate(form, {"pledge_signed": False}).findings
    assert finding.title == "未签订消防安全承诺书" and finding.description == "未签订消防安全承诺书"


TICKS = """
- key: shop_problems
  type: multi
  tick_list: true
  label: 存在问题
  required: true
  deadline_days: 3
  legal_basis: 《中华人民共和国消防法》第十六条
  choices:
    - {value: exits_locked, label: {zh: 安全出口上锁, en: Exit locked}, deadline_days: 0}
    - value: flammables
      label: 易燃易爆危险品与住人场所同处
      severity: 重大
      legal_basis: GB 35181-2017 5.2
    - {value: no_signs, label: 无疏散指示标志}
"""


def test_each_ticked_option_of_a_tick_list_is_its_own_finding(make_form):
    form = make_form(TICKS)
    result = evaluate(form, {"shop_problems": ["flammables", "exits_locked"]})
    assert [(f.option, f.severity, f.deadline_days, f.legal_basis) for f in result.findings] == [
        ("exits_locked", Severity.GENERAL, 0, "《中华人民共和国消防法》第十六条"),
        ("flammables", Severity.MAJOR, 3, "GB 35181-2017 5.2"),
    ]
    assert result.findings[0].title == "存在问题：安全出口上锁"
    assert result.outcome == "责令停产整顿"


def test_an_empty_tick_list_is_an_answer_meaning_no_problem(make_form):
    form = make_form(TICKS)
    result = evaluate(form, {"shop_problems": []})
    assert result.findings == [] and result.missing_required == [] and result.outcome == "通过"
    assert evaluate(form, {}).missing_required == ["shop_problems"]


def test_finding_when_turns_a_measurement_into_a_finding(make_form):
    form = make_form("""
        - key: extinguishers
          type: integer
          label: 灭火器数量
          finding_when: value < 2
          description: 灭火器不足2具
          deadline_days: 3
    """)
    assert evaluate(form, {"extinguishers": 2}).findings == []
    [finding] = evaluate(form, {"extinguishers": 1}).findings
    assert finding.title == "灭火器不足2具"
    assert evaluate(form, {}).findings == []


GATE = """
- key: mechanism
  type: compliance
  label: 防控机制
  veto: true
- key: supplies
  type: compliance
  label: 保障物资
  veto: true
- key: canteen
  type: compliance
  label: 分餐就餐
"""


def test_a_failed_veto_item_blocks_approval_whatever_else_holds(make_form):
    form = make_form(GATE)
    result = evaluate(form, {"mechanism": "Y", "supplies": "N", "canteen": "Y"})
    assert result.veto_failed == ["supplies"] and result.outcome == "不予复工"
    assert result.findings[0].veto


def test_outcome_rules_apply_in_order_and_fall_back_to_the_default(make_form):
    form = make_form(GATE)
    assert evaluate(form, {"mechanism": "Y", "supplies": "Y", "canteen": "Y"}).outcome == "通过"
    assert evaluate(form, {"mechanism": "Y", "supplies": "Y", "canteen": "N"}).outcome == "限期整改"
    assert evaluate(form, {"mechanism": "N", "canteen": "N"}).outcome == "不予复工"


def test_an_outcome_rule_that_cannot_be_computed_is_skipped(make_form):
    outcome = "outcome:\n  rules:\n    - {when: canteen > 3, outcome: 奇怪}\n  default: 通过\n"
    form = make_form(GATE, outcome=outcome)
    assert evaluate(form, {"canteen": "Y"}).outcome == "通过"


def test_the_enterprise_category_can_make_items_relevant(make_form):
    form = make_form("""
        - key: site_realname
          type: compliance
          label: 工地实名制登记
          relevant: category == '建筑工地'
    """)
    assert "site_realname" in evaluate(form, {}, category="建筑工地").visible
    assert "site_realname" not in evaluate(form, {}, category="规上工业企业").visible
    assert "site_realname" not in evaluate(form, {}).visible


def test_today_lets_a_form_spot_an_expired_certificate(make_form):
    form = make_form("""
        - key: cert_expiry
          type: date
          label: 证书到期日
          finding_when: value < today
          description: 证书已过期
    """)
    answers = {"cert_expiry": "2026-01-31"}
    assert evaluate(form, answers, today=date(2026, 1, 31)).findings == []
    assert len(evaluate(form, answers, today=date(2026, 2, 1)).findings) == 1
    assert evaluate(form, answers).findings == []  # without a date the check cannot be made


def test_section_relevance_hides_all_its_items(write):
    from inspector_app.checklist import load_form
    from tests.support.forms import HEADER, OUTCOME

    form = load_form(write(HEADER + """\
sections:
  - key: basics
    title: 基本情况
    items:
      - {key: kind, type: choice, label: 类型, choices: [shop, rental]}
  - key: rental
    title: 出租屋
    relevant: kind == 'rental'
    items:
      - {key: rooms, type: integer, label: 房间数, required: true}
      - {key: fire_ok, type: compliance, label: 消防合格}
""" + OUTCOME))
    assert evaluate(form, {"kind": "shop", "fire_ok": "N"}).visible == {"kind"}
    assert evaluate(form, {"kind": "rental"}).missing_required == ["rooms"]


def test_relevance_may_refer_to_items_further_down_the_form(make_form):
    form = make_form("""
        - {key: details, type: text, label: 详细情况, relevant: has_dorm}
        - {key: has_dorm, type: yesno, label: 设有宿舍}
    """)
    assert "details" in evaluate(form, {"has_dorm": True}).visible
