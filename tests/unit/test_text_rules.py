"""The pure rules of domain/text.py: what no text field may hold, how names and
longer texts are kept, which names look alike; and how the terminal is spared."""

from __future__ import annotations

import pytest

from teahouse.cli.output import shown
from teahouse.domain.text import MARKS_MAX, clean_name, clean_prose, edge_problem, look_alike_keys
from teahouse.errors import BadRequest
from teahouse.social.names import prototypes, prototypes_from

# (value, refused) — every text field of every request and message.
EDGE = [
    ("", False),
    ("Ada Lovelace", False),
    ("line one\nline two\r\n\tindented", False),
    ("Zoë 茶室 🍵 👩‍💻 🏴󠁧󠁢󠁳󠁣󠁴󠁿", False),
    ("\u202eoverride", False),  # not a control character: names refuse it, not the edge
    ("a\x00b", True),
    ("\x07", True),  # BEL
    ("\x1b[31mred", True),  # ESC
    ("\x7f", True),  # DEL
    ("\x85", True),  # NEXT LINE, a C1 control
    ("\x9b31m", True),  # CSI, the C1 form of ESC [
    ("\ud800", True),  # a lone surrogate: no database can store it
    (["fine", "a\x00"], True),
    ({"key": ["a\x1b"]}, True),
    (["fine", "also fine"], False),
    (42, False),
    (None, False),
]


@pytest.mark.parametrize(("value", "refused"), EDGE)
def test_the_edge_refuses_control_characters_and_lone_surrogates(
    value: object, refused: bool
) -> None:
    assert (edge_problem(value) is not None) is refused


# (typed, kept) — names in any script, emoji included, are kept (in NFC).
NAMES_KEPT = [
    ("Ada Lovelace", "Ada Lovelace"),
    ("  Ada \t\n Lovelace  ", "Ada Lovelace"),
    ("Zoe\u0301", "Zoé"),
    ("Tiếng Việt", "Tiếng Việt"),
    ("茶室", "茶室"),
    ("שָׁלוֹם", "שָׁלוֹם"),
    ("می\u200cخواهم", "می\u200cخواهم"),  # Persian needs ZWNJ
    ("👩\u200d💻", "👩\u200d💻"),  # an emoji ZWJ sequence
    ("❤\ufe0f", "❤\ufe0f"),  # a variation selector
    ("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", None),  # Scotland
    ("x" + "\u0301" * MARKS_MAX, None),
    ("", ""),
]

# (typed, why it is refused)
NAMES_REFUSED = [
    ("\u202eexe.png", "a right-to-left override"),
    ("ada\u202d", "a left-to-right override"),
    ("\u2067ada", "an isolate"),
    ("\u200fada", "a right-to-left mark"),
    ("a\u200bda", "a zero-width space"),
    ("a\u2060da", "a word joiner"),
    ("a\ufeffda", "a byte order mark"),
    ("a\u00adda", "a soft hyphen"),
    ("\u3164", "a Hangul filler"),
    ("\u2800", "a braille blank"),
    ("\u0301\u0301", "only combining marks"),
    ("\u200d\u200d", "only joiners"),
    ("\x1b[31mred", "ESC"),
    ("bell\x07", "BEL"),
    ("\x9b1m", "CSI"),
    ("x" + "\u0301" * (MARKS_MAX + 1), "one mark too many"),
    ("Z" + "\u0301" * 59, "59 stacked marks"),
    ("x" * 61, "too long"),
]


@pytest.mark.parametrize(("typed", "kept"), NAMES_KEPT)
def test_honest_names_are_kept_in_nfc(typed: str, kept: str | None) -> None:
    assert clean_name(typed, "A name", 60, min_len=0) == (typed if kept is None else kept)


@pytest.mark.parametrize(("typed", "why"), NAMES_REFUSED)
def test_names_that_lie_are_refused(typed: str, why: str) -> None:
    with pytest.raises(BadRequest) as refused:
        clean_name(typed, "A name", 60)
    assert refused.value.message.startswith("A name"), why


def test_an_empty_name_is_refused_where_one_is_needed() -> None:
    with pytest.raises(BadRequest):
        clean_name("   ", "A room title", 120)


# (typed, kept or None for refused)
PROSE = [
    ("Line one\r\nLine two\n\nthree", "Line one\nLine two\n\nthree"),
    ("a\ttab", None),
    ("  trimmed  ", "trimmed"),
    ("Mixed עברית and English\u200f.", "Mixed עברית and English\u200f."),  # marks kept
    ("Thai\u200bwords", "Thai\u200bwords"),  # zero-width spaces inside prose are kept
    ("", ""),
    ("I like \u202etea", None),
    ("\u2066isolated", None),
    ("\x1b[2J", None),
    ("a\x00b", None),
    ("Z" + "\u0301" * 59, None),
    ("\u200b\u200b", None),
    ("x" * 281, None),
]


@pytest.mark.parametrize(("typed", "kept"), PROSE)
def test_longer_texts_keep_line_breaks_and_refuse_what_lies(typed: str, kept: str | None) -> None:
    if kept is None:
        with pytest.raises(BadRequest):
            clean_prose(typed, "A bio", 280)
    else:
        assert clean_prose(typed, "A bio", 280) == kept


# (one name, another, whether they look alike)
LOOK_ALIKES = [
    ("Alice", "Alice", True),
    ("Alice", "ALICE", True),
    ("Alice", "Аlice", True),  # Cyrillic А
    ("Alice", "Ａｌｉｃｅ", True),  # fullwidth
    ("Alice", "𝐀𝐥𝐢𝐜𝐞", True),  # mathematical bold
    ("Alice", "A\u200dlice", True),  # a joiner is drawn as nothing
    ("Alice", "Al ice", False),
    ("Ian", "lan", True),  # capital i, small L
    ("Bob", "B0b", True),
    ("mike", "rnike", True),
    ("paypal", "pаypаl", True),
    ("Ivan", "Ian", False),
    ("Anna", "Ana", False),
    ("Zoé", "Zoe", False),
    ("陈", "陳", False),
]


@pytest.mark.parametrize(("one", "other", "alike"), LOOK_ALIKES)
def test_names_that_look_alike_share_a_key(one: str, other: str, alike: bool) -> None:
    table = prototypes()
    assert bool(look_alike_keys(one, table) & look_alike_keys(other, table)) is alike


def test_prototypes_are_read_from_links_in_both_directions() -> None:
    links = {
        "l": [{"c": "1", "n": ""}, {"c": "I", "n": ""}],
        "1": [{"c": "l", "n": ""}],
        "I": [{"c": "l", "n": ""}],
        "rn": [{"c": "m", "n": ""}],
        "m": [{"c": "rn", "n": ""}],
        "\u200e\u05c0\u200e": [{"c": "x", "n": ""}],  # two linked only to each other
        "x": [{"c": "\u200e\u05c0\u200e", "n": ""}],
    }
    assert prototypes_from(links) == {"1": "l", "I": "l", "m": "rn", "\u05c0": "x"}


def test_the_terminal_sees_member_text_escaped() -> None:
    assert shown("\x1b]0;owned\x07\x1b[2J") == "\\x1b]0;owned\\x07\\x1b[2J"
    assert shown("a\u202eb\r\nc\x9b") == "a\\u202eb\\r\\nc\\x9b"
    assert shown("back\\slash") == "back\\\\slash"
    assert shown("Zoé 茶室 🍵") == "Zoé 茶室 🍵"
