"""Rooms as records: creating them, who may enter, and the hallway list."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ColumnElement, and_, delete, exists, literal, or_, select, update
from sqlalchemy.orm import aliased

from teahouse import views
from teahouse.domain.clock import utcnow
from teahouse.domain.ids import looks_like_id, new_id
from teahouse.domain.room_changes import UserRef
from teahouse.domain.text import clean_name, clean_prose
from teahouse.errors import BadRequest, Conflict, ErrorCode, Forbidden, NotFound
from teahouse.store.database import Database, DbSession
from teahouse.store.models import Room, RoomAdmission, SavedRoomState, User
from teahouse.store.social_models import Block, Club, ClubMember, Follow
from teahouse.views import user_ref

# "social": only people followed by one of the room's moderators may see or enter it.
# "club": only the members of the room's club may see or enter it.
Visibility = Literal["open", "social", "closed", "club"]
TITLE_MAX = 120
# A sentence or two under the title: the hallway card shows two lines of it.
DESCRIPTION_MAX = 280


@dataclass(frozen=True, slots=True)
class ClubRef:
    id: str
    name: str

    def to_dict(self) -> views.ClubRef:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True, slots=True)
class RoomInfo:
    """What a live room needs to know about its record."""

    id: str
    title: str
    visibility: str
    created_by: UserRef
    created_at: str
    club: ClubRef | None = None
    # Who becomes a moderator on joining: always the creator; for an event's room
    # also its host and co-hosts.
    moderators: frozenset[str] = frozenset()
    # A demo room (demo/rooms.py): seeded residents, no audio.
    demo: bool = False
    # What it is about, as it was started (or last saved); the live room's own copy
    # is its RoomState's, which moderators change.
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "moderators", self.moderators | {self.created_by.id})


@dataclass(frozen=True, slots=True)
class Relations:
    """A joining member's blocks: who blocked them, and everyone in a block with them."""

    blocked_by: frozenset[str] = frozenset()
    either_way: frozenset[str] = frozenset()


def normalise_title(raw: str, what: str = "A room title") -> str:
    """A room's (or an event's) title, kept as names are (``domain/text.py``)."""
    return clean_name(raw, what, TITLE_MAX)


def normalise_description(raw: str) -> str:
    """A room's description, kept as longer texts are (``domain/text.py``): line
    breaks kept, at most :data:`DESCRIPTION_MAX` characters, empty for none."""
    return clean_prose(raw, "A room description", DESCRIPTION_MAX)


def _info(
    room: Room, creator: User, club: Club | None, moderators: frozenset[str] = frozenset()
) -> RoomInfo:
    return RoomInfo(
        room.id,
        room.title,
        room.visibility,
        user_ref(creator),
        room.created_at.isoformat(),
        ClubRef(club.id, club.name) if club else None,
        moderators,
        room.demo,
        room.description,
    )


# Told, inside the transaction that ends them, which rooms just ended: what follows
# from a room's end (a weekly event moving to its next week) commits with it or not
# at all.
EndedListener = Callable[[DbSession, Sequence[str]], Awaitable[None]]


