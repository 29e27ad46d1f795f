"""Stopping `teahouse serve` ends no room (docs/OPERATIONS.md, "Restarts"). SIGTERM
(systemd's stop, `kill`, an upgrade) closes every socket with 1012 (the server is
restarting: reconnect) and saves every live room; a crash (SIGKILL) loses at most the
last half second. Started again, the rooms are back: a member who reconnects resumes
from their version (or, after a crash, gets a snapshot), and is told the media
restarted. A real process, a real signal."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from teahouse.errors import CloseCode
from tests.support.replicas import socket
from tests.support.serve_process import teahouse_serve
from tests.support.stub_janus import stub_janus


async def _until_ok(ws: ClientConnection, ref: str) -> list[dict[str, Any]]:
    """What the socket receives up to the `ok` (or `error`) of request ``ref``."""
    received: list[dict[str, Any]] = []
    async with asyncio.timeout(10):
        while True:
            message = json.loads(await ws.recv())
            received.append(message)
            if message.get("ref") == ref:
                return received


async def _join(ws: ClientConnection, room: str, ref: str, since: int | None = None) -> list[Any]:
    await ws.send(json.dumps({"type": "join", "room": room, "id": ref, "since": since}))
    return await _until_ok(ws, ref)


async def _until_closed(ws: ClientConnection) -> tuple[list[dict[str, Any]], int | None]:
    """Every message the socket receives until it closes, and the close code."""
    received: list[dict[str, Any]] = []
    try:
        async for frame in ws:
            received.append(json.loads(frame))
    except ConnectionClosed:
        pass
    return received, ws.close_code


def _version(messages: list[dict[str, Any]], start: int) -> int:
    for message in messages:
        if message["type"] == "snapshot":
            start = message["version"]
        elif message["type"] == "delta":
            assert message["version"] == start + 1, messages
            start = message["version"]
    return start


async def test_sigterm_saves_the_rooms_and_the_next_process_brings_them_back(
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

        host = await socket(server, ada)
        host_version = _version(await _join(host, room, "1"), 0)
        listener = await socket(server, bob)
        bob_version = _version(await _join(listener, room, "1"), 0)
        await listener.send(json.dumps({"type": "hand", "raised": True, "id": "2"}))
        bob_version = _version(await _until_ok(listener, "2"), bob_version)
        hallway = await socket(server, bob)  # a second tab, in no room

        # uvicorn re-raises the signal once it has shut down, so the exit is "killed by
        # SIGTERM", which systemd counts as a clean stop.
        assert await server.stop(signal.SIGTERM) == -signal.SIGTERM
        for ws in (host, listener, hallway):
            received, close_code = await _until_closed(ws)
            assert [m for m in received if m["type"] == "room_ended"] == []
            assert close_code == CloseCode.SERVER_RESTART == 1012

    async with stub_janus() as janus_url, teahouse_serve(tmp_path, janus_url=janus_url) as again:
        async with again.client(ada) as http:
            response = await http.get(f"/api/rooms/{room}")
            assert response.status_code == 200, response.text
        # Bob resumes from where he was: the deltas since (nobody publishes now), then
        # word that the media restarted, then `ok`.
        listener = await socket(again, bob)
        resumed = await _join(listener, room, "3", since=bob_version)
        kinds = [m["type"] for m in resumed]
        assert "snapshot" not in kinds, resumed
        assert kinds[-2:] == ["media_status", "ok"] and resumed[-2]["state"] == "restarted"
        bob_version = _version(resumed, bob_version)
        # His raised hand is still up, and the host sees the same room.
        host = await socket(again, ada)
        host_resumed = await _join(host, room, "1", since=host_version)
        assert _version(host_resumed, host_version) == bob_version
        assert [m["type"] for m in host_resumed][-2:] == ["media_status", "ok"]
        fresh = await socket(again, ada)  # a new tab: a snapshot to compare with
        view = next(m for m in await _join(fresh, room, "9") if m["type"] == "snapshot")
        assert view["version"] == bob_version
        hands = [p["user"]["username"] for p in view["participants"] if p["hand_raised"]]
        assert hands == ["bob"]


async def test_after_sigkill_the_room_is_back_and_resumes_get_a_snapshot(tmp_path: Path) -> None:
    async with stub_janus() as janus_url, teahouse_serve(tmp_path, janus_url=janus_url) as server:
        ada = await server.signup(await server.invite_code(), "ada")
        async with server.client(ada) as http:
            room = (await http.post("/api/rooms", json={"title": "Crash tea"})).json()["id"]
        host = await socket(server, ada)
        version = _version(await _join(host, room, "1"), 0)
        await host.send(json.dumps({"type": "set_hands", "enabled": False, "id": "2"}))
        version = _version(await _until_ok(host, "2"), version)
        await asyncio.sleep(1.0)  # the keeper saves twice a second
        assert await server.stop(signal.SIGKILL) == -signal.SIGKILL

    async with stub_janus() as janus_url, teahouse_serve(tmp_path, janus_url=janus_url) as again:
        host = await socket(again, ada)
        resumed = await _join(host, room, "3", since=version)
        assert [m["type"] for m in resumed] == ["snapshot", "media_status", "ok"], resumed
        assert resumed[0]["version"] > version  # the lineage never goes back
        assert resumed[0]["settings"]["hands"] is False  # the saved change survived the crash


async def test_a_room_whose_members_do_not_come_back_ends_after_the_grace(
    tmp_path: Path,
) -> None:
    grace = {"reconnect_grace": "1"}
    async with (
        stub_janus() as janus_url,
        teahouse_serve(tmp_path, janus_url=janus_url, **grace) as server,
    ):
        ada = await server.signup(await server.invite_code(), "ada")
        async with server.client(ada) as http:
            room = (await http.post("/api/rooms", json={"title": "Nobody home"})).json()["id"]
        await _join(await socket(server, ada), room, "1")
        await server.stop(signal.SIGTERM)

    async with (
        stub_janus() as janus_url,
        teahouse_serve(tmp_path, janus_url=janus_url, **grace) as again,
        again.client(ada) as http,
    ):
        assert (await http.get(f"/api/rooms/{room}")).status_code == 200  # back, for now
        async with asyncio.timeout(10):
            while (response := await http.get(f"/api/rooms/{room}")).status_code == 200:  # noqa: ASYNC110 (another process)
                await asyncio.sleep(0.2)
        assert (response.status_code, response.json()["error"]["code"]) == (409, "room_ended")
