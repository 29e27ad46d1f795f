"""Pages and their cursors: one page type and one cursor codec for every paged list.

A :class:`Page` is some items and the cursor of the next page (None: this is the
last). A cursor says where the last item of a page sorts, so that the next page
starts strictly after it: stable while items come and go, and never an OFFSET.

Each list sorts by its own key, a :class:`SortKey` dataclass of ints, strings and
timezone-aware times (:class:`Cursor` for the keyset lists, newest first or oldest
first by ``(created_at, id)``; :class:`HallwayCursor` for the ranked hallway;
:class:`AudienceCursor` for a live room's audience). All of them travel the same
way: their fields as a JSON array without its brackets, in URL-safe base64 without
padding. (Without the brackets, which would only make them longer.) Decoding checks
the number of fields and each one's type, and refuses anything else with the key's
own code: ``invalid_request`` for the HTTP lists, ``bad_cursor`` for the audience.

This encoding is the server's own: clients never see it. What leaves the server is
the same text sealed (cursor_seal.py), since a sort key shows a follow's time
or a row's id.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import ClassVar, Generic, Self, TypeVar, get_type_hints

from teahouse.domain.ids import looks_like_id
from teahouse.errors import BadRequest, ErrorCode

CURSOR_MAX = 200
# A sealed cursor (cursor_seal.py) is at most this long: an HTTP ``?cursor=``, an
# ``audience`` message's ``after``; every key this server seals fits well inside.
SEALED_MAX = 200
LIMIT_MIN = 1
LIMIT_DEFAULT = 30
LIMIT_MAX = 100

T = TypeVar("T")
U = TypeVar("U")
Scalar = int | str | datetime


@dataclass(frozen=True, slots=True)
class SortKey:
    """Where an item sorts in its list: a frozen dataclass of ``int``, ``str`` and
    ``datetime`` fields; :meth:`encode` and :meth:`decode` turn it into a cursor and
    back."""

    # The longest cursor accepted, and the code that refuses one that does not decode.
    max_length: ClassVar[int] = CURSOR_MAX
    refusal: ClassVar[ErrorCode] = ErrorCode.INVALID_REQUEST

    def encode(self) -> str:
        values = [_to_json(getattr(self, f.name)) for f in fields(self)]
        raw = json.dumps(values, separators=(",", ":"))[1:-1]
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def valid(self) -> bool:
        """Checks beyond the fields' types (ids that look like ids, ...)."""
        return True

    @classmethod
    def decode(cls, text: str) -> Self:
        """The key that ``text`` encodes; ``refusal`` for anything else."""
        make: Callable[..., Self] = cls
        types = _field_types(cls)
        try:
            if not text or len(text) > cls.max_length:
                raise ValueError("empty or too long")
            raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
            values = json.loads(b"[" + raw + b"]")
            if len(values) != len(types):
                raise ValueError("not this kind of cursor")
            key = make(*(_from_json(t, value) for t, value in zip(types, values, strict=True)))
            if not key.valid():
                raise ValueError("not a key of this list")
        except (ValueError, TypeError, binascii.Error):
            raise BadRequest("That cursor is not one this server gave.", cls.refusal) from None
        return key


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a list, and the cursor of the next page (None: this is the last)."""

    items: list[T]
    next_cursor: str | None = None

    @classmethod
    def of(cls, rows: Sequence[T], limit: int, key: Callable[[T], SortKey]) -> Page[T]:
        """The page in ``rows``, which were read one more than ``limit`` to learn
        whether another page follows; ``key`` says where a row sorts."""
        items = list(rows[:limit])
        more = len(rows) > limit and bool(items)
        return cls(items, key(items[-1]).encode() if more else None)

    def map(self, view: Callable[[T], U]) -> Page[U]:
        """The same page with each item turned into ``view(item)``."""
        return Page([view(item) for item in self.items], self.next_cursor)


# -- the keys ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Cursor(SortKey):
    """A keyset list's place: the ``(created_at, id)`` of the page's last row
    (store/keyset.py turns it into the WHERE clause)."""

    created_at: datetime
    id: str

    def valid(self) -> bool:
        return looks_like_id(self.id)


@dataclass(frozen=True, slots=True)
class HallwayCursor(SortKey):
    """Where the last room of a hallway page ranks: the ``Key`` of
    :func:`teahouse.domain.hallway.rank_rooms` (tier, minus the followed people in
    it, minus its size, when it opened, its id)."""

    tier: int
    followed: int
    size: int
    created_at: datetime
    room_id: str

    @classmethod
    def at(cls, key: tuple[object, ...]) -> HallwayCursor:
        tier, followed, size, created_at, room_id = key
        if (
            isinstance(tier, int)
            and isinstance(followed, int)
            and isinstance(size, int)
            and isinstance(created_at, datetime)
            and isinstance(room_id, str)
        ):
            return cls(tier, followed, size, created_at, room_id)
        raise TypeError(f"not a hallway key: {key!r}")

    @property
    def key(self) -> tuple[object, ...]:
        return (self.tier, self.followed, self.size, self.created_at, self.room_id)


@dataclass(frozen=True, slots=True)
class AudienceCursor(SortKey):
    """A listener's place in the order people joined a live room's audience."""

    max_length: ClassVar[int] = 12
    refusal: ClassVar[ErrorCode] = ErrorCode.BAD_CURSOR

    place: int

    def valid(self) -> bool:
        return self.place >= 0


# -- the wire form of a field ----------------------------------------------------------


def _to_json(value: Scalar) -> int | str:
    return value.isoformat() if isinstance(value, datetime) else value


def _from_json(kind: type[Scalar], value: object) -> Scalar:
    if kind is datetime and isinstance(value, str):
        when = datetime.fromisoformat(value)
        if when.tzinfo is None:
            raise ValueError("a time without its offset")
        return when
    # bool is an int to Python, not to a cursor.
    if kind in (int, str) and type(value) is kind:
        assert isinstance(value, int | str)
        return value
    raise ValueError(f"not a {kind.__name__}")


_FIELD_TYPES: dict[type[SortKey], tuple[type[Scalar], ...]] = {}


def _field_types(kind: type[SortKey]) -> tuple[type[Scalar], ...]:
    if kind not in _FIELD_TYPES:
        hints = get_type_hints(kind)
        _FIELD_TYPES[kind] = tuple(hints[f.name] for f in fields(kind))
    return _FIELD_TYPES[kind]