class Rooms:
    def __init__(self, db: Database) -> None:
        self._ended_listeners: list[EndedListener] = []
        self._db = db

    async def create(
        self,
        creator: User,
        title: str,
        visibility: Visibility,
        club_id: str | None = None,
        *,
        moderators: frozenset[str] = frozenset(),
        require_membership: bool = True,
        description: str = "",
    ) -> RoomInfo:
        """A new room record. A club room needs its creator to be a club member, unless
        ``require_membership`` is off: an event's room, whose rules the event decided."""
        room = Room(
            id=new_id(),
            title=normalise_title(title),
            description=normalise_description(description),
            visibility=visibility,
            created_by_id=creator.id,
            created_at=utcnow(),
            club_id=club_id,
        )
        if visibility == "club" and club_id is None:
            raise BadRequest("A members-only room belongs to a club: give its club_id.")
        async with self._db.sessions.begin() as s:
            club = await s.get(Club, club_id) if club_id and looks_like_id(club_id) else None
            if club_id is not None and club is None:
                raise NotFound("There is no such club.", ErrorCode.CLUB_NOT_FOUND)
            if (
                club is not None
                and require_membership
                and await s.get(ClubMember, (club.id, creator.id)) is None
            ):
                raise Forbidden(
                    "Only the club's members can start its rooms.", ErrorCode.NOT_CLUB_MEMBER
                )
            s.add(room)
        return _info(room, creator, club, moderators)

    async def enterable(
        self, user_id: str, room_id: str, moderators: frozenset[str] = frozenset()
    ) -> RoomInfo:
        """The room if this member may enter it; closed rooms stay invisible to others.
        ``moderators``: who moderates the live room now (for a social room)."""
        if not looks_like_id(room_id):
            raise NotFound("There is no such room.", ErrorCode.ROOM_NOT_FOUND)
        async with self._db.sessions() as s:
            row = (
                await s.execute(
                    select(Room, User, Club)
                    .join(User, User.id == Room.created_by_id)
                    .outerjoin(Club, Club.id == Room.club_id)
                    .where(Room.id == room_id, self._may_enter(user_id, moderators))
                )
            ).one_or_none()
        if row is None:
            raise NotFound("There is no such room.", ErrorCode.ROOM_NOT_FOUND)
        room, creator, club = row
        if room.ended_at is not None:
            raise Conflict("This room has ended.", ErrorCode.ROOM_ENDED)
        return _info(room, creator, club)

    async def enterable_live_ids(
        self,
        user_id: str,
        room_ids: list[str],
        moderators_of: Callable[[str], frozenset[str]],
    ) -> set[str]:
        """Which of these live rooms the member may enter (and so see)."""
        if not room_ids:
            return set()
        return await self._enterable_where(user_id, Room.id.in_(room_ids), moderators_of)

    async def _enterable_where(
        self,
        user_id: str,
        which: ColumnElement[bool],
        moderators_of: Callable[[str], frozenset[str]],
    ) -> set[str]:
        """The live rooms matching ``which`` that the member may enter. A social room
        depends on who moderates it now (in memory), so those are checked here: one
        query for all of them, asking which of their moderators follow the member."""
        async with self._db.sessions() as s:
            rows = await s.execute(
                select(Room.id, Room.visibility).where(
                    which,
                    Room.ended_at.is_(None),
                    self._may_enter(user_id, frozenset(), social_by_follow=False),
                )
            )
            allowed: set[str] = set()
            social: dict[str, frozenset[str]] = {}
            for room_id, visibility in rows:
                if visibility == "social" and user_id not in (mods := moderators_of(room_id)):
                    social[room_id] = mods
                else:
                    allowed.add(room_id)
            everyone = set().union(*social.values()) if social else set()
            if everyone:
                followed_by = set(
                    await s.scalars(
                        select(Follow.follower_id).where(
                            Follow.followee_id == user_id, Follow.follower_id.in_(everyone)
                        )
                    )
                )
                allowed.update(room_id for room_id, mods in social.items() if mods & followed_by)
            return allowed

    async def relations(self, user_id: str) -> Relations:
        """Who blocked this member, and everyone in a block with them either way."""
        async with self._db.sessions() as s:
            rows = (
                await s.execute(
                    select(Block.blocker_id, Block.blocked_id).where(
                        or_(Block.blocker_id == user_id, Block.blocked_id == user_id)
                    )
                )
            ).all()
        blocked_by = frozenset(blocker for blocker, blocked in rows if blocked == user_id)
        blocking = frozenset(blocked for blocker, blocked in rows if blocker == user_id)
        return Relations(blocked_by, blocked_by | blocking)

    async def enterable_restricted_live_ids(
        self, user_id: str, moderators_of: Callable[[str], frozenset[str]]
    ) -> set[str]:
        """The rooms not ended and not open that this member may enter. Open rooms
        admit every member, so the hallway asks only about these (no ids sent)."""
        return await self._enterable_where(user_id, Room.visibility != "open", moderators_of)

    async def admit(self, room_id: str, user_id: str) -> None:
        async with self._db.sessions.begin() as s:
            if await s.get(RoomAdmission, (room_id, user_id)) is None:
                s.add(RoomAdmission(room_id=room_id, user_id=user_id))

    async def save_description(self, room_id: str, description: str) -> None:
        """Write a live room's description (already normalised) to its record."""
        async with self._db.sessions.begin() as s:
            await s.execute(update(Room).where(Room.id == room_id).values(description=description))

    def on_ended(self, listener: EndedListener) -> None:
        self._ended_listeners.append(listener)

    async def mark_ended(self, room_id: str) -> None:
        async with self._db.sessions.begin() as s:
            ended = await s.execute(
                update(Room)
                .where(Room.id == room_id, Room.ended_at.is_(None))
                .values(ended_at=utcnow())
            )
            # Its saved state goes with it: an ended room never comes back (saved.py).
            await s.execute(delete(SavedRoomState).where(SavedRoomState.room_id == room_id))
            if ended.rowcount == 1:  # type: ignore[attr-defined]
                for listener in self._ended_listeners:
                    await listener(s, [room_id])

    async def end_all_live(self, *, but: frozenset[str] = frozenset()) -> int:
        """At start-up: end the rooms left live that did not come back (``but`` those
        that did: saved.py); how many there were. A room with no saved state cannot
        come back. Demo rooms are left alone: they were never anyone's live room, and
        the start re-opens them (demo/rooms.py)."""
        async with self._db.sessions.begin() as s:
            live = [
                room_id
                for room_id in await s.scalars(
                    select(Room.id).where(Room.ended_at.is_(None), Room.demo.is_(False))
                )
                if room_id not in but
            ]
            if live:
                await s.execute(update(Room).where(Room.id.in_(live)).values(ended_at=utcnow()))
                await s.execute(delete(SavedRoomState).where(SavedRoomState.room_id.in_(live)))
                for listener in self._ended_listeners:
                    await listener(s, live)
        return len(live)

    @staticmethod
    def _may_enter(
        user_id: str, moderators: frozenset[str], *, social_by_follow: bool = True
    ) -> ColumnElement[bool]:
        """Open rooms (club or not): everyone; social rooms: the room's moderators and
        the people one of them follows (the creator, when the room is not live);
        closed rooms: the creator and whoever a moderator let in; members-only rooms:
        the club's members, as they are now. Without ``social_by_follow`` every social
        room passes, for the caller to check follows itself."""
        admitted = exists().where(
            RoomAdmission.room_id == Room.id, RoomAdmission.user_id == user_id
        )
        club_member = exists().where(
            ClubMember.club_id == Room.club_id, ClubMember.user_id == user_id
        )
        # A socket can outlive its account (deleted or suspended while connected).
        member = aliased(User)
        is_member = exists().where(member.id == user_id, member.suspended_at.is_(None))
        followed_by_a_moderator = exists().where(
            Follow.followee_id == user_id,
            Follow.follower_id.in_(moderators)
            if moderators
            else Follow.follower_id == Room.created_by_id,
        )
        social_ok = (
            or_(
                Room.created_by_id == user_id,
                followed_by_a_moderator,
                literal(user_id in moderators),
            )
            if social_by_follow
            else literal(True)
        )
        return and_(
            is_member,
            or_(
                Room.visibility == "open",
                and_(Room.visibility == "social", social_ok),
                and_(Room.visibility == "closed", or_(Room.created_by_id == user_id, admitted)),
                and_(Room.visibility == "club", club_member),
            ),
        )
