"""Opaque page cursors for keyset pagination (newest first).

A cursor is the (created_at, id) of the last row a page showed, as URL-safe base64
of JSON. The next page is every row strictly after it in the order
``created_at DESC, id DESC``: stable while rows are added, and never an OFFSET.
Clients must treat it as opaque; anything that does not decode is ``invalid_request``.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime

from teahouse.domain.ids import looks_like_id
from teahouse.errors import BadRequest

CURSOR_MAX = 200
LIMIT_DEFAULT = 30
LIMIT_MAX = 100


@dataclass(frozen=True, slots=True)
class Cursor:
    created_at: datetime
    id: str

    def encode(self) -> str:
        raw = json.dumps([self.created_at.isoformat(), self.id], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            if len(text) > CURSOR_MAX:
                raise ValueError("too long")
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            when, ident = json.loads(raw)
            created_at = datetime.fromisoformat(when)
            if created_at.tzinfo is None or not looks_like_id(ident):
                raise ValueError("not a cursor")
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            raise BadRequest("That page cursor is not valid.") from None
        return cls(created_at, ident)


def optional_cursor(text: str | None) -> Cursor | None:
    return Cursor.decode(text) if text else None


LIMIT_MIN = 1


def encode_cursor(at: datetime, row_id: str) -> str:
    return Cursor(at, row_id).encode()


def decode_cursor(text: str) -> tuple[datetime, str]:
    cursor = Cursor.decode(text)
    return cursor.created_at, cursor.id
