"""The pure rules of domain/text.py: what no text field may hold."""

from __future__ import annotations

import pytest

from teahouse.domain.text import edge_problem

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
