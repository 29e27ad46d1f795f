"""What members may type: one rule for every text field.

**Every text field** (:func:`edge_problem`) is checked at the edges before anything is
stored or queried: no control character but tab, line feed and carriage return (no
NUL, ESC, BEL, DEL, no C1 control) and no lone surrogate. PostgreSQL cannot store NUL,
no database can store a lone surrogate, and a terminal obeys ESC (docs/SECURITY.md,
"Text that members type").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from typing import Final

EDGE_CONTROLS_ALLOWED: Final = frozenset("\t\n\r")


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
