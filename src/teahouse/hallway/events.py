"""The upcoming events of one member's hallway: the top of the ranking, as plain rows.

:func:`teahouse.domain.hallway.rank_events` orders events by tier (a followed host
or co-host, one of the member's clubs, "notify me", the rest), then by start. So the
first ``limit`` events of the ranking are among the first ``limit`` (by start) of the
events meeting each tier's condition: an event further down its condition's list
has ``limit`` events ranking above it. One statement picks those (five ``LIMIT``ed
selects in a ``UNION ALL``, followed hosts and followed co-hosts apart; blocked hosts
and co-hosts left out) and loads them with their host, club and counts as plain rows
(Core, not ORM objects); a second loads their co-hosts. The pure ranking then decides
the order and the reasons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Row,
    Select,
    case,
    exists,
    func,
    select,
    union,
    union_all,
)

from teahouse.domain.clock import utcnow
from teahouse.domain.hallway import ClubRef, EventCandidate, Viewer
from teahouse.domain.room_changes import UserRef
from teahouse.store.database import Database
from teahouse.store.models import User
from teahouse.store.social_models import (
    Avatar,
    Club,
    ClubFollow,
    ClubMember,
    Event,
    EventCohost,
    EventInterest,
    Follow,
)
from teahouse.views import UserCard, user_card

# Events starting within this window are upcoming; one that is due but has not
# been started yet stays listed for a while, since hosts are often a little late.
EVENT_WINDOW = timedelta(days=7)
EVENT_LATE_GRACE = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class LoadedEvent:
    """One candidate event: what the ranking needs, and what its view shows."""

    candidate: EventCandidate
    title: str
    description: str
    time_zone: str
    repeats: str | None
    room_id: str | None
    interested: int
    cards: dict[str, UserCard]  # host and co-hosts, with their pictures


async def load_candidates(db: Database, viewer: Viewer, limit: int) -> list[LoadedEvent]:
    """Every event that can be among the member's first ``limit``, with what it shows."""
    async with db.sessions() as s:
        query = candidates_query(viewer.id, limit, utcnow(), viewer.blocked)
        rows = (await s.execute(query)).all()
        if not rows:
            return []
        cohosts: dict[str, list[tuple[UserRef, str | None]]] = defaultdict(list)
        for event_id, uid, username, display_name, etag in await s.execute(
            select(EventCohost.event_id, User.id, User.username, User.display_name, Avatar.etag)
            .join(User, User.id == EventCohost.user_id)
            .outerjoin(Avatar, Avatar.user_id == User.id)
            .where(EventCohost.event_id.in_([row[0] for row in rows]))
            .order_by(User.username)
        ):
            cohosts[event_id].append((UserRef(uid, username, display_name), etag))
    return [_loaded(row, cohosts[row[0]]) for row in rows]


def candidates_query(
    me: str, limit: int, now: datetime, blocked: Collection[str] = ()
) -> Select[*tuple[Any, ...]]:
    """The candidate events of member ``me`` with their host, club and counts; none
    hosted or co-hosted by ``blocked`` (those blocked by them or blocking them)."""
    followed = select(Follow.followee_id).where(Follow.follower_id == me)
    clubs = union(
        select(ClubMember.club_id).where(ClubMember.user_id == me),
        select(ClubFollow.club_id).where(ClubFollow.user_id == me),
    )
    asked = exists().where(EventInterest.event_id == Event.id, EventInterest.user_id == me)
    # Each condition is led by an index from the member's side (their follows, clubs,
    # "notify me"s), not by a test of every event of the week.
    tiers: list[ColumnElement[bool]] = [
        Event.host_id.in_(followed),
        Event.id.in_(select(EventCohost.event_id).where(EventCohost.user_id.in_(followed))),
        Event.club_id.in_(clubs),
        Event.id.in_(select(EventInterest.event_id).where(EventInterest.user_id == me)),
    ]
    upcoming = [
        Event.starts_at >= now - EVENT_LATE_GRACE,
        Event.starts_at < now + EVENT_WINDOW,
        Event.cancelled_at.is_(None),
        Event.room_id.is_(None),
    ]
    if blocked:  # most members block nobody: no test of every event's co-hosts then
        ids = sorted(blocked)
        upcoming.append(Event.host_id.not_in(ids))
        upcoming.append(
            ~exists().where(EventCohost.event_id == Event.id, EventCohost.user_id.in_(ids))
        )

    def first(*condition: ColumnElement[bool]) -> Select[tuple[str]]:
        top = (
            select(Event.id)
            .where(*upcoming, *condition)
            .order_by(Event.starts_at, Event.id)
            .limit(limit)
            .subquery()
        )
        return select(top.c.id)

    picked = union_all(*(first(tier) for tier in tiers), first()).subquery()
    interested = (
        select(func.count())
        .where(EventInterest.event_id == Event.id)
        .correlate(Event)
        .scalar_subquery()
    )
    return (
        select(
            Event.id,
            Event.title,
            Event.description,
            Event.starts_at,
            Event.time_zone,
            Event.repeats,
            Event.room_id,
            Event.club_id,
            Club.name,
            User.id,
            User.username,
            User.display_name,
            Avatar.etag,
            interested,
            case((asked, 1), else_=0),
        )
        .join(User, User.id == Event.host_id)
        .outerjoin(Avatar, Avatar.user_id == User.id)
        .outerjoin(Club, Club.id == Event.club_id)
        .where(Event.id.in_(select(picked.c.id)))
    )


def _loaded(row: Row[*tuple[Any, ...]], cohosts: list[tuple[UserRef, str | None]]) -> LoadedEvent:
    (
        event_id,
        title,
        description,
        starts_at,
        time_zone,
        repeats,
        room_id,
        club_id,
        club_name,
        host_id,
        host_username,
        host_name,
        host_etag,
        count,
        mine,
    ) = row
    host = UserRef(host_id, host_username, host_name)
    people = [(host, host_etag), *cohosts]
    club = ClubRef(club_id, club_name) if club_id and club_name else None
    candidate = EventCandidate(
        id=event_id,
        starts_at=starts_at,
        host=host,
        cohosts=tuple(ref for ref, _ in cohosts),
        club=club,
        notify_me=bool(mine),
    )
    cards = {ref.id: user_card(ref, etag) for ref, etag in people}
    return LoadedEvent(
        candidate, title, description, time_zone, repeats, room_id, int(count), cards
    )
