"""Several replicas behind the tested reverse proxy (docs/OPERATIONS.md, "Several
replicas"): three real `teahouse serve` sharing one PostgreSQL and one Redis, started
at once, behind Debian's nginx running docs/deploy/nginx-replicas.conf. Members sign
up and log in through the proxy; their sockets are spread over every replica, each
told which one answered; a replica killed with SIGKILL is skipped, and new sockets
and requests go on through the proxy; wrong passwords count on every replica.
(Live rooms across replicas are not here yet: no room is opened.)
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.support.replica_set import REPLICA_HEADER, ReplicaSet, replica_set
from tests.support.server import PASSWORD, LiveServer

WRONG = "not the password"


async def open_socket(replicas: ReplicaSet, token: str) -> tuple[ClientConnection, str]:
    """A socket through the proxy, once its `welcome` came; and the replica's name."""
    ws = await connect(replicas.ws_url, additional_headers=replicas.ws_headers(token))
    welcome = json.loads(await ws.recv())
    assert welcome["type"] == "welcome", welcome
    assert ws.response is not None
    return ws, ws.response.headers[REPLICA_HEADER]


async def sign_up_members(replicas: ReplicaSet, count: int) -> list[str]:
    """``count`` members signed up through the proxy (the first by the operator's
    invitation, the rest by the first's); their session tokens."""
    tokens = [await replicas.signup(await replicas.invite_code(), "member0")]
    async with replicas.client(tokens[0]) as http:
        for i in range(1, count):
            made = await http.post("/api/invites")
            assert made.status_code == 201, made.text
            code = made.json()["url"].split("#", 1)[1]
            tokens.append(await replicas.signup(code, f"member{i}"))
    return tokens


@pytest.mark.postgres
@pytest.mark.redis
async def test_sockets_spread_over_the_replicas_and_skip_a_dead_one(tmp_path: Path) -> None:
    async with replica_set(tmp_path, 3, invites_per_member="5") as replicas:
        names = [await replicas.name(i) for i in range(3)]
        assert len(set(names)) == 3, names  # random per process

        tokens = await sign_up_members(replicas, 5)
        async with replicas.client() as http:
            logged_in = await http.post(
                "/api/login", json={"username": "member0", "password": PASSWORD}
            )
            assert logged_in.status_code == 200, logged_in.text
            assert logged_in.headers[REPLICA_HEADER] in names

        # 30 sockets, 6 per member (under the 8 a member may hold on one replica).
        opened = [await open_socket(replicas, tokens[i % 5]) for i in range(30)]
        spread = Counter(name for _, name in opened)
        assert set(spread) == set(names), (spread, replicas.outputs())  # no stickiness

        await replicas.kill(1)
        # Its members' sockets end with it; the proxy passes the close on.
        for ws, name in opened:
            if name == names[1]:
                await asyncio.wait_for(ws.wait_closed(), 30)
        # New sockets and requests all get through, on the replicas that are left.
        again = [await open_socket(replicas, tokens[i % 5]) for i in range(30)]
        assert {name for _, name in again} == {names[0], names[2]}, replicas.outputs()
        async with replicas.client(tokens[0]) as http:
            answers = [await http.get("/api/me") for _ in range(10)]
        assert [a.status_code for a in answers] == [200] * 10
        assert names[1] not in {a.headers[REPLICA_HEADER] for a in answers}

        # Back on its port, it is a new process with a new name.
        await replicas.restart(1)
        assert await replicas.name(1) not in names
        for ws, _ in opened + again:
            await ws.close()


@pytest.mark.postgres
@pytest.mark.redis
async def test_wrong_passwords_count_on_every_replica(tmp_path: Path) -> None:
    async with replica_set(tmp_path, 2) as replicas:
        await sign_up_members(replicas, 1)

        async def log_in(i: int, password: str) -> httpx.Response:
            # A browser that proves nothing (no device cookie), straight to replica i.
            async with replicas.client(base_url=replicas.url(i)) as http:
                return await http.post(
                    "/api/login", json={"username": "member0", "password": password}
                )

        # The five free failures, spread over the two replicas: with counts of their
        # own, each would let five through.
        answers = [await log_in(i % 2, WRONG) for i in range(5)]
        assert [a.status_code for a in answers] == [401] * 5
        # Each further failure waits after the last, twice as long each time, on
        # whichever replica it goes to. Those that wait are let through and fail.
        waits = []
        for i in range(2):
            held = await log_in(1 - i, WRONG)
            assert held.status_code == 429, held.text
            assert held.json()["error"]["code"] == "too_many_attempts"
            waits.append(int(held.headers["retry-after"]))
            await asyncio.sleep(waits[-1])
            assert (await log_in(i, WRONG)).status_code == 401
        assert waits == [1, 2]
        # Now 4 s: the right password waits too, on every replica.
        assert [(await log_in(i, PASSWORD)).status_code for i in range(2)] == [429] * 2


async def test_one_process_names_no_replica(server: LiveServer) -> None:
    # The embedded default (no Redis) has no replicas to tell apart.
    async with server.client() as http:
        answer = await http.get("/api/me")
    assert answer.status_code == 401
    assert REPLICA_HEADER not in answer.headers
