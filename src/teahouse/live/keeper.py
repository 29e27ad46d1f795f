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
import time
from collections.abc import Awaitable, Callable

from teahouse.domain.room_state import RoomState
from teahouse.errors import ErrorCode, Unavailable
from teahouse.live.ownership import LEASE_MS, RENEW_EVERY, Ownership
from teahouse.live.room import LiveRoom, LiveRooms
from teahouse.rooms.rooms import RoomInfo
from teahouse.rooms.saved import Restorable, SavedRoom, SavedRooms, encode

log = logging.getLogger(__name__)

SAVE_INTERVAL = 0.5
REANNOUNCE = 10.0
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
    """Saves the live rooms of this process (none without ``saved``: unit tests), and
    holds their ownership (ownership.py): renewed every second, let go when lost."""

    def __init__(
        self,
        saved: SavedRooms | None,
        live: LiveRooms,
        ownership: Ownership,
        interval: float = SAVE_INTERVAL,
    ) -> None:
        self.saved = saved
        self.ownership = ownership
        self._live = live
        self._interval = interval
        self._tasks: list[asyncio.Task[None]] = []
        self._stopped = False
        # One save at a time: a change whose room is clean when this is free is saved.
        self._saving = asyncio.Lock()
        # The Stage lets a room go when another process owns it now.
        self.on_lost: Callable[[str], Awaitable[None]] | None = None
        # With replicas: tell the others what was saved (room, fence, its record's
        # JSON), or that a room ended (None), for their mirrors (live/mirrors.py).
        self.announce: Callable[[LiveRoom | str, str | None], None] | None = None
        self._announced_at = time.monotonic()

    def ended(self, room_id: str) -> None:
        if self.announce is not None:
            self.announce(room_id, None)

    def start(self) -> None:
        if self.saved is not None and not self._tasks:
            self._tasks.append(asyncio.create_task(self._save_often(), name="room saves"))
            if self.ownership.shared:
                self._tasks.append(asyncio.create_task(self._renew(), name="room leases"))

    async def claim_ownerless(self) -> tuple[dict[str, int], list[Restorable]]:
        """Take every saved room that is not live here and that nobody owns: each one's
        fence, and what to restore."""
        if self.saved is None:
            return {}, []
        wanted = [rid for rid in await self.saved.saved_ids() if rid not in self._live]
        owners = await self.ownership.owners(wanted) if self.ownership.shared else {}
        fences = {}
        for rid in wanted:
            if owners.get(rid) is None and (fence := await self.ownership.acquire(rid)) is not None:
                fences[rid] = fence
        return fences, await self.saved.restorable(only=list(fences))

    async def durable(self, room: LiveRoom) -> None:
        """Return once the room's changes so far are saved: with several replicas an
        `ok` means the change outlives its owner. Saves that others wait for meanwhile
        are one (a group commit). At once with one process (a crash there loses at
        most ``interval``)."""
        if self.saved is None or not self.ownership.shared:
            return
        while room.dirty and self._live.get(room.info.id) is room:
            await self.save_changed()
        if self._live.get(room.info.id) is not room:  # another replica owns it now
            raise Unavailable("The room moved to another server.", ErrorCode.ROOM_MOVED)

    async def save_changed(self) -> int:
        """Save every room that changed since it was last saved; how many."""
        async with self._saving:
            changed = [room for room in self._live if room.dirty and not room.info.demo]
            if self.saved is None or not changed:
                return 0
            for room in changed:
                room.dirty = False
            try:
                records = {room.info.id: (encode(saved_room(room)), room.fence) for room in changed}
                refused = await self.saved.save(records, clean=False)
            except BaseException:
                for room in changed:
                    room.dirty = True
                raise
        if self.announce is not None:
            for room in changed:
                if room.info.id not in refused:
                    self.announce(room, records[room.info.id][0])
        for room_id in refused:
            await self._lost(room_id)
        return len(changed)

    async def stop(self) -> None:
        """The last save: every room, as of now, marked as saved on the way out; then
        their leases go, for other replicas to take the rooms at once."""
        if self._stopped:
            return
        self._stopped = True
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self.saved is None:
            return
        async with self._saving:
            rooms = [room for room in self._live if not room.info.demo]
            records = {room.info.id: (encode(saved_room(room)), room.fence) for room in rooms}
            await self.saved.save(records, clean=True)
        for room in rooms:
            with contextlib.suppress(Exception):  # a lease left to lapse is only slower
                await self.ownership.release(room.info.id, room.fence)

    async def _lost(self, room_id: str) -> None:
        log.warning("room %s has another owner now; letting it go", room_id)
        if self.on_lost is not None:
            await self.on_lost(room_id)

    async def _save_often(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            if self.announce is not None and time.monotonic() - self._announced_at > REANNOUNCE:
                # The others' mirrors stay fresh; the saved states need no rewrite.
                self._announced_at = time.monotonic()
                for room in self._live:
                    if not room.info.demo:
                        self.announce(room, encode(saved_room(room)))
            try:
                await self.save_changed()
            except Exception:  # the database is away: the rooms stay dirty, and live
                log.exception("saving the live rooms failed; trying again")

    async def _renew(self) -> None:
        renewed_at = time.monotonic()
        while True:
            await asyncio.sleep(RENEW_EVERY)
            leases = {room.info.id: room.fence for room in self._live if not room.info.demo}
            try:
                lost = await self.ownership.renew(leases)
                renewed_at = time.monotonic()
            except Exception:
                log.exception("renewing the room leases failed")
                if time.monotonic() - renewed_at < LEASE_MS / 1000:
                    continue
                lost = set(leases)  # past the lease: another replica may own them now
            for room_id in lost:
                await self._lost(room_id)
