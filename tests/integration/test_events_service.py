"""The events and calendar services on both engines, with the clock held still.

Holding the clock lets these tests use fixed dates around a daylight-saving change
(the HTTP tests use the next year's change instead, as the real clock moves on).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import icalendar
import pytest
from sqlalchemy import select

from teahouse.clubs.calendar import Calendar
from teahouse.clubs.clubs import Clubs
from teahouse.clubs.events import EventFields, Events
from teahouse.config import load_settings
from teahouse.domain.ids import new_id
from teahouse.errors import TeahouseError
from teahouse.live.stage import Stage
from teahouse.notifications.notifier import Notifications
from teahouse.rooms.rooms import Rooms
from teahouse.store.database import Database
from teahouse.store.models import User
from teahouse.store.social_models import Event, Notification
from tests.support.fake_media import FakeMedia

NOW = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


@dataclass
class World:
    db: Database
    clubs: Clubs
    events: Events
    calendar: Calendar
    stage: Stage

    async def user(self, username: str) -> User:
        user = User(
            id=new_id(),
            username=username,
            display_name=username.title(),
            password_hash="-",
            invites_left=0,
        )
        async with self.db.sessions.begin() as s:
            s.add(user)
        return user


@pytest.fixture
async def world(database: Database, tmp_path: Path) -> AsyncIterator[World]:
    settings = load_settings(data_dir=tmp_path, public_url="https://tea.example")
    notifications = Notifications(database)
    clubs = Clubs(database, notifications)
    rooms = Rooms(database)
    stage = Stage(rooms, FakeMedia())
    events = Events(database, settings, clubs, rooms, stage, notifications, clock=lambda: NOW)
    calendar = Calendar(database, settings, events, clock=lambda: NOW)
    yield World(database, clubs, events, calendar, stage)
    await stage.close()


def berlin(starts_at: str, title: str = "Tea") -> EventFields:
    return EventFields(title=title, starts_at=starts_at, time_zone="Europe/Berlin")


async def test_local_times_across_the_spring_change_read_in_utc(world: World) -> None:
    ada = await world.user("ada")
    before = await world.events.create(ada, berlin("2026-03-28T19:00", "Before"))
    after = await world.events.create(ada, berlin("2026-03-30T19:00", "After"))
    assert (before["starts_at"], after["starts_at"]) == (
        "2026-03-28T18:00:00Z",
        "2026-03-30T17:00:00Z",
    )
    assert before["time_zone"] == "Europe/Berlin"
    assert before["url"] == f"https://tea.example/event/{before['id']}"
    async with world.db.sessions() as s:
        stored = {e.title: e.starts_at for e in await s.scalars(select(Event))}
    assert stored == {
        "Before": datetime(2026, 3, 28, 18, tzinfo=UTC),
        "After": datetime(2026, 3, 30, 17, tzinfo=UTC),
    }
    url = (await world.calendar.rotate(ada.id))["url"]
    assert url is not None
    feed = icalendar.Calendar.from_ical(
        await world.calendar.member_feed(url.rsplit("/", 1)[1].removesuffix(".ics"))
    )
    starts = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in feed.walk("VEVENT")}
    assert starts == {
        "Before": datetime(2026, 3, 28, 18, tzinfo=UTC),
        "After": datetime(2026, 3, 30, 17, tzinfo=UTC),
    }


async def test_refusals_change_nothing(world: World) -> None:
    ada, bob = await world.user("ada"), await world.user("bob")
    club = await world.clubs.create(ada, "Readers")
    await world.clubs.invite(ada.id, club["id"], "bob")
    await world.clubs.join(bob.id, club["id"])
    cases = [
        (ada, berlin("2026-01-15T12:59"), "event_in_past"),  # 11:59Z: a minute ago
        (ada, EventFields(title="T", starts_at="2026-05-01T10:00", time_zone="Moon/Base"),
         "invalid_time_zone"),
        (bob, EventFields(title="T", starts_at="2026-05-01T10:00Z", time_zone="UTC",
                          club_id=club["id"]), "not_club_admin"),
        (ada, EventFields(title="T", starts_at="2026-05-01T10:00Z", time_zone="UTC",
                          cohosts=["bob", "nobody"]), "user_not_found"),
        (ada, EventFields(title="T", starts_at="2026-05-01T10:00Z", time_zone="UTC",
                          club_id="A" * 22), "club_not_found"),
    ]  # fmt: skip
    for host, fields, code in cases:
        with pytest.raises(TeahouseError) as refused:
            await world.events.create(host, fields)
        assert refused.value.code == code
    async with world.db.sessions() as s:
        assert list(await s.scalars(select(Event))) == []


async def test_starting_opens_a_room_the_hosts_moderate_and_tells_who_asked(
    world: World,
) -> None:
    ada, bob, cy, dee = [await world.user(n) for n in ("ada", "bob", "cy", "dee")]
    event = await world.events.create(
        ada,
        EventFields(
            title="Launch", starts_at="2026-02-01T18:00Z", time_zone="UTC", cohosts=["bob"]
        ),
    )
    for member in (cy, dee, bob):
        await world.events.set_notify(member.id, event["id"], on=True)
    await world.events.set_notify(dee.id, event["id"], on=False)
    with pytest.raises(TeahouseError) as refused:
        await world.events.start(cy, event["id"])
    assert refused.value.code == "not_host"
    room_id = await world.events.start(bob, event["id"])
    live = world.stage.live(room_id)
    assert live is not None
    assert live.info.moderators == {ada.id, bob.id}
    assert live.info.created_by.id == bob.id
    async with world.db.sessions() as s:
        notes = list(await s.scalars(select(Notification)))
    # Ada hosts it and Cy asked: both are told; Dee changed her mind; Bob started it.
    assert sorted((n.user_id, n.kind, n.event_id, n.room_id) for n in notes) == sorted(
        (uid, "event_starting", event["id"], room_id) for uid in (ada.id, cy.id)
    )
    seen = await world.events.get(ada.id, event["id"])
    assert (seen["room_id"], seen["can_start"], seen["interested_count"]) == (room_id, False, 2)
    with pytest.raises(TeahouseError) as again:
        await world.events.start(ada, event["id"])
    assert again.value.code == "event_started"
    assert world.stage.live_room_ids() == [room_id]


async def test_an_event_whose_room_ended_says_so_and_its_host_starts_it_again_or_cancels(
    world: World,
) -> None:
    ada, bob, cy = [await world.user(n) for n in ("ada", "bob", "cy")]
    fields = EventFields(
        title="Launch", starts_at="2026-02-01T18:00Z", time_zone="UTC", cohosts=["bob"]
    )
    event = await world.events.create(ada, fields)
    first = await world.events.start(ada, event["id"])
    # While its room is live it can be neither cancelled nor started twice.
    for refused_action in (
        world.events.cancel(ada.id, event["id"]),
        world.events.start(bob, event["id"]),
    ):
        with pytest.raises(TeahouseError) as refused:
            await refused_action
        assert refused.value.code == "event_started"
    live = await world.events.get(ada.id, event["id"])
    assert (live["room_id"], live["room_ended"], live["can_start"], live["cancelled"]) == (
        first,
        False,
        False,
        False,
    )

    await world.stage.end_room(first, "ended_by_moderator")
    for viewer, may_start in ((ada, True), (bob, True), (cy, False)):
        seen = await world.events.get(viewer.id, event["id"])
        assert (seen["room_id"], seen["room_ended"], seen["can_start"]) == (first, True, may_start)

    # A co-host starts it again: a new room, and Ada, its host, is told.
    second = await world.events.start(bob, event["id"])
    assert second != first and world.stage.live(second) is not None
    again = await world.events.get(ada.id, event["id"])
    assert (again["room_id"], again["room_ended"], again["can_start"]) == (second, False, False)
    async with world.db.sessions() as s:
        told = list(
            await s.scalars(select(Notification.user_id).where(Notification.room_id == second))
        )
    assert told == [ada.id]

    # Once that one ends too, the host may call the event off.
    await world.stage.end_room(second, "ended_by_moderator")
    with pytest.raises(TeahouseError) as not_host:
        await world.events.cancel(bob.id, event["id"])
    assert not_host.value.code == "not_host"
    await world.events.cancel(ada.id, event["id"])
    over = await world.events.get(ada.id, event["id"])
    assert (over["cancelled"], over["can_start"]) == (True, False)
    with pytest.raises(TeahouseError) as cancelled:
        await world.events.start(ada, event["id"])
    assert cancelled.value.code == "event_cancelled"
