"""Several `teahouse serve` replicas of one instance: one PostgreSQL database of their
own, one Redis (under a prefix of their own), one Janus stub, one data directory.

Redis must be reachable at ``TEAHOUSE_TEST_REDIS_URL`` (by default the local one): a
test that cannot reach it fails rather than skips, as the PostgreSQL tests do."""

from __future__ import annotations

import contextlib
import json
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.support.engines import REDIS_URL, postgres_database
from tests.support.serve_process import ServeProcess, teahouse_serve
from tests.support.stub_janus import stub_janus


class Replicas(list[ServeProcess]):
    """The running replicas, in order; :meth:`restart` starts one again on its port."""

    def __init__(self, data_dir: Path, stack: contextlib.AsyncExitStack, **settings: str):
        super().__init__()
        self._data_dir, self._stack, self._settings = data_dir, stack, settings

    async def start(self, n: int, port: int | None = None) -> ServeProcess:
        settings: dict[str, Any] = dict(self._settings)
        serving = teahouse_serve(self._data_dir, port=port, **settings)
        server = await self._stack.enter_async_context(serving)
        if n < len(self):
            self[n] = server
        else:
            self.append(server)
        return server

    async def restart(self, n: int) -> ServeProcess:
        """Start replica ``n`` again (it was stopped) where it served."""
        return await self.start(n, port=int(self[n].url.rsplit(":", 1)[1]))


@contextlib.asynccontextmanager
async def replicas(
    data_dir: Path, count: int = 2, database_url: str | None = None
) -> AsyncIterator[Replicas]:
    """``count`` replicas, started one after the other (the first migrates the
    database), sharing everything an instance's replicas share (the data directory
    too: its cursor key, which replicas must share, docs/OPERATIONS.md)."""
    async with contextlib.AsyncExitStack() as stack:
        if database_url is None:
            database_url = await stack.enter_async_context(postgres_database())
        janus_url = await stack.enter_async_context(stub_janus())
        started = Replicas(
            data_dir,
            stack,
            janus_url=janus_url,
            database_url=database_url,
            redis_url=REDIS_URL,
            redis_prefix=f"teahouse-test-{secrets.token_hex(6)}",
        )
        for n in range(count):
            await started.start(n)
        yield started


async def socket(server: ServeProcess, token: str) -> ClientConnection:
    """A member's socket on ``server``, past its `welcome`."""
    ws = await connect(
        server.url.replace("http", "ws", 1) + "/ws",
        additional_headers={"origin": server.origin, "cookie": f"teahouse_session={token}"},
    )
    assert json.loads(await ws.recv())["type"] == "welcome"
    return ws


async def next_message(ws: ClientConnection, kind: str) -> dict[str, Any]:
    """The next message of type ``kind`` the socket receives."""
    while True:
        message: dict[str, Any] = json.loads(await ws.recv())
        if message["type"] == kind:
            return message


async def close_code(ws: ClientConnection) -> int | None:
    """Read until the server closes the socket; its close code."""
    with contextlib.suppress(ConnectionClosed):
        async for _ in ws:
            pass
    return ws.close_code


async def still_open(ws: ClientConnection, ref: str) -> bool:
    """Whether the socket answers a `ping` (what it was sent before is read past)."""
    try:
        await ws.send(json.dumps({"type": "ping", "id": ref}))
        while json.loads(await ws.recv()).get("ref") != ref:
            pass
    except ConnectionClosed:
        return False
    return True
