"""Keeping live rooms across processes: each room that changed is saved every half
second, and every room once more when the process stops, so that a restart ends no
room and a crash loses at most the last half second of one (docs/OPERATIONS.md,
"Restarts").

A room is *dirty* once anything in it changed (LiveRoom.publish marks it); saving
takes the flag first, so a change made while the write is under way is saved by the
next one, and a failed write puts the flags back to be tried again. The records are
built here, in one step of the event loop, so each is one consistent moment of its
room; rooms/saved.py writes them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from teahouse.domain.room_state import RoomState
from teahouse.live.room import LiveRoom, LiveRooms
from teahouse.rooms.rooms import RoomInfo
from teahouse.rooms.saved import Restorable, SavedRoom, SavedRooms

log = logging.getLogger(__name__)

SAVE_INTERVAL = 0.5
# After a crash a restored room's version moves on by this much: more than it can have
# changed in the half second a crash may lose, so no version a member holds from the
# lost changes names a state of the restored room (RoomState.jump).
LOST_VERSIONS = 100_000


def saved_room(room: LiveRoom) -> SavedRoom:
    return SavedRoom(
        state=room.state.record(),
        created_by=room.info.created_by,
        moderators=tuple(sorted(room.info.moderators)),
        link_hashes=tuple(sorted(room.link_hashes)),
        opener_arrived=room.opener_arrived,
    )


def restored_room(
    found: Restorable, new_room: Callable[[RoomInfo, RoomState], LiveRoom]
) -> LiveRoom:
    """The live room a saved one was, with nobody publishing: its media went with the
    earlier process. After a crash, every member resuming gets a snapshot."""
    state = RoomState.restored(found.info.id, found.saved.state)
    if not found.clean:
        state.jump(LOST_VERSIONS)
    room = new_room(found.info, state)
    room.link_hashes = set(found.saved.link_hashes)
    room.opener_arrived = found.saved.opener_arrived
    room.restarted = set(state.participants)
    room.publish(state.set_publishing(frozenset()))  # no socket yet: kept for resumes
    return room


class RoomKeeper:
    """Saves the live rooms of this process (none without ``saved``: unit tests)."""

    def __init__(
        self, saved: SavedRooms | None, live: LiveRooms, interval: float = SAVE_INTERVAL
    ) -> None:
        self.saved = saved
        self._live = live
        self._interval = interval
        self._task: asyncio.Task[None] | None = None
        self._stopped = False

    def start(self) -> None:
        if self.saved is not None and self._task is None:
            self._task = asyncio.create_task(self._run(), name="room keeper")

    async def save_changed(self) -> int:
        """Save every room that changed since it was last saved; how many."""
        changed = [room for room in self._live if room.dirty and not room.info.demo]
        if self.saved is None or not changed:
            return 0
        for room in changed:
            room.dirty = False
        try:
            await self.saved.save({room.info.id: saved_room(room) for room in changed}, clean=False)
        except BaseException:
            for room in changed:
                room.dirty = True
            raise
        return len(changed)

    async def stop(self) -> None:
        """The last save: every room, as of now, marked as saved on the way out."""
        if self._stopped:
            return
        self._stopped = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.saved is not None:
            rooms = [room for room in self._live if not room.info.demo]
            await self.saved.save({room.info.id: saved_room(room) for room in rooms}, clean=True)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.save_changed()
            except Exception:  # the database is away: the rooms stay dirty, and live
                log.exception("saving the live rooms failed; trying again")
