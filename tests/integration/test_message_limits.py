"""One member cannot drop a room: floods of WebSocket messages are refused, never
multiplied to everyone (docs/SECURITY.md, "Message rate limits on the WebSocket").

Each test runs a real server (media faked); the flooder is a raw socket that writes
its whole burst at once, as an attacker's script would, and the other members read
their sockets all the time, keeping their own view of the room from what arrives.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import websockets

from teahouse.realtime.limits import MEMBER_LIMITS, SOCKET_FRAMES, Kind, room_limit
from tests.integration.test_realtime import open_room
from tests.support.fake_media import FakeMedia
from tests.support.raw_ws import OP_CLOSE, OP_TEXT, RawWebSocket
from tests.support.room_view import ROOM_STATE_TYPES, RoomView, server_state
from tests.support.server import (
    LiveServer,
    Member,
    eventually,
    free_port,
    open_socket,
    run_server,
    server_settings,
)

FLOOD = 2000
CLOSED_FOR_FLOODING = "4430 rate_limited"


@dataclass
class Reader:
    """A member's socket read all the time: its view of the room, what it received,
    and how the server closed it, if it did."""

    member: Member
    view: RoomView = field(default_factory=RoomView)
    received: int = 0
    closed_with: int | None = None
    ws: Any = None
    task: asyncio.Task[None] | None = None

    async def start(self, room: str) -> None:
        settings = self.member.server.settings
        self.ws = await open_socket(
            self.member.server.url, settings.session_cookie_name, self.member.token
        )
        self.task = asyncio.create_task(self._read())
        await self.ws.send(json.dumps({"type": "join", "room": room}))
        await eventually(lambda: self.view.ready)

    async def _read(self) -> None:
        try:
            async for frame in self.ws:
                message = json.loads(frame)
                self.received += 1
                if message["type"] in ROOM_STATE_TYPES:
                    self.view.apply(message)
        except websockets.ConnectionClosed as closed:
            self.closed_with = closed.rcvd.code if closed.rcvd else -1

    async def stop(self) -> None:
        await self.ws.close()
        if self.task is not None:
            await self.task


def raw_socket(server: LiveServer, member: Member) -> RawWebSocket:
    headers = {
        "Origin": server.settings.public_origin,
        "Cookie": f"{server.settings.session_cookie_name}={member.token}",
    }
    return RawWebSocket(server.url, headers, 1 << 20)


def about(delta: dict[str, Any], user_id: str) -> bool:
    """Whether a delta changes this member's place in the visible set."""
    return any(
        change.get("user_id") == user_id
        or change.get("participant", {}).get("user", {}).get("id") == user_id
        for change in delta["changes"]
    )


def replies_until_closed(sock: RawWebSocket) -> tuple[list[dict[str, Any]], str]:
    """Every text message until the server closes the socket, and the close frame's
    code and reason ("4430 rate_limited")."""
    messages = []
    for frame in sock.read_until_closed():
        if frame.opcode == OP_TEXT:
            messages.append(frame.json())
        elif frame.opcode == OP_CLOSE:
            return messages, f"{frame.close_code} {frame.close_reason}"
    return messages, ""


