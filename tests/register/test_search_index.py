"""今日任务's in-memory search index answers exactly what a plain substring search over the rows would."""

from __future__ import annotations

import random

import pytest

from inspector_app.store.search import SEPARATOR, query_terms, search_text
from inspector_app.ui.search_index import MASKS_KEPT, SearchIndex

PLACES = ["宝龙", "同乐", "龙岗", "坪地", "重庆"]
TRADES = ["精密五金", "电子科技", "美食小吃", "建设工程", "塑胶制品"]


def _texts(n: int) -> list[str]:
    rnd = random.Random(5)
    return [
        search_text(
            f"深圳市{rnd.choice(PLACES)}{rnd.choice(TRADES)}有限公司{i}",
            f"9144030{i:010d}X",
            f"{rnd.choice(PLACES)}街道测试路{i % 97}号",
        )
        for i in range(n)
    ]


TEXTS = _texts(600)
INDEX = SearchIndex.of(TEXTS, SEPARATOR)


def plain(term: str, base: list[int]) -> list[int]:
    return [n for n in base if term in TEXTS[n]]


@pytest.mark.parametrize(
    "query",
    ["深", "龙", "b", "z", "9", "0", "bl", "bljd", "szs", "宝龙", "五金有限", "测试路9", "路9号", "9144",
     "x", "重庆", "zhongqing", "不存在", "qq", "j1", "司1", "有限公司59"],
)
def test_every_term_finds_what_a_plain_scan_finds_in_register_order(query):
    base = list(range(len(TEXTS)))
    for term in query_terms(query):
        assert INDEX.matching(term, base) == plain(term, base)


def test_a_narrowed_or_sorted_base_keeps_its_own_order():
    rnd = random.Random(9)
    shuffled = list(range(len(TEXTS)))
    rnd.shuffle(shuffled)
    subset = shuffled[:250]
    for term in ("龙", "b", "bl", "宝龙", "测试路1", "9"):
        assert INDEX.matching(term, shuffled) == plain(term, shuffled)
        assert INDEX.matching(term, subset) == plain(term, subset)


def test_many_different_characters_keep_answers_right_while_few_masks_are_kept():
    # 300 rows whose names use 3 of 400 different characters each
    texts = [search_text("".join(chr(0x4E00 + (7 * i + k) % 400) for k in range(3)), "") for i in range(300)]
    index = SearchIndex.of(texts, SEPARATOR)
    base = list(range(len(texts)))
    characters = sorted({ch for t in texts for ch in t if not ch.isascii()})
    assert len(characters) > MASKS_KEPT  # the test must go past the cache
    for ch in characters + characters[:5]:
        assert index.matching(ch, base) == [n for n in base if ch in texts[n]]
    assert len(index._masks) <= MASKS_KEPT and set(index._counts) == set(index._masks)


def test_an_empty_list_and_an_empty_term():
    empty = SearchIndex.of([], SEPARATOR)
    assert empty.matching("宝", []) == []
    assert INDEX.matching("", [3, 1]) == [3, 1]


def test_a_longer_term_narrowed_by_masks_already_made_finds_the_same_rows():
    index = SearchIndex.of(TEXTS, SEPARATOR)
    base = list(range(len(TEXTS)))[::-1]
    assert index.matching("宝", base) == plain("宝", base)  # makes the mask of 宝 (in few rows)
    assert "宝" in index._masks and "龙" not in index._masks
    for term in ("宝龙", "宝龙街道", "龙宝"):
        assert index.matching(term, base) == plain(term, base)
    assert "龙" not in index._masks  # a longer term never makes a mask of its own
