"""Live rooms opening, ending, coming back and going: the part of the :class:`Stage
<teahouse.live.stage.Stage>` that makes and unmakes its rooms.

A room opens with its creator expected within ``empty_room_grace``; it comes back
from its last save (at start, or with replicas when its owner died: live/keeper.py)
with everyone held for ``reconnect_grace``; it is let go, still live, when another
process owns it now, and kept as a read-only mirror when another replica announces it
(live/mirrors.py); it ends for good (``end_room``), its record marked ended and its
media destroyed. Shutting down saves every room and ends none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from teahouse.domain.room_state import RoomState
from teahouse.live.background import Background
from teahouse.live.index import LiveIndex
from teahouse.live.keeper import RoomKeeper, restored_room
from teahouse.live.media_steering import MediaSteering
from teahouse.live.mirrors import Mirrors
from teahouse.live.room import Client, LiveRoom, LiveRooms
from teahouse.realtime.limits import Clock, TokenBucket, room_limit
from teahouse.realtime.server_messages import RoomEndedMessage
from teahouse.rooms.rooms import RoomInfo, Rooms
from teahouse.rooms.saved import SavedRoom

log = logging.getLogger(__name__)


class RoomLifecycle:
    """Opening, restoring, letting go, mirroring and ending rooms (mixed into Stage,
    whose constructor sets what is declared here)."""

    _rooms: Rooms
    _live: LiveRooms
    _background: Background
    _reconnect_grace: float
    _empty_room_grace: float
    _audience_interval: float
    _speaking_interval: float
    _delivery_budget: float
    _send_queue: int
    clock: Clock
    keeper: RoomKeeper
    index: LiveIndex
    mirrors: Mirrors
    media: MediaSteering
    on_let_go: Callable[[list[Client]], None]

    def _rooms_changed(self) -> None:
        raise NotImplementedError

    def _expire_away(self, room_id: str, uid: str) -> None:
        raise NotImplementedError

    def mirror(self, info: RoomInfo, saved: SavedRoom, fence: int) -> None:
        """Another replica announced a room it owns (live/mirrors.py)."""
        if info.id not in self._live:
            room = self._new_room(info, RoomState.restored(info.id, saved.state))
            room.link_hashes = set(saved.link_hashes)
            self.mirrors.update(room, fence)

    # -- opening and ending ----------------------------------------------------------

    async def open_room(self, info: RoomInfo) -> None:
        room = self._new_room(info, RoomState(info.id, info.description))
        fence = await self.keeper.ownership.acquire(info.id)
        if fence is None:  # a new room's id is new: nobody else can hold it
            raise RuntimeError(f"room {info.id} already has an owner")
        room.fence = fence
        self._live.add(room)
        self._rooms_changed()
        await self.media.open(info.id)
        self._await_creator(room)

    async def restore_saved(self) -> frozenset[str]:
        """Bring back the rooms an earlier process saved and nobody owns now (at start,
        and with several replicas every few seconds: a dead replica's rooms); their ids.
        Everyone in them is away until they reconnect (within the reconnect grace, as
        after any dropped socket), and nobody publishes: the media went with the earlier
        process (live/keeper.py)."""
        fences, found = await self.keeper.claim_ownerless()
        for room in (restored_room(one, self._new_room) for one in found):
            room.fence = fences[room.info.id]
            self._live.add(room)
            for uid in room.state.participants:
                self.index.joined(room.info.id, uid)
                room.away[uid] = self._background.later(
                    self._reconnect_grace, self._expire_away, room.info.id, uid
                )
            self._rooms_changed()
            await self.media.open(room.info.id)
            if not room.state.participants:
                self._await_creator(room)
            log.info("room %s is back at version %d", room.info.id, room.state.version)
        return frozenset(one.info.id for one in found)

    async def let_go(self, room_id: str) -> None:
        """Another process owns the room now: forget it here without ending it."""
        room = self._live.pop(room_id)
        if room is None:
            return
        self.index.ended(room_id, room.state.participants)
        for timer in room.away.values():
            timer.cancel()
        room.stop()
        self.media.stop(room)
        clients = list(room.clients.values())
        room.clients.clear()
        for client in clients:
            client.room_id = None
        self.on_let_go(clients)
        self._rooms_changed()
        await self.media.destroy(room_id)

    def _new_room(self, info: RoomInfo, state: RoomState) -> LiveRoom:
        full = room_limit(1, self._delivery_budget, self._send_queue)  # the largest burst
        return LiveRoom(
            info=info,
            state=state,
            audience_budget=TokenBucket(full, self.clock()),
            audience_interval=self._audience_interval,
            speaking_interval=self._speaking_interval,
            on_change=self._rooms_changed,
        )

    def _await_creator(self, room: LiveRoom) -> None:
        """A room nobody moderates ends; give the creator time to walk in."""
        creator = room.info.created_by.id
        room.away[creator] = self._background.later(
            self._empty_room_grace, self._expire_away, room.info.id, creator
        )

    async def end_room(self, room_id: str, reason: str) -> None:
        room = self._live.pop(room_id)
        if room is None:
            return
        self.index.ended(room_id, room.state.participants)
        async with room.lock:
            for timer in room.away.values():
                timer.cancel()
            room.stop()
            room.broadcast(RoomEndedMessage(room=room_id, reason=reason))
            for client in room.clients.values():
                client.room_id = None
            room.clients.clear()
        self.media.stop(room)
        await self._rooms.mark_ended(room_id)
        self.keeper.ended(room_id)
        await self.media.destroy(room_id)

    async def end_if_live(self, room_id: str, reason: str) -> bool:
        """End a room if it is live (an admin's action); whether it was."""
        if room_id not in self._live:
            return False
        await self.end_room(room_id, reason)
        return True

    async def close(self) -> None:
        """The process is stopping: every room is saved one last time and forgotten
        here, still live; the next process brings them back (restore_saved)."""
        await self.keeper.stop()
        for room in self._live:
            for timer in room.away.values():
                timer.cancel()
            room.stop()
            self.media.stop(room)
        self._live.clear()
        self._background.cancel()
