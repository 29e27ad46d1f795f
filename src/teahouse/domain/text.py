"""What members may type: one rule for every text field, and honest names.

Three layers, each stricter than the one before (docs/SECURITY.md, "Text that members
type"):

- **Every text field** (:func:`edge_problem`), checked at the edges before anything
  is stored or queried: no control character but tab, line feed and carriage return
  (no NUL, ESC, BEL, DEL, no C1 control) and no lone surrogate. PostgreSQL cannot
  store NUL, no database can store a lone surrogate, and a terminal obeys ESC.
- **Names** (:func:`clean_name`: display names, room titles, club names, event
  titles) are NFC; runs of white space become one space; they hold no control
  character, no direction override, embedding, isolate or mark, and no invisible
  character but the joiners and selectors that scripts and emoji need (ZWJ, ZWNJ,
  variation selectors, emoji tags); they show something visible; and no letter
  carries more than :data:`MARKS_MAX` combining marks.
- **Longer texts** (:func:`clean_prose`: bios, club descriptions and rules, event
  and room descriptions) are NFC with line breaks kept (tabs are not); they refuse the same
  controls and the direction overrides, embeddings and isolates, cap combining marks
  the same way, and are empty or show something visible.

:func:`look_alike_keys` is the look-alike test for names: two names look alike when
they share a key. A key is Unicode's confusable *skeleton* (UTS #39) of the name, made
from a table of prototypes that the caller hands in (the data comes from a library;
this module stays pure), taken with and without case.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from typing import Final

from teahouse.errors import BadRequest

# No letter needs more: Vietnamese stacks two, Hebrew with points and cantillation
# four; "Zalgo" text stacks dozens, drawn over the lines above and below.
MARKS_MAX: Final = 4
EDGE_CONTROLS_ALLOWED: Final = frozenset("\t\n\r")
PROSE_CONTROLS_ALLOWED: Final = frozenset("\n")

# Unicode's Bidi_Control property (PropList.txt). Overrides, embeddings and isolates
# reorder the text after them (a name can end in "gnp.exe" and read "exe.png"); the
# marks are invisible. Prose keeps the marks, which mixed-direction sentences need.
BIDI_MARKS: Final = frozenset("\u061c\u200e\u200f")
BIDI_REORDERING: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt, 15.0): drawn as
# nothing at all.
_IGNORABLE_RANGES: Final = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)  # fmt: skip
# The invisible characters a name may hold: the joiners (emoji sequences, Persian and
# Indic spelling), the variation selectors (emoji presentation, Mongolian, CJK
# variants) and the emoji tags (the flags of England, Scotland and Wales).
_NAME_IGNORABLES_ALLOWED: Final = (
    (0x180B, 0x180D), (0x180F, 0x180F), (0x200C, 0x200D), (0xFE00, 0xFE0F),
    (0xE0020, 0xE007F), (0xE0100, 0xE01EF),
)  # fmt: skip
# Blank, though not ignorable: BRAILLE PATTERN BLANK.
_BLANK: Final = frozenset("\u2800")
_MARKS: Final = frozenset({"Mn", "Me"})


def _in(ranges: tuple[tuple[int, int], ...], ch: str) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in ranges)


def is_ignorable(ch: str) -> bool:
    """Whether ``ch`` is a Default_Ignorable_Code_Point (drawn as nothing)."""
    return _in(_IGNORABLE_RANGES, ch)


def codepoint(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)


def edge_problem(value: object) -> str | None:
    """Why ``value`` (a string, or the strings in a list or mapping) may not come in
    at all, or ``None``: a control character but tab, line feed and carriage return,
    or a lone surrogate."""
    for text in _strings(value):
        for ch in text:
            kind = unicodedata.category(ch)
            if kind == "Cc" and ch not in EDGE_CONTROLS_ALLOWED:
                return f"control characters are not allowed ({codepoint(ch)})"
            if kind == "Cs":
                return f"lone surrogates are not allowed ({codepoint(ch)})"
    return None


def _hidden_in_name(ch: str) -> bool:
    """Characters a name may not hold (white space is collapsed before)."""
    if ch in BIDI_MARKS or ch in BIDI_REORDERING:
        return True
    if is_ignorable(ch):
        return not _in(_NAME_IGNORABLES_ALLOWED, ch)
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs")


def _visible(ch: str) -> bool:
    return not (
        ch.isspace()
        or ch in _BLANK
        or is_ignorable(ch)
        or unicodedata.category(ch) in _MARKS
        or unicodedata.category(ch) == "Cf"
    )


def _check_controls(text: str, allowed: frozenset[str], what: str) -> None:
    for ch in text:
        kind = unicodedata.category(ch)
        if (kind == "Cc" and ch not in allowed) or kind == "Cs":
            raise BadRequest(f"{what} cannot contain control characters ({codepoint(ch)}).")


def _check_marks(text: str, what: str) -> None:
    run = 0
    for ch in text:
        run = run + 1 if unicodedata.category(ch) in _MARKS else 0
        if run > MARKS_MAX:
            raise BadRequest(
                f"{what} cannot stack more than {MARKS_MAX} combining marks on a letter."
            )


def _check_length(text: str, min_len: int, max_len: int, what: str) -> None:
    if min_len > 1 and not min_len <= len(text) <= max_len:
        raise BadRequest(f"{what} must be {min_len} to {max_len} characters long.")
    if len(text) < min_len:
        raise BadRequest(f"{what} cannot be empty.")
    if len(text) > max_len:
        raise BadRequest(f"{what} can be at most {max_len} characters long.")


def clean_name(raw: str, what: str, max_len: int, min_len: int = 1) -> str:
    """``raw`` as a name (NFC, white space collapsed) or :class:`BadRequest`.

    An empty result is refused when ``min_len`` is above 0; ``what`` names the field
    in the message ("A display name").
    """
    text = unicodedata.normalize("NFC", raw)
    _check_controls(text, EDGE_CONTROLS_ALLOWED, what)
    text = " ".join(text.split())
    hidden = next((ch for ch in text if _hidden_in_name(ch)), None)
    if hidden is not None:
        raise BadRequest(
            f"{what} cannot contain invisible or direction-changing characters "
            f"({codepoint(hidden)})."
        )
    if text and not any(_visible(ch) for ch in text):
        raise BadRequest(f"{what} needs at least one visible character.")
    _check_marks(text, what)
    _check_length(text, min_len, max_len, what)
    return text


def clean_prose(raw: str, what: str, max_len: int) -> str:
    """``raw`` as a longer text (NFC, line breaks as ``\\n``, trimmed) or
    :class:`BadRequest`. An empty text is allowed."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n")).strip()
    _check_controls(text, PROSE_CONTROLS_ALLOWED, what)
    reordering = next((ch for ch in text if ch in BIDI_REORDERING), None)
    if reordering is not None:
        raise BadRequest(
            f"{what} cannot contain direction overrides, embeddings or isolates "
            f"({codepoint(reordering)})."
        )
    if text and not any(_visible(ch) for ch in text):
        raise BadRequest(f"{what} needs at least one visible character, or none at all.")
    _check_marks(text, what)
    _check_length(text, 0, max_len, what)
    return text


# -- look-alikes ----------------------------------------------------------------------


def skeleton(text: str, prototypes: Mapping[str, str]) -> str:
    """UTS #39's skeleton: NFD, each character replaced by its prototype, NFD again.
    Two strings are confusable when their skeletons are equal."""
    decomposed = unicodedata.normalize("NFD", text)
    mapped = "".join(prototypes.get(ch, ch) for ch in decomposed)
    return unicodedata.normalize("NFD", mapped)


def look_alike_keys(name: str, prototypes: Mapping[str, str]) -> frozenset[str]:
    """The keys of a name: two names look alike when they share one.

    The name is taken in its compatibility form (NFKC: fullwidth and mathematical
    letters are letters), without the invisible characters it may hold, with white
    space as single spaces. Its skeleton is then taken twice, around case-folding, in
    two orders: case first makes "ALICE" and "alice" alike, the skeleton first keeps
    the capital I that looks like a small l ("Ian", "lan").
    """
    text = unicodedata.normalize("NFKC", name)
    text = " ".join("".join(ch for ch in text if not is_ignorable(ch)).split())

    def canon(t: str) -> str:
        return skeleton(skeleton(t, prototypes).casefold(), prototypes)

    return frozenset({canon(text), canon(text.casefold())})
