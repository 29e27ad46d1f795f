"""Room links: codes that let their holders into a closed room while it lives.

A moderator makes one (``POST /api/rooms/{id}/link``); whoever opens it is let in
(``POST /api/rooms/{id}/enter``, docs/API.md). Only the SHA-256 of each code is
kept, in the live room, so the codes end with the room.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable

from teahouse.domain.room_changes import Role
from teahouse.errors import Conflict, ErrorCode, Forbidden
from teahouse.live.room import LiveRoom, LiveRooms


class RoomLinks:
    """Makes and checks the links of every live room."""

    def __init__(self, live: LiveRooms, readable: Callable[[str], LiveRoom | None]) -> None:
        self._live = live
        # Links are checked on any replica: a room another one owns has a mirror.
        self._readable = readable

    def new(self, room_id: str, moderator_id: str) -> str:
        """A new code for the room; only one of its moderators may ask (anyone else,
        in the room or not, is refused with ``not_moderator``, as ``admit`` refuses)."""
        room = self._live.get(room_id)
        if room is None:
            raise Conflict("This room has ended.", ErrorCode.ROOM_ENDED)
        asker = room.state.participants.get(moderator_id)
        if asker is None or asker.role is not Role.MODERATOR:
            raise Forbidden("Only moderators can make room links.", ErrorCode.NOT_MODERATOR)
        code = secrets.token_urlsafe(24)
        room.link_hashes.add(_digest(code))
        room.dirty = True
        return code

    def valid(self, room_id: str, code: str) -> bool:
        room = self._readable(room_id)
        if room is None:
            return False
        digest = _digest(code)
        return any(hmac.compare_digest(digest, known) for known in room.link_hashes)


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
