"""Visits: answers saved as given, findings derived from answers, completion freezes the record."""

from __future__ import annotations

import io
import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlmodel import select

from inspector_app.domain.finding import FindingStatus, Order, RecheckResult, Severity
from inspector_app.domain.visit import (
    ENTERPRISE_ROLE,
    VisitLockedError,
    VisitStatus,
    content_hash,
    inspector_role,
)
from inspector_app.services.context import AppServices
from inspector_app.services.errors import IncompleteVisit, NotFound, ServiceError
from tests.support.images import signature_png
from tests.support.workspace_world import BADGES as BADGES_
from tests.support.workspace_world import FORMS

PNG = b"\x89PNG\r\n\x1a\n"


def sign_all(world, vid):
    for badge, name in zip(world.badges, ["张伟", "李娜"], strict=True):
        world.app.visits.sign(vid, inspector_role(badge), name, signature_png())
    world.app.visits.sign(vid, ENTERPRISE_ROLE, "王建国", signature_png())


def filled_visit(world, **answers):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    base = {"plan": "Y", "staff": 120, "on_site": 100, "exits": "Y"}
    for key, value in {**base, **answers}.items():
        world.app.visits.answer(vid, key, value)
    return vid


def test_a_visit_pins_the_form_version_it_started_with(world):
    vid, changes = world.app.visits.start(world.code, "mini-check", world.badges)
    snap = world.app.visits.snapshot(vid)
    assert (snap.form.code, snap.form.version, snap.status) == ("mini-check", "1", VisitStatus.DRAFT)
    assert vid in changes.visits
    assert snap.place == "宝龙街道宝龙大道8号"


def test_an_answer_is_on_disk_when_answer_returns(world, tmp_path):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    world.app.visits.answer(vid, "staff", "120")
    # A second connection (another process after a crash) sees it without any close or flush.
    con = sqlite3.connect(world.app.workspace.db_path)
    assert con.execute("SELECT value_json FROM answer WHERE item_key='staff'").fetchone() == ("120",)


