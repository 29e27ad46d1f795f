"""A member has at most ``ws_sockets_per_member`` WebSockets open: the one beyond is
closed with 4429, the older ones go on (docs/SECURITY.md, "Slow and heavy requests")."""

from __future__ import annotations

import json
from typing import Any

import pytest
import websockets

from teahouse.config import Settings
from tests.support.server import LiveServer, open_socket


async def open_one(server: LiveServer, token: str) -> Any:
    settings: Settings = server.settings
    return await open_socket(server.url, settings.session_cookie_name, token)


async def pong(ws: Any) -> bool:
    await ws.send(json.dumps({"type": "ping"}))
    while True:
        message = json.loads(await ws.recv())
        if message["type"] == "pong":
            return True


async def test_the_socket_beyond_the_cap_is_closed_and_the_others_go_on(
    server: LiveServer,
) -> None:
    cap = server.settings.ws_sockets_per_member
    ada, bob = await server.member("ada"), await server.member("bob")
    sockets = [await open_one(server, ada.token) for _ in range(cap)]
    for ws in sockets:
        assert json.loads(await ws.recv())["type"] == "welcome"

    extra = await open_one(server, ada.token)
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await extra.recv()
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (4429, "too_many_sockets")

    # The older sockets work on; another member is not counted against ada.
    assert all([await pong(ws) for ws in sockets])
    await bob.connect()
    assert await pong(bob.ws)

    # Closing one makes room for one.
    await sockets.pop().close()
    replacement = await open_one(server, ada.token)
    assert json.loads(await replacement.recv())["type"] == "welcome"
    for ws in [*sockets, replacement, bob.ws]:
        await ws.close()
