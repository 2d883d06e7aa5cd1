"""The register's search text is made fast without changing what it says."""

from __future__ import annotations

from pypinyin import Style, pinyin

from inspector_app.store import search
from inspector_app.store.search import pinyin_forms


def test_every_character_gets_the_reading_pypinyin_gives_it_alone():
    # The search text reads pypinyin's single-character table itself (its phrase tables are not
    # loaded): for every Chinese character of the table, the answer is pinyin(ch, Style.NORMAL)'s.
    table = search._single_readings()
    # the ranges the search text reads as Chinese (BMP ideographs and extensions B-F)
    chinese = [chr(cp) for cp in table if 0x3400 <= cp <= 0x9FFF or 0x20000 <= cp <= 0x2FFFF]
    assert len(chinese) > 40_000
    differ = [
        ch for ch in chinese
        if pinyin_forms(ch)[0] != pinyin(ch, style=Style.NORMAL, heteronym=False, errors="ignore")[0][0]
    ]
    assert differ == []


def test_tones_go_and_u_umlaut_is_written_v():
    assert search.toneless("lǜ") == "lv"
    assert search.toneless("nǚ") == "nv"
    assert search.toneless("zhōng") == "zhong"
    assert pinyin_forms("绿色女装重庆") == ("lvsenvzhuangzhongqing", "lsnzzq")
