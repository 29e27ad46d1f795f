"""A Janus API that keeps VideoRoom rooms and carries no media, for tests that run
`teahouse serve` as a real process (signals, the installed package, backups) and need
rooms to open and end but no audio: no ICE, no ports but one on 127.0.0.1.

It answers the requests Teahouse makes when it connects, keeps the session alive and
creates and destroys rooms; a publish or subscribe is refused like a Janus error.
tests/media and tests/e2e use the real Janus.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import AsyncIterator
from typing import Any, cast

from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

_ids = itertools.count(1000)


def _answer(request: dict[str, Any], rooms: set[int]) -> dict[str, Any]:
    t = request.get("transaction")
    kind = request.get("janus")
    if kind in ("create", "attach"):
        return {"janus": "success", "transaction": t, "data": {"id": next(_ids)}}
    if kind == "info":
        return {"janus": "server_info", "transaction": t, "version": 1102}
    if kind == "keepalive":
        return {"janus": "ack", "transaction": t}
    if kind in ("detach", "destroy", "hangup"):
        return {"janus": "success", "transaction": t}
    if kind == "message":
        body = request.get("body") or {}
        room = body.get("room")
        data: dict[str, Any]
        if body.get("request") == "create":
            rooms.add(cast(int, room))
            data = {"videoroom": "created", "room": room}
        elif body.get("request") == "destroy" and room in rooms:
            rooms.discard(room)
            data = {"videoroom": "destroyed", "room": room}
        elif body.get("request") == "destroy":
            data = {"videoroom": "event", "error_code": 426, "error": "No such room"}
        else:
            data = {"videoroom": "event", "error_code": 499, "error": "no media here"}
        plugindata = {"plugin": "janus.plugin.videoroom", "data": data}
        return {"janus": "success", "transaction": t, "plugindata": plugindata}
    return {"janus": "error", "transaction": t, "error": {"code": 453, "reason": "unknown"}}


@contextlib.asynccontextmanager
async def stub_janus() -> AsyncIterator[str]:
    """Serve the stub on a free loopback port; yields its ``ws://`` URL."""
    rooms: set[int] = set()

    async def handler(ws: ServerConnection) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for raw in ws:
                request = json.loads(raw)
                reply = _answer(request, rooms)
                if "session_id" in request:
                    reply["session_id"] = request["session_id"]
                await ws.send(json.dumps(reply))

    async with serve(
        handler, "127.0.0.1", 0, subprotocols=[Subprotocol("janus-protocol")]
    ) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        yield f"ws://127.0.0.1:{port}"
