"""A session that ends takes its sockets with it: log-out closes that session's sockets
(and no other), deleting the account closes all of them, an expired session's socket
closes when it expires, and a suspended member's calendar feeds stop answering."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Any

import websockets
from sqlalchemy import update

from teahouse.domain import accounts as rules
from teahouse.domain.clock import utcnow
from teahouse.store.models import Session
from tests.support.server import PASSWORD, LiveServer, Member, eventually


async def close_code(ws: Any) -> int | None:
    """Read until the server closes the socket; its close code (None: no close frame)."""
    with contextlib.suppress(websockets.ConnectionClosed):
        async for _ in ws:
            pass
    code: int | None = ws.close_code
    return code


async def closed_within(seconds: float, *sockets: Any) -> list[int | None]:
    async with asyncio.timeout(seconds):
        return list(await asyncio.gather(*(close_code(ws) for ws in sockets)))


async def another_session(member: Member) -> Member:
    """The same member logged in a second time (another device): its own session."""
    async with member.server.client() as http:
        response = await http.post(
            "/api/login", json={"username": member.username, "password": PASSWORD}
        )
    assert response.status_code == 200, response.text
    token = response.cookies[member.server.settings.session_cookie_name]
    return Member(member.server, member.username, member.id, token)


async def open_room(host: Member) -> str:
    async with host.http() as http:
        response = await http.post("/api/rooms", json={"title": "Tea"})
    assert response.status_code == 201, response.text
    room_id: str = response.json()["id"]
    await host.connect()
    await host.join(room_id)
    return room_id


def participants(server: LiveServer, room_id: str) -> set[str]:
    live = server.services.stage.live(room_id)
    assert live is not None
    return set(live.state.participants)


async def test_logging_out_closes_that_sessions_sockets_and_no_other(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    bob, sam = await server.member("bob"), await server.member("sam")
    room_id = await open_room(bob)
    await sam.connect()  # the hallway tab
    in_room = Member(server, sam.username, sam.id, sam.token)  # the room tab
    await in_room.connect()
    await in_room.join(room_id)
    phone = await another_session(sam)
    await phone.connect()

    async with sam.http() as http:
        assert (await http.post("/api/logout")).status_code == 204
    assert await closed_within(5, sam.ws, in_room.ws) == [4401, 4401]
    # The room does not hold the place of a session that cannot come back.
    await eventually(lambda: sam.id not in participants(server, room_id))

    # The phone's session goes on: its socket still answers and still joins.
    assert (await phone.request({"type": "ping"}))["type"] == "ok"
    await phone.join(room_id)
    assert sam.id in participants(server, room_id)
    async with sam.http() as http:
        assert (await http.get("/api/me")).status_code == 401
    async with phone.http() as http:
        assert (await http.get("/api/me")).status_code == 200
    await phone.close()
    await bob.close()


async def test_a_logged_out_socket_neither_joins_nor_acts(server: LiveServer) -> None:
    bob, sam = await server.member("bob"), await server.member("sam")
    room_id = await open_room(bob)
    await sam.connect()
    async with sam.http() as http:
        assert (await http.post("/api/logout")).status_code == 204
    # Sent before the client could see the close: the server must not act on it.
    with contextlib.suppress(websockets.ConnectionClosed):
        await sam.send({"type": "join", "room": room_id, "id": "j"})
        await sam.send({"type": "raise_hand", "id": "h"})
    assert await closed_within(5, sam.ws) == [4401]
    assert sam.id not in participants(server, room_id)
    assert not server.services.presence.is_online(sam.id)
    await bob.close()


async def test_deleting_an_account_closes_every_socket_of_it(server_on_both: LiveServer) -> None:
    server = server_on_both
    bob, sam = await server.member("bob"), await server.member("sam")
    room_id = await open_room(bob)
    await sam.connect()
    phone = await another_session(sam)
    await phone.connect()
    await phone.join(room_id)
    assert sam.id in participants(server, room_id)

    async with sam.http() as http:
        response = await http.request("DELETE", "/api/me", json={"password": PASSWORD})
    assert response.status_code == 204, response.text
    assert await closed_within(5, sam.ws, phone.ws) == [4401, 4401]
    assert sam.id not in participants(server, room_id)
    assert not server.services.presence.is_online(sam.id)
    await bob.close()


async def test_a_socket_closes_when_its_session_expires(server: LiveServer) -> None:
    bob, sam = await server.member("bob"), await server.member("sam")
    room_id = await open_room(bob)
    async with server.services.db.sessions.begin() as s:
        await s.execute(
            update(Session)
            .where(Session.token_hash == rules.token_hash(sam.token))
            .values(expires_at=utcnow() + timedelta(seconds=1))
        )
    await sam.connect()
    await sam.join(room_id)
    assert await closed_within(10, sam.ws) == [4401]
    await eventually(lambda: sam.id not in participants(server, room_id))
    await bob.close()


async def test_a_suspended_members_calendar_feeds_stop_answering(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    root, sam = await server.member("root"), await server.member("sam")
    async with sam.http() as http:
        feed = (await http.get("/api/me/calendar")).json()["url"]
        club_id = (await http.post("/api/clubs", json={"name": "Readers"})).json()["id"]
    club_feed = feed.replace(".ics", f"/clubs/{club_id}.ics")

    async def answers() -> list[tuple[int, str | None]]:
        found = []
        async with server.client() as http:  # calendar apps send no cookie
            for url in (feed, club_feed):
                response = await http.get(url)
                code = response.json()["error"]["code"] if response.status_code != 200 else None
                found.append((response.status_code, code))
        return found

    assert await answers() == [(200, None), (200, None)]
    async with root.http() as http:
        assert (await http.post("/api/admin/members/sam/suspend")).status_code == 200
    assert await answers() == [(404, "not_found"), (404, "not_found")]
    async with root.http() as http:
        assert (await http.post("/api/admin/members/sam/unsuspend")).status_code == 200
    assert await answers() == [(200, None), (200, None)]
