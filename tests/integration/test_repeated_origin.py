"""A request with two ``Origin`` headers is refused, never judged by one of them
(api/guards.py): a state-changing HTTP request gets ``403 origin_forbidden`` and
changes nothing; a WebSocket is closed with 4403. Sent on bare sockets, since
clients fold or refuse a repeated header."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from teahouse.errors import CloseCode
from teahouse.store.models import Room
from tests.support import server as support
from tests.support.fake_media import FakeMedia
from tests.support.raw_ws import RawWebSocket
from tests.support.server import LiveServer

EVIL = "https://evil.example"


@pytest.fixture
async def server(tmp_path: Path, media: FakeMedia) -> AsyncIterator[LiveServer]:
    settings = support.server_settings(tmp_path, None, support.free_port())
    async with support.run_server(settings, media) as live:
        yield live


async def raw_post(
    server: LiveServer, path: str, body: dict[str, str], headers: list[tuple[str, str]]
) -> tuple[int, dict[str, object]]:
    """POST ``body`` as JSON with exactly these header lines; the status and the body."""
    parts = urlsplit(server.url)
    data = json.dumps(body).encode()
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Content-Type: application/json",
        f"Content-Length: {len(data)}",
        "Connection: close",
        *(f"{name}: {value}" for name, value in headers),
    ]
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + data)
    await writer.drain()
    answer = await reader.read()
    writer.close()
    head, _, payload = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(payload) if payload else {}


async def rooms(server: LiveServer) -> int:
    async with server.services.db.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(Room)) or 0)


async def test_a_write_with_two_origins_is_refused_and_changes_nothing(
    server: LiveServer,
) -> None:
    ada = await server.member("ada")
    ours = server.settings.public_origin
    cookie = ("Cookie", f"{server.settings.session_cookie_name}={ada.token}")
    room = {"title": "Tea"}
    for origins in ([ours, ours], [ours, EVIL], [EVIL, ours]):
        headers = [cookie, *(("Origin", origin) for origin in origins)]
        status, body = await raw_post(server, "/api/rooms", room, headers)
        assert (status, body["error"]["code"]) == (403, "origin_forbidden"), origins  # type: ignore[index]
    assert await rooms(server) == 0
    # The same request with one Origin of ours goes through.
    status, _ = await raw_post(server, "/api/rooms", room, [cookie, ("Origin", ours)])
    assert status == 201 and await rooms(server) == 1


async def test_a_websocket_with_two_origins_is_closed(server: LiveServer) -> None:
    ada = await server.member("ada")
    ours = server.settings.public_origin
    cookie = ("Cookie", f"{server.settings.session_cookie_name}={ada.token}")

    def close_code(origins: list[str]) -> int | None:
        """The code the socket closes with first; -1: it stays open (welcome); 400:
        the WebSocket layer refused the handshake (uvicorn's `websockets` does)."""
        try:
            ws = RawWebSocket(server.url, [cookie, *(("Origin", origin) for origin in origins)])
        except ConnectionError as refused:
            return 400 if "400 Bad Request" in str(refused) else None
        try:
            first = ws.recv_frame()
            return first.close_code if first.close_code is not None else -1
        finally:
            ws.close()

    for origins in ([ours, ours], [ours, EVIL], [EVIL, ours]):
        assert await asyncio.to_thread(close_code, origins) in (400, CloseCode.ORIGIN_FORBIDDEN)
    # One Origin of ours: the socket opens (its first frame is `welcome`, no close).
    assert await asyncio.to_thread(close_code, [ours]) == -1


async def test_the_app_closes_a_socket_with_two_origins_whatever_the_server_passes_on(
    server: LiveServer,
) -> None:
    # Another ASGI server (or uvicorn with wsproto) may hand the app both headers; the
    # app itself refuses them, before it looks at the session.
    ours = server.settings.public_origin
    for origins, code in [
        ([ours, ours], CloseCode.ORIGIN_FORBIDDEN),
        ([ours, EVIL], CloseCode.ORIGIN_FORBIDDEN),
        ([EVIL, ours], CloseCode.ORIGIN_FORBIDDEN),
        ([ours], CloseCode.NOT_AUTHENTICATED),  # no cookie: past the Origin check
    ]:
        sent = await asgi_socket(server, origins)
        assert sent[-1]["type"] == "websocket.close" and sent[-1]["code"] == code, origins


async def asgi_socket(server: LiveServer, origins: list[str]) -> list[dict[str, Any]]:
    """What the app sends to a WebSocket scope with these Origin headers, given as an
    ASGI server that passes every header on would give them."""
    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "scheme": "ws",
        "path": "/ws",
        "raw_path": b"/ws",
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", urlsplit(server.url).netloc.encode())]
        + [(b"origin", origin.encode()) for origin in origins],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", server.settings.port),
        "subprotocols": [],
        "state": {},
    }
    incoming: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    incoming.put_nowait({"type": "websocket.connect"})
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "websocket.close":
            incoming.put_nowait({"type": "websocket.disconnect", "code": message["code"]})

    async with asyncio.timeout(10):
        await server.app(scope, incoming.get, send)
    return sent
