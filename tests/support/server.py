"""A real Teahouse server on a loopback port, and members who talk to it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
import websockets
from fastapi import FastAPI

from teahouse.app import create_app
from teahouse.app import uvicorn_options as serving_options
from teahouse.config import Settings, load_settings
from teahouse.media.base import MediaBackend
from teahouse.realtime.server_messages import ErrorMessage, OkMessage
from teahouse.realtime.wire import literal_of
from teahouse.services import Services
from tests.support.room_view import ROOM_STATE_TYPES

PASSWORD = "correct horse battery"
# What answers a message sent with an `id`.
REPLY_TYPES = frozenset({literal_of(OkMessage), literal_of(ErrorMessage)})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_settings(data_dir: Path, database_url: str | None, port: int, **extra: Any) -> Settings:
    defaults: dict[str, Any] = {
        "public_url": f"http://127.0.0.1:{port}",
        "argon2_time_cost": 1,
        "argon2_memory_kib": 64,
    }
    return load_settings(
        data_dir=data_dir, database_url=database_url, port=port, **{**defaults, **extra}
    )


@dataclass
class LiveServer:
    app: FastAPI
    settings: Settings
    url: str

    @property
    def services(self) -> Services:
        found: Services = self.app.state.services
        return found

    def client(self, token: str | None = None) -> httpx.AsyncClient:
        headers = {"origin": self.settings.public_origin}
        if token:
            headers["cookie"] = f"{self.settings.session_cookie_name}={token}"
        return httpx.AsyncClient(base_url=self.url, headers=headers, timeout=30)

    async def invite_code(self) -> str:
        invite = await self.services.accounts.create_operator_invite(None)
        return invite.code

    async def member(self, username: str) -> Member:
        code = await self.invite_code()
        async with self.client() as http:
            response = await http.post(
                "/api/signup", json={"code": code, "username": username, "password": PASSWORD}
            )
            assert response.status_code == 201, response.text
            token = response.cookies[self.settings.session_cookie_name]
        return Member(self, username, response.json()["id"], token)


@contextlib.asynccontextmanager
async def run_server(
    settings: Settings,
    media: MediaBackend | None,
    also_on: list[socket.socket] | None = None,
    **uvicorn_options: Any,
) -> AsyncIterator[LiveServer]:
    """The app served by uvicorn on this event loop; ``uvicorn_options`` override
    its config (benchmarks compare e.g. ``ws_per_message_deflate``). ``also_on``:
    listening sockets it serves besides its own (e.g. one in another namespace)."""
    app = create_app(settings, media)
    config = uvicorn.Config(app, **{**serving_options(settings), **uvicorn_options})
    server = uvicorn.Server(config)
    sockets = [config.bind_socket(), *also_on] if also_on else None
    task = asyncio.create_task(server.serve(sockets=sockets))
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield LiveServer(app, settings, f"http://127.0.0.1:{settings.port}")
    finally:
        server.should_exit = True
        await task


async def open_socket(base_url: str, cookie_name: str, token: str, **options: Any) -> Any:
    """A member's WebSocket to ``base_url``/ws, as a browser on that origin opens it;
    ``options`` go to ``websockets.connect``.

    Needs no :class:`LiveServer`: benchmarks open sockets from another process.
    """
    return await websockets.connect(
        base_url.replace("http", "ws", 1) + "/ws",
        additional_headers={"origin": base_url, "cookie": f"{cookie_name}={token}"},
        max_size=None,
        **options,
    )


@dataclass
class Member:
    server: LiveServer
    username: str
    id: str
    token: str
    ws: Any = None
    version: int = 0
    inbox: list[dict[str, Any]] = field(default_factory=list)

    def http(self) -> httpx.AsyncClient:
        return self.server.client(self.token)

    async def connect(self, **options: Any) -> dict[str, Any]:
        self.ws = await open_socket(
            self.server.url, self.server.settings.session_cookie_name, self.token, **options
        )
        return await self.recv("welcome")

    async def send(self, message: dict[str, Any] | str) -> None:
        await self.ws.send(message if isinstance(message, str) else json.dumps(message))

    async def recv(self, *types: str, timeout: float = 10) -> dict[str, Any]:
        """The next message of one of ``types`` (others are kept in ``inbox``)."""
        for kept in self.inbox:
            if not types or kept["type"] in types:
                self.inbox.remove(kept)
                return kept
        async with asyncio.timeout(timeout):
            while True:
                message: dict[str, Any] = json.loads(await self.ws.recv())
                if message["type"] in ROOM_STATE_TYPES:
                    self.version = message["version"]
                if not types or message["type"] in types:
                    return message
                self.inbox.append(message)

    async def upsert(self, user_id: str, **fields: Any) -> dict[str, Any]:
        """Wait for a delta that shows ``user_id`` with these participant fields."""
        while True:
            delta = await self.recv("delta")
            for change in delta["changes"]:
                p = change.get("participant")
                if p and p["user"]["id"] == user_id and all(p[k] == v for k, v in fields.items()):
                    return p  # type: ignore[no-any-return]

    async def request(self, message: dict[str, Any], timeout: float = 10) -> dict[str, Any]:
        """Send with an id and return the `ok` or `error` that answers it."""
        ref = f"r{id(message)}"
        await self.send({**message, "id": ref})
        async with asyncio.timeout(timeout):
            while True:
                reply: dict[str, Any] = json.loads(await self.ws.recv())
                if reply["type"] in ROOM_STATE_TYPES:
                    self.version = reply["version"]
                if reply["type"] in REPLY_TYPES and reply.get("ref") == ref:
                    return reply
                self.inbox.append(reply)

    async def join(self, room_id: str) -> dict[str, Any]:
        await self.send({"type": "join", "room": room_id})
        return await self.recv("snapshot")

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def eventually(condition: Any, timeout: float = 5.0) -> None:
    """Wait until ``condition()`` holds (for effects that follow a reply)."""
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110 (polls state owned by the server)
            await asyncio.sleep(0.02)
