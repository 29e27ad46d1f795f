"""What an event looks like to one viewer (docs/API-SOCIAL.md ``Event``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from sqlalchemy import func, select
from typing_extensions import TypedDict

from teahouse.domain.event_times import utc_text
from teahouse.social.cards import cards_by_id
from teahouse.social.graph import hidden_set, visible_to
from teahouse.store.database import DbSession
from teahouse.store.models import Room, User
from teahouse.store.social_models import Avatar, Club, Event, EventCohost, EventInterest
from teahouse.views import ClubRef, UserCard, user_card

Repeats = Literal["weekly"]


class EventView(TypedDict):
    id: str
    title: str
    description: str
    starts_at: str
    time_zone: str
    repeats: Repeats | None  # "weekly": starts_at is the next occurrence
    host: UserCard | None  # None: hidden from the viewer by a block
    cohosts: list[UserCard]
    club: ClubRef | None
    room_id: str | None
    room_ended: bool  # its room has ended: its host may start it again or cancel it
    cancelled: bool
    interested_count: int
    notify_me: bool
    can_start: bool
    url: str


def is_open(event: Event, room_ended: bool) -> bool:
    """Not cancelled, and no room (this occurrence's, for a series) or only one that
    has ended: it may be started or changed."""
    return event.cancelled_at is None and (event.room_id is None or room_ended)


async def event_views(
    s: DbSession, viewer_id: str, events: list[Event], url: Callable[[str], str]
) -> list[EventView]:
    """Event views for one viewer, in a fixed number of queries however many events."""
    if not events:
        return []
    ids = [e.id for e in events]
    hidden = await hidden_set(s, viewer_id)
    people = await cards_by_id(s, {e.host_id for e in events} - hidden)
    cohosts: dict[str, list[UserCard]] = {}
    for event_id, cohost, etag in await s.execute(
        select(EventCohost.event_id, User, Avatar.etag)
        .join(User, User.id == EventCohost.user_id)
        .outerjoin(Avatar, Avatar.user_id == User.id)
        .where(EventCohost.event_id.in_(ids), visible_to(viewer_id, User.id))
        .order_by(User.username)
    ):
        cohosts.setdefault(event_id, []).append(user_card(cohost, etag))
    clubs = dict(
        (
            await s.execute(
                select(Club.id, Club.name).where(
                    Club.id.in_({e.club_id for e in events if e.club_id})
                )
            )
        ).all()
    )
    interested = dict(
        (
            await s.execute(
                select(EventInterest.event_id, func.count())
                .where(EventInterest.event_id.in_(ids))
                .group_by(EventInterest.event_id)
            )
        ).all()
    )
    mine = set(
        await s.scalars(
            select(EventInterest.event_id).where(
                EventInterest.event_id.in_(ids), EventInterest.user_id == viewer_id
            )
        )
    )
    rooms = {e.room_id for e in events if e.room_id}
    ended_rooms: set[str] = set()
    if rooms:  # most events have not started: no query for them
        over = select(Room.id).where(Room.id.in_(rooms), Room.ended_at.isnot(None))
        ended_rooms = set(await s.scalars(over))
    views: list[EventView] = []
    for e in events:
        hosts = {e.host_id, *(u["id"] for u in cohosts.get(e.id, []))}
        ended = e.room_id in ended_rooms
        views.append(
            {
                "id": e.id,
                "title": e.title,
                "description": e.description,
                "starts_at": utc_text(e.starts_at),
                "time_zone": e.time_zone,
                "repeats": "weekly" if e.repeats == "weekly" else None,
                "host": people.get(e.host_id),
                "cohosts": cohosts.get(e.id, []),
                "club": {"id": e.club_id, "name": clubs[e.club_id]} if e.club_id else None,
                "room_id": e.room_id,
                "room_ended": ended,
                "cancelled": e.cancelled_at is not None,
                "interested_count": int(interested.get(e.id, 0)),
                "notify_me": e.id in mine,
                "can_start": viewer_id in hosts and is_open(e, ended),
                "url": url(e.id),
            }
        )
    return views
