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

from collections.abc import Mapping
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


class SavedRooms:
    """Saved states of live rooms, in the database."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def save(self, rooms: Mapping[str, SavedRoom], *, clean: bool) -> None:
        """Write these rooms' states, all in one transaction."""
        if not rooms:
            return
        now = utcnow()
        rows = [
            {
                "room_id": rid,
                "record": RECORD.dump_json(saved).decode(),
                "clean": clean,
                "saved_at": now,
            }
            for rid, saved in rooms.items()
        ]
        statement = insert(self._db, SavedRoomState)
        statement = statement.on_conflict_do_update(
            index_elements=[SavedRoomState.room_id],
            set_={
                "record": statement.excluded.record,
                "clean": statement.excluded.clean,
                "saved_at": statement.excluded.saved_at,
            },
        )
        async with self._db.sessions.begin() as s:
            await s.execute(statement, rows)

    async def restorable(self) -> list[Restorable]:
        """Every saved room whose room has not ended, oldest first; rows left behind
        ended rooms, and records that no longer read, are deleted."""
        async with self._db.sessions.begin() as s:
            rows = (
                await s.execute(
                    select(SavedRoomState, Room, Club)
                    .join(Room, Room.id == SavedRoomState.room_id)
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
