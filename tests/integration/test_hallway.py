"""GET /api/hallway on a live server, on SQLite and PostgreSQL (media faked)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event as sa_event

from teahouse.demo import rooms as demo_rooms
from teahouse.domain.hallway import POPULAR_LISTENERS
from tests.support import images, social
from tests.support.demo import seeded_instance
from tests.support.fake_media import FakeMedia
from tests.support.server import LiveServer, Member, free_port, run_server, server_settings

DEMO_PASSWORD = "demo password 123"


@pytest.fixture
async def server(tmp_path: Path, media: FakeMedia, database_url: str) -> AsyncIterator[LiveServer]:
    async with social.serve(tmp_path, media, database_url) as live:
        yield live


async def hallway(member: Member) -> dict[str, Any]:
    async with member.http() as http:
        response = await http.get("/api/hallway")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def card(member: Member) -> dict[str, Any]:
    return {
        "id": member.id,
        "username": member.username,
        "display_name": member.username,
        "avatar_url": None,
    }


async def test_rooms_in_order_with_reasons(server: LiveServer) -> None:
    me, ada, bob, cy, dee, fay, gus, hal = [
        await server.member(n) for n in ("me", "ada", "bob", "cy", "dee", "fay", "gus", "hal")
    ]
    await social.follow(server, me, ada, bob)
    book = await social.club(server, "Book Club", members=(dee, me))

    biggest = await social.open_room(fay, "Biggest")  # 3 people: live, not popular
    await social.enter(biggest, gus, hal)
    club_room = await social.open_room(dee, "Reading")
    await social.set_room_club(server, club_room, book)
    listening = await social.open_room(cy, "Cy's")
    await social.enter(listening, bob)
    speaking = await social.open_room(ada, "Ada's")

    rooms = (await hallway(me))["rooms"]
    assert [r["id"] for r in rooms] == [speaking, listening, club_room, biggest]
    assert [r["reason"] for r in rooms] == [
        {"kind": "following_speaking", "text": "ada is speaking", "users": [card(ada)]},
        {"kind": "following_listening", "text": "bob is listening", "users": [card(bob)]},
        {"kind": "club", "text": "From Book Club", "users": []},
        {"kind": "live", "text": "Live now", "users": []},
    ]
    # Each is a RoomSummary plus its club.
    assert rooms[2]["club"] == {"id": book, "name": "Book Club"}
    assert [r["club"] for r in (rooms[0], rooms[1], rooms[3])] == [None, None, None]
    assert rooms[3]["participant_count"] == 3 and rooms[3]["listener_count"] == 2
    assert rooms[0]["speakers"] == [card(ada)]
    assert rooms[0]["created_by"] == card(ada) and rooms[0]["demo"] is False
    assert rooms[0]["title"] == "Ada's" and rooms[0]["visibility"] == "open"

    # Someone who follows nobody sees the same rooms by size, none of them popular.
    stranger = (await hallway(gus))["rooms"]
    assert stranger[0]["id"] == biggest
    assert {r["reason"]["kind"] for r in stranger} == {"live"}


async def test_popular_is_ten_listeners_right_now(server: LiveServer) -> None:
    me, fay, gus = [await server.member(n) for n in ("me", "fay", "gus")]
    crowd = [await server.member(f"l{i:02}") for i in range(2 * POPULAR_LISTENERS - 1)]
    # One listener short, with a bigger stage: more people, yet not popular.
    short = await social.open_room(fay, "One short")
    stage = [await server.member(n) for n in ("sam", "sol")]
    await social.enter(short, *stage, *crowd[: POPULAR_LISTENERS - 1])
    for speaker in stage:
        assert (await speaker.request({"type": "hand", "raised": True}))["type"] == "ok"
        invited = await fay.request({"type": "invite_to_speak", "user_id": speaker.id})
        assert invited["type"] == "ok", invited
    enough = await social.open_room(gus, "Just enough")
    await social.enter(enough, *crowd[POPULAR_LISTENERS - 1 :])

    rooms = (await hallway(me))["rooms"]
    shown = [
        (r["title"], r["listener_count"], r["participant_count"], r["reason"]["kind"])
        for r in rooms
    ]
    assert shown == [
        ("Just enough", POPULAR_LISTENERS, POPULAR_LISTENERS + 1, "popular"),
        ("One short", POPULAR_LISTENERS - 1, POPULAR_LISTENERS + 2, "live"),
    ]
    assert rooms[0]["reason"]["text"] == "Popular"

    # One listener leaves: the room is no longer popular, at once.
    await crowd[-1].request({"type": "leave"})
    rooms = (await hallway(me))["rooms"]
    assert {r["title"]: r["reason"]["kind"] for r in rooms}["Just enough"] == "live"


async def test_closed_and_club_only_rooms_are_absent_for_outsiders(server: LiveServer) -> None:
    me, ivy, jo = [await server.member(n) for n in ("me", "ivy", "jo")]
    await social.follow(server, me, ivy, jo)
    chess = await social.club(server, "Chess Club", members=(jo,))
    closed = await social.open_room(ivy, "Private", "closed")
    club_only = await social.open_room(jo, "Members only")
    await social.set_room_club(server, club_only, chess, visibility="club")
    open_room = await social.open_room(await server.member("kim"), "Everyone")

    assert [r["id"] for r in (await hallway(me))["rooms"]] == [open_room]
    # Filtered by who may enter, not dropped: the closed room's creator sees it.
    assert closed in [r["id"] for r in (await hallway(ivy))["rooms"]]
    # Let in, the outsider sees it too, with the followed speaker's reason.
    async with ivy.http() as http:
        admitted = await http.post(f"/api/rooms/{closed}/admit", json={"username": "me"})
    assert admitted.status_code == 204
    first = (await hallway(me))["rooms"][0]
    assert first["id"] == closed and first["reason"]["kind"] == "following_speaking"


async def test_rooms_with_a_blocked_speaker_are_hidden_either_way(server: LiveServer) -> None:
    me, eve, zed, fay, ned = [await server.member(n) for n in ("me", "eve", "zed", "fay", "ned")]
    await social.block(server, me, eve)  # I blocked Eve
    await social.block(server, zed, me)  # Zed blocked me
    await social.block(server, me, ned)
    eves = await social.open_room(eve, "Eve's")
    zeds = await social.open_room(zed, "Zed's")
    fays = await social.open_room(fay, "Fay's")
    await social.enter(fays, ned)  # in the audience only: the room stays

    assert [r["id"] for r in (await hallway(me))["rooms"]] == [fays]
    assert {r["id"] for r in (await hallway(fay))["rooms"]} == {eves, zeds, fays}


async def test_events_in_order_with_reasons(server: LiveServer) -> None:
    me, ada, bob, eve, gus = [await server.member(n) for n in ("me", "ada", "bob", "eve", "gus")]
    await social.follow(server, me, ada)
    await social.block(server, eve, me)
    book = await social.club(server, "Book Club", followers=(me,))
    followed = await social.event(server, ada, "Ada's hour", hours(72), cohosts=(bob,))
    of_club = await social.event(server, gus, "Book night", hours(24), club_id=book)
    asked = await social.event(server, gus, "Asked", hours(2), interested=(me, bob))
    rest = await social.event(server, bob, "Bob's", hours(1))
    late = await social.event(server, gus, "Running late", timedelta(minutes=-30))
    started_room = await social.open_room(gus, "Started", connect=False)
    await social.event(server, gus, "Cancelled", hours(3), cancelled=True)
    await social.event(server, gus, "Started", hours(-0.1), room_id=started_room)
    await social.event(server, gus, "Too far", hours(24 * 8))
    await social.event(server, gus, "Long past", hours(-2))
    await social.event(server, eve, "Eve's", hours(5))  # a blocked host

    events = (await hallway(me))["events"]
    assert [e["id"] for e in events] == [followed, of_club, asked, late, rest]
    assert [e["reason"]["kind"] for e in events] == [
        "following_host",
        "club",
        "notify_me",
        "upcoming",
        "upcoming",
    ]
    assert events[0]["reason"] == {
        "kind": "following_host",
        "text": "ada is hosting",
        "users": [card(ada)],
    }
    assert events[1]["reason"]["text"] == "From Book Club"
    first, third = events[0], events[2]
    assert first["host"] == card(ada) and first["cohosts"] == [card(bob)]
    assert first["club"] is None and events[1]["club"] == {"id": book, "name": "Book Club"}
    assert first["url"] == f"{server.url}/event/{followed}"
    assert first["time_zone"] == "Europe/Berlin" and first["room_id"] is None
    assert first["cancelled"] is False and first["can_start"] is False
    assert (third["interested_count"], third["notify_me"]) == (2, True)
    assert (first["interested_count"], first["notify_me"]) == (0, False)
    assert first["starts_at"].endswith("+00:00")
    # The host (and a co-host) may start it.
    for host in (ada, bob):
        mine = next(e for e in (await hallway(host))["events"] if e["id"] == followed)
        assert mine["can_start"] is True


async def test_queries_do_not_grow_with_rooms_and_events(server: LiveServer) -> None:
    me, *hosts = [await server.member(n) for n in ("me", "h1", "h2", "h3", "h4", "h5")]
    await social.follow(server, me, *hosts)
    book = await social.club(server, "Book Club", members=(me, *hosts))
    statements: list[str] = []

    def count(*args: Any) -> None:
        # The suspension watcher asks its one question every second, and the room
        # keeper saves the rooms that changed twice a second, each from its own task.
        if "suspended_at >=" not in str(args[2]) and "saved_room_states" not in str(args[2]):
            statements.append(str(args[2]))

    engine = server.services.db.engine.sync_engine
    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        counts = []
        for host in hosts[:1], hosts[1:]:
            for h in host:
                room = await social.open_room(h, f"{h.username}'s")
                await social.set_room_club(server, room, book)
                await social.event(
                    server, h, "Soon", timedelta(hours=2), club_id=book, cohosts=(me,)
                )
            statements.clear()
            page = await hallway(me)
            counts.append(len(statements))
        assert len(page["rooms"]) == 5 and len(page["events"]) == 5
        assert counts[0] == counts[1] <= 6, statements  # the session, then five
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)


async def test_hallway_needs_a_session(server: LiveServer) -> None:
    async with server.client() as http:
        response = await http.get("/api/hallway")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


async def picture_of(member: Member) -> str:
    async with member.http() as http:
        response = await http.put("/api/me/avatar", content=images.picture("PNG"))
    assert response.status_code == 200, response.text
    url: str = response.json()["avatar_url"]
    assert url.startswith(f"/api/users/{member.username}/avatar?v=")
    return url


async def test_cards_carry_each_members_picture(server: LiveServer) -> None:
    me, ada, bob = [await server.member(n) for n in ("me", "ada", "bob")]
    ada_url = await picture_of(ada)
    await social.follow(server, me, ada)
    book = await social.club(server, "Book Club", members=(ada, bob))
    room_id = await social.open_room(ada, "Ada's")
    event_id = await social.event(server, bob, "Night", hours(2), cohosts=(ada,), club_id=book)
    with_picture = {**card(ada), "avatar_url": ada_url}

    page = await hallway(me)
    [room] = page["rooms"]
    assert room["id"] == room_id
    assert room["speakers"] == [with_picture] and room["created_by"] == with_picture
    assert room["reason"]["users"] == [with_picture]
    [event] = page["events"]
    assert event["cohosts"] == [with_picture] and event["host"] == card(bob)
    assert event["reason"]["users"] == [with_picture]
    async with me.http() as http:
        event_page = (await http.get(f"/api/events/{event_id}")).json()
        members = (await http.get(f"/api/clubs/{book}/members")).json()["members"]
        club = (await http.get(f"/api/clubs/{book}")).json()
    assert event_page["cohosts"] == [with_picture]
    assert with_picture in [m["user"] for m in members]
    assert club["founder"] is None  # made by the test helper, without a founder
    async with ada.http() as http:
        created = (await http.post("/api/clubs", json={"name": "Chess Club"})).json()
        assert created["founder"] == with_picture
        mine = (await http.get("/api/me/clubs")).json()["clubs"]
    assert [c["founder"] for c in mine] == [None, with_picture]


async def test_rooms_come_a_page_at_a_time(server: LiveServer) -> None:
    me, *hosts = [await server.member(n) for n in ("me", "h1", "h2", "h3", "h4", "h5")]
    await social.follow(server, me, hosts[0])
    for i, host in enumerate(hosts):
        room = await social.open_room(host, f"Room {i}")
        await social.enter(room, *[await server.member(f"l{i}x{j}") for j in range(i)])
    everything = [r["id"] for r in (await hallway(me))["rooms"]]
    assert len(everything) == 5
    seen, cursor, calls = [], None, 0
    async with me.http() as http:
        while True:
            params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
            response = await http.get("/api/hallway", params=params)
            assert response.status_code == 200, response.text
            body = response.json()
            seen += [r["id"] for r in body["rooms"]]
            calls += 1
            assert body["events"] == [] or cursor is None  # events come with page one
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert seen == everything and calls == 3
        bad = await http.get("/api/hallway", params={"cursor": "not-a-cursor"})
        assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_request"
        too_many = await http.get("/api/hallway", params={"limit": 101})
        assert too_many.status_code == 400


async def test_a_real_room_of_one_ranks_above_every_demo_room(
    tmp_path: Path, media: FakeMedia, database_url: str
) -> None:
    settings = server_settings(tmp_path, database_url, free_port())
    await seeded_instance(settings, DEMO_PASSWORD)
    async with run_server(settings, media) as live:
        newcomer = await live.member("newcomer")  # follows nobody, in no club
        async with live.client() as http:
            response = await http.post(
                "/api/login", json={"username": "nadia", "password": DEMO_PASSWORD}
            )
            assert response.status_code == 200, response.text
        nadia = Member(
            live, "nadia", response.json()["id"], response.cookies[settings.session_cookie_name]
        )
        real = await social.open_room(newcomer, "Just me")  # one person, on stage

        for viewer in (nadia, newcomer):
            rooms = (await hallway(viewer))["rooms"]
            assert rooms[0]["id"] == real, viewer.username
            assert rooms[0]["reason"]["kind"] == "live" and not rooms[0]["demo"]
            demo = rooms[1:]
            assert len(demo) == len(demo_rooms.ROOMS) and all(r["demo"] for r in demo)
            assert all(r["participant_count"] > rooms[0]["participant_count"] for r in demo)
            assert "popular" not in {r["reason"]["kind"] for r in demo}
        # Nadia follows the demo members and is in a demo club: the demo rooms still say
        # why (after the real room); to the newcomer they are just demo rooms.
        nadia_kinds = {r["reason"]["kind"] for r in (await hallway(nadia))["rooms"][1:]}
        assert nadia_kinds & {"following_speaking", "following_listening", "club"}
        newcomer_demo = (await hallway(newcomer))["rooms"][1:]
        assert {r["reason"]["text"] for r in newcomer_demo} == {"Demo room, no audio"}
