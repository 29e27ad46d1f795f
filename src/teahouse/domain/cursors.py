"""Opaque keyset cursors for paginated lists: base64 of (timestamp, id).

A page is "rows after this (timestamp, id)" in the list's order, never an OFFSET:
rows added or removed while a member pages through a list neither repeat nor vanish.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from teahouse.domain.ids import looks_like_id
from teahouse.errors import BadRequest

CURSOR_MAX = 200
LIMIT_MIN, LIMIT_MAX, LIMIT_DEFAULT = 1, 100, 30


def encode_cursor(at: datetime, row_id: str) -> str:
    raw = json.dumps([at.isoformat(), row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    """The (timestamp, id) a cursor names; a cursor we did not make is a bad request."""
    try:
        if len(cursor) > CURSOR_MAX:
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at_text, row_id = json.loads(raw)
        at = datetime.fromisoformat(at_text)
        if at.tzinfo is None or not isinstance(row_id, str) or not looks_like_id(row_id):
            raise ValueError("not ours")
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadRequest("This cursor is not one the server gave out.") from exc
    return at, row_id
