"""Members are reached on every replica (docs/ARCHITECTURE.md, "Members across
replicas"): two real `teahouse serve` processes over one PostgreSQL and one Redis;
what one of them does to a member reaches the member's sockets on the other.
Notifications, log-out, a new password, a suspension and an account's deletion."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from teahouse.errors import CloseCode
from tests.support.replicas import close_code, next_message, replicas, socket, still_open
from tests.support.serve_process import ServeProcess
from tests.support.server import PASSWORD

pytestmark = pytest.mark.postgres

NEW_PASSWORD = "a different tea at dusk"


async def _log_in(server: ServeProcess, username: str) -> str:
    """A new session of the member's (another device)."""
    async with server.client() as http:
        response = await http.post("/api/login", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return response.cookies["teahouse_session"]


async def test_a_notification_a_log_out_and_a_new_password_reach_the_other_replica(
    tmp_path: Path,
) -> None:
    async with replicas(tmp_path) as (one, two):
        ada = await one.signup(await one.invite_code(), "ada")
        bob = await one.signup(await one.invite_code(), "bob")
        bob_phone, bob_tablet = await _log_in(one, "bob"), await _log_in(one, "bob")
        laptop, phone, tablet = [await socket(two, t) for t in (bob, bob_phone, bob_tablet)]

        # Ada follows Bob on replica one; every socket of his on replica two hears of it.
        async with one.client(ada) as http:
            assert (await http.post("/api/users/bob/follow")).status_code == 204
        for ws in (laptop, phone, tablet):
            async with asyncio.timeout(10):
                pushed = await next_message(ws, "notification")
            assert pushed["notification"]["kind"] == "new_follower"
            assert pushed["notification"]["actor"]["username"] == "ada"

        # Bob logs his laptop out on replica one: its socket on replica two closes.
        async with one.client(bob) as http:
            assert (await http.post("/api/logout")).status_code == 204
        async with asyncio.timeout(10):
            assert await close_code(laptop) == CloseCode.NOT_AUTHENTICATED == 4401
        assert await still_open(phone, "1") and await still_open(tablet, "1")

        # A new password, set from the phone on replica one: the tablet's socket closes.
        async with one.client(bob_phone) as http:
            changed = await http.post(
                "/api/me/password", json={"old_password": PASSWORD, "new_password": NEW_PASSWORD}
            )
            assert changed.status_code == 204, changed.text
        async with asyncio.timeout(10):
            assert await close_code(tablet) == 4401
        assert await still_open(phone, "2")
        await phone.close()


async def test_a_suspension_and_a_deletion_close_sockets_on_the_other_replica(
    tmp_path: Path,
) -> None:
    async with replicas(tmp_path) as (one, two):
        root = await one.signup(await one.invite_code(), "root")  # the first is an admin
        bob = await one.signup(await one.invite_code(), "bob")
        cat = await one.signup(await one.invite_code(), "cat")
        bobs = [await socket(two, bob), await socket(two, bob)]
        cats = await socket(two, cat)

        # Suspended through the API of replica one: both of Bob's sockets close.
        async with one.client(root) as http:
            suspended = await http.post("/api/admin/members/bob/suspend")
            assert suspended.status_code == 200, suspended.text
            async with asyncio.timeout(10):
                codes = await asyncio.gather(*(close_code(ws) for ws in bobs))
        assert codes == [4401, 4401]

        # Cat deletes her account on replica one: no watcher looks for deletions, the
        # bus alone closes her socket on replica two.
        async with one.client(cat) as http:
            deleted = await http.request("DELETE", "/api/me", json={"password": PASSWORD})
            assert deleted.status_code == 204, deleted.text
        async with asyncio.timeout(10):
            assert await close_code(cats) == 4401