async def test_a_flood_of_hand_toggles_does_not_drop_the_room(server: LiveServer) -> None:
    ada, bob, cy, dee, mallory = [
        await server.member(n) for n in ("ada", "bob", "cy", "dee", "mallory")
    ]
    room = await open_room(server, ada)
    await ada.close()
    others = [Reader(m) for m in (ada, bob, cy, dee)]
    for reader in others:
        await reader.start(room)
    live = server.services.stage.live(room)
    assert live is not None
    state = live.state

    flooder = await asyncio.to_thread(raw_socket, server, mallory)
    await asyncio.to_thread(flooder.recv_json, "welcome")
    await asyncio.to_thread(flooder.send_json, {"type": "join", "room": room})
    await asyncio.to_thread(flooder.recv_json, "snapshot")

    def everyone_at(version: int) -> bool:
        return not state.listeners_unannounced and all(r.view.version == version for r in others)

    await eventually(lambda: everyone_at(state.version))
    before = {r.member.username: r.view.deltas for r in others}

    # 2,000 hand toggles in one write, up, down, up, down, ..., without ids (so
    # the flooder's own replies do not get it dropped first).
    flood = [{"type": "hand", "raised": i % 2 == 0} for i in range(FLOOD)]
    await asyncio.to_thread(flooder.send_burst, flood)
    replies, closed = await asyncio.to_thread(replies_until_closed, flooder)
    flooder.close()

    # Nobody else was dropped, and every view converges on the server's state.
    dropped = lambda: any(r.closed_with is not None for r in others)  # noqa: E731
    await eventually(lambda: everyone_at(state.version) or dropped())
    assert {r.member.username: r.closed_with for r in others} == dict.fromkeys(before)
    truth = server_state(state.snapshot())
    assert all(r.view.state() == truth for r in others)

    # The flooder was refused with the documented code, then closed with its own.
    errors = [r["code"] for r in replies if r["type"] == "error"]
    assert set(errors) == {"rate_limited"}
    assert closed == CLOSED_FOR_FLOODING
    assert len(replies) < FLOOD // 10

    # The room is what the accepted toggles made: each one flipped the hand (from
    # down) and reached everyone, the flooder too, as one delta.
    accepted = sum(r["type"] == "delta" and about(r, mallory.id) for r in replies)
    assert state.participants[mallory.id].hand_raised is (accepted % 2 == 1)
    received = {r.member.username: r.view.deltas - before[r.member.username] for r in others}
    print(f"\n{FLOOD} hand toggles: {accepted} accepted; deltas each other member got: {received}")
    assert set(received.values()) == {accepted}
    for reader in others:
        await reader.stop()


# -- each kind of message, several sockets, junk, a busy room ---------------------------


def freeze(server: LiveServer) -> None:
    """Stop the limits' clock, so that no budget refills while a test counts."""
    budgets, stage = server.services.message_budgets, server.services.stage
    now = budgets.clock()
    budgets.clock = lambda: now
    at = stage.clock()
    stage.clock = lambda: at


# (kind, who sends it, the message as a function of its turn, the same kind sent before)
KIND_CASES = [
    (Kind.PING, "bob", lambda i, v: {"type": "ping"}, 0),
    (Kind.MEMBERSHIP, "bob", lambda i, v: {"type": "join", "room": v["room"], "since": 0}, 1),
    (Kind.OWN, "bob", lambda i, v: {"type": "hand", "raised": i % 2 == 0}, 0),
    (Kind.MODERATION, "ada", lambda i, v: {"type": "set_hands", "enabled": i % 2 == 1}, 0),
    (Kind.MEDIA, "ada", lambda i, v: {"type": "unpublish"}, 0),
    (Kind.ANSWER, "bob", lambda i, v: {"type": "subscribe_answer", "sdp": "v=0"}, 0),
    (Kind.AUDIENCE, "bob", lambda i, v: {"type": "audience", "limit": 1}, 0),
]


@pytest.mark.parametrize(
    ("kind", "sender", "message", "used"), KIND_CASES, ids=[c[0].value for c in KIND_CASES]
)
async def test_every_kind_of_message_is_refused_past_its_members_budget(
    server: LiveServer,
    kind: Kind,
    sender: str,
    message: Callable[[int, dict[str, str]], dict[str, Any]],
    used: int,
) -> None:
    ada, bob = await server.member("ada"), await server.member("bob")
    room = await open_room(server, ada)
    await bob.connect()
    await bob.join(room)
    freeze(server)
    member = {"ada": ada, "bob": bob}[sender]
    state = server.services.stage.live(room).state  # type: ignore[union-attr]
    burst = int(MEMBER_LIMITS[kind].burst)
    for turn in range(burst - used):
        reply = await member.request(message(turn, {"room": room}))
        assert reply.get("code") != "rate_limited", (turn, reply)
    version = state.version
    refused = await member.request(message(burst, {"room": room}))
    assert refused["code"] == "rate_limited" and refused["retry_after"] >= 1
    assert refused["ref"] and state.version == version  # answered, and nothing changed
    # The socket stays open, and other kinds still have their budgets.
    other = {"type": "audience"} if kind is Kind.PING else {"type": "ping"}
    assert (await member.request(other))["type"] == "ok"
    for one in (ada, bob):
        await one.close()


