"""Search input made safe for full-text search on either engine.

Whatever a member types is cut into words (runs of letters and digits, as both
SQLite's unicode61 tokenizer and PostgreSQL's parser see words), and only those words
reach the database, each quoted and used as a prefix:

    'Ada lov'      FTS5: "ada"* "lov"*        tsquery: 'ada':* & 'lov':*
    'NEAR( " OR'   FTS5: "near"* "or"*        tsquery: 'near':* & 'or':*

A word can hold no quote, operator or bracket, so no input is a syntax error and no
input is FTS syntax: ``OR``, ``NEAR``, ``-`` and ``*`` are words or nothing. Input
with no word at all (``"``, ``*``, emoji) matches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from teahouse.errors import BadRequest

QUERY_MAX = 100
TERMS_MAX = 8
# Letters and digits of any script; underscores and punctuation separate words, as
# in both engines' tokenizers ("ada_l" is the words "ada" and "l").
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True, slots=True)
class SearchQuery:
    text: str  # as typed, trimmed and lower-cased: only ever a bound parameter
    terms: tuple[str, ...]

    @classmethod
    def parse(cls, raw: str) -> SearchQuery:
        text = raw.strip()
        if not 1 <= len(text) <= QUERY_MAX:
            raise BadRequest(f"A search is 1 to {QUERY_MAX} characters.")
        terms = tuple(word.lower() for word in _WORD.findall(text))[:TERMS_MAX]
        return cls(text.lower(), terms)

    @property
    def empty(self) -> bool:
        return not self.terms

    def fts5(self) -> str:
        """An FTS5 MATCH expression: every word, as a quoted prefix, all required."""
        return " ".join(f'"{term}"*' for term in self.terms)

    def tsquery(self) -> str:
        """A to_tsquery() expression: every word, as a quoted prefix, all required."""
        return " & ".join(f"'{term}':*" for term in self.terms)
