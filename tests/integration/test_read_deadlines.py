"""A client that sends its request slowly, or never, is cut off; everyone else is
served meanwhile (docs/SECURITY.md, "Slow and heavy requests").

A real server on a loopback port, its deadlines short; the slow clients are raw TCP
connections that write a request the way an attacker's script would.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.fake_media import FakeMedia
from tests.support.server import LiveServer, free_port, run_server, server_settings

DEADLINE = 1.0  # seconds, for the headers and for a body
# How long a slow client keeps at it before the test gives up on the server closing
# it: far beyond the deadline, so only a server that never closes fails.
PATIENCE = 20.0


@pytest.fixture
async def server(tmp_path: Path, media: FakeMedia) -> AsyncIterator[LiveServer]:
    port = free_port()
    settings = server_settings(tmp_path, None, port, header_timeout=DEADLINE, body_timeout=DEADLINE)
    async with run_server(settings, media) as live:
        yield live


async def connect(server: LiveServer) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection("127.0.0.1", server.settings.port)


async def trickle_until_closed(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, data: bytes
) -> bytes:
    """Write ``data`` a byte at a time, a tenth of a second apart, and then nothing;
    what the server sent before it closed the connection (fails if it never does)."""

    async def trickle() -> None:
        with contextlib.suppress(ConnectionError):
            for byte in data:
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(0.1)
            await asyncio.sleep(PATIENCE)

    sender = asyncio.create_task(trickle())
    received = b""
    try:
        async with asyncio.timeout(PATIENCE):
            # Until the server closes. A close that finds our latest byte unread reaches
            # us as a reset (the kernel's RST), which is a close all the same.
            with contextlib.suppress(ConnectionResetError):
                while chunk := await reader.read(65536):
                    received += chunk
            return received
    finally:
        sender.cancel()
        writer.close()


def slow_headers(server: LiveServer) -> bytes:
    # Longer than the deadline at a byte per 0.1 s, and never finished.
    return b"GET /api/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + b"a" * 200


async def test_slow_or_missing_headers_are_cut_off_and_members_served_meanwhile(
    server: LiveServer,
) -> None:
    ada = await server.member("ada")
    silent = [await connect(server) for _ in range(10)]
    slow = [
        asyncio.create_task(trickle_until_closed(*await connect(server), slow_headers(server)))
        for _ in range(10)
    ]
    # While they hold their connections, a member is served as usual.
    async with ada.http() as http:
        response = await http.get("/api/me")
    assert response.status_code == 200 and response.json()["username"] == "ada"

    assert await asyncio.gather(*slow) == [b""] * 10  # closed, nothing answered
    for reader, writer in silent:
        async with asyncio.timeout(PATIENCE):
            assert await reader.read() == b""
        writer.close()


async def test_a_kept_alive_connection_has_the_same_deadline_for_its_next_request(
    server: LiveServer,
) -> None:
    reader, writer = await connect(server)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    head = (await reader.readuntil(b"\r\n\r\n")).decode().lower().split("\r\n")
    assert head[0] == "http/1.1 200 ok"
    length = next(int(line.split(":")[1]) for line in head if line.startswith("content-length"))
    await reader.readexactly(length)
    # The first request was answered and the connection kept; the next one's headers
    # are as late as a slowloris's.
    assert await trickle_until_closed(reader, writer, slow_headers(server)) == b""


async def stalled_body(server: LiveServer, token: str, method: str, path: str) -> bytes:
    """A request that declares 1,000 bytes of body and sends 10; what it gets back."""
    reader, writer = await connect(server)
    cookie = f"{server.settings.session_cookie_name}={token}"
    writer.write(
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: {server.settings.public_origin}"
        f"\r\nCookie: {cookie}\r\nContent-Type: application/json\r\n"
        "Content-Length: 1000\r\n\r\n".encode()
        + b'{"title": '
    )
    return await trickle_until_closed(reader, writer, b"")


@pytest.mark.parametrize(("method", "path"), [("PUT", "/api/me/avatar"), ("POST", "/api/rooms")])
async def test_a_stalled_body_is_answered_request_timeout_and_closed(
    server: LiveServer, method: str, path: str
) -> None:
    ada = await server.member("ada")
    answer = await stalled_body(server, ada.token, method, path)
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0] == "HTTP/1.1 408 Request Timeout"
    assert "connection: close" in [line.lower() for line in lines]
    assert json.loads(body)["error"]["code"] == "request_timeout"
    # Nothing was made of the part that came, and the member is served as before.
    async with ada.http() as http:
        me = await http.get("/api/me")
        rooms = await http.get("/api/rooms")
    assert me.status_code == 200 and rooms.json()["rooms"] == []


async def test_the_deadlines_end_with_the_headers_a_websocket_lives_on(
    server: LiveServer,
) -> None:
    ada = await server.member("ada")
    await ada.connect()
    await asyncio.sleep(DEADLINE * 3)  # well past both deadlines
    await ada.send({"type": "ping"})
    assert (await ada.recv("pong"))["type"] == "pong"
    await ada.close()
