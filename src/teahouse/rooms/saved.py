"""Live rooms' states, saved so that a room outlives the process that serves it.

The live layer (live/keeper.py) hands over a :class:`SavedRoom` for each live room
that changed, about twice a second, and once more for every room on its way out; at
start the rooms not ended come back from here. A room's row goes in the transaction
that ends it (rooms.py), so an ended room never comes back; a row a late write left
behind an ended room is ignored and deleted at start.

The record is JSON of plain dataclasses (pydantic's TypeAdapter: one schema for both
directions, validated on the way back in). It holds what the room's members can see
of each other (names, roles, hands) and hashes of its links: nothing of what anyone
said and no address.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import delete, select

from teahouse.domain.clock import utcnow
from teahouse.domain.room_changes import RoomRecord, UserRef
from teahouse.rooms.rooms import ClubRef, RoomInfo
from teahouse.store.database import Database
from teahouse.store.models import Room, SavedRoomState
from teahouse.store.social_models import Club
from teahouse.store.upsert import insert


@dataclass(frozen=True, slots=True)
class SavedRoom:
    """One live room as saved: its state and what the live room knows besides."""

    state: RoomRecord
    # The live room's own copies: its creator may have been handed over (a deleted
    # account), and an event's room is moderated by the event's hosts.
    created_by: UserRef
    moderators: tuple[str, ...]
    link_hashes: tuple[str, ...]
    opener_arrived: bool


@dataclass(frozen=True, slots=True)
class Restorable:
    """A saved room to bring back: its record's header, its state, and whether it was
    saved on the way out (nothing lost) or while running (the last changes may be)."""

    info: RoomInfo
    saved: SavedRoom
    clean: bool


RECORD = TypeAdapter(SavedRoom)
INFO = TypeAdapter(RoomInfo)


def encode(saved: SavedRoom) -> str:
    return RECORD.dump_json(saved).decode()


class SavedRooms:
    """Saved states of live rooms, in the database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def save(self, rooms: Mapping[str, tuple[str, int]], *, clean: bool) -> set[str]:
        """Write these rooms' states (each :func:`encode`d, with its owner's fence), in
        one transaction; the rooms refused because a newer owner's fence is on the row."""
        refused: set[str] = set()
        if not rooms:
            return refused
        now = utcnow()
        async with self._db.sessions.begin() as s:
            for room_id, (record, fence) in rooms.items():
                values = {
                    "record": record,
                    "clean": clean,
                    "saved_at": now,
                    "fence": fence,
                }
                statement = insert(self._db, SavedRoomState).values(room_id=room_id, **values)
                statement = statement.on_conflict_do_update(
                    index_elements=[SavedRoomState.room_id],
                    set_=values,
                    where=SavedRoomState.fence <= fence,
                )
                written = await s.execute(statement)
                if written.rowcount == 0:  # type: ignore[attr-defined]
                    refused.add(room_id)
        return refused

    async def saved_ids(self) -> list[str]:
        """The rooms with a saved state."""
        async with self._db.sessions() as s:
            return list(await s.scalars(select(SavedRoomState.room_id)))

    async def restorable(self, only: Collection[str] | None = None) -> list[Restorable]:
        """Every saved room (or those of ``only``) whose room has not ended, oldest
        first; rows left behind ended rooms, and records that no longer read, are
        deleted."""
        which = select(SavedRoomState, Room, Club)
        if only is not None:
            which = which.where(SavedRoomState.room_id.in_(list(only)))
        async with self._db.sessions.begin() as s:
            rows = (
                await s.execute(
                    which.join(Room, Room.id == SavedRoomState.room_id)
                    .outerjoin(Club, Club.id == Room.club_id)
                    .order_by(Room.created_at)
                )
            ).all()
            found: list[Restorable] = []
            stale: list[str] = []
            for row, room, club in rows:
                try:
                    saved = RECORD.validate_json(row.record)
                except ValidationError:
                    saved = None
                if saved is None or room.ended_at is not None or room.demo:
                    stale.append(room.id)
                    continue
                info = RoomInfo(
                    room.id,
                    room.title,
                    room.visibility,
                    saved.created_by,
                    room.created_at.isoformat(),
                    ClubRef(club.id, club.name) if club else None,
                    moderators=frozenset(saved.moderators),
                    description=room.description,
                )
                found.append(Restorable(info, saved, row.clean))
            if stale:
                await s.execute(delete(SavedRoomState).where(SavedRoomState.room_id.in_(stale)))
        return found
