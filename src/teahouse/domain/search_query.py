"""Search input made safe for full-text search on either engine.

Whatever a member types is narrowed (full-width ASCII forms as ASCII, see
``search_text.py``), lower-cased and cut into words (runs of letters and digits, as
both SQLite's unicode61 tokenizer and PostgreSQL's parser see words). A word is then
cut where its script changes between the spaced scripts (Latin, Cyrillic, ...) and
the ones written without spaces (Chinese, Japanese, Korean), and only these terms
reach the database, each quoted:

    'Ada lov'      FTS5: "ada"* "lov"*        tsquery: 'ada':* & 'lov':*
    '威廉'         FTS5: "威 廉"              tsquery: ('威' <-> '廉')
    'ada陳'        FTS5: "ada"* "陳"          tsquery: 'ada':* & '陳'
    'NEAR( " OR'   FTS5: "near"* "or"*        tsquery: 'near':* & 'or':*

A spaced-script term is a prefix; a CJK term is its characters side by side (each is
a word of its own in the index), so it matches anywhere in a name: a substring.

A term can hold no quote, operator or bracket, so no input is a syntax error and no
input is FTS syntax: ``OR``, ``NEAR``, ``-`` and ``*`` are words or nothing. Input
with no word at all (``"``, ``*``, emoji, control characters) matches nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from teahouse.domain.search_text import SPACED_CLASS, is_spaced, narrow
from teahouse.errors import BadRequest

QUERY_MAX = 100
TERMS_MAX = 8
# Letters and digits of any script; underscores and punctuation separate words, as
# in both engines' tokenizers ("ada_l" is the words "ada" and "l").
_WORD = re.compile(r"[^\W_]+")
# Within a word: a run of CJK characters, or a run of anything else.
_RUN = re.compile(f"[{SPACED_CLASS}]+|[^{SPACED_CLASS}]+")


@dataclass(frozen=True, slots=True)
class SearchQuery:
    text: str  # as typed, trimmed, narrowed and lower-cased: only ever a bound parameter
    terms: tuple[str, ...]

    @classmethod
    def parse(cls, raw: str) -> SearchQuery:
        text = raw.strip()
        if not 1 <= len(text) <= QUERY_MAX:
            raise BadRequest(f"A search is 1 to {QUERY_MAX} characters.")
        text = narrow(text).lower()
        runs = (run for word in _WORD.findall(text) for run in _RUN.findall(word))
        return cls(text, tuple(runs)[:TERMS_MAX])

    @property
    def empty(self) -> bool:
        return not self.terms

    def fts5(self) -> str:
        """An FTS5 MATCH expression, all terms required: a word as a quoted prefix,
        a CJK run as the phrase of its characters."""
        return " ".join(
            f'"{" ".join(term)}"' if is_spaced(term[0]) else f'"{term}"*' for term in self.terms
        )

    def tsquery(self) -> str:
        """A to_tsquery() expression, all terms required: a word as a quoted prefix,
        a CJK run as its characters side by side (``<->``)."""
        return " & ".join(_tsquery_term(term) for term in self.terms)


def _tsquery_term(term: str) -> str:
    if not is_spaced(term[0]):
        return f"'{term}':*"
    if len(term) == 1:
        return f"'{term}'"
    return "(" + " <-> ".join(f"'{char}'" for char in term) + ")"
