"""1,200 malformed, forbidden and out-of-order messages: each gets an error, the room
stays exactly as it was, and well-behaved members go on being served."""

from __future__ import annotations

import copy
import json
import random
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from teahouse.realtime.client_messages import CLIENT_TYPES
from tests.integration.test_realtime import open_room
from tests.support.fake_media import FakeMedia
from tests.support.server import LiveServer, eventually, free_port, run_server, server_settings

KNOWN_TYPES = sorted(CLIENT_TYPES)  # every type a client may send


def garbage(rng: random.Random, depth: int = 0) -> Any:
    kinds = ["int", "float", "str", "bool", "null", "list", "dict"] if depth < 4 else ["str"]
    kind = rng.choice(kinds)
    if kind == "int":
        return rng.choice([0, -1, 2**63, -(2**70), rng.randint(-1000, 1000)])
    if kind == "float":
        return rng.choice([0.5, -1e308, 1e-9])
    if kind == "str":
        return "".join(
            rng.choice('aZ09_-\u00e9\u4e2d\U0001f600\x00"\\') for _ in range(rng.randint(0, 40))
        )
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "null":
        return None
    if kind == "list":
        return [garbage(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {garbage(rng, 4): garbage(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def bad_frames(rng: random.Random, room: str, moderator: str, count: int) -> Iterator[str | bytes]:
    """Frames that must each be refused by a listener's connection."""
    forbidden = [  # well-formed, but not allowed for a listener, or out of order
        {"type": "invite_to_speak", "user_id": moderator},
        {"type": "move_to_audience", "user_id": moderator},
        {"type": "mute", "muted": True},
        {"type": "mute", "muted": False},
        {"type": "publish", "sdp": "v=0\r\n"},
        {"type": "accept_speak"},
        {"type": "decline_speak"},
        {"type": "hand", "raised": False},
        {"type": "subscribe_answer", "sdp": "v=0\r\n"},
        {"type": "join", "room": "B" * 22},
    ]
    for i in range(count):
        choice = i % 8
        if choice == 0:
            yield json.dumps(garbage(rng))
        elif choice == 1:  # a known type with one field too many or of the wrong type
            message = {"type": rng.choice(KNOWN_TYPES), "surprise": garbage(rng)}
            yield json.dumps(message)
        elif choice == 2:
            yield json.dumps(
                {
                    "type": rng.choice(["hand", "mute"]),
                    rng.choice(["raised", "muted"]): rng.choice(["yes", 1, None, []]),
                }
            )
        elif choice == 3:
            yield json.dumps(
                {"type": garbage(rng) if rng.random() < 0.5 else "x" + rng.choice(KNOWN_TYPES)}
            )
        elif choice == 4:
            yield rng.choice(["", "{", "}", "[" * 3000, "\x00", "nul", '{"type": "join"'])
        elif choice == 5:
            yield json.dumps({"type": "publish", "sdp": "x" * 70000})  # over the frame limit
        elif choice == 6:
            yield bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 64)))
        else:
            message = dict(rng.choice(forbidden))
            message["id"] = f"m{i}"
            yield json.dumps(message)


@pytest.fixture
async def server(tmp_path: Path, media: FakeMedia) -> AsyncIterator[LiveServer]:
    """The storm is far faster than a member may send (tests/integration/
    test_message_limits.py refuses it): here every frame must be read, so the
    server's message limits are raised out of the way."""
    settings = server_settings(tmp_path, None, free_port(), ws_rate_scale=1000)
    async with run_server(settings, media) as live:
        yield live


async def test_a_storm_of_bad_messages_changes_nothing(server: LiveServer) -> None:
    ada, bob, mallory = [await server.member(n) for n in ("ada", "bob", "mallory")]
    room = await open_room(server, ada)
    for member in (bob, mallory):
        await member.connect()
        await member.join(room)
    state = server.services.stage.live(room).state  # type: ignore[union-attr]
    # The audience count of the joins is announced a moment later: let it go first.
    await eventually(lambda: not state.listeners_unannounced)
    before = (state.version, copy.deepcopy(state.participants))

    replies: dict[str, int] = {}
    frames = list(bad_frames(random.Random(20261123), room, ada.id, 1200))
    for frame in frames:
        await mallory.ws.send(frame)
        reply = await mallory.recv()
        while reply["type"] == "delta":  # the room's coalesced news may arrive meanwhile
            reply = await mallory.recv()
        assert reply["type"] == "error", (frame[:200], reply)
        replies[reply["code"]] = replies.get(reply["code"], 0) + 1
    assert sum(replies.values()) == len(frames) >= 1000
    assert {
        "malformed_message",
        "unknown_type",
        "message_too_large",
        "not_moderator",
        "not_speaker",
        "wrong_state",
        "room_not_found",
    } <= set(replies), replies
    assert (state.version, state.participants) == before

    # The same connection and everyone else are still served.
    assert (await mallory.request({"type": "ping"}))["type"] == "ok"
    assert (await bob.request({"type": "hand", "raised": True}))["type"] == "ok"
    await ada.upsert(bob.id, hand_raised=True)
    for member in (ada, bob, mallory):
        await member.close()