async def test_a_members_sockets_share_one_budget_that_reconnecting_does_not_refill(
    server: LiveServer,
) -> None:
    bob = await server.member("bob")
    tabs = [Member(server, bob.username, bob.id, bob.token) for _ in range(3)]
    for tab in tabs:
        await tab.connect()
    freeze(server)
    answers = [(await tabs[i % 3].request({"type": "ping"}))["type"] for i in range(30)]
    burst = int(MEMBER_LIMITS[Kind.PING].burst)
    assert answers == ["ok"] * burst + ["error"] * (30 - burst)
    for tab in tabs:
        await tab.close()
    again = Member(server, bob.username, bob.id, bob.token)
    await again.connect()
    assert (await again.request({"type": "ping"}))["code"] == "rate_limited"
    # Time refills it: one ping's worth.
    budgets = server.services.message_budgets
    later = budgets.clock() + 1 / MEMBER_LIMITS[Kind.PING].per_second
    budgets.clock = lambda: later
    assert (await again.request({"type": "ping"}))["type"] == "ok"
    assert (await again.request({"type": "ping"}))["code"] == "rate_limited"
    await again.close()


async def test_a_flood_of_junk_closes_the_flooders_socket_only(server: LiveServer) -> None:
    ada, bob, mallory = [await server.member(n) for n in ("ada", "bob", "mallory")]
    room = await open_room(server, ada)
    await bob.connect()
    await bob.join(room)
    flooder = await asyncio.to_thread(raw_socket, server, mallory)
    await asyncio.to_thread(flooder.recv_json, "welcome")
    junk = [{"type": "nonsense", "id": f"j{i}"} for i in range(FLOOD)]
    await asyncio.to_thread(flooder.send_burst, junk)
    replies, closed = await asyncio.to_thread(replies_until_closed, flooder)
    flooder.close()
    # Read (and answered as junk) while within budget, then refused, then closed.
    codes = [r["code"] for r in replies]
    frames = int(SOCKET_FRAMES.burst)
    assert codes[:frames] == ["unknown_type"] * frames
    assert set(codes[frames:]) == {"rate_limited"} and len(codes) < FLOOD // 10
    assert [r["ref"] for r in replies] == [f"j{i}" for i in range(len(replies))]
    assert closed == CLOSED_FOR_FLOODING
    # The others never noticed; the flooder may come back and is served.
    assert (await bob.request({"type": "hand", "raised": True}))["type"] == "ok"
    await ada.upsert(bob.id, hand_raised=True)
    await mallory.connect()
    assert (await mallory.request({"type": "ping"}))["type"] == "ok"
    for one in (ada, bob, mallory):
        await one.close()


SMALL_QUEUE = 128


@pytest.fixture
async def small_queue_server(tmp_path: Path, media: FakeMedia) -> AsyncIterator[LiveServer]:
    settings = server_settings(tmp_path, None, free_port(), ws_send_queue=SMALL_QUEUE)
    async with run_server(settings, media) as live:
        yield live


