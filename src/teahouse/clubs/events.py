"""Events: rooms planned ahead, with a host, co-hosts, and members who asked to be told.

An event belongs to its host (editing, cancelling) and is started by the host or a
co-host: starting opens its room (an open room of the club for a club event) with
all of them as moderators, and notifies everyone who asked. Club events are made by
the club's admins. Times are kept in UTC with the host's IANA zone beside them
(``domain/event_times.py`` reads a wall-clock time in that zone).

Blocks (docs/SECURITY.md, "What a block hides"): an event shows a host hidden from
the viewer as ``null`` and leaves hidden co-hosts out; a host cannot name as co-host
someone hidden from them (``user_not_found``). Lists of events (the hallway, the
calendar feeds) leave out the events of hidden hosts and co-hosts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import cast

from sqlalchemy import ColumnElement, delete, select, update

from teahouse.clubs.clubs import Clubs
from teahouse.clubs.event_views import EventView, Repeats, event_views, is_open
from teahouse.clubs.recurrence import WEEKLY, next_occurrence_after_rooms
from teahouse.config import Settings
from teahouse.domain import clubs as club_rules
from teahouse.domain.clock import utcnow
from teahouse.domain.event_times import parse_starts_at, parse_time_zone
from teahouse.domain.ids import looks_like_id, new_id
from teahouse.domain.text import clean_prose
from teahouse.errors import BadRequest, Conflict, ErrorCode, Forbidden, NotFound, TeahouseError
from teahouse.live.stage import Stage
from teahouse.notifications.notifier import Notifications
from teahouse.rooms.rooms import Rooms, normalise_title
from teahouse.social.graph import visible_to
from teahouse.store.database import Database, DbSession
from teahouse.store.models import Room, User
from teahouse.store.social_models import Event, EventCohost, EventInterest

DESCRIPTION_MAX = 2000
COHOSTS_MAX = 10


class Unset(Enum):
    """A field a PATCH left out (``None`` is a value: no club)."""

    UNSET = 0


UNSET = Unset.UNSET


@dataclass(frozen=True, slots=True)
class EventFields:
    """What a create or a PATCH gives; ``None`` (and ``UNSET`` for the club) keeps."""

    title: str | None = None
    description: str | None = None
    starts_at: str | None = None
    time_zone: str | None = None
    cohosts: list[str] | None = None
    club_id: str | Unset | None = UNSET
    # "weekly" or None (once); UNSET keeps. A PATCH with None stops a series.
    repeats: Repeats | Unset | None = UNSET


def event_not_found() -> NotFound:
    return NotFound("There is no such event.", ErrorCode.EVENT_NOT_FOUND)


class Events:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        clubs: Clubs,
        rooms: Rooms,
        stage: Stage,
        notifications: Notifications,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._db = db
        self._settings = settings
        self._clubs = clubs
        self._rooms = rooms
        self._stage = stage
        self._notifications = notifications
        self._clock = clock
        rooms.on_ended(next_occurrence_after_rooms(clock))

    def url(self, event_id: str) -> str:
        return f"{self._settings.public_url}/event/{event_id}"

    # -- planning --------------------------------------------------------------------

    async def create(self, host: User, fields: EventFields) -> EventView:
        if fields.title is None or fields.starts_at is None or fields.time_zone is None:
            raise BadRequest("An event needs a title, starts_at and time_zone.")
        title, description = _texts(fields.title, fields.description or "")
        zone = parse_time_zone(fields.time_zone)
        starts_at = self._future(parse_starts_at(fields.starts_at, zone))
        club_id = fields.club_id if isinstance(fields.club_id, str) else None
        if club_id is not None:
            club_rules.require_admin(await self._clubs.role(host.id, club_id))
        event = Event(
            id=new_id(),
            title=title,
            description=description,
            starts_at=starts_at,
            time_zone=fields.time_zone,
            host_id=host.id,
            club_id=club_id,
            created_at=utcnow(),
            repeats=WEEKLY if fields.repeats == WEEKLY else None,
        )
        async with self._db.sessions.begin() as s:
            cohosts = await _users_named(s, fields.cohosts or [], host.id)
            s.add(event)
            await s.flush()  # the event first: its co-hosts refer to it
            s.add_all(EventCohost(event_id=event.id, user_id=u.id) for u in cohosts)
        return await self.get(host.id, event.id)

    async def update(self, user_id: str, event_id: str, fields: EventFields) -> EventView:
        """The host changes any of the create fields. A new ``time_zone`` alone keeps the
        instant (it is how the event reads); a new ``starts_at`` is read in the zone."""
        async with self._db.sessions() as s:
            event = await _event(s, event_id)
            ended = await _room_ended(s, event)
        _require_host(event, user_id)
        _require_open(event, ended)
        title, description = _texts(
            fields.title if fields.title is not None else event.title,
            fields.description if fields.description is not None else event.description,
        )
        zone_name = fields.time_zone if fields.time_zone is not None else event.time_zone
        zone = parse_time_zone(zone_name)
        starts_at = event.starts_at
        if fields.starts_at is not None:
            starts_at = self._future(parse_starts_at(fields.starts_at, zone))
        club_id = event.club_id if fields.club_id is UNSET else fields.club_id
        repeats = event.repeats if fields.repeats is UNSET else fields.repeats
        if club_id is not None and club_id != event.club_id:
            club_rules.require_admin(await self._clubs.role(user_id, club_id))
        async with self._db.sessions.begin() as s:
            cohosts = None
            if fields.cohosts is not None:
                cohosts = await _users_named(s, fields.cohosts, event.host_id)
            changed = await s.execute(
                update(Event)
                .where(Event.id == event.id, _unchanged_room(event), Event.cancelled_at.is_(None))
                .values(
                    title=title,
                    description=description,
                    time_zone=zone_name,
                    starts_at=starts_at,
                    club_id=club_id,
                    repeats=repeats,
                )
            )
            if _rowcount(changed) != 1:  # started or cancelled meanwhile
                _require_open(await _event(s, event.id, refresh=True), room_ended=False)
            if cohosts is not None:
                await s.execute(delete(EventCohost).where(EventCohost.event_id == event.id))
                s.add_all(EventCohost(event_id=event.id, user_id=u.id) for u in cohosts)
        return await self.get(user_id, event.id)

    async def cancel(self, user_id: str, event_id: str) -> None:
        """The host calls the event off; cancelling twice changes nothing."""
        async with self._db.sessions.begin() as s:
            event = await _event(s, event_id)
            _require_host(event, user_id)
            if event.cancelled_at is not None:
                return
            if not is_open(event, await _room_ended(s, event)):
                raise _started()
            cancelled = await s.execute(
                update(Event)
                .where(Event.id == event.id, _unchanged_room(event))
                .values(cancelled_at=utcnow())
            )
            if _rowcount(cancelled) != 1:
                raise _started()

    async def set_notify(self, user_id: str, event_id: str, *, on: bool) -> None:
        """Turn "notify me" on or off; both are idempotent."""
        async with self._db.sessions.begin() as s:
            await _event(s, event_id)
            asked = await s.get(EventInterest, (event_id, user_id))
            if on and asked is None:
                s.add(EventInterest(event_id=event_id, user_id=user_id))
            elif not on and asked is not None:
                await s.delete(asked)

    # -- starting --------------------------------------------------------------------

    async def start(self, user: User, event_id: str) -> str:
        """Open the event's room (again, once an earlier one has ended); its host and
        co-hosts moderate it as they join, and are told it is starting."""
        async with self._db.sessions() as s:
            event = await _event(s, event_id)
            ended = await _room_ended(s, event)
            cohosts = set(
                await s.scalars(select(EventCohost.user_id).where(EventCohost.event_id == event.id))
            )
        if user.id != event.host_id and user.id not in cohosts:
            raise Forbidden("Only the event's host and co-hosts can start it.", ErrorCode.NOT_HOST)
        _require_open(event, ended)
        info = await self._rooms.create(
            user,
            event.title,
            "open",
            event.club_id,
            moderators=frozenset({event.host_id, *cohosts}),
            require_membership=False,  # the event's own rules decided who may start it
        )
        try:
            async with self._db.sessions.begin() as s:
                claimed = await s.execute(
                    update(Event)
                    .where(
                        Event.id == event.id,
                        _unchanged_room(event),  # the ended room, if any, is still its room
                        Event.cancelled_at.is_(None),
                    )
                    .values(room_id=info.id)
                )
                if _rowcount(claimed) != 1:  # another co-host was quicker, or a cancel
                    _require_open(await _event(s, event.id, refresh=True), room_ended=False)
                    raise _started()
        except TeahouseError:
            await self._rooms.mark_ended(info.id)  # the room that lost never opens
            raise
        await self._stage.open_room(info)
        async with self._db.sessions() as s:
            asked = list(
                await s.scalars(
                    select(EventInterest.user_id)
                    .where(EventInterest.event_id == event.id)
                    .order_by(EventInterest.created_at)
                )
            )
        # Its hosts first (they moderate it), then whoever asked, each told once.
        told = dict.fromkeys([event.host_id, *sorted(cohosts), *asked])
        for uid in told:
            if uid != user.id:
                await self._notifications.notify(
                    uid, "event_starting", event_id=event.id, room_id=info.id
                )
        return info.id

    # -- reading ---------------------------------------------------------------------

    async def get(self, viewer_id: str, event_id: str) -> EventView:
        async with self._db.sessions() as s:
            event = await _event(s, event_id)
            return (await self.views(s, viewer_id, [event]))[0]

    async def views(self, s: DbSession, viewer_id: str, events: list[Event]) -> list[EventView]:
        """Event views for one viewer, in a fixed number of queries however many events."""
        return await event_views(s, viewer_id, events, self.url)

    def _future(self, starts_at: datetime) -> datetime:
        if starts_at <= self._clock():
            raise BadRequest("That time has passed.", ErrorCode.EVENT_IN_PAST)
        return starts_at


# -- helpers ---------------------------------------------------------------------------


async def _event(s: DbSession, event_id: str, *, refresh: bool = False) -> Event:
    event = (
        await s.get(Event, event_id, populate_existing=refresh) if looks_like_id(event_id) else None
    )
    if event is None:
        raise event_not_found()
    return event


async def _users_named(s: DbSession, usernames: Iterable[str], host_id: str) -> list[User]:
    """The co-hosts named, each once; the host is never their own co-host, and names
    only members they may see."""
    names = sorted({n.strip().lower() for n in usernames})
    if len(names) > COHOSTS_MAX:
        raise BadRequest(f"An event has at most {COHOSTS_MAX} co-hosts.")
    named = select(User).where(User.username.in_(names), visible_to(host_id, User.id))
    found = {u.username: u for u in await s.scalars(named)}
    missing = [n for n in names if n not in found]
    if missing:
        raise NotFound(f"No member is called {missing[0]!r}.", ErrorCode.USER_NOT_FOUND)
    return [found[n] for n in names if found[n].id != host_id]


def _texts(title: str, description: str) -> tuple[str, str]:
    return (
        normalise_title(title, "An event title"),
        clean_prose(description, "An event description", DESCRIPTION_MAX),
    )


def _require_host(event: Event, user_id: str) -> None:
    if event.host_id != user_id:
        raise Forbidden("Only the event's host can change it.", ErrorCode.NOT_HOST)


async def _room_ended(s: DbSession, event: Event) -> bool:
    """Whether the event had a room that has ended since."""
    if event.room_id is None:
        return False
    return await s.scalar(select(Room.ended_at).where(Room.id == event.room_id)) is not None


def _unchanged_room(event: Event) -> ColumnElement[bool]:
    """The event still has the room it had when read: the condition of each write
    that depends on it, so two co-hosts starting at once open one room."""
    if event.room_id is None:
        return Event.room_id.is_(None)
    return Event.room_id == event.room_id


def _require_open(event: Event, room_ended: bool) -> None:
    if event.cancelled_at is not None:
        raise Conflict("This event was cancelled.", ErrorCode.EVENT_CANCELLED)
    if not is_open(event, room_ended):
        raise _started()


def _started() -> Conflict:
    return Conflict("This event has started.", ErrorCode.EVENT_STARTED)


def _rowcount(result: object) -> int:
    return cast(int, getattr(result, "rowcount", 0))
