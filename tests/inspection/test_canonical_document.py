from datetime import UTC, datetime, timedelta, timezone
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


def test_a_naive_moment_is_read_as_utc_the_way_the_store_keeps_it(monkeypatch):
    import time as systime

    from inspector_app.domain.clock import local_date, local_time

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    systime.tzset()
    try:
        late_utc = datetime(2026, 11, 23, 18, 30)  # 02:30 the next morning in Shenzhen
        assert local_date(late_utc) == local_date(late_utc.replace(tzinfo=UTC))
        assert local_date(late_utc).isoformat() == "2026-11-24"
        assert local_time(late_utc).hour == 2
    finally:
        monkeypatch.delenv("TZ")
        systime.tzset()
