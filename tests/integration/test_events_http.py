"""Events over HTTP and the WebSocket, on both engines, with the real clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from teahouse.store.models import Room
from teahouse.store.social_models import Notification
from tests.support.server import LiveServer, Member


def eu_spring_forward(year: int) -> date:
    """The last Sunday of March: Europe's change to summer time."""
    end = date(year, 3, 31)
    return end - timedelta(days=(end.weekday() + 1) % 7)


def us_spring_forward(year: int) -> date:
    """The second Sunday of March: the United States' change to summer time."""
    first = date(year, 3, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7)


NEXT_YEAR = datetime.now(UTC).year + 1


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def local(day: date, clock: str = "19:00") -> str:
    return f"{day.isoformat()}T{clock}"


def soon(hours: int = 24) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


async def new_event(member: Member, **fields: Any) -> dict[str, Any]:
    body = {"title": "Tea", "starts_at": soon(), "time_zone": "UTC", **fields}
    async with member.http() as http:
        response = await http.post("/api/events", json=body)
    assert response.status_code == 201, response.text
    event: dict[str, Any] = response.json()
    return event


async def test_local_times_across_daylight_saving_changes(server_on_both: LiveServer) -> None:
    server = server_on_both
    ada = await server.member("ada")
    eu, us = eu_spring_forward(NEXT_YEAR), us_spring_forward(NEXT_YEAR)
    cases = [
        ("Europe/Berlin", eu - timedelta(days=1), at(eu - timedelta(days=1), 18)),
        ("Europe/Berlin", eu + timedelta(days=1), at(eu + timedelta(days=1), 17)),
        ("America/New_York", us - timedelta(days=1), at(us, 0)),
        ("America/New_York", us + timedelta(days=1), at(us + timedelta(days=1), 23)),
    ]
    for zone, day, utc in cases:
        event = await new_event(ada, starts_at=local(day), time_zone=zone)
        assert event["starts_at"] == utc.isoformat().replace("+00:00", "Z"), (zone, day)
        assert event["time_zone"] == zone


async def test_event_shape_and_documented_errors(server_on_both: LiveServer) -> None:
    server = server_on_both
    ada, bob, cy = [await server.member(n) for n in ("ada", "bob", "cy")]
    async with ada.http() as http:
        club = (await http.post("/api/clubs", json={"name": "Garden"})).json()
        await http.post(f"/api/clubs/{club['id']}/invites", json={"username": "bob"})
    async with bob.http() as http:
        await http.post(f"/api/clubs/{club['id']}/join")
    event = await new_event(
        ada, title="Seeds", description="Swap", cohosts=["bob", "BOB", "ada"], club_id=club["id"]
    )
    assert event["host"]["username"] == "ada" and event["host"]["avatar_url"] is None
    assert [u["username"] for u in event["cohosts"]] == ["bob"]
    assert event["club"] == {"id": club["id"], "name": "Garden"}
    assert (event["cancelled"], event["room_id"], event["can_start"]) == (False, None, True)
    assert event["url"] == f"{server.url}/event/{event['id']}"
    eid = event["id"]
    valid = {"title": "T", "starts_at": soon(), "time_zone": "UTC"}
    async with bob.http() as http:
        cases = [
            (
                await http.post("/api/events", json={**valid, "time_zone": "Europe/Atlantis"}),
                400,
                "invalid_time_zone",
            ),
            (
                await http.post("/api/events", json={**valid, "starts_at": soon(-1)}),
                400,
                "event_in_past",
            ),
            (
                await http.post("/api/events", json={**valid, "starts_at": "next friday"}),
                400,
                "invalid_request",
            ),
            (
                await http.post("/api/events", json={**valid, "club_id": club["id"]}),
                403,
                "not_club_admin",
            ),
            (
                await http.post("/api/events", json={**valid, "cohosts": ["nobody"]}),
                404,
                "user_not_found",
            ),
            (await http.post("/api/events", json={"title": "T"}), 400, "invalid_request"),
            (await http.get("/api/events/" + "A" * 22), 404, "event_not_found"),
            (await http.get("/api/events/nonsense"), 404, "event_not_found"),
            (await http.patch(f"/api/events/{eid}", json={"title": "Mine"}), 403, "not_host"),
            (await http.delete(f"/api/events/{eid}"), 403, "not_host"),
            (await http.post("/api/events/" + "A" * 22 + "/notify"), 404, "event_not_found"),
        ]
        seen_by_bob = (await http.get(f"/api/events/{eid}")).json()
    for response, status, code in cases:
        assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert seen_by_bob == {**event, "can_start": True}  # a co-host may start it
    async with cy.http() as http:
        assert (await http.get(f"/api/events/{eid}")).json()["can_start"] is False


