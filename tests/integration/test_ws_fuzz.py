"""100,000 hypothesis-made frames from a listener (tests/support/ws_fuzz.py): each
is answered as docs/PROTOCOL.md says, the room stays exactly as it was, and a member
in the room who pings meanwhile is served throughout (their ping times are printed,
never asserted: bench/ws_fuzz.py measures them against a run without the fuzzing)."""

from __future__ import annotations

import asyncio
import copy
import statistics
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.fake_media import FakeMedia
from tests.support.server import (
    LiveServer,
    Member,
    eventually,
    free_port,
    run_server,
    server_settings,
)
from tests.support.ws_fuzz import NO_KEEPALIVE, Room, fuzz_socket, join_sync, last_ping

FRAMES = 100_000


@pytest.fixture
async def server(tmp_path: Path, media: FakeMedia) -> AsyncIterator[LiveServer]:
    """A listener may send 40 frames a second (docs/SECURITY.md): the fuzzing sends
    thousands, so every limit is raised a thousandfold (``ws_rate_scale``, for every
    member alike) rather than spreading the frames over hundreds of members."""
    settings = server_settings(tmp_path, None, free_port(), ws_rate_scale=1000)
    async with run_server(settings, media, ws_ping_interval=NO_KEEPALIVE) as live:
        yield live


async def ping_meanwhile(member: Member, stop: asyncio.Event, times: list[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        assert (await member.request({"type": "ping"}))["type"] == "ok"
        times.append(time.perf_counter() - started)
        await asyncio.sleep(0.01)


async def test_a_hundred_thousand_fuzzed_frames_change_nothing(server: LiveServer) -> None:
    ada, bob, mallory = [await server.member(n) for n in ("ada", "bob", "mallory")]
    async with ada.http() as http:
        room_id = (await http.post("/api/rooms", json={"title": "Fuzzing"})).json()["id"]
    for member in (ada, bob):
        await member.connect(ping_interval=NO_KEEPALIVE)
        await member.join(room_id)
    cookie = server.settings.session_cookie_name
    ws = await asyncio.to_thread(join_sync, server.url, cookie, mallory.token, room_id)
    state = server.services.stage.live(room_id).state  # type: ignore[union-attr]
    await eventually(lambda: not state.listeners_unannounced)
    before = (state.version, copy.deepcopy(state.participants))

    stop, times = asyncio.Event(), list[float]()
    pinger = asyncio.create_task(ping_meanwhile(bob, stop, times))
    started = time.perf_counter()
    try:
        room = Room(moderator=ada.id, listener=bob.id)
        tally = await asyncio.to_thread(fuzz_socket, ws, room, FRAMES)
    finally:
        stop.set()
        await pinger
    took = time.perf_counter() - started

    quantiles = statistics.quantiles(times, n=100)
    print(
        f"{tally.frames} frames in {took:.1f} s ({tally.served} served), "
        f"{len(times)} pings meanwhile: p50 {quantiles[49] * 1000:.2f} ms, "
        f"p99 {quantiles[98] * 1000:.2f} ms"
    )
    assert tally.frames >= FRAMES
    assert (state.version, state.participants) == before
    # The fuzzing socket and everyone else are still served.
    assert await asyncio.to_thread(last_ping, ws) == [
        {"type": "pong"},
        {"type": "ok", "ref": "last"},
    ]
    assert (await bob.request({"type": "hand", "raised": True}))["type"] == "ok"
    await ada.upsert(bob.id, hand_raised=True)
    ws.close()
    for member in (ada, bob):
        await member.close()
