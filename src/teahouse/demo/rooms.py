"""Demo rooms: live rooms that ``teahouse demo seed`` makes and every start re-opens.

Live rooms live in the server's memory, and a start ends every real room the last run
left open (``Rooms.end_all_live``, which leaves demo rooms alone and counts only real
ones in its log line). So that a demo instance's hallway shows rooms from the
first minute, the seed writes a few rooms marked ``rooms.demo`` and, for each, the
members who sit in it (``demo_residents``: a role and a seat order). At start-up,
:func:`reopen` opens them in the Stage again and seats their residents with
``Stage.seat_resident``: present without a socket, so never "away" and never timed
out; never publishing (a demo room has no audio, and says so: ``room.demo`` is true in
the room's JSON); moderating, so the room never ends for want of a moderator. A real
member joins one like any room: listens (to silence), raises a hand, leaves.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from teahouse.domain.ids import new_id
from teahouse.domain.room_changes import Role
from teahouse.live.stage import Stage
from teahouse.rooms.rooms import ClubRef, RoomInfo
from teahouse.store.database import Database
from teahouse.store.models import DemoResident, Room, User
from teahouse.store.social_models import Club
from teahouse.views import user_ref

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DemoRoom:
    title: str
    moderators: tuple[str, ...]  # the first one opened it
    speakers: tuple[str, ...]
    listeners: tuple[str, ...]
    minutes_ago: int
    club: str | None = None


ROOMS: list[DemoRoom] = [
    DemoRoom(
        "Late-night bebop listening session",
        ("gabriel", "oskar"),
        ("victor",),
        ("bruno", "emeka", "zoe", "priya", "kalani", "jules", "rosa", "sami", "ben"),
        40,
        club="Jazz After Hours",
    ),
    DemoRoom(
        "What are you reading this week?",
        ("uma",),
        ("dolores", "hana"),
        ("nadia", "rosa", "wren", "lena", "aiko"),
        25,
        club="Night Owls Book Club",
    ),
    DemoRoom(
        "Self-hosting office hours: ask us anything",
        ("ximena",),
        ("ibrahim", "sami"),
        ("ada", "lena", "dev", "yusuf", "aiko", "ben", "quinn"),
        70,
        club="Self-Hosters Anonymous",
    ),
    DemoRoom(
        "Why is my sourdough so flat?",
        ("freya",),
        ("mateo",),
        ("chiara", "tomas", "kalani"),
        15,
    ),
    DemoRoom(
        "Open mic poetry: bring one poem",
        ("rosa",),
        ("jules",),
        ("zoe", "wren", "hana", "dolores", "ben", "quinn", "nadia", "tomas"),
        55,
    ),
]


async def seed_rooms(
    db: Database, users: dict[str, User], club_ids: dict[str, str], now: datetime
) -> int:
    """Write the demo rooms and their residents (not live until the server starts)."""
    async with db.sessions.begin() as s:
        for demo in ROOMS:
            room = Room(
                id=new_id(),
                title=demo.title,
                visibility="open",
                created_by_id=users[demo.moderators[0]].id,
                created_at=now - timedelta(minutes=demo.minutes_ago),
                club_id=club_ids[demo.club] if demo.club else None,
                demo=True,
            )
            s.add(room)
            await s.flush()  # the room before its residents
            seats = [
                *((name, Role.MODERATOR) for name in demo.moderators),
                *((name, Role.SPEAKER) for name in demo.speakers),
                *((name, Role.LISTENER) for name in demo.listeners),
            ]
            s.add_all(
                DemoResident(room_id=room.id, user_id=users[name].id, role=role.value, seat=seat)
                for seat, (name, role) in enumerate(seats)
            )
    return len(ROOMS)


async def reopen(db: Database, stage: Stage) -> int:
    """At start-up: open every demo room again with its residents seated."""
    async with db.sessions.begin() as s:
        rooms = (
            await s.execute(
                select(Room, User, Club)
                .join(User, User.id == Room.created_by_id)
                .outerjoin(Club, Club.id == Room.club_id)
                .where(Room.demo.is_(True))
                .order_by(Room.created_at)
            )
        ).all()
        if not rooms:
            return 0
        await s.execute(update(Room).where(Room.demo.is_(True)).values(ended_at=None))
        residents = (
            await s.execute(
                select(DemoResident, User)
                .join(User, User.id == DemoResident.user_id)
                .where(DemoResident.room_id.in_([room.id for room, _, _ in rooms]))
                .order_by(DemoResident.room_id, DemoResident.seat)
            )
        ).all()
    for room, creator, club in rooms:
        info = RoomInfo(
            room.id,
            room.title,
            room.visibility,
            user_ref(creator),
            room.created_at.isoformat(),
            ClubRef(club.id, club.name) if club else None,
            demo=True,
            description=room.description,
        )
        await stage.open_room(info)
        for resident, user in residents:
            if resident.room_id == room.id:
                await stage.seat_resident(room.id, user_ref(user), Role(resident.role))
    log.info("re-opened %d demo rooms", len(rooms))
    return len(rooms)