async def test_the_host_edits_and_cancels(server_on_both: LiveServer) -> None:
    server = server_on_both
    ada = await server.member("ada")
    await server.member("bob")  # to be made co-host
    event = await new_event(ada, starts_at=local(eu_spring_forward(NEXT_YEAR) + timedelta(1)))
    eid = event["id"]
    async with ada.http() as http:
        # A new zone alone keeps the instant; a new local time is read in the zone.
        moved = await http.patch(f"/api/events/{eid}", json={"time_zone": "Europe/Berlin"})
        assert moved.json()["starts_at"] == event["starts_at"]
        later = (await http.patch(f"/api/events/{eid}", json={"starts_at": local(
            eu_spring_forward(NEXT_YEAR) - timedelta(1), "20:00"), "cohosts": ["bob"],
            "title": "Renamed"})).json()  # fmt: skip
        assert later["starts_at"].endswith("T19:00:00Z") and later["title"] == "Renamed"
        assert [u["username"] for u in later["cohosts"]] == ["bob"]
        past = await http.patch(f"/api/events/{eid}", json={"starts_at": soon(-2)})
        assert past.json()["error"]["code"] == "event_in_past"
        assert (await http.delete(f"/api/events/{eid}")).status_code == 204
        assert (await http.delete(f"/api/events/{eid}")).status_code == 204
        cancelled = (await http.get(f"/api/events/{eid}")).json()
        late_edit = await http.patch(f"/api/events/{eid}", json={"title": "Back"})
        start = await http.post(f"/api/events/{eid}/start")
    assert cancelled["cancelled"] is True and cancelled["can_start"] is False
    assert {k: v for k, v in cancelled.items() if k not in ("cancelled", "can_start")} == {
        k: v for k, v in later.items() if k not in ("cancelled", "can_start")
    }
    assert (late_edit.status_code, late_edit.json()["error"]["code"]) == (409, "event_cancelled")
    assert (start.status_code, start.json()["error"]["code"]) == (409, "event_cancelled")
    assert server.services.stage.live_room_ids() == []


async def test_starting_an_event(server_on_both: LiveServer) -> None:
    server = server_on_both
    ada, bob, cy, dee, eve = [await server.member(n) for n in ("ada", "bob", "cy", "dee", "eve")]
    async with ada.http() as http:
        club = (await http.post("/api/clubs", json={"name": "Chess"})).json()
    event = await new_event(ada, title="Openings", cohosts=["bob"], club_id=club["id"])
    eid = event["id"]
    for member in (cy, dee):
        async with member.http() as http:
            assert (await http.post(f"/api/events/{eid}/notify")).status_code == 204
            assert (await http.post(f"/api/events/{eid}/notify")).status_code == 204
    async with eve.http() as http:
        refused = await http.post(f"/api/events/{eid}/start")
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "not_host")
        assert (await http.get(f"/api/events/{eid}")).json()["interested_count"] == 2
    assert server.services.stage.live_room_ids() == []

    async with bob.http() as http:  # a co-host starts it
        started = await http.post(f"/api/events/{eid}/start")
        assert started.status_code == 201
        room_id = started.json()["room_id"]
        again = await http.post(f"/api/events/{eid}/start")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "event_started")
    assert server.services.stage.live_room_ids() == [room_id]

    # The host and the co-host are moderators when they join; others listen. Only
    # the one who started it arrives unmuted: nobody else is live without saying so.
    roles = {}
    for member in (bob, ada, cy):
        await member.connect()
        snapshot = await member.join(room_id)
        # A plain listener is not in the visible set (docs/PROTOCOL.md).
        roles[member.username] = next(
            (
                (p["role"], p["muted"])
                for p in snapshot["participants"]
                if p["user"]["id"] == member.id
            ),
            ("listener", False),
        )
    assert roles == {
        "bob": ("moderator", False),
        "ada": ("moderator", True),
        "cy": ("listener", False),
    }

    async with server.services.db.sessions() as s:
        notes = list(await s.scalars(select(Notification).order_by(Notification.user_id)))
    assert sorted((n.user_id, n.kind, n.event_id, n.room_id) for n in notes) == sorted(
        (m.id, "event_starting", eid, room_id)
        for m in (ada, cy, dee)  # its host too
    )
    async with eve.http() as http:
        seen = (await http.get(f"/api/events/{eid}")).json()
        room = (await http.get(f"/api/rooms/{room_id}")).json()
    assert seen["room_id"] == room_id
    # A club event opens a club room that everyone may enter.
    assert (room["club"], room["visibility"], room["title"]) == (
        {"id": club["id"], "name": "Chess"},
        "open",
        "Openings",
    )
    # The host leaving does not end it: the co-host still moderates.
    await ada.send({"type": "leave"})
    await bob.recv("delta")
    assert server.services.stage.live(room_id) is not None
    for member in (ada, bob, cy):
        await member.close()


async def test_two_hosts_starting_at_once_open_one_room(server_on_both: LiveServer) -> None:
    server = server_on_both
    ada, bob = await server.member("ada"), await server.member("bob")
    event = await new_event(ada, cohosts=["bob"])

    async def start(member: Member) -> int:
        async with member.http() as http:
            return (await http.post(f"/api/events/{event['id']}/start")).status_code

    statuses = await asyncio.gather(start(ada), start(bob))
    assert sorted(statuses) == [201, 409]
    async with ada.http() as http:
        room_id = (await http.get(f"/api/events/{event['id']}")).json()["room_id"]
    assert server.services.stage.live_room_ids() == [room_id]
    async with server.services.db.sessions() as s:
        rooms = dict((await s.execute(select(Room.id, Room.ended_at))).all())
    # The loser was refused before making a room, or its room record is ended at once.
    assert rooms[room_id] is None and len(rooms) in (1, 2)
    assert all(ended is not None for rid, ended in rooms.items() if rid != room_id)
