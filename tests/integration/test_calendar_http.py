"""iCalendar feeds as a calendar app fetches them: no cookie, a secret URL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import icalendar

from tests.integration.test_events_http import NEXT_YEAR, eu_spring_forward, local, new_event
from tests.support.server import LiveServer, Member


async def feed(server: LiveServer, url: str) -> icalendar.Calendar:
    async with server.client() as http:  # no cookie: calendar apps send none
        http.headers.pop("origin")
        response = await http.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def by_title(calendar: icalendar.Calendar) -> dict[str, Any]:
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


async def calendar_url(member: Member) -> str:
    async with member.http() as http:
        url: str = (await http.get("/api/me/calendar")).json()["url"]
    return url


async def test_the_member_feed_carries_their_events_in_utc(server_on_both: LiveServer) -> None:
    server = server_on_both
    ada, bob, cy = [await server.member(n) for n in ("ada", "bob", "cy")]
    eu = eu_spring_forward(NEXT_YEAR)
    async with bob.http() as http:
        followed = (await http.post("/api/clubs", json={"name": "Followed"})).json()["id"]
        joined = (await http.post("/api/clubs", json={"name": "Joined"})).json()["id"]
        await http.post(f"/api/clubs/{joined}/invites", json={"username": "ada"})
    async with ada.http() as http:
        await http.post(f"/api/clubs/{followed}/follow")
        await http.post(f"/api/clubs/{joined}/join")
    before = await new_event(
        ada, title="Before", starts_at=local(eu - timedelta(1)), time_zone="Europe/Berlin"
    )
    after = await new_event(
        ada, title="After", starts_at=local(eu + timedelta(1)), time_zone="Europe/Berlin"
    )
    await new_event(bob, title="Cohosted", cohosts=["ada"])
    asked = await new_event(cy, title="Asked")
    await new_event(bob, title="Of a followed club", club_id=followed)
    await new_event(bob, title="Of her club", club_id=joined)
    await new_event(cy, title="Not hers")
    async with ada.http() as http:
        await http.post(f"/api/events/{asked['id']}/notify")
        assert (await http.delete(f"/api/events/{after['id']}")).status_code == 204

    url = await calendar_url(ada)
    assert url.startswith(f"{server.url}/calendar/") and url.endswith(".ics")
    events = by_title(await feed(server, url))
    assert set(events) == {
        "Before",
        "After",
        "Cohosted",
        "Asked",
        "Of a followed club",
        "Of her club",
    }
    first, second = events["Before"], events["After"]
    assert first.decoded("DTSTART") == datetime(
        eu.year, eu.month, eu.day, 18, tzinfo=UTC
    ) - timedelta(1)
    assert second.decoded("DTSTART") == datetime(
        eu.year, eu.month, eu.day, 17, tzinfo=UTC
    ) + timedelta(1)
    assert first.decoded("DTEND") - first.decoded("DTSTART") == timedelta(hours=1)
    assert str(first["UID"]) == f"{before['id']}@teahouse"
    assert str(first["URL"]) == f"{server.url}/event/{before['id']}"
    assert (str(first["STATUS"]), str(second["STATUS"])) == ("CONFIRMED", "CANCELLED")
    assert isinstance(first.decoded("DTSTAMP"), datetime)
    assert "Hosted by ada" in str(first["DESCRIPTION"])
    # The wire form is UTC with a Z, as calendar apps read most reliably.
    raw = first.to_ical().decode()
    assert f"DTSTART:{(eu - timedelta(1)).strftime('%Y%m%d')}T180000Z" in raw


async def test_club_feed_and_rotation(server_on_both: LiveServer) -> None:
    server = server_on_both
    ada, bob = await server.member("ada"), await server.member("bob")
    async with ada.http() as http:
        club = (await http.post("/api/clubs", json={"name": "Astronomy"})).json()["id"]
    await new_event(ada, title="Eclipse", club_id=club)
    await new_event(ada, title="Elsewhere")
    url = await calendar_url(bob)
    club_url = url.removesuffix(".ics") + f"/clubs/{club}.ics"
    assert set(by_title(await feed(server, club_url))) == {"Eclipse"}
    assert set(by_title(await feed(server, url))) == set()

    async with bob.http() as http:
        shown_once = (await http.get("/api/me/calendar")).json()
        rotated = (await http.post("/api/me/calendar/rotate")).json()
    # Only the hash is kept, so the URL is shown when it is made and not again.
    assert shown_once["url"] is None and shown_once["created_at"]
    assert rotated["url"] != url
    async with server.client() as http:
        for old in (url, club_url):
            gone = await http.get(old)
            assert (gone.status_code, gone.json()["error"]["code"]) == (404, "not_found")
    assert await feed(server, rotated["url"])


async def test_feed_routes_win_over_the_web_client(server_on_both: LiveServer) -> None:
    """The web client answers unknown paths with its page; feeds must not be one."""
    server = server_on_both
    ada = await server.member("ada")
    url = await calendar_url(ada)
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    async with server.client() as http:
        assert (await http.get(url)).headers["content-type"].startswith("text/calendar")
        for path in (
            "/calendar/" + "x" * 43 + ".ics",
            "/calendar/short.ics",
            f"/calendar/{token}/clubs/{'A' * 22}.ics",
            f"/calendar/{token}/clubs/nonsense.ics",
        ):
            missing = await http.get(path)
            assert missing.status_code == 404, path
            assert missing.headers["content-type"] == "application/json", path
        spa = await http.get("/calendar")
    assert spa.status_code in (200, 503)  # the web client's own page (503: not built)
    assert "text/html" in spa.headers["content-type"]


def test_next_years_change_is_a_sunday_at_the_end_of_march() -> None:
    day = eu_spring_forward(NEXT_YEAR)
    assert day.weekday() == 6 and day.month == 3 and day + timedelta(7) > date(day.year, 3, 31)


async def test_a_later_visit_says_when_the_address_was_made_and_changes_nothing(
    server_on_both: LiveServer,
) -> None:
    """Settings asks on every visit: after the first, the answer says when the address
    was made (so the client offers a new one), and asking never makes or breaks one."""
    server = server_on_both
    ada = await server.member("ada")
    async with ada.http() as http:
        first = (await http.get("/api/me/calendar")).json()
        later = [(await http.get("/api/me/calendar")).json() for _ in range(2)]
    assert first["url"] and first["created_at"]
    assert later == [{"url": None, "created_at": first["created_at"]}] * 2
    assert await feed(server, first["url"])  # still the member's address
