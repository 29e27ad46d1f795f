"""A socket lives no longer than its session: over a fake wire, the socket session
acts on nothing it reads once its session ended, closes when it expires, and closes
at once when its session ended between the handshake and its registration."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from typing import Any, cast

from starlette.websockets import WebSocket

from teahouse.api.socket import SocketLogin, SocketSession
from teahouse.bus.local import LocalBus
from teahouse.cursor_seal import CursorSeal
from teahouse.domain.clock import utcnow
from teahouse.domain.room_changes import UserRef
from teahouse.live.ownership import SingleProcess
from teahouse.live.stage import Stage
from teahouse.realtime.limits import MemberBudgets
from teahouse.realtime.presence import Presence
from teahouse.replicas.room_calls import RoomCalls
from teahouse.replicas.room_router import RoomRouter
from teahouse.rooms.rooms import Rooms
from tests.support.fake_media import FakeMedia

SAM = UserRef("sam", "sam", "Sam")
JOIN = json.dumps({"type": "join", "room": "r" * 22, "id": "j"})


class Wire:
    """The server's end of a WebSocket: hands out ``frames``, then waits for the close."""

    def __init__(self, *frames: str) -> None:
        self.frames = list(frames)
        self.sent: list[str] = []
        self.closed: int | None = None
        self.before_receive: list[Any] = []
        self._closed = asyncio.Event()

    async def receive(self) -> dict[str, Any]:
        if self.before_receive:
            self.before_receive.pop(0)()
        if self.frames:
            return {"type": "websocket.receive", "text": self.frames.pop(0)}
        await self._closed.wait()
        return {"type": "websocket.disconnect", "code": self.closed}

    async def send_text(self, text: str) -> None:
        self.sent.append(text)

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        self.closed = code
        self._closed.set()


class NoRooms:
    """Rooms that must never be asked: nothing may be dispatched."""

    asked: list[str]

    def __init__(self) -> None:
        self.asked = []

    async def enterable(self, user_id: str, room_id: str, *_: object) -> None:
        self.asked.append(room_id)
        raise AssertionError("a frame of an ended session was dispatched")


def socket(wire: Wire, rooms: NoRooms, presence: Presence, login: SocketLogin) -> SocketSession:
    stage = Stage(cast(Rooms, rooms), FakeMedia())
    calls = RoomCalls(stage, cast(Rooms, rooms), CursorSeal(lambda: bytes(32)))
    return SocketSession(
        cast(WebSocket, wire),
        SAM,
        RoomRouter(calls, LocalBus(), SingleProcess("here")),
        65536,
        budgets=MemberBudgets(),
        presence=presence,
        login=login,
    )


def login(expires_at: datetime | None = None, *, valid: bool = True) -> SocketLogin:
    async def still_valid() -> bool:
        return valid

    return SocketLogin("s1", expires_at or utcnow() + timedelta(days=1), still_valid)


async def test_a_frame_read_after_the_session_ended_is_not_acted_on() -> None:
    wire, rooms, presence = Wire(JOIN), NoRooms(), Presence()
    session = socket(wire, rooms, presence, login())
    # Log-out closes the socket while it waits for the next frame, which is a join.
    wire.before_receive.append(lambda: presence.close_session("sam", "s1", 4401))
    async with asyncio.timeout(5):
        await session.run()
    assert rooms.asked == []
    assert wire.closed == 4401
    assert not presence.is_online("sam")


async def test_a_session_that_ended_before_the_socket_was_registered_closes_it() -> None:
    wire, rooms, presence = Wire(JOIN), NoRooms(), Presence()
    session = socket(wire, rooms, presence, login(valid=False))
    async with asyncio.timeout(5):
        await session.run()
    assert rooms.asked == []
    assert wire.closed == 4401
    assert not presence.is_online("sam")


async def test_a_socket_closes_when_its_session_expires() -> None:
    wire, rooms, presence = Wire(), NoRooms(), Presence()
    session = socket(wire, rooms, presence, login(utcnow() - timedelta(seconds=1)))
    async with asyncio.timeout(5):
        await session.run()
    assert wire.closed == 4401


async def test_log_out_closes_one_sessions_sockets_of_a_member() -> None:
    presence = Presence()
    laptop, phone = Wire(), Wire()
    sockets = [socket(w, NoRooms(), presence, login()) for w in (laptop, phone)]
    sockets[1].session_id = "s2"
    runs = [asyncio.create_task(s.run()) for s in sockets]
    await asyncio.sleep(0)  # both registered
    assert presence.close_session("sam", "s1", 4401) == 1
    async with asyncio.timeout(5):
        await runs[0]
    assert (laptop.closed, phone.closed) == (4401, None)
    assert presence.is_online("sam")
    sockets[1].close()
    await runs[1]
