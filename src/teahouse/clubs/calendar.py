"""iCalendar feeds of events, at secret URLs that calendar apps poll without cookies.

The secret is 256 random bits, kept only as its SHA-256 hash (like session tokens),
so its URL is shown once, when it is made; rotating makes a new one and every older
URL of the member stops working. A suspended member's feeds answer ``not_found``
while the suspension lasts (the URL is a credential like a session, which a
suspension ends), and answer again once it is lifted. Like the hallway, a feed
leaves out the events whose host or a co-host is hidden from its member by a block.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from sqlalchemy import ColumnElement, delete, exists, or_, select
from typing_extensions import TypedDict

from teahouse import __version__
from teahouse.clubs.event_views import EventView
from teahouse.clubs.events import Events
from teahouse.config import Settings
from teahouse.domain.accounts import new_session_token, token_hash
from teahouse.domain.clock import utcnow
from teahouse.domain.ids import looks_like_id
from teahouse.errors import ErrorCode, NotFound
from teahouse.social.graph import visible_to
from teahouse.store.database import Database, DbSession
from teahouse.store.models import User
from teahouse.store.social_models import (
    CalendarToken,
    Club,
    ClubFollow,
    ClubMember,
    Event,
    EventCohost,
    EventInterest,
)

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{43}$")
# Feeds show what is coming and what was recent, not a member's whole history.
HISTORY = timedelta(days=90)
FEED_MAX = 500
EVENT_LENGTH = timedelta(hours=1)
CONTENT_TYPE = "text/calendar; charset=utf-8"


class CalendarLink(TypedDict):
    url: str | None
    created_at: str


def feed_not_found() -> NotFound:
    return NotFound("There is no such calendar.", ErrorCode.NOT_FOUND)


class Calendar:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        events: Events,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._db = db
        self._settings = settings
        self._events = events
        self._clock = clock

    def feed_url(self, token: str) -> str:
        return f"{self._settings.public_url}/calendar/{token}.ics"

    # -- the member's secret ---------------------------------------------------------

    async def link(self, user_id: str) -> CalendarLink:
        """The feed URL if this call makes it; after that only when it was made (the
        server keeps the hash alone), and :meth:`rotate` gives a new one."""
        async with self._db.sessions() as s:
            made = await s.scalar(
                select(CalendarToken.created_at)
                .where(CalendarToken.user_id == user_id)
                .order_by(CalendarToken.created_at.desc())
                .limit(1)
            )
        if made is not None:
            return {"url": None, "created_at": made.isoformat()}
        return await self.rotate(user_id)

    async def rotate(self, user_id: str) -> CalendarLink:
        token = new_session_token()  # 32 bytes: 256 bits
        now = utcnow()
        async with self._db.sessions.begin() as s:
            await s.execute(delete(CalendarToken).where(CalendarToken.user_id == user_id))
            s.add(CalendarToken(token_hash=token_hash(token), user_id=user_id, created_at=now))
        return {"url": self.feed_url(token), "created_at": now.isoformat()}

    # -- feeds -----------------------------------------------------------------------

    async def member_feed(self, token: str) -> bytes:
        """Events the member hosts, co-hosts or asked about, and those of the clubs they
        follow or belong to."""
        async with self._db.sessions() as s:
            user_id = await _owner(s, token)
            cohosting = select(EventCohost.event_id).where(EventCohost.user_id == user_id)
            asked = select(EventInterest.event_id).where(EventInterest.user_id == user_id)
            followed = select(ClubFollow.club_id).where(ClubFollow.user_id == user_id)
            joined = select(ClubMember.club_id).where(ClubMember.user_id == user_id)
            events = await self._window(
                s,
                user_id,
                or_(
                    Event.host_id == user_id,
                    Event.id.in_(cohosting),
                    Event.id.in_(asked),
                    Event.club_id.in_(followed),
                    Event.club_id.in_(joined),
                ),
            )
            views = await self._events.views(s, user_id, events)
        return self._ics("Teahouse", views)

    async def club_feed(self, token: str, club_id: str) -> bytes:
        async with self._db.sessions() as s:
            user_id = await _owner(s, token)
            club = await s.get(Club, club_id) if looks_like_id(club_id) else None
            if club is None:
                raise feed_not_found()
            events = await self._window(s, user_id, Event.club_id == club.id)
            views = await self._events.views(s, user_id, events)
        return self._ics(f"{club.name} (Teahouse)", views)

    async def _window(
        self, s: DbSession, viewer_id: str, which: ColumnElement[bool]
    ) -> list[Event]:
        hidden_cohost = exists().where(
            EventCohost.event_id == Event.id, ~visible_to(viewer_id, EventCohost.user_id)
        )
        rows = await s.scalars(
            select(Event)
            .where(
                which,
                Event.starts_at >= self._clock() - HISTORY,
                visible_to(viewer_id, Event.host_id),
                ~hidden_cohost,
            )
            .order_by(Event.starts_at, Event.id)
            .limit(FEED_MAX)
        )
        return list(rows)

    def _ics(self, name: str, events: list[EventView]) -> bytes:
        calendar = icalendar.Calendar()
        calendar.add("prodid", f"-//Teahouse//Teahouse {__version__}//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", name)
        stamp = self._clock()
        series_from: date | None = None
        for view in events:
            starts = datetime.fromisoformat(view["starts_at"])  # UTC, as the view says
            entry = icalendar.Event()
            entry.add("uid", f"{view['id']}@teahouse")
            entry.add("dtstamp", stamp)
            if view["repeats"] == "weekly":
                # A series is written in its own zone (DTSTART;TZID=Europe/Berlin) with
                # an RRULE, so calendar apps keep 19:00 at 19:00 across DST changes;
                # its DTSTART is the next occurrence (earlier ones have happened).
                starts = starts.astimezone(ZoneInfo(view["time_zone"]))
                entry.add("rrule", {"freq": "weekly"})
                day = starts.date() - timedelta(days=1)
                series_from = day if series_from is None else min(series_from, day)
            entry.add("dtstart", starts)
            entry.add("dtend", starts + EVENT_LENGTH)
            entry.add("summary", view["title"])
            entry.add("description", _description(view))
            entry.add("url", view["url"])
            entry.add("status", "CANCELLED" if view["cancelled"] else "CONFIRMED")
            calendar.add_component(entry)
        if series_from is not None:
            # The VTIMEZONE of each zone a TZID names (RFC 5545 3.6.5), from the
            # earliest series on rather than from 1970.
            calendar.add_missing_timezones(first_date=series_from)
        ics: bytes = calendar.to_ical()
        return ics


def _description(view: EventView) -> str:
    hosts = ", ".join(u["display_name"] for u in [view["host"], *view["cohosts"]] if u)
    club = f" in {view['club']['name']}" if view["club"] else ""
    lines = [view["description"], ""] if view["description"] else []
    return "\n".join([*lines, f"Hosted by {hosts}{club}.", view["url"]])


async def _owner(s: DbSession, token: str) -> str:
    if not TOKEN_PATTERN.fullmatch(token):
        raise feed_not_found()
    user_id = await s.scalar(
        select(CalendarToken.user_id)
        .join(User, User.id == CalendarToken.user_id)
        .where(CalendarToken.token_hash == token_hash(token), User.suspended_at.is_(None))
    )
    if user_id is None:
        raise feed_not_found()
    return user_id
