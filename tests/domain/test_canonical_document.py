from datetime import datetime, timedelta, timezone
from decimal import Decimal

from inspector_app.domain.visit import canonical_json, content_hash, iso, normalize_value


def test_key_order_does_not_change_the_hash():
    assert content_hash({"a": 1, "b": "东"}) == content_hash({"b": "东", "a": 1})


def test_the_hash_ignores_its_own_field_so_a_stored_document_verifies():
    doc = {"id": "v1", "answers": {"q": "Y"}}
    doc["content_hash"] = content_hash(doc)
    assert content_hash(doc) == doc["content_hash"]


def test_chinese_stays_readable_in_the_canonical_bytes():
    assert canonical_json({"名称": "宝龙"}) == '{"名称":"宝龙"}'.encode()


def test_decimals_travel_as_plain_strings():
    assert normalize_value(Decimal("12.50")) == "12.5"
    assert normalize_value(0.1 + 0.2) == "0.30000000000000004"


def test_timestamps_keep_their_offset_and_drop_microseconds():
    cst = timezone(timedelta(hours=8))
    assert iso(datetime(2026, 11, 23, 9, 30, 15, 123, tzinfo=cst)) == "2026-11-23T09:30:15+08:00"
