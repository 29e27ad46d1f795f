"""The hallway: the live rooms and upcoming events one member sees, ranked for them.

Loading is a fixed number of queries whatever the number of rooms, events or
people (no query per item): the member's follows, clubs and blocks in one; the live
rooms they may enter (``Rooms.enterable_live_ids``); those rooms' clubs; the events
with their hosts and clubs; their co-hosts; their "notify me" counts. Who is in
each room comes from the Stage, read after the last query so that the ranking and
the room summaries the edge renders describe the same moment. The order itself is
decided by the pure functions of :mod:`teahouse.domain.hallway`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Label, String, case, func, literal, select, union_all
from typing_extensions import TypedDict

from teahouse.domain.hallway import (
    ClubRef,
    EventCandidate,
    Ranked,
    Reason,
    RoomCandidate,
    Viewer,
    rank_events,
    rank_rooms,
)
from teahouse.domain.room_state import UserRef
from teahouse.services.events import EventView
from teahouse.services.rooms import Rooms
from teahouse.services.stage import Stage
from teahouse.services.views import ClubRefView, UserCard, user_card, user_ref
from teahouse.store.database import Database
from teahouse.store.models import Room, User, utcnow
from teahouse.store.social_models import (
    Block,
    Club,
    ClubFollow,
    ClubMember,
    Event,
    EventCohost,
    EventInterest,
    Follow,
)

# Events starting within this window are upcoming; one that is due but has not
# been started yet stays listed for a while, since hosts are often a little late.
EVENT_WINDOW = timedelta(days=7)
EVENT_LATE_GRACE = timedelta(hours=1)


class ReasonView(TypedDict):
    kind: str
    text: str
    users: list[UserCard]


class HallwayEventView(EventView):
    reason: ReasonView


@dataclass(frozen=True, slots=True)
class HallwayPage:
    """Ranked rooms (the edge adds their live summaries) and rendered events."""

    rooms: list[Ranked[RoomCandidate]]
    events: list[HallwayEventView]


def club_view(club: ClubRef | None) -> ClubRefView | None:
    return {"id": club.id, "name": club.name} if club else None


def reason_view(reason: Reason) -> ReasonView:
    return {
        "kind": reason.kind,
        "text": reason.text,
        "users": [user_card(u) for u in reason.users],
    }


@dataclass(frozen=True, slots=True)
class _LoadedEvent:
    row: Event
    candidate: EventCandidate
    interested: int


class Hallway:
    def __init__(self, db: Database, rooms: Rooms, stage: Stage, public_url: str) -> None:
        self._db = db
        self._rooms = rooms
        self._stage = stage
        self._public_url = public_url

    async def for_member(self, user_id: str) -> HallwayPage:
        viewer = await self.viewer(user_id)
        allowed = await self._rooms.enterable_live_ids(
            user_id, self._stage.live_room_ids(), self._stage.moderators_of
        )
        clubs = await self._room_clubs(allowed)
        events = await self._events(user_id)
        # No await from here on: the live rooms are read as they are now.
        rooms = rank_rooms(viewer, self._live_candidates(allowed, clubs))
        by_id = {e.candidate.id: e for e in events}
        ranked_events = rank_events(viewer, (e.candidate for e in events))
        return HallwayPage(
            rooms, [self._event_view(user_id, by_id[r.item.id], r.reason) for r in ranked_events]
        )

    async def viewer(self, user_id: str) -> Viewer:
        """The member's follows, clubs (member or follower) and blocks, in one query."""
        facts = union_all(
            select(_tag("follow"), Follow.followee_id).where(Follow.follower_id == user_id),
            select(_tag("club"), ClubMember.club_id).where(ClubMember.user_id == user_id),
            select(_tag("club"), ClubFollow.club_id).where(ClubFollow.user_id == user_id),
            select(_tag("block"), Block.blocked_id).where(Block.blocker_id == user_id),
            select(_tag("block"), Block.blocker_id).where(Block.blocked_id == user_id),
        )
        found: dict[str, set[str]] = defaultdict(set)
        async with self._db.sessions() as s:
            for tag, other_id in await s.execute(facts):
                found[tag].add(other_id)
        return Viewer(
            id=user_id,
            following=frozenset(found["follow"]),
            clubs=frozenset(found["club"]),
            blocked=frozenset(found["block"]),
        )

    async def _room_clubs(self, room_ids: Iterable[str]) -> dict[str, ClubRef]:
        ids = list(room_ids)
        if not ids:
            return {}
        async with self._db.sessions() as s:
            rows = await s.execute(
                select(Room.id, Club.id, Club.name)
                .join(Club, Club.id == Room.club_id)
                .where(Room.id.in_(ids))
            )
            return {room_id: ClubRef(club_id, name) for room_id, club_id, name in rows}

    def _live_candidates(self, allowed: set[str], clubs: dict[str, ClubRef]) -> list[RoomCandidate]:
        candidates = []
        for room_id in allowed:
            live = self._stage.live(room_id)
            if live is None:  # ended while the queries ran
                continue
            # One pass over the room (it may hold hundreds), keeping room order.
            speakers: list[UserRef] = []
            listeners: list[UserRef] = []
            for p in live.state.participants.values():
                (speakers if p.role.on_stage else listeners).append(p.user)
            candidates.append(
                RoomCandidate(
                    id=room_id,
                    created_at=datetime.fromisoformat(live.info.created_at),
                    speakers=tuple(speakers),
                    listeners=tuple(listeners),
                    club=clubs.get(room_id),
                )
            )
        return candidates

    async def _events(self, user_id: str) -> list[_LoadedEvent]:
        """Upcoming events, not cancelled, not started, with hosts, co-hosts, counts."""
        now = utcnow()
        async with self._db.sessions() as s:
            rows = await s.execute(
                select(Event, User, Club.name)
                .join(User, User.id == Event.host_id)
                .outerjoin(Club, Club.id == Event.club_id)
                .where(
                    Event.starts_at >= now - EVENT_LATE_GRACE,
                    Event.starts_at < now + EVENT_WINDOW,
                    Event.cancelled_at.is_(None),
                    Event.room_id.is_(None),
                )
            )
            events = [(event, host, club_name) for event, host, club_name in rows]
            if not events:
                return []
            ids = [event.id for event, _, _ in events]
            cohosts: dict[str, list[User]] = defaultdict(list)
            for event_id, cohost in await s.execute(
                select(EventCohost.event_id, User)
                .join(User, User.id == EventCohost.user_id)
                .where(EventCohost.event_id.in_(ids))
                .order_by(User.username)
            ):
                cohosts[event_id].append(cohost)
            mine = func.max(case((EventInterest.user_id == user_id, 1), else_=0))
            interest = {
                event_id: (count, bool(asked))
                for event_id, count, asked in (
                    await s.execute(
                        select(EventInterest.event_id, func.count(), mine)
                        .where(EventInterest.event_id.in_(ids))
                        .group_by(EventInterest.event_id)
                    )
                )
            }
        loaded = []
        for event, host, club_name in events:
            count, asked = interest.get(event.id, (0, False))
            club = ClubRef(event.club_id, club_name) if event.club_id and club_name else None
            candidate = EventCandidate(
                id=event.id,
                starts_at=event.starts_at,
                host=user_ref(host),
                cohosts=tuple(user_ref(c) for c in cohosts[event.id]),
                club=club,
                notify_me=asked,
            )
            loaded.append(_LoadedEvent(event, candidate, count))
        return loaded

    def _event_view(self, user_id: str, loaded: _LoadedEvent, reason: Reason) -> HallwayEventView:
        event, candidate = loaded.row, loaded.candidate
        hosts = {candidate.host.id, *(c.id for c in candidate.cohosts)}
        return {
            "id": event.id,
            "title": event.title,
            "description": event.description,
            "starts_at": event.starts_at.isoformat(),
            "time_zone": event.time_zone,
            "host": user_card(candidate.host),
            "cohosts": [user_card(c) for c in candidate.cohosts],
            "club": club_view(candidate.club),
            "room_id": event.room_id,
            "cancelled": event.cancelled_at is not None,
            "interested_count": loaded.interested,
            "notify_me": candidate.notify_me,
            "can_start": user_id in hosts,
            "url": f"{self._public_url}/event/{event.id}",
            "reason": reason_view(reason),
        }


def _tag(name: str) -> Label[str]:
    return literal(name, String(10)).label("tag")
