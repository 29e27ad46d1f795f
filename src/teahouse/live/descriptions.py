"""What a live room says it is about: its moderators change it, everyone in the room
hears of it at once (a ``description`` change in a delta), and its record keeps it.

The text is normalised at the edge (``rooms.normalise_description``); the rule (only
a moderator) is the room state's, applied under the room's lock like every other
change, so the delta takes its place in the room's order of versions.
"""

from __future__ import annotations

from teahouse.domain.room_changes import Role
from teahouse.errors import Conflict, ErrorCode, Forbidden
from teahouse.live.actions import Audited, AuditSink, write_down
from teahouse.live.room import LiveRooms
from teahouse.rooms.rooms import Rooms


class RoomDescriptions:
    """Changing a live room's description (the Stage's :attr:`descriptions`)."""

    def __init__(self, live: LiveRooms, rooms: Rooms, audit: AuditSink | None) -> None:
        self._live = live
        self._rooms = rooms
        self._audit = audit

    async def change(self, room_id: str, user_id: str, description: str) -> bool:
        """Set the room's description as ``user_id``, one of its moderators in the
        room; whether it changed. Refused (nothing changed) for anyone else."""
        room = self._live.get(room_id)
        if room is None:
            raise Conflict("This room has ended.", ErrorCode.ROOM_ENDED)
        async with room.lock:
            participant = room.state.participants.get(user_id)
            if participant is None or participant.role is not Role.MODERATOR:
                raise Forbidden(
                    "Only the room's moderators can change its description.",
                    ErrorCode.NOT_MODERATOR,
                )
            delta = room.state.set_description(user_id, description)
            room.publish(delta)
        if delta is None:
            return False
        # The record follows the live state: a later look-up (an export, a report's
        # context, a demo room re-opened) reads what members last saw.
        await self._rooms.save_description(room_id, description)
        audited = Audited("set_description", detail={"length": len(description)})
        await write_down(self._audit, user_id, room_id, audited)
        return True
