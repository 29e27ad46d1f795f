"""Pure rules of the social layer: search input, page cursors, bios."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from teahouse.api.context import optional_cursor
from teahouse.domain.cursors import Cursor
from teahouse.domain.profiles import BIO_MAX, normalise_bio
from teahouse.domain.search_query import QUERY_MAX, TERMS_MAX, SearchQuery
from teahouse.domain.search_text import is_spaced, narrow, spaced
from teahouse.errors import BadRequest

# (input, words kept) — whatever is typed, only words reach the database.
SEARCH_INPUTS = [
    ("ada", ("ada",)),
    ("  Ada Lov ", ("ada", "lov")),
    ("ada_lovelace", ("ada", "lovelace")),
    ('"', ()),
    ("*", ()),
    ("-", ()),
    ("'", ()),
    ("NEAR(", ("near",)),
    ("NEAR(a b, 2)", ("near", "a", "b", "2")),
    ("OR", ("or",)),
    ("a OR b NOT c AND d", ("a", "or", "b", "not", "c", "and", "d")),
    ("'); DROP TABLE users; --", ("drop", "table", "users")),
    ('title:"tea"', ("title", "tea")),
    ("^start", ("start",)),
    ("a:* & !b | (c <-> d)", ("a", "b", "c", "d")),
    ("\\' \\\\", ()),
    ("Zoë Ångström", ("zoë", "ångström")),
    ("茶室", ("茶室",)),
    ("陳威 ada陳", ("陳威", "ada", "陳")),
    ("ＡＤＡ　Ｌｏｖ", ("ada", "lov")),
    ("「陳威」，。", ("陳威",)),
    ("Чай", ("чай",)),
    ("🍵🍵", ()),
    ("\x00\x1f", ()),
    ("x" * QUERY_MAX, ("x" * QUERY_MAX,)),
    (" ".join("abcdefghijkl"), tuple("abcdefgh")),
]


@pytest.mark.parametrize(("raw", "terms"), SEARCH_INPUTS)
def test_search_input_keeps_only_words(raw: str, terms: tuple[str, ...]) -> None:
    query = SearchQuery.parse(raw)
    assert query.terms == terms
    assert len(query.terms) <= TERMS_MAX
    # Every term is quoted; nothing else can appear in the expressions.
    if not any(is_spaced(t[0]) for t in terms):
        assert query.fts5() == " ".join(f'"{t}"*' for t in terms)
        assert query.tsquery() == " & ".join(f"'{t}':*" for t in terms)
    for term in terms:
        assert not set(term) & set("\"'*:&|!()<>-^\\ ")


# (input, FTS5 MATCH, tsquery): a CJK run is its characters side by side, a word a prefix.
SEARCH_EXPRESSIONS = [
    ("威", '"威"', "'威'"),
    ("陳威", '"陳 威"', "('陳' <-> '威')"),
    ("陳威廉", '"陳 威 廉"', "('陳' <-> '威' <-> '廉')"),
    ("Ada 陳威", '"ada"* "陳 威"', "'ada':* & ('陳' <-> '威')"),
    ("ada陳", '"ada"* "陳"', "'ada':* & '陳'"),
    ("陳ada威", '"陳" "ada"* "威"', "'陳' & 'ada':* & '威'"),
    ("さくら", '"さ く ら"', "('さ' <-> 'く' <-> 'ら')"),
    ("김민수", '"김 민 수"', "('김' <-> '민' <-> '수')"),
    ("𠀋𡈽", '"𠀋 𡈽"', "('𠀋' <-> '𡈽')"),
    ("ｍｅｉ　林", '"mei"* "林"', "'mei':* & '林'"),
    ("陈伟", '"陈 伟"', "('陈' <-> '伟')"),  # simplified stays simplified
    ("Чай", '"чай"*', "'чай':*"),
]


@pytest.mark.parametrize(("raw", "fts5", "tsquery"), SEARCH_EXPRESSIONS)
def test_cjk_runs_become_phrases_and_words_prefixes(raw: str, fts5: str, tsquery: str) -> None:
    query = SearchQuery.parse(raw)
    assert query.fts5() == fts5
    assert query.tsquery() == tsquery


@pytest.mark.parametrize(
    ("raw", "indexed"),
    [
        ("陳威廉", " 陳  威  廉 "),
        ("Ada 陳威", "Ada  陳  威 "),
        ("Ｍｅｉ　林", "Mei  林 "),
        ("ＡＢＣ！", "ABC!"),
        ("山田さくら", " 山  田  さ  く  ら "),
        ("Zoë", "Zoë"),
        ("", ""),
    ],
)
def test_the_indexed_text_spaces_cjk_characters(raw: str, indexed: str) -> None:
    assert spaced(raw) == indexed
    assert narrow("ａｄａ\u3000１") == "ada 1"


def test_spaced_scripts_cover_chinese_japanese_korean_only() -> None:
    assert all(is_spaced(c) for c in "陳陈威㐀豈𠀋さカㄅ김")
    assert not any(is_spaced(c) for c in "aZéжא1，。「ｆ\u3000")


@pytest.mark.parametrize("raw", ["", "   ", "x" * (QUERY_MAX + 1)])
def test_empty_or_long_searches_are_refused(raw: str) -> None:
    with pytest.raises(BadRequest) as error:
        SearchQuery.parse(raw)
    assert error.value.code == "invalid_request"


def test_cursors_round_trip_and_stay_opaque() -> None:
    cursor = Cursor(datetime(2026, 11, 24, 20, 0, 0, 123456, tzinfo=UTC), "A" * 22)
    text = cursor.encode()
    assert "=" not in text and "2026" not in text
    assert Cursor.decode(text) == cursor
    assert optional_cursor(None) is None and optional_cursor("") is None


@pytest.mark.parametrize(
    "text",
    [
        "x",
        "!!!!",
        "W10",  # []
        "WyIyMDI2LTExLTI0VDIwOjAwOjAwIiwiQUFBQSJd",  # naive time, short id
        "eyJhIjoxfQ",  # {"a": 1}
        "WzEsMl0",  # [1, 2]
        "A" * 201,
    ],
)
def test_bad_cursors_are_invalid_requests(text: str) -> None:
    with pytest.raises(BadRequest) as error:
        Cursor.decode(text)
    assert error.value.code == "invalid_request"


@pytest.mark.parametrize(
    ("raw", "bio"),
    [
        ("  Hello  ", "Hello"),
        ("line one\r\nline two", "line one\nline two"),
        ("x" * BIO_MAX, "x" * BIO_MAX),
        ("", ""),
    ],
)
def test_bios_are_trimmed(raw: str, bio: str) -> None:
    assert normalise_bio(raw) == bio


@pytest.mark.parametrize("raw", ["x" * (BIO_MAX + 1), "bell\x07", "tab\there", "rtl\u202eevil"])
def test_bad_bios_are_refused(raw: str) -> None:
    with pytest.raises(BadRequest):
        normalise_bio(raw)
