"""Notifications and pings on a live server, on SQLite and PostgreSQL (media faked)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support import images, social
from tests.support.fake_media import FakeMedia
from tests.support.server import LiveServer, Member


@pytest.fixture
async def server(tmp_path: Path, media: FakeMedia, database_url: str) -> AsyncIterator[LiveServer]:
    async with social.serve(tmp_path, media, database_url) as live:
        yield live


async def page(member: Member, **params: Any) -> dict[str, Any]:
    async with member.http() as http:
        response = await http.get("/api/notifications", params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def read(member: Member, body: dict[str, Any] | None) -> int:
    async with member.http() as http:
        response = await http.post("/api/notifications/read", json=body)
    return response.status_code


async def ping(pinger: Member, room_id: str, username: str) -> tuple[int, str | None]:
    async with pinger.http() as http:
        response = await http.post(f"/api/rooms/{room_id}/ping", json={"username": username})
    code = response.json()["error"]["code"] if response.status_code >= 400 else None
    return response.status_code, code


# -- the list -------------------------------------------------------------------------


async def test_every_kind_rendered_newest_first(server: LiveServer) -> None:
    me, ada = await server.member("me"), await server.member("ada")
    notify = server.services.notifications.notify
    room_id = await social.open_room(ada, "Tea", connect=False)
    book = await social.club(server, "Book Club", members=(ada,))
    event_id = await social.event(server, ada, "Book night", timedelta(hours=1), club_id=book)
    await notify(me.id, "new_follower", actor_id=ada.id)
    await notify(me.id, "ping", actor_id=ada.id, room_id=room_id)
    await notify(me.id, "event_starting", event_id=event_id, room_id=room_id)
    await notify(me.id, "club_invite", actor_id=ada.id, club_id=book)
    await notify(ada.id, "new_follower", actor_id=me.id)  # someone else's

    got = await page(me)
    assert got["unread"] == 4 and got["next_cursor"] is None
    items = got["notifications"]
    assert [n["text"] for n in items] == [
        "ada invited you to join Book Club",
        "Book night is starting",
        "ada pinged you into Tea",
        "ada followed you",
    ]
    assert [n["kind"] for n in items] == ["club_invite", "event_starting", "ping", "new_follower"]
    invite, starting, pinged, followed = items
    ada_card = {"id": ada.id, "username": "ada", "display_name": "ada", "avatar_url": None}
    assert followed["actor"] == ada_card and followed["room"] is None
    assert pinged["room"] == {"id": room_id, "title": "Tea"} and pinged["event"] is None
    assert starting["actor"] is None
    assert starting["event"]["id"] == event_id and starting["event"]["title"] == "Book night"
    assert starting["event"]["starts_at"].endswith("+00:00")
    assert invite["club"] == {"id": book, "name": "Book Club"}
    assert all(n["read"] is False and n["created_at"] for n in items)


async def test_the_actor_comes_with_their_picture(server: LiveServer) -> None:
    me, ada = await server.member("me"), await server.member("ada")
    async with ada.http() as http:
        uploaded = await http.put("/api/me/avatar", content=images.picture("PNG"))
    assert uploaded.status_code == 200, uploaded.text
    await server.services.notifications.notify(me.id, "new_follower", actor_id=ada.id)
    (followed,) = (await page(me))["notifications"]
    assert followed["actor"]["avatar_url"] == uploaded.json()["avatar_url"]


async def test_pages_follow_the_cursor_without_gaps_or_repeats(server: LiveServer) -> None:
    me, ada = await server.member("me"), await server.member("ada")
    ids = [
        await server.services.notifications.notify(me.id, "new_follower", actor_id=ada.id)
        for _ in range(7)
    ]
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        got = await page(me, **params)
        pages += 1
        assert len(got["notifications"]) <= 3 and got["unread"] == 7
        seen += [n["id"] for n in got["notifications"]]
        cursor = got["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == list(reversed(ids))
    # A page that ends exactly at the last row says so.
    assert (await page(me, limit=7))["next_cursor"] is None


async def test_bad_cursor_and_limit_are_invalid_requests(server: LiveServer) -> None:
    me = await server.member("me")
    async with me.http() as http:
        for params in ({"cursor": "not-a-cursor"}, {"limit": 0}, {"limit": 101}):
            response = await http.get("/api/notifications", params=params)
            assert response.status_code == 400, params
            assert response.json()["error"]["code"] == "invalid_request"


async def test_mark_some_then_all_read_only_ones_own(server: LiveServer) -> None:
    me, ada = await server.member("me"), await server.member("ada")
    notify = server.services.notifications.notify
    first, second, _third = [await notify(me.id, "new_follower", actor_id=ada.id) for _ in range(3)]
    # Ada cannot mark mine read.
    assert await read(ada, {"ids": [first, second]}) == 204
    assert (await page(me))["unread"] == 3

    assert await read(me, {"ids": [first, second]}) == 204
    got = await page(me)
    assert got["unread"] == 1
    assert {n["id"]: n["read"] for n in got["notifications"]}[first] is True
    assert await read(me, {"ids": []}) == 204
    assert (await page(me))["unread"] == 1
    assert await read(me, {}) == 204
    assert (await page(me))["unread"] == 0
    assert await read(me, None) == 204  # no body: all, again
    assert await read(me, {"ids": "x"}) == 400


async def test_notifications_from_a_blocked_member_are_left_out(server: LiveServer) -> None:
    me, ada, eve = [await server.member(n) for n in ("me", "ada", "eve")]
    notify = server.services.notifications.notify
    await notify(me.id, "new_follower", actor_id=eve.id)
    kept = await notify(me.id, "new_follower", actor_id=ada.id)
    await social.block(server, eve, me)  # either way
    got = await page(me)
    assert [n["id"] for n in got["notifications"]] == [kept] and got["unread"] == 1


async def test_the_list_needs_a_session(server: LiveServer) -> None:
    async with server.client() as http:
        response = await http.get("/api/notifications")
    assert response.status_code == 401


# -- pings ----------------------------------------------------------------------------


async def test_a_ping_arrives_live_on_every_socket_of_the_target(server: LiveServer) -> None:
    me, ada, bob = [await server.member(n) for n in ("me", "ada", "bob")]
    room_id = await social.open_room(ada, "Tea")
    await social.enter(room_id, me)
    await bob.connect()  # in no room: notifications come anyway
    other_tab = Member(server, bob.username, bob.id, bob.token)
    await other_tab.connect()

    assert await ping(me, room_id, "Bob") == (204, None)  # the room is open; any case

    for socket in (bob, other_tab):
        message = await socket.recv("notification")
        n = message["notification"]
        assert n["kind"] == "ping" and n["read"] is False
        assert n["actor"] == {
            "id": me.id,
            "username": "me",
            "display_name": "me",
            "avatar_url": None,
        }
        assert n["room"] == {"id": room_id, "title": "Tea"}
        assert n["event"] is None and n["club"] is None
        assert n["text"] == "me pinged you into Tea"
    # The same notification is in the list.
    assert (await page(bob))["notifications"][0]["id"] == n["id"]
    await other_tab.close()


async def test_ping_refusals_write_nothing(server: LiveServer) -> None:
    me, ada, bob, cy, eve, zed = [
        await server.member(n) for n in ("me", "ada", "bob", "cy", "eve", "zed")
    ]
    await social.block(server, me, eve)
    await social.block(server, zed, me)
    open_room = await social.open_room(ada, "Open")
    closed = await social.open_room(me, "Closed", "closed")  # I moderate it
    elsewhere = await social.open_room(cy, "Elsewhere")
    await social.enter(open_room, bob)

    cases = [
        ("a room I am not in", elsewhere, "bob", 404, "not_in_room"),
        ("a room that is not live", "A" * 22, "bob", 404, "not_in_room"),
        ("not an id at all", "nope", "bob", 404, "not_in_room"),
        ("nobody by that name", closed, "nobody", 404, "user_not_found"),
        ("someone I blocked", closed, "eve", 404, "user_not_found"),
        ("someone who blocked me", closed, "zed", 404, "user_not_found"),
        ("myself", closed, "me", 400, "invalid_request"),
        ("a closed room, not followed", closed, "cy", 403, "ping_not_allowed"),
    ]
    for name, room_id, username, status, code in cases:
        assert await ping(me, room_id, username) == (status, code), name
    await social.follow(server, me, cy)
    # Followed now, but Cy may not enter the closed room.
    assert await ping(me, closed, "cy") == (403, "ping_not_allowed")
    assert await social.notification_count(server) == 0

    async with me.http() as http:
        assert (
            await http.post(f"/api/rooms/{closed}/admit", json={"username": "cy"})
        ).status_code == 204
    assert await ping(me, closed, "cy") == (204, None)
    assert await ping(me, closed, "cy") == (409, "already_pinged")
    assert await social.notification_count(server, "ping") == 1

    # Another pinger, or another room, is another ping.
    assert await ping(bob, open_room, "cy") == (204, None)
    assert await social.notification_count(server, "ping") == 2


async def test_a_ping_may_be_sent_again_after_ten_minutes(server: LiveServer) -> None:
    me = await server.member("me")
    await server.member("ada")
    room_id = await social.open_room(me, "Tea")
    assert await ping(me, room_id, "ada") == (204, None)
    assert await ping(me, room_id, "ada") == (409, "already_pinged")
    await social.age_notifications(server, timedelta(minutes=10, seconds=1))
    assert await ping(me, room_id, "ada") == (204, None)
    assert await social.notification_count(server, "ping") == 2


async def test_following_and_unfollowing_in_a_loop_notifies_once_a_day(
    server: LiveServer,
) -> None:
    star, fan, other = [await server.member(name) for name in ("star", "fan", "other")]
    async with fan.http() as http:
        for _ in range(20):
            assert (await http.post("/api/users/star/follow")).status_code == 204
            assert (await http.delete("/api/users/star/follow")).status_code == 204
    got = await page(star)
    assert [(n["kind"], n["actor"]["username"]) for n in got["notifications"]] == [
        ("new_follower", "fan")
    ]
    assert got["unread"] == 1

    # Another follower is another pair; a day later the same pair tells again.
    async with other.http() as http:
        assert (await http.post("/api/users/star/follow")).status_code == 204
    await social.age_notifications(server, timedelta(days=1, seconds=1))
    async with fan.http() as http:
        assert (await http.post("/api/users/star/follow")).status_code == 204
    kinds = [(n["kind"], n["actor"]["username"]) for n in (await page(star))["notifications"]]
    assert kinds == [("new_follower", "fan"), ("new_follower", "other"), ("new_follower", "fan")]


async def test_each_notification_says_what_became_of_it(server: LiveServer) -> None:
    """A ping's room is live, then ended; a club invitation is open, then accepted (and
    a late "decline" changes neither the membership nor what the notification says),
    or declined and closed."""
    me, ada = await server.member("me"), await server.member("ada")
    notify = server.services.notifications.notify
    room_id = await social.open_room(ada, "Tea")
    await notify(me.id, "ping", actor_id=ada.id, room_id=room_id)
    await notify(me.id, "new_follower", actor_id=ada.id)
    book = await social.club(server, "Book Club", members=(ada,))
    chess = await social.club(server, "Chess Club", members=(ada,))
    async with ada.http() as http:
        for club_id in (book, chess):
            response = await http.post(f"/api/clubs/{club_id}/invites", json={"username": "me"})
            assert response.status_code == 204, response.text

    async def states() -> dict[str, str | None]:
        return {n["text"]: n["state"] for n in (await page(me))["notifications"]}

    assert await states() == {
        "ada invited you to join Chess Club": "open",
        "ada invited you to join Book Club": "open",
        "ada followed you": None,
        "ada pinged you into Tea": "live",
    }

    await ada.send({"type": "end_room", "id": "end"})
    await ada.recv("ok")
    async with me.http() as http:
        assert (await http.post(f"/api/clubs/{book}/join")).status_code == 204
        assert (await http.delete(f"/api/clubs/{book}/invites/me")).status_code == 204  # late
        assert (await http.delete(f"/api/clubs/{chess}/invites/me")).status_code == 204
        members = (await http.get(f"/api/clubs/{book}/members")).json()
    assert "me" in {m["user"]["username"] for m in members["members"]}
    assert await states() == {
        "ada invited you to join Chess Club": "closed",
        "ada invited you to join Book Club": "accepted",
        "ada followed you": None,
        "ada pinged you into Tea": "ended",
    }
