"""What an open socket receives when the operator stops `teahouse serve` with SIGTERM
(systemd's stop, `kill`, Ctrl-C's sibling), as docs/PROTOCOL.md says: every socket in
a live room gets `room_ended` with `server_shutdown`, then every socket closes with
1012 (the server is restarting: reconnect). A real process, a real signal."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from teahouse.errors import CloseCode
from tests.support.serve_process import ServeProcess, teahouse_serve
from tests.support.stub_janus import stub_janus


async def _socket(server: ServeProcess, token: str) -> ClientConnection:
    ws = await connect(
        server.url.replace("http", "ws", 1) + "/ws",
        additional_headers={"origin": server.origin, "cookie": f"teahouse_session={token}"},
    )
    assert json.loads(await ws.recv())["type"] == "welcome"
    return ws


async def _until_closed(ws: ClientConnection) -> tuple[list[dict[str, Any]], int | None]:
    """Every message the socket receives until it closes, and the close code."""
    received: list[dict[str, Any]] = []
    try:
        async for frame in ws:
            received.append(json.loads(frame))
    except ConnectionClosed:
        pass
    return received, ws.close_code


async def test_sigterm_ends_each_room_for_its_sockets_then_closes_every_socket(
    tmp_path: Path,
) -> None:
    async with stub_janus() as janus_url, teahouse_serve(tmp_path, janus_url=janus_url) as server:
        ada = await server.signup(await server.invite_code(), "ada")
        async with server.client(ada) as http:
            created = await http.post("/api/rooms", json={"title": "Late tea"})
            assert created.status_code == 201, created.text
            room = created.json()["id"]
            code = (await http.post("/api/invites")).json()["url"].split("#", 1)[1]
        bob = await server.signup(code, "bob")

        in_room = await _socket(server, ada)
        await in_room.send(json.dumps({"type": "join", "room": room, "id": "1"}))
        listener = await _socket(server, bob)
        await listener.send(json.dumps({"type": "join", "room": room, "id": "1"}))
        for ws in (in_room, listener):
            while json.loads(await ws.recv()).get("ref") != "1":
                pass
        hallway = await _socket(server, bob)  # a second tab, in no room

        # uvicorn re-raises the signal once it has shut down, so the exit is "killed by
        # SIGTERM", which systemd counts as a clean stop.
        assert await server.stop(signal.SIGTERM) == -signal.SIGTERM

        ended = {"type": "room_ended", "room": room, "reason": "server_shutdown"}
        for ws in (in_room, listener):
            received, close_code = await _until_closed(ws)
            assert ended in received, received
            assert received[-1] == ended  # nothing after it
            assert close_code == CloseCode.SERVER_RESTART == 1012
        received, close_code = await _until_closed(hallway)
        assert [m for m in received if m["type"] == "room_ended"] == []
        assert close_code == 1012

    # Started again, the room stays ended: nothing comes back half-live.
    async with (
        stub_janus() as janus_url,
        teahouse_serve(tmp_path, janus_url=janus_url) as again,
        again.client(ada) as http,
    ):
        response = await http.get(f"/api/rooms/{room}")
        assert (response.status_code, response.json()["error"]["code"]) == (409, "room_ended")
