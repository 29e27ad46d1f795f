"""Presence (who has which sockets open) and the coalesced `hallway_changed` signal."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from teahouse.domain.room_changes import UserRef
from teahouse.hallway.signal import HALLWAY_CHANGED, HallwaySignal
from teahouse.realtime.presence import Presence


@dataclass(eq=False)
class Socket:
    user: UserRef
    sent: list[str] = field(default_factory=list)
    room_id: str | None = None
    closed: int | None = None

    def send(self, text: str) -> None:
        self.sent.append(text)

    def close(self, code: int) -> None:
        self.closed = code


ADA, BOB = UserRef("ada", "ada", "Ada"), UserRef("bob", "bob", "Bob")


def test_closing_a_member_closes_every_socket_of_theirs_and_nobody_elses() -> None:
    presence = Presence()
    laptop, phone, bobs = Socket(ADA), Socket(ADA), Socket(BOB)
    for socket in (laptop, phone, bobs):
        presence.add(socket)
    assert presence.close_user("ada", 4401) == 2
    assert (laptop.closed, phone.closed, bobs.closed) == (4401, 4401, None)
    assert not presence.is_online("ada") and presence.is_online("bob")
    presence.discard(laptop)  # the socket's own clean-up afterwards is harmless
    assert presence.close_user("ada", 4401) == 0


def test_a_member_is_reached_on_every_open_socket() -> None:
    presence = Presence()
    laptop, phone, bobs = Socket(ADA), Socket(ADA), Socket(BOB)
    for socket in (laptop, phone, bobs):
        presence.add(socket)
    presence.send_to("ada", "hello")
    assert (laptop.sent, phone.sent, bobs.sent) == (["hello"], ["hello"], [])
    presence.send_to("nobody", "lost")  # not online: nothing happens

    presence.discard(phone)
    presence.discard(phone)  # twice is harmless
    presence.send_to_all("all")
    assert (laptop.sent[-1], phone.sent[-1], bobs.sent[-1]) == ("all", "hello", "all")
    assert presence.socket_count() == 2 and presence.is_online("ada")
    presence.discard(laptop)
    assert not presence.is_online("ada") and presence.socket_count() == 1


class Shapes:
    """A hallway whose shape the test changes by hand."""

    def __init__(self) -> None:
        self.value = 0

    def __call__(self) -> int:
        return self.value


def signal_with(interval: float) -> tuple[HallwaySignal, Shapes, Socket]:
    presence, shapes, socket = Presence(), Shapes(), Socket(ADA)
    presence.add(socket)
    return HallwaySignal(presence, shapes, interval), shapes, socket


async def test_a_change_is_sent_at_once() -> None:
    signal, shapes, socket = signal_with(interval=10)
    shapes.value = 1
    signal.poke()
    await asyncio.sleep(0)  # the check runs on the next turn of the loop
    await asyncio.sleep(0)
    assert socket.sent == [HALLWAY_CHANGED]
    signal.close()


async def test_a_burst_is_one_message_now_and_one_after_the_interval() -> None:
    signal, shapes, socket = signal_with(interval=0.5)
    loop = asyncio.get_running_loop()
    start = loop.time()
    for value in range(1, 21):  # about 0.1 s of changes
        shapes.value = value
        signal.poke()
        await asyncio.sleep(0.005)
    assert loop.time() - start < 0.5, "too slow a machine for this test"
    assert socket.sent == [HALLWAY_CHANGED]
    await asyncio.sleep(start + 0.7 - loop.time())
    assert socket.sent == [HALLWAY_CHANGED] * 2
    await asyncio.sleep(0.6)
    assert len(socket.sent) == 2  # nothing more without a poke
    signal.close()


async def test_pokes_that_change_nothing_send_nothing() -> None:
    signal, _shapes, socket = signal_with(interval=0.01)
    for _ in range(5):
        signal.poke()
        await asyncio.sleep(0.02)
    assert socket.sent == []
    signal.close()


async def test_a_change_undone_before_the_check_sends_nothing() -> None:
    signal, shapes, socket = signal_with(interval=0.05)
    shapes.value = 1
    signal.poke()
    shapes.value = 0
    await asyncio.sleep(0.02)
    assert socket.sent == []
    signal.close()


async def test_close_cancels_a_pending_check() -> None:
    signal, shapes, socket = signal_with(interval=0.05)
    signal.poke()
    await asyncio.sleep(0.01)
    shapes.value = 1
    signal.poke()  # scheduled for the end of the interval
    signal.close()
    await asyncio.sleep(0.1)
    assert socket.sent == []
