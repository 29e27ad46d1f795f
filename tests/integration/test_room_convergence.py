"""500 members over real WebSockets: after a burst of everything, every view converges.

Each simulated client keeps its own view of the room by applying the protocol
(tests/support/room_view.py) and nothing else; the server's `RoomState` is the
truth the views are compared with once the room is quiet. One more member is a
client that stops reading: the server drops it (4408) and it resumes like any other.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import websockets

from teahouse.api.socket import SocketSession, SocketState
from teahouse.live.room import LiveRoom
from tests.support.fake_media import FakeMedia
from tests.support.raw_ws import OP_TEXT, RawWebSocket
from tests.support.room_view import ROOM_STATE_TYPES, Outcome, RoomView, server_state
from tests.support.server import (
    PASSWORD,
    REPLY_TYPES,
    LiveServer,
    eventually,
    free_port,
    open_socket,
    run_server,
    server_settings,
)

MEMBERS = 500
SEND_QUEUE = 16  # small, so that a client that stops reading overflows quickly
AUDIENCE_INTERVAL = 0.1
CLOSE_TOO_SLOW = 4408
STEP = 20.0  # seconds: the deadline of any one step; none is a timing assertion
_refs = itertools.count()


class Viewer:
    """A member's socket, read all the time, applying every room message to a view.

    On a gap it resumes (`join` with `since`); dropped as too slow (4408), it
    reconnects and resumes, as docs/PROTOCOL.md tells clients to.
    """

    def __init__(self, server: LiveServer, uid: str, token: str) -> None:
        self.server = server
        self.id = uid
        self.token = token
        self.ws: Any = None
        self.room: str | None = None
        self.view = RoomView()
        self.removed = False
        self.drops = 0
        self.resumes = 0
        self._replies: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._reader: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        settings = self.server.settings
        self.ws = await open_socket(self.server.url, settings.session_cookie_name, self.token)
        welcome = json.loads(await asyncio.wait_for(self.ws.recv(), STEP))
        assert welcome["type"] == "welcome" and welcome["user"]["id"] == self.id
        self._reader = asyncio.create_task(self._read(self.ws))

    async def request(self, message: dict[str, Any]) -> dict[str, Any]:
        ref = f"q{next(_refs)}"
        reply = self._replies[ref] = asyncio.get_running_loop().create_future()
        await self.ws.send(json.dumps({**message, "id": ref}))
        try:
            return await asyncio.wait_for(reply, STEP)
        finally:
            self._replies.pop(ref, None)

    async def ok(self, message: dict[str, Any]) -> None:
        reply = await self.request(message)
        assert reply["type"] == "ok", (message, reply)

    async def join(self, room: str, since: int | None = None) -> None:
        if since is None:
            self.view = RoomView()
        message: dict[str, Any] = {"type": "join", "room": room}
        if since is not None:
            message["since"] = since
        self.room = room
        await self.ok(message)

    async def leave(self) -> None:
        await self.ok({"type": "leave"})
        self.room = None

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        await self.ws.close()
        self.room = None

    async def _read(self, ws: Any) -> None:
        try:
            async for frame in ws:
                await self._handle(json.loads(frame))
        except websockets.ConnectionClosed as closed:
            if closed.rcvd is not None and closed.rcvd.code == CLOSE_TOO_SLOW:
                self.drops += 1
                asyncio.get_running_loop().create_task(self._reconnect())

    async def _handle(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind in ROOM_STATE_TYPES and self.room is not None:
            if self.view.apply(message) is Outcome.RESUME:
                self.resumes += 1
                since = self.view.version
                await self.ws.send(json.dumps({"type": "join", "room": self.room, "since": since}))
        elif kind in REPLY_TYPES and (reply := self._replies.get(message.get("ref", ""))):
            reply.set_result(message)
        elif kind in ("removed", "room_ended"):
            self.room = None
            self.removed = kind == "removed"

    async def _reconnect(self) -> None:
        await self.connect()
        if self.room is not None:
            await self.join(self.room, since=self.view.version)


@pytest.fixture
async def server(tmp_path: Path, media: FakeMedia) -> AsyncIterator[LiveServer]:
    # The burst is faster than members are allowed to send (docs/SECURITY.md): it is
    # about convergence, so its server's message limits are raised out of the way.
    settings = server_settings(
        tmp_path,
        None,
        free_port(),
        ws_send_queue=SEND_QUEUE,
        audience_interval=AUDIENCE_INTERVAL,
        ws_rate_scale=1000,
        room_delivery_budget=10_000_000,
    )
    async with run_server(settings, media) as live:
        yield live


async def sign_up(server: LiveServer, names: Iterable[str]) -> list[tuple[str, str]]:
    """Members made through the accounts service (no HTTP): (user id, session token)."""
    accounts = server.services.accounts
    made = []
    for name in names:
        code = (await accounts.create_operator_invite(None)).code
        me, token = await accounts.signup(code, name, PASSWORD, None)
        made.append((me["id"], token))
    return made


async def gather_limited(limit: int, jobs: Iterable[Callable[[], Awaitable[None]]]) -> None:
    gate = asyncio.Semaphore(limit)

    async def one(job: Callable[[], Awaitable[None]]) -> None:
        async with gate:
            await job()

    await asyncio.gather(*(one(job) for job in jobs))


def live_room(server: LiveServer, room: str) -> LiveRoom:
    live = server.services.stage.live(room)
    assert live is not None
    return live


async def test_500_members_converge_after_a_burst(server: LiveServer) -> None:
    loop = asyncio.get_running_loop()
    accounts = await sign_up(server, ["mod", *(f"m{i}" for i in range(MEMBERS))])
    mod, *members = [Viewer(server, uid, token) for uid, token in accounts]
    async with server.client(mod.token) as http:
        room: str = (await http.post("/api/rooms", json={"title": "Convergence"})).json()["id"]
    state = live_room(server, room).state
    await mod.connect()
    await mod.join(room)
    slow_id, slow_token = members.pop().id, accounts[-1][1]  # the last one does not read
    m = members  # m[0] .. m[498]
    await gather_limited(50, [member.connect for member in m])

    # -- 400 plain joins: the audience count is coalesced, not one delta per join ----
    joiners = m[:400]
    before = mod.view.listener_changes
    started = loop.time()
    await gather_limited(50, [partial(member.join, room) for member in joiners])
    await eventually(lambda: mod.view.listeners == len(joiners), STEP)
    elapsed = loop.time() - started
    announced = mod.view.listener_changes - before
    periods = elapsed / AUDIENCE_INTERVAL
    # At most one announcement per interval, plus the one at once after a quiet one.
    assert 1 <= announced <= periods + 2, (announced, periods)
    assert announced < len(joiners) / 4, (announced, len(joiners), periods)

    # -- a member who stops reading: its pipeline fills up -------------------------
    headers = {
        "Origin": server.settings.public_origin,
        "Cookie": f"{server.settings.session_cookie_name}={slow_token}",
    }
    slow = await asyncio.to_thread(RawWebSocket, server.url, headers, 4096)
    await asyncio.to_thread(slow.recv_json, "welcome")
    await asyncio.to_thread(slow.send_json, {"type": "join", "room": room})
    slow_view = RoomView()
    slow_view.apply(await asyncio.to_thread(slow.recv_json, "snapshot"))
    session = live_room(server, room).clients[slow_id]
    assert isinstance(session, SocketSession)
    # Audience pages (~7 KB each, no `id` so no `ok`) until the server's writes to it
    # back up and messages start to wait in its queue: from then on it is behind. The
    # kernel takes a lot first (the server's send buffer grows to a few MB on loopback).
    # A few at a time: a batch is answered at once, and more than the queue holds
    # would get the client dropped before the burst.
    page = {"type": "audience", "limit": 100}

    async def backed_up() -> bool:
        for _ in range(5):  # still waiting after a while: its send loop is stuck
            await asyncio.sleep(0.05)
            if session._outgoing.qsize() == 0:
                return False
        return True

    for _ in range(1000):
        await asyncio.to_thread(lambda: [slow.send_json(page) for _ in range(SEND_QUEUE // 2)])
        if await backed_up() or session.state is not SocketState.OPEN:
            break
    assert session._outgoing.qsize() > 0 and session.state is SocketState.OPEN

    # -- the burst ------------------------------------------------------------------
    hands_done = asyncio.Event()

    async def churn() -> None:
        # 79 newcomers; 40 leave, 20 of whom come back; 20 close their socket (their
        # place is kept for a while), 10 of whom reconnect and resume.
        await gather_limited(8, [partial(x.join, room) for x in m[400:]])
        await gather_limited(8, [x.leave for x in m[0:40]])
        await gather_limited(8, [partial(x.join, room) for x in m[0:20]])
        await gather_limited(8, [x.close for x in m[40:60]])
        for x in m[40:50]:
            await x.connect()
            await x.join(room, since=x.view.version)

    async def hands() -> None:
        up, down = {"type": "hand", "raised": True}, {"type": "hand", "raised": False}
        await gather_limited(4, [partial(x.ok, up) for x in m[100:140]])
        await gather_limited(4, [partial(x.ok, down) for x in m[100:110]])
        hands_done.set()

    async def stage() -> None:
        for x in m[140:150]:
            await mod.ok({"type": "invite_to_speak", "user_id": x.id})
        for x in m[140:145]:
            await x.ok({"type": "accept_speak"})
            await x.ok({"type": "mute", "muted": False})  # everyone arrives muted
        for x in m[145:148]:
            await x.ok({"type": "decline_speak"})
        for x in m[150:155]:  # raised hands go straight to the stage
            await x.ok({"type": "hand", "raised": True})
            await mod.ok({"type": "invite_to_speak", "user_id": x.id})
        await mod.ok({"type": "make_moderator", "user_id": m[140].id})
        await m[140].ok({"type": "mute", "muted": True, "user_id": m[141].id})
        await mod.ok({"type": "mute", "muted": True, "user_id": m[142].id})
        await m[143].ok({"type": "mute", "muted": True})
        await m[143].ok({"type": "mute", "muted": False})
        await mod.ok({"type": "move_to_audience", "user_id": m[144].id})
        await m[150].ok({"type": "move_to_audience", "user_id": m[150].id})
        await m[140].ok({"type": "make_moderator", "user_id": m[151].id})
        await mod.ok({"type": "remove_moderator", "user_id": m[151].id})
        await hands_done.wait()
        await mod.ok({"type": "set_hands", "enabled": False})  # lowers every raised hand
        refused = await m[160].request({"type": "hand", "raised": True})
        assert refused["code"] == "hands_disabled"
        await m[140].ok({"type": "set_hands", "enabled": True})
        for x in m[160:165]:
            await x.ok({"type": "hand", "raised": True})
        await mod.ok({"type": "remove_from_room", "user_id": m[170].id})

    await asyncio.gather(churn(), hands(), stage())
    assert session.state is SocketState.CLOSED and session.close_code == CLOSE_TOO_SLOW

    # -- the slow member reads what it got, finds the close, reconnects, resumes -------
    frames = await asyncio.to_thread(slow.read_until_closed)
    slow.close()
    assert frames[-1].close_code == CLOSE_TOO_SLOW
    for frame in frames[:-1]:
        if frame.opcode != OP_TEXT:  # uvicorn's keep-alive ping, on a slow machine
            continue
        message = frame.json()
        if message["type"] in ROOM_STATE_TYPES:
            assert slow_view.apply(message) is Outcome.APPLIED  # a prefix, in order
    assert slow_view.version < state.version
    snapshots = slow_view.snapshots
    resumed = Viewer(server, slow_id, slow_token)
    resumed.view = slow_view
    await resumed.connect()
    await resumed.join(room, since=slow_view.version)

    # -- everyone converges on the server's state -------------------------------------
    assert m[170].removed and m[170].room is None
    refused = await m[170].request({"type": "join", "room": room})
    assert refused["code"] == "removed_from_room"
    viewers = [mod, resumed, *(x for x in m if x.room is not None)]
    assert len(viewers) == 1 + 1 + MEMBERS - 1 - 20 - 10 - 1  # mod, slow; left, closed, removed

    def converged() -> bool:
        truth = server_state(state.snapshot())
        if state.listeners_unannounced:
            return False
        return all(v.view.state() == truth for v in viewers)

    try:
        await eventually(converged, STEP)
    except TimeoutError:
        truth = server_state(state.snapshot())
        behind = [(v.id, v.view.version) for v in viewers if v.view.state() != truth]
        pytest.fail(f"{len(behind)} views differ from version {truth['version']}: {behind[:5]}")
    truth = server_state(state.snapshot())
    on_stage = {uid for uid, p in truth["participants"].items() if p["role"] != "listener"}
    assert len(on_stage) == 1 + 5 + 5 - 2  # mod, 5 accepted, 5 hands; two moved down
    assert truth["settings"] == {"hands": True}
    assert truth["listeners"] == len(state.participants) - len(on_stage)
    # A normal client keeps up: only the one that stopped reading was dropped.
    assert [v.id for v in viewers if v.drops] == []
    # It had missed more deltas than its queue holds: the resume was one snapshot.
    assert resumed.view.snapshots == snapshots + 1

    for viewer in [*viewers, *m[20:40], m[170], *m[50:60]]:
        if viewer.ws is not None:
            await viewer.close()


async def test_a_resume_that_would_overflow_the_queue_gets_a_snapshot(server: LiveServer) -> None:
    mod, bob = await server.member("mod"), await server.member("bob")
    async with mod.http() as http:
        room: str = (await http.post("/api/rooms", json={"title": "Resume"})).json()["id"]
    await mod.connect()
    await mod.join(room)
    await bob.connect()
    await bob.join(room)
    for missed in (3, SEND_QUEUE + 4):
        await bob.request({"type": "ping"})  # everything before it has been read
        seen = bob.version
        bob.inbox.clear()
        await bob.close()
        await eventually(lambda: bob.id not in live_room(server, room).clients)
        for _ in range(missed):  # each mute and unmute is one delta
            muted = live_room(server, room).state.participants[mod.id].muted
            assert (await mod.request({"type": "mute", "muted": not muted}))["type"] == "ok"
        await bob.connect()
        await bob.send({"type": "join", "room": room, "since": seen})
        first = await bob.recv("delta", "snapshot")
        if missed < SEND_QUEUE // 2:
            assert (first["type"], first["version"]) == ("delta", seen + 1)
        else:  # more than its queue takes: one snapshot, and it stays connected
            assert (first["type"], first["version"]) == ("snapshot", seen + missed)
        assert (await bob.request({"type": "ping"}))["type"] == "ok"
    await mod.close()
    await bob.close()
