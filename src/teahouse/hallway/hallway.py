"""The hallway: the live rooms and upcoming events one member sees, ranked for them.

A page costs the same however busy the server is: the member's follows, clubs and
blocks (one query); which of the rooms that are live and *not* open they may enter
(one query); the live rooms from the Stage through
its index of who sits where (:mod:`teahouse.hallway.rooms`, no query); the
top events as plain rows (:mod:`teahouse.hallway.events`, two queries); the
pictures of the people on the page's room cards (one query). Rooms come a page at a
time (``limit``, default 50) with a cursor for the next; events, the first
``EVENTS_PAGE`` of them, come with the first page. The order itself is decided by the
pure functions of :mod:`teahouse.domain.hallway`.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Label, String, literal, select, union_all
from typing_extensions import TypedDict

from teahouse import views
from teahouse.clubs.event_views import EventView
from teahouse.domain.cursors import HallwayCursor, Page
from teahouse.domain.hallway import (
    ClubRef,
    Reason,
    Viewer,
    rank_events,
)
from teahouse.hallway.events import LoadedEvent, load_candidates
from teahouse.hallway.rooms import HallwayRooms, ShownRoom
from teahouse.live.stage import Stage
from teahouse.rooms.rooms import Rooms
from teahouse.social.graph import hidden_ids
from teahouse.store.database import Database
from teahouse.store.social_models import Avatar, ClubFollow, ClubMember, Follow
from teahouse.views import UserCard, avatar_url, user_card

ROOMS_PAGE = 50
ROOMS_PAGE_MAX = 100
EVENTS_PAGE = 20


class HallwayReasonView(TypedDict):
    """Why a room or an event is in the member's hallway."""

    kind: str
    text: str
    users: list[UserCard]


class HallwayRoomView(TypedDict):
    """docs/API-SOCIAL.md ``HallwayRoom``: a ``RoomSummary`` whose people are
    ``UserCard``s, with its club and the reason it is there."""

    id: str
    title: str
    description: str
    visibility: str
    created_by: UserCard
    created_at: str
    speakers: list[UserCard]
    listener_count: int
    participant_count: int
    club: views.ClubRef | None
    demo: bool
    reason: HallwayReasonView


class HallwayEventView(EventView):
    """docs/API-SOCIAL.md ``HallwayEvent``: an ``Event`` and why it is there."""

    reason: HallwayReasonView


def club_view(club: ClubRef | None) -> views.ClubRef | None:
    return {"id": club.id, "name": club.name} if club else None


def reason_view(reason: Reason, cards: dict[str, UserCard] | None = None) -> HallwayReasonView:
    cards = cards or {}
    return {
        "kind": reason.kind,
        "text": reason.text,
        "users": [cards.get(u.id) or user_card(u) for u in reason.users],
    }


class Hallway:
    def __init__(self, db: Database, rooms: Rooms, stage: Stage, public_url: str) -> None:
        self._db = db
        self._rooms = rooms
        self._stage = stage
        self._live = HallwayRooms(stage)
        self._public_url = public_url

    async def for_member(
        self, user_id: str, cursor: HallwayCursor | None = None, limit: int = ROOMS_PAGE
    ) -> tuple[Page[HallwayRoomView], list[HallwayEventView]]:
        """A page of the member's rooms after ``cursor``, and with the first page (no
        cursor) the top events."""
        viewer = await self.viewer(user_id)
        admitted = await self.admitted(user_id)
        events = await self.events(viewer) if cursor is None else []
        # No await from here until the page is read: the ranking and the room cards
        # describe the same moment.
        rooms = self._live.page(viewer, admitted, cursor, limit).map(self._room_view)
        await self._add_pictures(rooms.items)
        return rooms, events

    async def viewer(self, user_id: str) -> Viewer:
        """The member's follows, clubs (member or follower) and blocks, in one query."""
        hidden = hidden_ids(user_id).subquery()
        facts = union_all(
            select(_tag("follow"), Follow.followee_id).where(Follow.follower_id == user_id),
            select(_tag("club"), ClubMember.club_id).where(ClubMember.user_id == user_id),
            select(_tag("club"), ClubFollow.club_id).where(ClubFollow.user_id == user_id),
            select(_tag("block"), hidden.c.id),
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

    async def admitted(self, user_id: str) -> set[str]:
        """Of the live rooms that are not open (closed, members-only, ...), those the
        member may enter; open rooms admit every member and need no query."""
        return await self._rooms.enterable_restricted_live_ids(user_id, self._stage.moderators_of)

    async def events(self, viewer: Viewer) -> list[HallwayEventView]:
        loaded = {e.candidate.id: e for e in await load_candidates(self._db, viewer, EVENTS_PAGE)}
        ranked = rank_events(viewer, (e.candidate for e in loaded.values()))[:EVENTS_PAGE]
        return [self._event_view(viewer.id, loaded[r.item.id], r.reason) for r in ranked]

    def _room_view(self, shown: ShownRoom) -> HallwayRoomView:
        ranked, info = shown.ranked, shown.live.info
        room = ranked.item
        return {
            "id": info.id,
            "title": info.title,
            "description": shown.live.state.description,
            "visibility": info.visibility,
            "created_by": user_card(info.created_by),
            "created_at": info.created_at,
            "speakers": [user_card(u) for u in room.speakers],
            "listener_count": room.participant_count - len(room.speakers),
            "participant_count": room.participant_count,
            "club": club_view(room.club),
            "demo": info.demo,
            "reason": reason_view(ranked.reason),
        }

    async def _add_pictures(self, views: list[HallwayRoomView]) -> None:
        """Put each shown member's picture on the room cards: one query for the page."""
        people = [
            card
            for view in views
            for card in (view["created_by"], *view["speakers"], *view["reason"]["users"])
        ]
        if not people:
            return
        async with self._db.sessions() as s:
            etags = dict(
                (
                    await s.execute(
                        select(Avatar.user_id, Avatar.etag).where(
                            Avatar.user_id.in_({card["id"] for card in people})
                        )
                    )
                ).all()
            )
        for card in people:
            card["avatar_url"] = avatar_url(card["username"], etags.get(card["id"]))

    def _event_view(self, user_id: str, loaded: LoadedEvent, reason: Reason) -> HallwayEventView:
        candidate = loaded.candidate
        hosts = {candidate.host.id, *(c.id for c in candidate.cohosts)}
        return {
            "id": candidate.id,
            "title": loaded.title,
            "description": loaded.description,
            "starts_at": candidate.starts_at.isoformat(),
            "time_zone": loaded.time_zone,
            "repeats": "weekly" if loaded.repeats == "weekly" else None,
            "host": loaded.cards[candidate.host.id],
            "cohosts": [loaded.cards[c.id] for c in candidate.cohosts],
            "club": club_view(candidate.club),
            "room_id": loaded.room_id,
            "room_ended": False,  # the hallway lists events whose room is still to come
            "cancelled": False,  # cancelled events are not in the hallway
            "interested_count": loaded.interested,
            "notify_me": candidate.notify_me,
            "can_start": user_id in hosts,
            "url": f"{self._public_url}/event/{candidate.id}",
            "reason": reason_view(reason, loaded.cards),
        }


def _tag(name: str) -> Label[str]:
    return literal(name, String(10)).label("tag")
