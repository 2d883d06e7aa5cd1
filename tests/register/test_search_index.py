"""今日任务's in-memory search index answers exactly what a plain substring search over the rows would."""

from __future__ import annotations

import random

import pytest

from inspector_app.store.search import SEPARATOR, query_terms, search_text
from inspector_app.ui.search_index import MASKS_KEPT, PREBUILT, SearchIndex

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
    # 300 rows whose names use 3 of 400 different characters each (and so their pinyin, many letters)
    texts = [search_text("".join(chr(0x4E00 + (7 * i + k) % 400) for k in range(3)), "") for i in range(300)]
    index = SearchIndex.of(texts, SEPARATOR)
    base = list(range(len(texts)))
    characters = sorted({ch for t in texts for ch in t if not ch.isascii()})
    assert len(characters) > MASKS_KEPT
    for ch in characters + characters[:5]:
        assert index.matching(ch, base) == [n for n in base if ch in texts[n]]
    # the other ASCII characters get a mask on first use: more of them than are kept
    others = [chr(c) for c in range(1, 0x7F) if not chr(c).isalnum() and chr(c) != SEPARATOR]
    assert len(others) + len(PREBUILT) > MASKS_KEPT
    for ch in others:
        assert index.matching(ch, base) == [n for n in base if ch in texts[n]]
    assert len(index._masks) <= MASKS_KEPT and set(index._counts) == set(index._masks)


def test_an_empty_list_and_an_empty_term():
    empty = SearchIndex.of([], SEPARATOR)
    assert empty.matching("宝", []) == []
    assert INDEX.matching("", [3, 1]) == [3, 1]


class CountingTexts(list):  # type: ignore[type-arg]
    """The rows' texts, counting how many of them a search looks at."""

    looked = 0

    def __getitem__(self, n):  # type: ignore[no-untyped-def]
        CountingTexts.looked += 1
        return super().__getitem__(n)


def test_a_chinese_term_looks_only_at_the_rows_of_its_rarest_character():
    index = SearchIndex.of(TEXTS, SEPARATOR)
    index.wide = CountingTexts(index.wide)
    every = list(range(len(TEXTS)))
    CountingTexts.looked = 0
    assert index.matching("宝", every) == plain("宝", every)  # the first keystroke: no row looked at
    assert index.matching("重", every[::-1]) == plain("重", every[::-1])
    assert CountingTexts.looked == 0
    assert index.matching("不", every) == []  # a character no row holds: nothing looked at either
    assert CountingTexts.looked == 0
    for term in ("宝龙", "宝龙街道", "龙宝", "五金有限", "路9号"):
        CountingTexts.looked = 0
        assert index.matching(term, every) == plain(term, every)
        assert CountingTexts.looked == min(len(index.postings[ch]) for ch in set(term))


def _random_queries(texts: list[str], rnd: random.Random, n: int) -> list[str]:
    """Pieces of the rows' own texts (so most queries find something), mixed with strays."""
    queries = []
    for _ in range(n):
        text = rnd.choice(texts)
        field = rnd.choice(text.split(SEPARATOR))
        start = rnd.randrange(len(field))
        piece = field[start:start + rnd.randint(1, 6)]
        kind = rnd.random()
        if kind < 0.1:
            piece += rnd.choice("不乐9xq")  # often nowhere
        elif kind < 0.2:
            piece = piece + " " + rnd.choice(texts)[:2]  # two terms
        queries.append(piece)
    return queries


def _assert_same_as_a_scan(texts: list[str], queries: list[str], rnd: random.Random) -> None:
    index = SearchIndex.of(texts, SEPARATOR)
    every = list(range(len(texts)))
    shuffled = every[:]
    rnd.shuffle(shuffled)
    for query in queries:
        for base in (every, shuffled, shuffled[: len(texts) // 3]):
            got, want = base, base
            for term in query_terms(query):
                got = index.matching(term, got)
                want = [n for n in want if term in texts[n]]
            assert got == want, (query, len(base))


def test_the_index_answers_what_a_full_scan_answers_over_many_queries():
    rnd = random.Random(15)
    _assert_same_as_a_scan(TEXTS, _random_queries(TEXTS, rnd, 400), rnd)


def test_an_index_made_again_after_edits_to_the_register_answers_the_new_texts():
    # 今日任务 makes its index again from the reloaded list after every change to the register.
    rnd = random.Random(16)
    texts = list(TEXTS)
    old_queries = _random_queries(texts, rnd, 150)
    for n in rnd.sample(range(len(texts)), 120):  # renamed and moved
        texts[n] = search_text(f"东莞{rnd.choice(TRADES)}新材料有限公司{n}", f"9144190{n:010d}Y",
                               f"{rnd.choice(PLACES)}镇新路{n % 13}号")
    del texts[::7]  # struck off
    texts += _texts(650)[600:]  # newly registered
    _assert_same_as_a_scan(texts, old_queries + _random_queries(texts, rnd, 250), rnd)
