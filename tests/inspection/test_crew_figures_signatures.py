"""Who makes a visit (law-enforcement officers with badges), the register's staff figures in the
visit and back, and an inspector's saved signature: the services' side of issue 10."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from inspector_app.checklist import FormError, FormLibrary
from inspector_app.services.context import AppServices
from inspector_app.services.errors import IncompleteVisit
from inspector_app.services.visit_completion import OFFICERS_TARGET
from tests.support.clock import FakeClock
from tests.support.images import signature_png
from tests.support.workspace_world import World, seed

REAL_FORMS = Path(__file__).resolve().parents[2] / "forms"


@pytest.fixture
def shipped(tmp_path: Path):
    clock = FakeClock(datetime(2026, 11, 23, 1, 30, tzinfo=UTC))
    app = AppServices.open(tmp_path / "ws", forms_dir=REAL_FORMS, clock=clock, account="张伟")
    seed(app, clock())
    yield World(app=app, clock=clock)
    app.close()


def test_enforcement_forms_need_two_officers_and_the_resumption_check_one() -> None:
    officers = {f.code: f.officers for f in FormLibrary.load(REAL_FORMS).latest()}
    assert officers == {"work-safety": 2, "fire-safety": 2, "three-small": 2, "recheck": 2,
                        "epidemic-resumption": 1}


@pytest.mark.parametrize("value", ["two", 0, 9, "true"])
def test_a_bad_officers_count_is_refused_with_its_line(tmp_path: Path, value: object) -> None:
    text = (REAL_FORMS / "recheck.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "recheck.yaml"
    bad.write_text(text.replace("officers: 2", f"officers: {value}"), encoding="utf-8")
    with pytest.raises(FormError) as err:
        FormLibrary.load(tmp_path)
    (problem,) = err.value.problems
    assert problem.line == text.splitlines().index("officers: 2") + 1 and "officers" in problem.message


def test_a_visit_with_one_officer_where_two_are_required_cannot_complete(shipped: World) -> None:
    visits = shipped.app.visits
    vid, _ = visits.start(shipped.code, "fire-safety", [shipped.badges[0]])
    (first, *_rest) = visits.missing(vid)
    assert first.target == OFFICERS_TARGET
    assert "须由两名持执法证的执法人员" in first.message
    assert "张伟（执法证号 44030012345）" in first.message and "还差 1 名" in first.message
    with pytest.raises(IncompleteVisit) as refused:
        visits.complete(vid)
    assert any("执法人员不足" in m for m in refused.value.missing)
    both, _ = visits.start(shipped.code, "fire-safety", list(shipped.badges))
    assert OFFICERS_TARGET not in {m.target for m in visits.missing(both)}
    one, _ = visits.start(shipped.code, "epidemic-resumption", [shipped.badges[0]])
    assert OFFICERS_TARGET not in {m.target for m in visits.missing(one)}


def test_rotating_a_photo_stores_a_turned_copy_and_never_touches_the_original(shipped: World) -> None:
    import io

    from PIL import Image

    from inspector_app.store import attachments

    visits = shipped.app.visits
    vid, _ = visits.start(shipped.code, "epidemic-resumption", [shipped.badges[0]])
    key = next(k for k, it in visits.snapshot(vid).form.items.items() if it.type.value == "photos")
    buf = io.BytesIO()
    Image.new("RGB", (80, 60), "teal").save(buf, "JPEG")
    original = visits.add_photo(vid, buf.getvalue(), item_key=key)
    path = attachments.path_for(shipped.app.workspace.attachments_dir, original)
    before = path.read_bytes()
    turned = visits.rotate_photo(vid, original, item_key=key).id
    assert turned != original and path.read_bytes() == before
    snap = visits.snapshot(vid)
    assert snap.answers[key] == [turned] and snap.photos[key] == [turned]
    with Image.open(attachments.path_for(shipped.app.workspace.attachments_dir, turned)) as img:
        assert img.size == (60, 80)
    back = visits.rotate_photo(vid, turned, item_key=key, clockwise=False).id
    with Image.open(attachments.path_for(shipped.app.workspace.attachments_dir, back)) as img:
        assert img.size == (80, 60)
    from inspector_app.services.errors import NotFound

    with pytest.raises(NotFound, match="没有这张照片"):
        visits.rotate_photo(vid, original, item_key=key)  # replaced: no longer on this visit


def test_a_saved_signature_signs_the_inspectors_next_visits_only_after_the_choice(shipped: World) -> None:
    from inspector_app.domain.visit import inspector_role

    visits = shipped.app.visits
    me, other = shipped.badges
    assert visits.inspector_signature(me) is None
    first, _ = visits.start(shipped.code, "fire-safety", [me, other])
    assert visits.snapshot(first).signatures == []  # nothing saved: nobody comes signed
    png = signature_png()
    sha = visits.remember_signature(me, png)
    assert visits.inspector_signature(me) == png and visits.inspector_signature(other) is None
    second, _ = visits.start(shipped.code, "fire-safety", [me, other])
    sigs = {g.role: g for g in visits.snapshot(second).signatures}
    assert set(sigs) == {inspector_role(me)} and sigs[inspector_role(me)].sha256 == sha
    assert sigs[inspector_role(me)].signer == "张伟"
    targets = {m.target for m in visits.missing(second)}
    assert f"signature:{inspector_role(me)}" not in targets
    assert f"signature:{inspector_role(other)}" in targets
    visits.unsign(second, inspector_role(me))  # taken back from this visit, still saved
    assert visits.snapshot(second).signatures == [] and visits.inspector_signature(me) == png
    visits.forget_signature(me)
    assert visits.inspector_signature(me) is None
    third, _ = visits.start(shipped.code, "fire-safety", [me, other])
    assert visits.snapshot(third).signatures == []


def test_a_signature_that_is_not_an_image_or_of_nobody_is_refused(shipped: World) -> None:
    from inspector_app.services.errors import NotFound, ServiceError
    from inspector_app.store.attachments import AttachmentError

    visits = shipped.app.visits
    with pytest.raises(NotFound, match="执法证号 999"):
        visits.remember_signature("999", signature_png())
    with pytest.raises(ServiceError, match="签名为空"):
        visits.remember_signature(shipped.badges[0], b"")
    with pytest.raises(AttachmentError):
        visits.remember_signature(shipped.badges[0], b"not a picture")
    assert visits.inspector_signature(shipped.badges[0]) is None


# ----------------------------------------------------------------- the register's staff figures


def _complete_epidemic(world: World, vid: str, answers: dict[str, object]) -> object:
    """Every required item of the resumption check answered compliantly, then signed and completed."""
    from inspector_app.domain.visit import ENTERPRISE_ROLE, inspector_role

    visits = world.app.visits
    for key, value in answers.items():
        visits.answer(vid, key, value)
    for _ in range(5):  # items shown by earlier answers get theirs
        snap = visits.snapshot(vid)
        for key in snap.evaluation.missing_required:
            item = snap.form.items[key]
            kind = item.type.value
            if kind == "signature":
                continue
            value: object = {"compliance": "Y", "yesno": False, "integer": 1, "decimal": 1, "text": "良好",
                             "date": "2026-11-23"}.get(kind)
            if kind == "choice":
                value = item.choices[0].value
            if kind == "multi":
                value = [item.choices[0].value]
            if kind == "photos":
                visits.add_photo(vid, signature_png(), item_key=key)
                continue
            visits.answer(vid, key, value)
    for badge in visits.snapshot(vid).inspectors:
        visits.sign(vid, inspector_role(badge), "张伟", signature_png())
    visits.sign(vid, ENTERPRISE_ROLE, "王建国", signature_png())
    return visits.complete(vid)


def test_the_register_figures_prefill_a_visit_and_its_figures_update_the_register(shipped: World) -> None:
    from sqlmodel import select

    from inspector_app.services.figures import FigureChange
    from inspector_app.store import tables

    visits = shipped.app.visits
    vid, _ = visits.start(shipped.code, "epidemic-resumption", [shipped.badges[0]])
    snap = visits.snapshot(vid)
    assert snap.answers["staff_total"] == 120  # the register's 员工总数, answered as the default
    assert "staff_returned" not in snap.answers  # the register has no 到岗人数 for it
    assert snap.register_figures == {"staff_total": 120}
    result = _complete_epidemic(shipped, vid, {"staff_total": 150, "staff_returned": 140})
    assert result.register == [FigureChange("staff_on_site", "到岗人数", None, 140),
                               FigureChange("staff_total", "员工总数", 120, 150)]
    assert shipped.code in result.changes.enterprises and result.changes.outbox
    ent = shipped.app.register.get(shipped.code)
    assert (ent.staff_total, ent.staff_on_site) == (150, 140)
    with shipped.app.workspace.session() as s:  # sent to the office like an edit on the page
        edits = {c.field_name: (c.old_value, c.new_value) for c in s.exec(select(tables.EnterpriseChange))}
        sent = {o.entity for o in s.exec(select(tables.Outbox))}
    assert edits == {"staff_total": ("120", "150"), "staff_on_site": (None, "140")}
    assert "enterprise_change" in sent
    again, _ = visits.start(shipped.code, "epidemic-resumption", [shipped.badges[0]])
    assert {k: visits.snapshot(again).answers.get(k) for k in ("staff_total", "staff_returned")} == \
        {"staff_total": 150, "staff_returned": 140}