async def test_many_listeners_flooding_together_do_not_drop_the_room(
    small_queue_server: LiveServer,
) -> None:
    """Each of 30 listeners stays within its own budget (10 toggles), but together
    they send 300, more than a member's queue holds (128): the room passes on only
    what it can, and refuses the rest."""
    server = small_queue_server
    ada = await server.member("ada")
    room = await open_room(server, ada)
    await ada.close()
    others = [Reader(ada), *[Reader(await server.member(f"r{i}")) for i in range(9)]]
    for reader in others:
        await reader.start(room)
    flooders = []
    for i in range(30):
        member = await server.member(f"f{i}")
        sock = await asyncio.to_thread(raw_socket, server, member)
        await asyncio.to_thread(sock.recv_json, "welcome")
        await asyncio.to_thread(sock.send_json, {"type": "join", "room": room, "id": "in"})
        await asyncio.to_thread(sock.recv_json, "ok")
        flooders.append((member, sock))
    live = server.services.stage.live(room)
    assert live is not None
    state = live.state
    await eventually(
        lambda: (
            not state.listeners_unannounced and all(r.view.version == state.version for r in others)
        )
    )

    toggles = [{"type": "hand", "raised": i % 2 == 0, "id": f"t{i}"} for i in range(10)]
    await asyncio.to_thread(lambda: [sock.send_burst(toggles) for _, sock in flooders])

    def answers(sock: RawWebSocket) -> list[dict[str, Any]]:
        """The answers to the toggles (fewer if the server closes the socket)."""
        got: list[dict[str, Any]] = []
        while len(got) < len(toggles):
            frame = sock.recv_frame()
            if frame.opcode == OP_CLOSE:
                break
            if frame.opcode == OP_TEXT and frame.json()["type"] in ("ok", "error"):
                got.append(frame.json())
        sock.close()
        return got

    replies = [await asyncio.to_thread(answers, sock) for _, sock in flooders]
    dropped = lambda: any(r.closed_with is not None for r in others)  # noqa: E731
    await eventually(lambda: all(r.view.version == state.version for r in others) or dropped())
    assert [r.closed_with for r in others] == [None] * len(others)
    truth = server_state(state.snapshot())
    assert all(r.view.state() == truth for r in others)
    assert [len(rs) for rs in replies] == [len(toggles)] * len(flooders)
    # Each flooder's hand is where its accepted toggles (alternating, from down) left it.
    codes = {r.get("code") for rs in replies for r in rs if r["type"] == "error"}
    assert "room_busy" in codes
    for (member, _), rs in zip(flooders, replies, strict=True):
        accepted = sum(r["type"] == "ok" for r in rs)
        assert state.participants[member.id].hand_raised is (accepted % 2 == 1)
    accepted = sum(r["type"] == "ok" for rs in replies for r in rs)
    print(f"\n300 toggles from 30 listeners: {accepted} accepted")
    assert 0 < accepted < SMALL_QUEUE
    for reader in others:
        await reader.stop()


@pytest.fixture
async def small_budget_server(tmp_path: Path, media: FakeMedia) -> AsyncIterator[LiveServer]:
    settings = server_settings(tmp_path, None, free_port(), room_delivery_budget=100)
    async with run_server(settings, media) as live:
        yield live


async def test_a_busy_room_refuses_its_audience_but_not_its_moderators(
    small_budget_server: LiveServer,
) -> None:
    server = small_budget_server
    ada = await server.member("ada")
    room = await open_room(server, ada)
    listeners = [await server.member(f"m{i}") for i in range(10)]
    for one in listeners:
        await one.connect()
        await one.join(room)
    freeze(server)
    # 11 sockets: 100 / 11 changes a second, two seconds' worth (18) at once.
    limit = room_limit(11, 100, server.settings.ws_send_queue)
    assert int(limit.burst) == 18
    state = server.services.stage.live(room).state  # type: ignore[union-attr]
    ups = [(await one.request({"type": "hand", "raised": True}))["type"] for one in listeners]
    downs = [await one.request({"type": "hand", "raised": False}) for one in listeners]
    assert ups == ["ok"] * 10
    assert [d["type"] for d in downs] == ["ok"] * 8 + ["error"] * 2
    assert {d["code"] for d in downs[8:]} == {"room_busy"}
    assert [state.participants[one.id].hand_raised for one in listeners] == [False] * 8 + [True] * 2
    # The moderators still run the room: one of the raised hands goes up to speak.
    invite = {"type": "invite_to_speak", "user_id": listeners[9].id}
    assert (await ada.request(invite))["type"] == "ok"
    assert state.participants[listeners[9].id].role == "speaker"
    # As the budget refills, the audience is heard again.
    stage = server.services.stage
    later = stage.clock() + 1 / limit.per_second
    stage.clock = lambda: later
    assert (await listeners[8].request({"type": "hand", "raised": False}))["type"] == "ok"
    refused = await listeners[0].request({"type": "hand", "raised": True})
    assert refused["code"] == "room_busy" and refused["retry_after"] >= 1
    # Nobody was dropped, and everyone has had every delta (a reply comes after them).
    for one in [ada, *listeners]:
        assert (await one.request({"type": "audience", "limit": 1}))["type"] == "ok"
    assert {one.version for one in [ada, *listeners]} == {state.version}
    for one in [ada, *listeners]:
        await one.close()
