"""Rooms another replica owns, as this one sees them: for the hallway, search, pings
and the rest that read live rooms without changing them (docs/ARCHITECTURE.md, "Rooms
across replicas").

Each owner announces a room's record every time it saves it (live/keeper.py: at most
twice a second, and every ten seconds while nothing changes), and its end; every other
replica keeps the latest as a :class:`LiveRoom` with no sockets, and keeps the
:class:`LiveIndex` of who sits where in line with it. A mirror nobody announced for
``STALE_AFTER`` seconds (its owner died and nobody took the room yet) is dropped; the
room's next owner announces it again.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from teahouse.live.index import LiveIndex
from teahouse.live.room import LiveRoom

STALE_AFTER = 30.0


class Mirrors:
    def __init__(self, index: LiveIndex, changed: Callable[[], None]) -> None:
        self._index = index
        self._changed = changed
        self._rooms: dict[str, tuple[LiveRoom, int, float]] = {}  # room, fence, when

    def update(self, room: LiveRoom, fence: int) -> None:
        """The owner (with this fence) announced the room as ``room``."""
        room_id = room.info.id
        held = self._rooms.get(room_id)
        if held is not None and held[1] > fence:
            return  # an owner that lost the room, still announcing
        before = set(held[0].state.participants) if held else set()
        after = set(room.state.participants)
        for uid in before - after:
            self._index.left(room_id, uid)
        for uid in after - before:
            self._index.joined(room_id, uid)
        self._rooms[room_id] = (room, fence, time.monotonic())
        self._changed()

    def drop(self, room_id: str) -> None:
        held = self._rooms.pop(room_id, None)
        if held is not None:
            self._index.ended(room_id, held[0].state.participants)
            self._changed()

    def get(self, room_id: str) -> LiveRoom | None:
        held = self._rooms.get(room_id)
        return held[0] if held else None

    def ids(self) -> list[str]:
        return list(self._rooms)

    def forget_stale(self) -> None:
        cut = time.monotonic() - STALE_AFTER
        for room_id in [rid for rid, (_, _, when) in self._rooms.items() if when < cut]:
            self.drop(room_id)
