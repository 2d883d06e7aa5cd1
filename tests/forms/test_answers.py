"""coerce(): one answer checked and brought to its stored form, with a Chinese message when wrong."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from inspector_app.checklist import AnswerError, coerce, is_answered
from inspector_app.checklist.model import Choice, Item, ItemType, Label

SHA = "a" * 64


def item(kind: ItemType, **kw: object) -> Item:
    return Item(key="x", type=kind, label=Label("测试"), section="s", **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("raw", "stored"), [("Y", "Y"), ("不符合", "N"), ("不适用", "NA"), ("na", "NA")])
def test_compliance_is_stored_as_y_n_or_na(raw, stored):
    assert coerce(item(ItemType.COMPLIANCE), raw) == stored


def test_yes_no_accepts_booleans_and_chinese_words():
    assert coerce(item(ItemType.YESNO), True) is True
    assert coerce(item(ItemType.YESNO), "否") is False
    with pytest.raises(AnswerError, match="应为是或否"):
        coerce(item(ItemType.YESNO), "也许")


def test_an_integer_must_be_whole_and_in_range():
    counted = item(ItemType.INTEGER, min=0, max=100)
    assert coerce(counted, "42") == 42 and coerce(counted, 7.0) == 7
    with pytest.raises(AnswerError, match="应为整数"):
        coerce(counted, "4.5")
    with pytest.raises(AnswerError, match="应为整数"):
        coerce(counted, True)
    with pytest.raises(AnswerError, match="不能小于0"):
        coerce(counted, -1)
    with pytest.raises(AnswerError, match="不能大于100"):
        coerce(counted, 101)


def test_a_decimal_is_stored_as_its_shortest_text():
    area = item(ItemType.DECIMAL, min=Decimal(0), places=1)
    assert coerce(area, "12.50") == "12.5"
    assert coerce(area, 3) == "3"
    assert coerce(area, 2.5) == "2.5"
    with pytest.raises(AnswerError, match="最多保留1位小数"):
        coerce(area, "1.25")
    with pytest.raises(AnswerError, match="应为数字"):
        coerce(area, "NaN")


def test_text_is_trimmed_and_limited():
    assert coerce(item(ItemType.TEXT), "  张三 ") == "张三"
    assert coerce(item(ItemType.TEXT), "   ") is None
    with pytest.raises(AnswerError, match="不能超过5个字"):
        coerce(item(ItemType.TEXT, max_length=5), "一二三四五六")


def test_choices_must_be_options_and_multiple_choices_keep_the_form_order():
    options = (Choice("a", Label("甲")), Choice("b", Label("乙")), Choice("c", Label("丙")))
    assert coerce(item(ItemType.CHOICE, choices=options), "b") == "b"
    assert coerce(item(ItemType.MULTI, choices=options), ["c", "a", "c"]) == ["a", "c"]
    with pytest.raises(AnswerError, match="不是可选项"):
        coerce(item(ItemType.CHOICE, choices=options), "d")


def test_dates_are_iso_strings():
    assert coerce(item(ItemType.DATE), date(2026, 2, 3)) == "2026-02-03"
    assert coerce(item(ItemType.DATE), "2026-02-03") == "2026-02-03"
    with pytest.raises(AnswerError, match="应为日期"):
        coerce(item(ItemType.DATE), "2026-02-30")


def test_photos_and_signatures_are_sha256_digests():
    assert coerce(item(ItemType.PHOTOS), [SHA, SHA]) == [SHA]
    assert coerce(item(ItemType.SIGNATURE), SHA) == SHA
    with pytest.raises(AnswerError, match="照片标识无效"):
        coerce(item(ItemType.PHOTOS), ["photo.jpg"])
    with pytest.raises(AnswerError, match="至少2张照片"):
        coerce(item(ItemType.PHOTOS, min=2), [SHA])


def test_none_is_always_unanswered():
    for kind in ItemType:
        assert coerce(item(kind), None) is None


def test_an_empty_list_answers_a_tick_list_but_not_a_photo_item():
    assert is_answered(item(ItemType.MULTI, tick_list=True), [])
    assert not is_answered(item(ItemType.PHOTOS), [])
