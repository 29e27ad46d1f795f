"""The one cursor codec and the one page type (domain/cursors.py), for every list."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from teahouse.cursor_seal import CursorSeal
from teahouse.domain.cursors import SEALED_MAX, AudienceCursor, Cursor, HallwayCursor, Page, SortKey
from teahouse.errors import BadRequest

AT = datetime(2026, 11, 24, 20, 0, 0, 123456, tzinfo=UTC)
ID = "A" * 22
KEYS: list[SortKey] = [
    Cursor(AT, ID),
    HallwayCursor(0, -3, -120, AT, ID),
    HallwayCursor(3, 0, -1, AT, "demo-room"),
    AudienceCursor(0),
    AudienceCursor(49),
]


def text_of(raw: str) -> str:
    """What the codec would send for these JSON values (the array without brackets)."""
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


@pytest.mark.parametrize("key", KEYS, ids=repr)
def test_every_kind_of_key_round_trips_as_opaque_url_safe_text(key: SortKey) -> None:
    text = key.encode()
    assert type(key).decode(text) == key
    assert text.isascii() and not set(text) - set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )
    assert "2026" not in text


LARGEST: list[SortKey] = [
    Cursor(AT, ID),
    HallwayCursor(3, -1_000_000, -1_000_000_000, AT, ID),
    AudienceCursor(999_999_999),
]


@pytest.mark.parametrize("key", LARGEST, ids=repr)
def test_the_largest_key_of_each_kind_fits_sealed_in_a_cursor_parameter(key: SortKey) -> None:
    # `?cursor=` and the `audience` message's `after` take at most SEALED_MAX.
    seal = CursorSeal(lambda: bytes(range(32)))
    sealed = seal.seal(type(key), key.encode())
    assert sealed is not None and len(sealed) <= SEALED_MAX
    assert seal.open(type(key), sealed) == key


# (kind, text): texts this server never gave for that list; comments say why.
REFUSED: list[tuple[type[SortKey], str]] = [
    (Cursor, ""),
    (Cursor, "!!!!"),
    (Cursor, "x"),
    (Cursor, text_of(f'"{AT.isoformat()}"')),  # one field of two
    (Cursor, text_of(f'"{AT.isoformat()}","{ID}",1')),  # three fields of two
    (Cursor, text_of(f'"{AT.isoformat()}","short"')),  # not an id
    (Cursor, text_of(f'"2026-11-24T20:00:00","{ID}"')),  # no offset
    (Cursor, text_of(f'"yesterday","{ID}"')),
    (Cursor, text_of(f'1,"{ID}"')),  # a number for a time
    (Cursor, text_of(f'"{AT.isoformat()}","{ID}"]')),  # brackets do not nest out
    (Cursor, Cursor(AT, ID).encode() + "A" * 200),  # too long
    (HallwayCursor, Cursor(AT, ID).encode()),  # another list's cursor
    (HallwayCursor, text_of(f'true,0,-1,"{AT.isoformat()}","r"')),  # a bool is no int
    (HallwayCursor, text_of(f'"0",0,-1,"{AT.isoformat()}","r"')),
    (AudienceCursor, "not-a-cursor"),
    (AudienceCursor, "zz"),
    (AudienceCursor, "49"),  # the place number as it once was sent
    (AudienceCursor, text_of("-1")),
    (AudienceCursor, text_of("1.5")),
    (AudienceCursor, text_of("[1]")),
    (AudienceCursor, text_of("9" * 10)),  # longer than 12 characters
]


@pytest.mark.parametrize(("kind", "text"), REFUSED)
def test_what_does_not_decode_is_refused_with_the_lists_own_code(
    kind: type[SortKey], text: str
) -> None:
    with pytest.raises(BadRequest) as refused:
        kind.decode(text)
    expected = "bad_cursor" if kind is AudienceCursor else "invalid_request"
    assert refused.value.code == expected


def test_a_page_cut_from_one_row_more_than_the_limit_says_where_the_next_starts() -> None:
    rows = [(f"{i:022}", i) for i in range(5)]

    def place(row: tuple[str, int]) -> AudienceCursor:
        return AudienceCursor(row[1])

    page = Page.of(rows, 3, place)
    assert page.items == rows[:3]
    assert page.next_cursor is not None
    assert AudienceCursor.decode(page.next_cursor) == AudienceCursor(2)
    assert Page.of(rows[:3], 3, place) == Page(rows[:3], None)  # no row more: the last
    assert Page.of([], 3, place) == Page([], None)
    shown = page.map(lambda row: row[0])
    assert shown == Page([row[0] for row in rows[:3]], page.next_cursor)
