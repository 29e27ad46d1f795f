"""Weekly events on both engines: the same wall-clock time every week across DST
changes, the next occurrence once a room ends (event page, hallway, calendar), and
a series the host stops or cancels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update

from teahouse.store.social_models import Event
from tests.integration.test_calendar_http import by_title, calendar_url, feed
from tests.integration.test_events_http import NEXT_YEAR, eu_spring_forward, local, new_event
from tests.support.server import LiveServer, Member

BERLIN = ZoneInfo("Europe/Berlin")


async def event_of(member: Member, event_id: str) -> dict[str, Any]:
    async with member.http() as http:
        response = await http.get(f"/api/events/{event_id}")
    assert response.status_code == 200, response.text
    event: dict[str, Any] = response.json()
    return event


async def run_an_occurrence(server: LiveServer, host: Member, event_id: str) -> str:
    """The host starts the room, and it ends (its moderators gone)."""
    async with host.http() as http:
        started = await http.post(f"/api/events/{event_id}/start")
    assert started.status_code == 201, started.text
    room_id: str = started.json()["room_id"]
    assert (await event_of(host, event_id))["room_id"] == room_id
    await server.services.stage.end_room(room_id, "no_moderator")
    return room_id


def berlin_wall(utc_text: str) -> str:
    return datetime.fromisoformat(utc_text).astimezone(BERLIN).strftime("%A %H:%M")


async def test_a_weekly_event_comes_back_at_the_same_time_across_dst(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    ada, cy = await server.member("ada"), await server.member("cy")
    monday = eu_spring_forward(NEXT_YEAR) - timedelta(days=6)  # the Monday before
    event = await new_event(
        ada, title="Weekly", starts_at=local(monday), time_zone="Europe/Berlin", repeats="weekly"
    )
    eid = event["id"]
    assert (event["repeats"], event["starts_at"]) == ("weekly", f"{monday}T18:00:00Z")
    async with cy.http() as http:
        assert (await http.post(f"/api/events/{eid}/notify")).status_code == 204
    first_room = await run_an_occurrence(server, ada, eid)

    # The room ended: the event is next Monday at 19:00 in Berlin, summer time now.
    after = await event_of(cy, eid)
    next_monday = monday + timedelta(days=7)
    assert after["starts_at"] == f"{next_monday}T17:00:00Z"
    assert berlin_wall(after["starts_at"]) == "Monday 19:00"
    assert (after["room_id"], after["cancelled"], after["repeats"]) == (None, False, "weekly")
    assert (after["notify_me"], after["interested_count"]) == (True, 1)
    assert (await event_of(ada, eid))["can_start"] is True
    # ...and it starts again, in a room of its own.
    second_room = await run_an_occurrence(server, ada, eid)
    assert second_room != first_room
    assert (await event_of(cy, eid))["starts_at"] == f"{monday + timedelta(days=14)}T17:00:00Z"


async def test_once_is_once_and_a_stopped_series_stays_ended(server_on_both: LiveServer) -> None:
    server = server_on_both
    ada = await server.member("ada")
    once = await new_event(ada, title="Once")
    assert once["repeats"] is None
    room = await run_an_occurrence(server, ada, once["id"])
    assert (await event_of(ada, once["id"]))["room_id"] == room  # ended, not moved on

    weekly = await new_event(ada, title="Stopped", repeats="weekly")
    async with ada.http() as http:
        bad = await http.patch(f"/api/events/{weekly['id']}", json={"repeats": "daily"})
        assert (bad.status_code, bad.json()["error"]["code"]) == (400, "invalid_request")
        unchanged = (await http.patch(f"/api/events/{weekly['id']}", json={"title": "Stop"})).json()
        assert unchanged["repeats"] == "weekly"
        stopped = await http.patch(f"/api/events/{weekly['id']}", json={"repeats": None})
        assert stopped.json()["repeats"] is None
    starts = (await event_of(ada, weekly["id"]))["starts_at"]
    room = await run_an_occurrence(server, ada, weekly["id"])
    ended = await event_of(ada, weekly["id"])
    assert (ended["room_id"], ended["starts_at"]) == (room, starts)

    # A cancelled series: it no longer comes back, and says so.
    series = await new_event(ada, title="Cancelled", repeats="weekly")
    async with ada.http() as http:
        assert (await http.delete(f"/api/events/{series['id']}")).status_code == 204
    gone = await event_of(ada, series["id"])
    assert (gone["cancelled"], gone["can_start"]) == (True, False)


async def test_the_hallway_and_the_calendar_show_the_next_occurrence(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    ada, bob = await server.member("ada"), await server.member("bob")
    async with ada.http() as http:
        await http.post("/api/users/bob/follow")
    event = await new_event(bob, title="Tuesday tea", time_zone="Europe/Berlin", repeats="weekly")
    eid = event["id"]
    # Its time has come (30 minutes ago): the host starts it, a little late.
    began = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    async with server.services.db.sessions.begin() as s:
        await s.execute(update(Event).where(Event.id == eid).values(starts_at=began))
    await run_an_occurrence(server, bob, eid)

    next_week = began.astimezone(BERLIN).replace(tzinfo=None) + timedelta(days=7)
    expected = next_week.replace(tzinfo=BERLIN).astimezone(UTC)
    async with ada.http() as http:
        hallway = (await http.get("/api/hallway")).json()
    [listed] = [e for e in hallway["events"] if e["id"] == eid]
    assert datetime.fromisoformat(listed["starts_at"]) == expected
    assert (listed["repeats"], listed["room_id"]) == ("weekly", None)

    url = await calendar_url(bob)  # shown once: kept for the second fetch
    calendar = await feed(server, url)
    entry = by_title(calendar)["Tuesday tea"]
    start = entry["DTSTART"]
    assert start.params["TZID"] == "Europe/Berlin"
    assert start.dt.replace(tzinfo=None) == next_week  # the wall-clock time in Berlin
    assert entry["RRULE"]["FREQ"] == ["WEEKLY"]
    zones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert zones == ["Europe/Berlin"]
    # An event that happens once stays in UTC, with no rule.
    await new_event(bob, title="Just once")
    once = by_title(await feed(server, url))["Just once"]
    assert "RRULE" not in once and once["DTSTART"].dt.utcoffset() == timedelta(0)
