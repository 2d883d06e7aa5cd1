"""现场负责人 (with 职务, 证件号码 and phone) and 见证人 are recorded on the visit, frozen into its
document and printed in the record's header, its witness block and each 送达回证."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from inspector_app.domain.visit import VisitLockedError
from inspector_app.services import site_people
from inspector_app.services.errors import ServiceError
from inspector_app.services.site_people import SitePeopleInput
from inspector_app.store import tables
from tests.documents.test_documents import compact, set_unit
from tests.support.documents_world import CODES, World

PEOPLE = SitePeopleInput(
    onsite_name="陈志强",
    onsite_title="生产主管",
    onsite_id_number="44030619800101123x",
    onsite_phone="138-0013-8000",
    witness_name="王小明",
    witness_unit="宝龙社区工作站",
)


def test_site_people_are_frozen_and_printed_in_the_record_and_every_service_receipt(
    world: World, tmp_path: Path
) -> None:
    set_unit(world)
    vid = world.inspect(refuse=True, people=PEOPLE, bad=("exits", "extinguishers", "ledger"))
    with world.app.workspace.session() as s:
        v = s.get(tables.Visit, vid)
        assert v is not None and v.document_json
        frozen = json.loads(v.document_json)["site_people"]
    assert frozen == {
        "onsite": {
            "name": "陈志强", "title": "生产主管", "id_number": "44030619800101123X", "phone": "138-0013-8000"
        },
        "witness": {"name": "王小明", "unit": "宝龙社区工作站"},
    }

    record = tmp_path / "record.pdf"
    world.reporter().record(vid, record)
    text = compact(record)
    for expected in (
        "现场负责人陈志强职务生产主管",  # each in its own cell, not "法人（现场负责人：…）"
        "证件号码44030619800101123X联系电话138-0013-8000",
        "见证人王小明（宝龙社区工作站）见证人签名",
        "被检查单位现场负责人拒绝签名，见证人在场见证",
    ):
        assert expected in text, expected

    notice = tmp_path / "notice.pdf"
    world.reporter().notice(vid, notice)
    text = compact(notice)
    assert text.count("送达回证") == 2
    assert text.count("代收人及职务陈志强，生产主管") == 2
    assert text.count("见证人王小明见证人单位宝龙社区工作站") == 2


def test_a_visit_without_site_people_keeps_its_document_and_leaves_the_cells_for_ink(
    world: World, tmp_path: Path
) -> None:
    set_unit(world)
    vid = world.inspect()
    with world.app.workspace.session() as s:
        v = s.get(tables.Visit, vid)
        assert v is not None and v.document_json
        assert "site_people" not in json.loads(v.document_json)
    out = tmp_path / "record.pdf"
    world.reporter().record(vid, out)
    assert "见证人见证人签名" in compact(out)  # the name left for ink


def test_bad_values_are_refused_naming_the_field_and_a_completed_visit_is_locked(world: World) -> None:
    vid, _ = world.app.visits.start(CODES[1], "report-site", ["44030012345"])
    ws = world.app.workspace
    for given, message in (
        (SitePeopleInput(onsite_name="陈志强", onsite_phone="call me"), "联系电话"),
        (SitePeopleInput(onsite_name="陈志强", onsite_id_number="4403 06？"), "证件号码"),
        (SitePeopleInput(onsite_title="生产主管"), "请填写现场负责人姓名"),
        (SitePeopleInput(witness_unit="宝龙社区工作站"), "请填写见证人姓名"),
        (SitePeopleInput(onsite_name="陈" * 31), "姓名过长"),
    ):
        with pytest.raises(ServiceError, match=message):
            site_people.save(ws, vid, given)
    assert site_people.load(ws, vid).is_empty()  # nothing stored by a refusal
    site_people.save(ws, vid, PEOPLE)
    assert site_people.load(ws, vid).witness.name == "王小明"
    site_people.save(ws, vid, SitePeopleInput(onsite_name="陈志强"))  # cleared fields are cleared
    assert site_people.load(ws, vid).witness.name == ""

    done = world.inspect(people=PEOPLE)
    with pytest.raises(VisitLockedError):
        site_people.save(ws, done, SitePeopleInput(onsite_name="别人"))


def test_a_saved_inspector_signature_is_what_the_documents_print(world: World, tmp_path: Path) -> None:
    """The saved signature (services.signatures.inspector_signature) signs the next visit's slot, and
    the record prints that very image; a visit where it was taken back prints no image for him."""
    from inspector_app.domain.visit import inspector_role
    from tests.support.documents_world import BADGES
    from tests.support.images import signature_png

    set_unit(world)
    visits = world.app.visits
    png = signature_png()
    visits.remember_signature(BADGES[0], png)
    assert saved_signature(world) == png

    vid, _ = visits.start(CODES[2], "report-site", [BADGES[0], BADGES[1]])
    signed = {g.role: g for g in visits.snapshot(vid).signatures}
    assert inspector_role(BADGES[0]) in signed  # pre-signed with the saved one
    data = world.reporter().record(vid, tmp_path / "draft.pdf", blank_signatures=False)
    (mine,) = [s for s in data.signatures if s.role == inspector_role(BADGES[0])]
    assert mine.image is not None and mine.image.read_bytes() == png
    visits.unsign(vid, inspector_role(BADGES[0]))
    data = world.reporter().record(vid, tmp_path / "draft2.pdf")
    (mine,) = [s for s in data.signatures if s.role == inspector_role(BADGES[0])]
    assert mine.image is None  # taken back from this visit: not printed from the saved copy


def saved_signature(world: World) -> bytes | None:
    from inspector_app.services.signatures import inspector_signature
    from tests.support.documents_world import BADGES

    return inspector_signature(world.app.workspace, BADGES[0])


def test_the_person_in_charge_is_one_person_on_the_card_and_in_the_record(
    world: World, tmp_path: Path
) -> None:
    """The enterprise's signature card starts with the person in charge the record names: the
    register's contact, else its legal representative, and once recorded, the 现场负责人 of the visit."""
    set_unit(world)
    visits, ws = world.app.visits, world.app.workspace
    vid, _ = visits.start(CODES[1], "report-site", ["44030012345"])
    assert visits.enterprise_signer(vid) == "陈志强"  # no contact in the register: its legal representative
    with ws.session() as s:
        ent = s.exec(select(tables.Enterprise).where(tables.Enterprise.credit_code == CODES[1])).one()
        ent.contact = "林小燕"
        s.add(ent)
    assert visits.enterprise_signer(vid) == "林小燕"
    site_people.save(ws, vid, SitePeopleInput(onsite_name="黄店长", onsite_title="店长"))
    assert visits.enterprise_signer(vid) == "黄店长"
    done = world.inspect(people=SitePeopleInput(onsite_name="黄店长", onsite_title="店长"))
    record = tmp_path / "record.pdf"
    world.reporter().record(done, record)
    assert "现场负责人黄店长职务店长" in compact(record)
