"""The text both engines index for search, defined once in Python.

Chinese, Japanese and Korean are written without spaces between words, so a word
tokenizer sees "陳威廉" as one word and "威" inside it finds nothing. Before indexing,
each character of those scripts is made a word of its own ("陳威廉" -> " 陳  威  廉 "),
and a query for a run of them asks for those one-character words side by side (a
phrase), which is a substring search that the full-text indexes answer for every
length, one character included. Latin, Cyrillic and other spaced scripts are indexed
as before, as words matched by prefix.

Full-width ASCII forms ("Ａｄａ", "１２３", "，") are read as their ASCII letters, and
the ideographic space as a space, on both sides. Traditional and simplified characters
are not converted: "陳" and "陈" are different characters, and each finds what was
written with it.

Migration ``0010_cjk_search`` writes the same transformation in each engine's SQL
(SQLite triggers, PostgreSQL index expressions); tests compare them with
:func:`spaced` on a table of strings.
"""

from __future__ import annotations

import re

# Scripts written without spaces between words: each character becomes a word.
SPACED_RANGES: tuple[tuple[int, int], ...] = (
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x3400, 0x4DBF),  # CJK Unified Ideographs Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0x20000, 0x3FFFF),  # CJK Unified Ideographs Extensions B to H (planes 2 and 3)
)
FULL_WIDTH_FIRST, FULL_WIDTH_LAST = 0xFF01, 0xFF5E  # "！" to "～"
FULL_WIDTH_OFFSET = 0xFF01 - 0x21  # "Ａ" - "A"
IDEOGRAPHIC_SPACE = 0x3000

_WIDTH = {
    code: code - FULL_WIDTH_OFFSET for code in range(FULL_WIDTH_FIRST, FULL_WIDTH_LAST + 1)
} | {IDEOGRAPHIC_SPACE: ord(" ")}
SPACED_CLASS = "".join(f"{chr(first)}-{chr(last)}" for first, last in SPACED_RANGES)
_SPACED_CHAR = re.compile(f"([{SPACED_CLASS}])")


def narrow(text: str) -> str:
    """Full-width ASCII forms as ASCII, the ideographic space as a space."""
    return text.translate(_WIDTH)


def is_spaced(char: str) -> bool:
    """Whether ``char`` is of a script that each character of is a word in the index."""
    code = ord(char)
    return any(first <= code <= last for first, last in SPACED_RANGES)


def spaced(text: str) -> str:
    """The text as the search indexes see it: narrowed, and each character of
    the scripts in :data:`SPACED_RANGES` between two spaces."""
    return _SPACED_CHAR.sub(r" \1 ", narrow(text))
