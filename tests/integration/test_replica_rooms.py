"""One live room across replicas (docs/ARCHITECTURE.md, "Rooms across replicas"):
real `teahouse serve` processes sharing one PostgreSQL database and one Redis, each
member's socket on a replica of its own. The room's owner applies every change, the
others relay their sockets' messages to it and its news back; when the owner is
killed another replica takes the room over from its last save, and a paused owner
that wakes up after losing its lease can write nothing."""

from __future__ import annotations

import asyncio
import json
import signal
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from tests.integration.test_shutdown import _join, _until_closed, _until_ok, _version
from tests.support.replicas import postgres_database, replicas, socket
from tests.support.serve_process import ServeProcess

pytestmark = pytest.mark.postgres


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    async with postgres_database() as url:
        yield url


async def until(ws: ClientConnection, kind: str, within: float = 15) -> list[dict[str, Any]]:
    """What the socket receives up to the first message of type ``kind``."""
    received: list[dict[str, Any]] = []
    async with asyncio.timeout(within):
        while True:
            received.append(json.loads(await ws.recv()))
            if received[-1]["type"] == kind:
                return received


async def snapshot(server: ServeProcess, token: str, room: str) -> dict[str, Any]:
    ws = await socket(server, token)
    found = next(m for m in await _join(ws, room, "look") if m["type"] == "snapshot")
    await ws.close()
    return found


def people(snap: dict[str, Any]) -> dict[str, tuple[str, bool, bool]]:
    return {
        p["user"]["username"]: (p["role"], p["hand_raised"], p["invited"])
        for p in snap["participants"]
    }


async def test_a_room_is_one_room_on_every_replica_and_outlives_its_owner(
    tmp_path: Path, postgres_url: str
) -> None:
    async with replicas(tmp_path, 3, postgres_url) as (one, two, three):
        ada = await one.signup(await one.invite_code(), "ada")
        bob = await two.signup(await two.invite_code(), "bob")
        cy = await three.signup(await three.invite_code(), "cy")
        # Dee only looks in (each look is a join, which would move a member's socket).
        dee = await two.signup(await two.invite_code(), "dee")
        async with one.client(ada) as http:
            created = await http.post("/api/rooms", json={"title": "Across"})
            assert created.status_code == 201, created.text
            room = created.json()["id"]

        # Ada is on the owner; Bob and Cy on the two others.
        host = await socket(one, ada)
        await _join(host, room, "1")
        listener = await socket(two, bob)
        joined = await _join(listener, room, "1")
        assert joined[0]["type"] == "snapshot" and joined[-1] == {"type": "ok", "ref": "1"}
        third = await socket(three, cy)
        await _join(third, room, "1")

        # Bob raises his hand on replica two; Ada, on the owner, sees it and brings him up.
        await listener.send(json.dumps({"type": "hand", "raised": True, "id": "2"}))
        assert (await _until_ok(listener, "2"))[-1] == {"type": "ok", "ref": "2"}
        async with asyncio.timeout(15):
            while not any(
                change.get("participant", {}).get("hand_raised")
                for change in json.loads(await host.recv()).get("changes", [])
            ):
                pass
        bob_id = next(
            p["user"]["id"]
            for p in (await snapshot(one, dee, room))["participants"]
            if p["user"]["username"] == "bob"
        )
        await host.send(json.dumps({"type": "invite_to_speak", "user_id": bob_id, "id": "3"}))
        assert (await _until_ok(host, "3"))[-1] == {"type": "ok", "ref": "3"}
        # A refusal from the owner reaches the socket on another replica as its error.
        await third.send(json.dumps({"type": "invite_to_speak", "user_id": bob_id, "id": "4"}))
        refused = await _until_ok(third, "4")
        assert refused[-1]["type"] == "error" and refused[-1]["code"] == "not_moderator"

        # HTTP changes to the live room work on any replica: the owner applies them.
        async with three.client(ada) as http:
            patched = await http.patch(f"/api/rooms/{room}", json={"description": "Tea talk"})
            assert patched.status_code == 200, patched.text
            link = await http.post(f"/api/rooms/{room}/link")
            assert link.status_code == 201, link.text
        async with asyncio.timeout(15):
            while not any(
                change.get("op") == "description" and change.get("description") == "Tea talk"
                for change in json.loads(await host.recv()).get("changes", [])
            ):
                pass
        code = link.json()["url"].split("#link=", 1)[1]
        await asyncio.sleep(1)  # the owner's next save reaches the others' mirrors
        async with two.client(dee) as http:
            entered = await http.post(f"/api/rooms/{room}/enter", json={"code": code})
            assert entered.status_code == 204, entered.text

        # Every replica's fresh look is the same room.
        looks = [await snapshot(server, dee, room) for server in (one, two, three)]
        assert people(looks[0]) == people(looks[1]) == people(looks[2])
        assert people(looks[0])["bob"] == ("speaker", False, False)

        # The owner dies. The sockets of the others are told to reconnect (1012) once its
        # lease lapses; the room comes back on a living replica from its last save, and
        # what was acknowledged before the kill is in it.
        assert await one.stop(signal.SIGKILL) == -signal.SIGKILL
        for ws in (listener, third):
            _, code = await _until_closed(ws)
            assert code == 1012
        back = await socket(three, ada)
        resumed = await _join(back, room, "5", since=1)
        assert [m["type"] for m in resumed][-2:] == ["media_status", "ok"], resumed
        restored = next(m for m in resumed if m["type"] == "snapshot")
        assert people(restored)["bob"] == ("speaker", False, False)
        assert people(restored)["ada"][0] == "moderator"
        listener = await socket(two, bob)
        again = await _join(listener, room, "6", since=_version(joined, 0))
        assert people(next(m for m in again if m["type"] == "snapshot")) == people(restored)


