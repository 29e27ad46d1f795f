"""Suspending a member takes them off the server at once: every socket closes with
4401, their cookie stops working, log-in is refused, and their rooms see them go."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import websockets

from teahouse.admin.audit import AuditLog
from teahouse.admin.members import Admin
from teahouse.store.database import Database
from tests.support.server import PASSWORD, LiveServer, Member


async def close_code(ws: Any) -> int | None:
    """Read until the server closes the socket; its close code (None: no close frame)."""
    with contextlib.suppress(websockets.ConnectionClosed):
        async for _ in ws:
            pass
    code: int | None = ws.close_code
    return code


async def listeners(member: Member, count: int) -> None:
    """Wait for the room's audience count to be announced as ``count``."""
    async with asyncio.timeout(5):
        while {"op": "listeners", "count": count} not in (await member.recv("delta"))["changes"]:
            pass


async def test_an_admin_suspends_a_member_with_two_sockets_one_in_a_room(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    root, bob, sam = [await server.member(n) for n in ("root", "bob", "sam")]
    async with bob.http() as http:
        room_id = (await http.post("/api/rooms", json={"title": "Tea"})).json()["id"]
    await bob.connect()
    await bob.join(room_id)
    await sam.connect()  # the hallway tab
    window = Member(server, sam.username, sam.id, sam.token)
    await window.connect()
    await window.join(room_id)  # the room tab
    await listeners(bob, 1)  # Sam is a plain listener: counted, not listed
    stage = server.services.stage

    async with root.http() as http:
        async with asyncio.timeout(1.0):  # the acceptance point: closed within a second
            response = await http.post("/api/admin/members/sam/suspend")
            codes = await asyncio.gather(close_code(sam.ws), close_code(window.ws))
    assert response.status_code == 200, response.text
    assert codes == [4401, 4401]

    # Bob, still in the room, sees Sam leave it.
    await listeners(bob, 0)
    live = stage.live(room_id)
    assert live is not None and sam.id not in live.state.participants
    assert not server.services.presence.is_online(sam.id)

    async with sam.http() as http:
        me = await http.get("/api/me")
    assert (me.status_code, me.json()["error"]["code"]) == (401, "not_authenticated")
    async with server.client() as http:
        login = await http.post("/api/login", json={"username": "sam", "password": PASSWORD})
        wrong = await http.post("/api/login", json={"username": "sam", "password": "x" * 12})
    assert (login.status_code, login.json()["error"]["code"]) == (403, "suspended")
    # Without the password nobody learns that the account is suspended.
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (401, "bad_credentials")

    # Lifted, Sam logs in again.
    async with root.http() as http:
        assert (await http.post("/api/admin/members/sam/unsuspend")).status_code == 200
    async with server.client() as http:
        again = await http.post("/api/login", json={"username": "sam", "password": PASSWORD})
    assert again.status_code == 200
    await bob.close()


async def test_a_suspension_from_the_command_line_reaches_the_running_server(
    server_on_both: LiveServer,
) -> None:
    server = server_on_both
    await server.member("root")
    sam = await server.member("sam")
    await sam.connect()
    # The CLI's own process: its own database connection, no sockets, no stage.
    cli_db = Database(server.settings.resolved_database_url)
    try:
        suspended = await Admin(cli_db, AuditLog(cli_db)).suspend(None, "sam")
        assert suspended["suspended_at"] is not None
        async with asyncio.timeout(2.0):  # the watcher looks every second
            assert await close_code(sam.ws) == 4401
    finally:
        await cli_db.close()
    async with sam.http() as http:
        assert (await http.get("/api/me")).status_code == 401