def test_a_bad_answer_is_refused_with_the_item_named_and_nothing_stored(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    with pytest.raises(ServiceError, match="员工总数"):
        world.app.visits.answer(vid, "staff", "很多")
    assert world.app.visits.snapshot(vid).answers == {}


def test_a_constraint_failure_is_reported_by_the_evaluation(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    world.app.visits.answer(vid, "staff", 10)
    result = world.app.visits.answer(vid, "on_site", 12)
    assert result.evaluation.errors["on_site"] == "到岗人数不能大于员工总数"


def test_a_non_compliant_answer_derives_a_finding_with_the_form_deadline(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    result = world.app.visits.answer(vid, "exits", "N")
    assert len(result.new_findings) == 1
    (finding,) = world.app.visits.snapshot(vid).findings
    assert finding.title == "疏散通道畅通"
    assert finding.order is Order.DEADLINE
    assert finding.deadline == date(2026, 11, 30)
    assert finding.rectification == "清理疏散通道"


def test_changing_the_answer_back_removes_the_derived_finding(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    world.app.visits.answer(vid, "exits", "N")
    result = world.app.visits.answer(vid, "exits", "Y")
    assert result.changes.findings
    assert world.app.visits.snapshot(vid).findings == []


def test_the_inspector_can_edit_a_finding_but_not_give_it_a_deadline_in_the_past(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    fid = world.app.visits.answer(vid, "exits", "N").new_findings[0]
    world.app.visits.update_finding(fid, severity=Severity.MAJOR, description="东侧通道堆放纸箱")
    with pytest.raises(ServiceError, match="不能早于发现日期"):
        world.app.visits.update_finding(fid, deadline=date(2026, 11, 1))
    (f,) = world.app.visits.snapshot(vid).findings
    assert (f.severity, f.description) == (Severity.MAJOR, "东侧通道堆放纸箱")


def test_completing_lists_everything_missing_and_changes_nothing(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    world.app.visits.answer(vid, "plan", "Y")
    with pytest.raises(IncompleteVisit) as err:
        world.app.visits.complete(vid)
    missing = err.value.missing
    assert "未填写：员工总数" in missing and "未填写：疏散通道畅通" in missing
    assert "检查人员 张伟 未签名" in missing
    assert any("企业负责人未签名" in m for m in missing)
    assert world.app.visits.snapshot(vid).status is VisitStatus.DRAFT


def test_a_refusal_to_sign_needs_a_reason(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    with pytest.raises(ServiceError, match="拒签理由"):
        world.app.visits.sign(vid, ENTERPRISE_ROLE, "王建国")
    world.app.visits.sign(vid, ENTERPRISE_ROLE, "王建国", refused_reason="负责人不在现场")
    (sig,) = world.app.visits.snapshot(vid).signatures
    assert (sig.sha256, sig.refused_reason) == (None, "负责人不在现场")


def test_completing_freezes_the_visit_with_a_verifiable_hash(world):
    vid = filled_visit(world, exits="N")
    sign_all(world, vid)
    result = world.app.visits.complete(vid)
    assert result.outcome == "限期整改"
    snap = world.app.visits.snapshot(vid)
    assert snap.locked and snap.content_hash == result.content_hash
    with world.app.workspace.session() as s:
        from inspector_app.store import tables

        doc = json.loads(s.get(tables.Visit, vid).document_json)
        outbox = len(s.exec(select(tables.Outbox).where(tables.Outbox.entity_id == vid)).all())
    assert content_hash(doc) == doc["content_hash"] == result.content_hash
    assert doc["answers"] == {"exits": "N", "on_site": 100, "plan": "Y", "staff": 120}
    assert [f["title"] for f in doc["findings"]] == ["疏散通道畅通"]
    assert len(doc["manifest"]) == 1  # the same blank signature image three times is one file
    assert outbox == 1


def test_a_completed_visit_refuses_every_change(world):
    vid = filled_visit(world)
    sign_all(world, vid)
    world.app.visits.complete(vid)
    with pytest.raises(VisitLockedError):
        world.app.visits.answer(vid, "plan", "N")
    with pytest.raises(VisitLockedError):
        world.app.visits.sign(vid, ENTERPRISE_ROLE, "王建国", refused_reason="x")
    with pytest.raises(VisitLockedError):
        world.app.visits.complete(vid)


def test_a_failed_veto_item_decides_the_outcome(world):
    vid = filled_visit(world, plan="N")
    sign_all(world, vid)
    assert world.app.visits.complete(vid).outcome == "不予复工"


def test_answers_of_hidden_items_stay_out_of_the_frozen_document(world):
    vid = filled_visit(world, exits="N", exits_note="堆放杂物")
    world.app.visits.answer(vid, "exits", "Y")  # exits_note is hidden again
    sign_all(world, vid)
    world.app.visits.complete(vid)
    snap = world.app.visits.snapshot(vid)
    assert "exits_note" not in snap.evaluation.visible
    with world.app.workspace.session() as s:
        from inspector_app.store import tables

        doc = json.loads(s.get(tables.Visit, vid).document_json)
    assert "exits_note" not in doc["answers"]


def test_a_photo_is_stored_once_by_content_and_its_thumbnail_is_upright(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    img = Image.new("RGB", (400, 200), "red")
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone turned: must be shown rotated 90°
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif)
    sha1 = world.app.visits.add_photo(vid, buf.getvalue(), item_key="exits")
    sha2 = world.app.visits.add_photo(vid, buf.getvalue(), item_key="exits")
    assert sha1 == sha2
    assert world.app.visits.snapshot(vid).photos == {"exits": [sha1]}
    thumb = Image.open(world.app.workspace.thumbnails_dir / sha1[:2] / f"{sha1}.jpg")
    assert thumb.height > thumb.width


def test_a_file_that_is_not_an_image_is_refused_by_name(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    with pytest.raises(ValueError, match=r"现场\.jpg 不是可识别的图片文件"):
        world.app.visits.add_photo(vid, b"not an image", name="现场.jpg")


def test_unknown_enterprise_and_inspector_are_named(world):
    with pytest.raises(NotFound, match="不在本机企业名录"):
        world.app.visits.start("91440300MA5F000029", "mini-check", world.badges)
    with pytest.raises(NotFound, match="执法证号 999"):
        world.app.visits.start(world.code, "mini-check", ["999"])


def completed_with_finding(world):
    vid = filled_visit(world, exits="N")
    sign_all(world, vid)
    world.app.visits.complete(vid)
    (f,) = world.app.visits.snapshot(vid).findings
    return vid, f


def test_a_recheck_needs_open_findings(world):
    with pytest.raises(ServiceError, match="没有待复查的隐患"):
        world.app.visits.start_recheck(world.code, world.badges)


def test_a_recheck_closes_a_rectified_finding(world):
    _, finding = completed_with_finding(world)
    world.clock.advance(days=7)
    rid, _ = world.app.visits.start_recheck(world.code, world.badges)
    assert [f.id for f in world.app.visits.snapshot(rid).recheck_findings] == [finding.id]
    world.app.visits.answer(rid, "opinion", "通道已清理")
    world.app.visits.mark_finding(rid, finding.id, RecheckResult.RECTIFIED)
    sign_all(world, rid)
    result = world.app.visits.complete(rid)
    assert finding.id in result.changes.findings
    assert world.app.visits.open_findings(world.code) == []


def test_an_unrectified_finding_stays_open_with_a_new_order(world):
    _, finding = completed_with_finding(world)
    world.clock.advance(days=7)
    rid, _ = world.app.visits.start_recheck(world.code, world.badges)
    world.app.visits.answer(rid, "opinion", "仍堆放杂物")
    new_deadline = world.clock().date() + timedelta(days=3)
    world.app.visits.mark_finding(rid, finding.id, RecheckResult.NOT_RECTIFIED, new_deadline=new_deadline)
    sign_all(world, rid)
    world.app.visits.complete(rid)
    (still,) = world.app.visits.open_findings(world.code)
    assert (still.id, still.status, still.deadline) == (finding.id, FindingStatus.OPEN, new_deadline)


def test_a_recheck_cannot_complete_until_every_finding_is_marked(world):
    completed_with_finding(world)
    rid, _ = world.app.visits.start_recheck(world.code, world.badges)
    world.app.visits.answer(rid, "opinion", "x")
    sign_all(world, rid)
    with pytest.raises(IncompleteVisit, match="未复查：疏散通道畅通"):
        world.app.visits.complete(rid)


def test_answers_survive_reopening_the_workspace(world, tmp_path):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    world.app.visits.answer(vid, "plan", "N")
    root = world.app.workspace.root
    world.app.close()
    again = AppServices.open(root, forms_dir=FORMS, clock=world.clock)
    try:
        snap = again.visits.snapshot(vid)
        assert snap.answers == {"plan": "N"} and len(snap.findings) == 1
    finally:
        again.close()


def test_photos_of_a_photos_item_are_its_answer(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    sha = world.app.visits.add_photo(vid, signature_png(), item_key="plan_photos")
    assert world.app.visits.snapshot(vid).answers["plan_photos"] == [sha]
    world.app.visits.remove_photo(vid, sha, item_key="plan_photos")
    assert "plan_photos" not in world.app.visits.snapshot(vid).answers


def test_a_file_answer_must_name_a_file_the_workspace_holds(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    with pytest.raises(ServiceError, match="不在本工作区"):
        world.app.visits.answer(vid, "plan_photos", ["ab" * 32])


def test_a_signature_item_is_stored_and_answered_by_its_hash(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    result = world.app.visits.answer_signature(vid, "pledge", signature_png())
    sha = world.app.visits.snapshot(vid).answers["pledge"]
    assert len(sha) == 64 and "pledge" not in result.evaluation.missing_required


def test_history_lists_the_enterprise_visits_newest_first_with_crew_names(world):
    first = filled_visit(world)
    sign_all(world, first)
    world.app.visits.complete(first)
    world.clock.advance(days=2)
    second, _ = world.app.visits.start(world.code, "mini-check", world.badges[:1])
    history = world.app.visits.history(world.code)
    assert [(h.id, h.status.value, h.inspectors) for h in history] == [
        (second, "draft", "张伟"),
        (first, "completed", "张伟、李娜"),
    ]
    assert history[1].form_title == "简易检查表"


def test_a_completed_visit_waits_to_be_synced_until_the_office_acknowledges_it(world):
    assert world.app.visits.waiting_to_sync() == 0
    vid = filled_visit(world)
    sign_all(world, vid)
    world.app.visits.complete(vid)
    assert world.app.visits.waiting_to_sync() == 1


def test_forms_published_by_the_office_load_beside_the_shipped_ones(tmp_path):
    from tests.support.clock import FakeClock
    from tests.support.workspace_world import seed

    clock = FakeClock(datetime(2026, 11, 23, 1, 30, tzinfo=UTC))
    root = tmp_path / "ws"
    (root / "forms").mkdir(parents=True)
    newer = (FORMS / "mini.yaml").read_text(encoding="utf-8").replace('version: "1"', 'version: "2"')
    (root / "forms" / "mini-check@2.yaml").write_text(newer, encoding="utf-8")
    (root / "forms" / "broken@1.yaml").write_text("code: [unclosed", encoding="utf-8")
    app = AppServices.open(root, forms_dir=FORMS, clock=clock)
    try:
        seed(app, clock())
        assert app.forms.get("mini-check").version == "2"
        assert app.forms.get("mini-check", "1").version == "1"  # older visits keep their version
        assert any("broken@1.yaml" in p.file for p in app.forms.problems)
    finally:
        app.close()


def test_each_missing_thing_says_where_to_fix_it(world):
    vid, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    world.app.visits.answer(vid, "staff", 10)
    world.app.visits.answer(vid, "on_site", 12)
    targets = {m.target for m in world.app.visits.missing(vid)}
    assert {"plan", "exits", "on_site", "signature:enterprise"} <= targets
    assert f"signature:inspector:{world.badges[0]}" in targets


def test_a_form_received_while_open_is_used_by_the_next_visit(world):
    newer = (FORMS / "mini.yaml").read_text(encoding="utf-8").replace('version: "1"', 'version: "2"')
    first, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    world.app.workspace.forms_dir.mkdir(exist_ok=True)
    (world.app.workspace.forms_dir / "mini-check@2.yaml").write_text(newer, encoding="utf-8")
    world.app.reload_forms()
    second, _ = world.app.visits.start(world.code, "mini-check", world.badges)
    assert world.app.visits.snapshot(first).form.version == "1"  # a started visit keeps its version
    assert world.app.visits.snapshot(second).form.version == "2"


# ----------------------------------------------------------------- the shipped forms' signatures

REAL_FORMS = Path(__file__).resolve().parents[2] / "forms"


@pytest.fixture
def shipped(tmp_path):
    """The world, with the forms the app ships instead of the test ones."""
    from tests.support.clock import FakeClock
    from tests.support.workspace_world import World, seed

    clock = FakeClock(datetime(2026, 11, 23, 1, 30, tzinfo=UTC))
    app = AppServices.open(tmp_path / "ws", forms_dir=REAL_FORMS, clock=clock, account="张伟")
    seed(app, clock())
    yield World(app=app, clock=clock)
    app.close()


def enterprise_signature_items(app):
    return {
        form.code: [it.key for it in form.items.values() if it.type.value == "signature"]
        for form in app.forms.latest()
    }


def test_every_shipped_signature_item_is_the_enterprise_signature_and_may_be_refused(shipped):
    items = enterprise_signature_items(shipped.app)
    assert all(items.values()), items  # every shipped form has its enterprise signature item
    for form in shipped.app.forms.latest():
        for key in items[form.code]:
            assert form.items[key].signer == "enterprise" and form.items[key].refusable


@pytest.mark.parametrize("form_code", ["epidemic-resumption", "fire-safety", "work-safety"])
def test_signing_on_the_finish_page_answers_the_form_signature_item(shipped, form_code):
    visits = shipped.app.visits
    vid, _ = visits.start(shipped.code, form_code, shipped.badges)
    assert any(m.target == "enterprise_signature" for m in visits.missing(vid))
    visits.sign(vid, ENTERPRISE_ROLE, "王建国", signature_png())
    snap = visits.snapshot(vid)
    (sig,) = [g for g in snap.signatures if g.role == ENTERPRISE_ROLE]
    assert snap.answers["enterprise_signature"] == sig.sha256
    targets = {m.target for m in visits.missing(vid)}
    assert "enterprise_signature" not in targets and "signature:enterprise" not in targets


def test_signing_the_item_signs_for_the_enterprise_and_a_refusal_stands_for_it(shipped):
    visits = shipped.app.visits
    vid, _ = visits.start(shipped.code, "fire-safety", shipped.badges)
    visits.answer_signature(vid, "enterprise_signature", signature_png(), signer="王建国")
    snap = visits.snapshot(vid)
    assert {g.role: g.signer for g in snap.signatures} == {ENTERPRISE_ROLE: "王建国"}
    assert "enterprise_signature" not in snap.evaluation.missing_required
    # refusing afterwards takes the signature back: a refusal note never sits beside a signature
    visits.answer_signature(vid, "enterprise_signature", None, refused_reason="负责人拒绝签字")
    snap = visits.snapshot(vid)
    assert "enterprise_signature" not in snap.answers
    assert [(g.sha256, g.refused_reason) for g in snap.signatures] == [(None, "负责人拒绝签字")]
    assert snap.context.enterprise_refused
    assert "enterprise_signature" not in snap.evaluation.missing_required
    with pytest.raises(ServiceError, match="拒签理由"):
        visits.answer_signature(vid, "enterprise_signature", None, refused_reason="  ")


def test_a_file_is_never_attached_to_a_signature_item(shipped):
    visits = shipped.app.visits
    vid, _ = visits.start(shipped.code, "epidemic-resumption", shipped.badges)
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), "orange").save(buf, "JPEG")
    with pytest.raises(ServiceError, match="签名项"):
        visits.add_photo(vid, buf.getvalue(), item_key="enterprise_signature")
    snap = visits.snapshot(vid)
    assert snap.photos == {} and "enterprise_signature" not in snap.answers


def test_a_form_that_does_not_allow_refusal_refuses_a_refusal(shipped, tmp_path):
    text = (REAL_FORMS / "fire-safety.yaml").read_text(encoding="utf-8")
    text = text.replace("refusable: true", "refusable: false").replace('version: "', 'version: "9')
    shipped.app.workspace.forms_dir.mkdir(exist_ok=True)
    (shipped.app.workspace.forms_dir / "fire-safety@9.yaml").write_text(text, encoding="utf-8")
    shipped.app.reload_forms()
    vid, _ = shipped.app.visits.start(shipped.code, "fire-safety", shipped.badges)
    with pytest.raises(ServiceError, match="不能以拒签代替"):
        shipped.app.visits.sign(vid, ENTERPRISE_ROLE, "王建国", refused_reason="不签")


def test_computed_values_are_part_of_the_completed_record(shipped):
    visits = shipped.app.visits
    vid, _ = visits.start(shipped.code, "epidemic-resumption", shipped.badges)
    visits.answer(vid, "staff_total", 291)
    visits.answer(vid, "staff_returned", 253)
    snap = visits.snapshot(vid)
    assert snap.evaluation.computed["return_rate"] == "86.9"
    # 到岗 300 of 291 breaks the constraint: not an answer, no rate, and said where
    visits.answer(vid, "staff_returned", 300)
    snap = visits.snapshot(vid)
    assert snap.evaluation.computed.get("return_rate") is None
    assert "staff_returned" in snap.evaluation.errors
    assert snap.evaluation.answered_required < snap.evaluation.total_required


# ----------------------------------------------------------------- one judgement everywhere


def _value(item, bad, today):
    """A plausible answer of the item's type; ``bad`` picks the non-compliant one where there is one."""
    t = item.type.value
    if t == "compliance":
        return "N" if bad else "Y"
    if t == "yesno":
        good = True if item.bad_answer is None else not item.bad_answer
        return (not good) if bad and item.bad_answer is not None else good
    if t in ("integer", "decimal"):
        return 10 if t == "integer" else "10"
    if t == "text":
        return "情况良好"
    if t == "date":
        return today.isoformat()
    if t == "choice":
        return item.choices[-1 if bad else 0].value
    if t == "multi":
        return [item.choices[0].value] if bad or not item.tick_list else []
    return None  # photos and signatures are files: not part of these answer sets


ANSWER_SETS = ("compliant", "non-compliant", "half")


def _agreement_cases():
    from inspector_app.checklist import FormLibrary

    library = FormLibrary.load(REAL_FORMS)
    forms = [f for f in library.latest() if f.kind.value == "inspection"]
    categories = sorted({c for f in library.latest() for c in f.applies_to if c != "*"})
    return [(f.code, c, a) for f in forms for c in categories if f.applies(c) for a in ANSWER_SETS]


@pytest.fixture(scope="module")
def every_category(tmp_path_factory):
    """The shipped forms and one enterprise of every category they name."""
    from inspector_app.store import enterprises as store
    from inspector_app.store import organisation
    from tests.support.clock import FakeClock
    from tests.support.workspace_world import seed

    clock = FakeClock(datetime(2026, 11, 23, 1, 30, tzinfo=UTC))
    app = AppServices.open(tmp_path_factory.mktemp("agree") / "ws", forms_dir=REAL_FORMS, clock=clock)
    seed(app, clock())
    codes = {}
    categories = sorted({c for f in app.forms.latest() for c in f.applies_to if c != "*"})
    from inspector_app.domain import credit_code
    from inspector_app.domain.enterprise import Enterprise

    with app.workspace.session() as s:
        conn = s.connection()
        organisation.ensure_categories(conn, categories)
        rows = []
        for n, category in enumerate(categories, start=1):
            codes[category] = credit_code.complete(f"91440300MA{n + 900:07d}")
            rows.append(store.enterprise_values(Enterprise(
                credit_code=codes[category], name=f"{category}一致性样本", address="宝龙街道",
                grid="宝龙一网格", category=category)))
        store.insert_enterprises(conn, rows, clock())
    yield app, codes
    app.close()


@pytest.mark.parametrize(("form_code", "category", "answer_set"), _agreement_cases())
def test_page_service_and_record_agree_on_what_is_shown_and_required(
    every_category, form_code, category, answer_set
):
    """The page evaluates with the snapshot's context, the service with its own, the record numbers
    what it prints: for every form × category × answer set they see the same items."""
    from inspector_app.checklist import item_numbers
    from inspector_app.reports.data import checklist_lines

    app, codes = every_category
    vid, _ = app.visits.start(codes[category], form_code, [BADGES_[0]])
    form = app.visits.snapshot(vid).form
    today = app.clock().date()
    keys = [k for k, it in form.items.items() if not it.computed]
    if answer_set == "half":
        keys = keys[: len(keys) // 2]
    for _ in range(3):  # relevance opens items as answers come: a few rounds reach them all
        visible = app.visits.snapshot(vid).evaluation.visible
        for key in keys:
            value = _value(form.items[key], answer_set == "non-compliant", today)
            if key in visible and value is not None:
                app.visits.answer(vid, key, value)
    snap = app.visits.snapshot(vid)
    page_view = snap.context.evaluate(form, snap.answers)  # exactly what VisitPage shows
    assert snap.context.category == category
    assert page_view.visible == snap.evaluation.visible
    assert page_view.missing_required == snap.evaluation.missing_required
    assert [m.target for m in app.visits.missing(vid) if m.target in form.items] == [
        *[k for k in snap.evaluation.missing_required if k not in snap.evaluation.errors],
        *snap.evaluation.errors,
    ]
    ctx = snap.context
    printed = checklist_lines(form, snap.answers, set(), category=ctx.category, today=ctx.today)
    numbers = item_numbers(form, snap.evaluation.visible)
    assert {ln.key: ln.number for sec in printed for ln in sec.lines} == numbers