async def saved_fence(database_url: str, room: str) -> tuple[int, dict[str, Any]]:
    url = make_url(database_url)
    db = await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, database=url.database
    )
    try:
        row = await db.fetchrow(
            "SELECT fence, record FROM saved_room_states WHERE room_id = $1", room
        )
    finally:
        await db.close()
    assert row is not None
    return row["fence"], json.loads(row["record"])


async def test_a_paused_owner_that_wakes_after_its_lease_cannot_write(
    tmp_path: Path, postgres_url: str
) -> None:
    async with replicas(tmp_path, 2, postgres_url) as (one, two):
        ada = await one.signup(await one.invite_code(), "ada")
        bob = await two.signup(await two.invite_code(), "bob")
        async with one.client(ada) as http:
            room = (await http.post("/api/rooms", json={"title": "Fenced"})).json()["id"]
        host = await socket(one, ada)
        await _join(host, room, "1")
        listener = await socket(two, bob)
        await _join(listener, room, "1")
        await asyncio.sleep(1)  # saved by its first owner
        first_fence, _ = await saved_fence(postgres_url, room)

        one.process.send_signal(signal.SIGSTOP)  # the owner stops answering, lease and all
        try:
            # Replica two sees the lease lapse and sends Bob to the room's next owner.
            _, code = await _until_closed(listener)
            assert code == 1012
            listener = await socket(two, bob)
            resumed = await _join(listener, room, "2", since=1)
            assert resumed[-1] == {"type": "ok", "ref": "2"}, resumed
            await listener.send(json.dumps({"type": "hand", "raised": True, "id": "3"}))
            assert (await _until_ok(listener, "3"))[-1] == {"type": "ok", "ref": "3"}
            taken_fence, _ = await saved_fence(postgres_url, room)
            assert taken_fence > first_fence
        finally:
            one.process.send_signal(signal.SIGCONT)

        # The old owner wakes up still holding the room in memory. Ada's action on it is
        # refused (it cannot be saved under the old fence) and her socket is sent away.
        await host.send(json.dumps({"type": "set_hands", "enabled": False, "id": "4"}))
        received, code = await _until_closed(host)
        assert {"type": "ok", "ref": "4"} not in received
        assert code == 1012
        await asyncio.sleep(2)  # whatever the old owner still tried has been tried
        fence, record = await saved_fence(postgres_url, room)
        assert fence == taken_fence
        assert record["state"]["hands"] is True  # Ada's refused change never landed
        hands = [p for p in record["state"]["participants"] if p["hand_raised"]]
        assert [p["user"]["username"] for p in hands] == ["bob"]


async def closed_within(ws: ClientConnection, seconds: float) -> list[dict[str, Any]] | None:
    """What the socket received until it closed within ``seconds``; None if it did not."""
    received: list[dict[str, Any]] = []
    try:
        async with asyncio.timeout(seconds):
            async for frame in ws:
                received.append(json.loads(frame))
    except TimeoutError:
        return None
    except ConnectionClosed:
        pass
    return received


async def resume(server: ServeProcess, token: str, room: str) -> ClientConnection:
    """Reconnect and resume as the web client does: a socket closed with 1012 while
    its room moves on (its owner on its way out) tries again."""
    for _ in range(20):
        ws = await socket(server, token)
        try:
            reply = await _join(ws, room, "again", since=1)
        except ConnectionClosed:
            assert ws.close_code == 1012
            await asyncio.sleep(0.5)
            continue
        assert reply[-1] == {"type": "ok", "ref": "again"}, reply
        return ws
    raise AssertionError("the room never took the member back")


async def test_a_rolling_restart_of_every_replica_ends_no_room(
    tmp_path: Path, postgres_url: str
) -> None:
    async with replicas(tmp_path, 3, postgres_url) as servers:
        tokens = [
            await servers[0].signup(await servers[0].invite_code(), name)
            for name in ("ada", "m1", "m2", "m3", "m4", "m5")
        ]
        async with servers[0].client(tokens[0]) as http:
            room = (await http.post("/api/rooms", json={"title": "Rolling"})).json()["id"]
        sockets: list[ClientConnection] = []
        for n, token in enumerate(tokens):
            ws = await socket(servers[n % 3], token)
            await _join(ws, room, "1")
            sockets.append(ws)

        for n in range(3):
            # SIGTERM: its sockets, and those whose room it owned, close with 1012 and
            # nobody hears the room ended; each client comes back on a living replica.
            assert await servers[n].stop(signal.SIGTERM) == -signal.SIGTERM
            living = [s for i, s in enumerate(servers) if i != n]

            async def follow(
                i: int, ws: ClientConnection, n: int = n, living: list[ServeProcess] = living
            ) -> ClientConnection:
                """One client: if its socket closes, it comes back on a living replica
                (all at once, as real clients do, well within the reconnect grace)."""
                received = await closed_within(ws, 30 if i % 3 == n else 8)
                if received is None:
                    return ws  # its room stayed where it was
                assert ws.close_code == 1012
                assert [m for m in received if m["type"] == "room_ended"] == []
                return await resume(living[i % 2], tokens[i], room)

            sockets = list(await asyncio.gather(*(follow(i, ws) for i, ws in enumerate(sockets))))
            await servers.restart(n)

        dee = await servers[0].signup(await servers[0].invite_code(), "dee")
        looks = [await snapshot(server, dee, room) for server in servers]
        assert [people(look) for look in looks] == [people(looks[0])] * 3
        assert people(looks[0])["ada"][0] == "moderator"
        # Everyone is still in it: the five listeners, and Dee looking in.
        assert {look["listeners"] for look in looks} == {6}
