"""Presence across replicas: what is meant for one member reaches their sockets on
every replica. Two presences on one in-memory bus are two replicas here; the same
code runs over Redis in tests/integration/test_replica_members.py."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pydantic import ValidationError

from teahouse.bus.local import LocalBus
from teahouse.config import load_settings
from teahouse.domain.room_changes import UserRef
from teahouse.realtime.member_commands import (
    CloseMember,
    CloseOtherSessions,
    CloseSession,
    SendToMember,
    encode_command,
    parse_command,
)
from teahouse.realtime.presence import TOPIC, Presence
from teahouse.realtime.server_messages import PongMessage, encode
from teahouse.realtime.wire import Frame
from teahouse.services import build_services
from tests.support.fake_media import FakeMedia

ADA, BOB = UserRef("ada", "ada", "Ada"), UserRef("bob", "bob", "Bob")


@dataclass(eq=False)
class Socket:
    user: UserRef
    session_id: str | None = "s1"
    room_id: str | None = None
    sent: list[str] = field(default_factory=list)
    closed: int | None = None

    def send(self, frame: Frame) -> None:
        self.sent.append(frame)

    def close(self, code: int) -> None:
        self.closed = code

    def finish(self, code: int) -> None:
        self.closed = code


@pytest.fixture
async def replicas() -> AsyncIterator[tuple[Presence, Presence]]:
    bus = LocalBus()
    one, two = Presence(bus), Presence(bus)
    await one.start()
    await two.start()
    yield one, two
    await one.close()
    await two.close()


def _on(presence: Presence, *sockets: Socket) -> None:
    for socket in sockets:
        presence.add(socket)


async def test_a_message_reaches_the_members_sockets_on_every_replica_once(
    replicas: tuple[Presence, Presence],
) -> None:
    one, two = replicas
    here, there, bobs = Socket(ADA), Socket(ADA), Socket(BOB)
    _on(one, here)
    _on(two, there, bobs)
    one.send_to("ada", PongMessage())
    assert here.sent == [encode(PongMessage())]  # at once, before the bus
    await one.flush()
    assert here.sent == there.sent == [encode(PongMessage())]  # and not twice here
    assert bobs.sent == []


async def test_a_member_with_no_socket_here_is_still_reached_elsewhere(
    replicas: tuple[Presence, Presence],
) -> None:
    one, two = replicas
    there = Socket(ADA)
    _on(two, there)
    assert not one.is_online("ada")
    assert one.may_reach("ada")  # it cannot know: the pusher renders and sends
    one.send_to("ada", Frame("hello"))
    await one.flush()
    assert there.sent == ["hello"]


async def test_a_members_messages_arrive_in_the_order_they_were_sent(
    replicas: tuple[Presence, Presence],
) -> None:
    one, two = replicas
    there = Socket(ADA)
    _on(two, there)
    for n in range(50):
        one.send_to("ada", Frame(str(n)))
    one.close_session("ada", "s1", 4401)
    one.send_to("ada", Frame("after the close"))
    await one.flush()
    assert there.sent == [str(n) for n in range(50)]
    assert there.closed == 4401


async def test_closing_a_member_closes_their_sockets_everywhere_and_counts_those_here(
    replicas: tuple[Presence, Presence],
) -> None:
    one, two = replicas
    here, there, phone, bobs = Socket(ADA), Socket(ADA), Socket(ADA, "s2"), Socket(BOB)
    _on(one, here)
    _on(two, there, phone, bobs)
    assert one.close_user("ada", 4401) == 1
    await one.flush()
    assert (here.closed, there.closed, phone.closed, bobs.closed) == (4401, 4401, 4401, None)
    assert not two.is_online("ada") and two.is_online("bob")
    assert (one.socket_count(), two.socket_count()) == (0, 1)


async def test_a_log_out_closes_that_sessions_sockets_everywhere_and_no_others(
    replicas: tuple[Presence, Presence],
) -> None:
    one, two = replicas
    laptop, laptop_tab, phone = Socket(ADA, "laptop"), Socket(ADA, "laptop"), Socket(ADA, "phone")
    _on(one, laptop)
    _on(two, laptop_tab, phone)
    assert one.close_session("ada", "laptop", 4401) == 1
    await one.flush()
    assert (laptop.closed, laptop_tab.closed, phone.closed) == (4401, 4401, None)
    assert two.sockets_of("ada") == 1


async def test_a_new_password_closes_every_other_sessions_sockets_everywhere(
    replicas: tuple[Presence, Presence],
) -> None:
    one, two = replicas
    kept_here, kept_there = Socket(ADA, "kept"), Socket(ADA, "kept")
    old_here, old_there = Socket(ADA, "old"), Socket(ADA, "older")
    _on(one, kept_here, old_here)
    _on(two, kept_there, old_there)
    assert one.close_other_sessions("ada", "kept", 4401) == 1
    await one.flush()
    assert (kept_here.closed, kept_there.closed) == (None, None)
    assert (old_here.closed, old_there.closed) == (4401, 4401)


async def test_counts_stay_per_process(replicas: tuple[Presence, Presence]) -> None:
    one, two = replicas
    _on(one, Socket(ADA))
    _on(two, Socket(ADA), Socket(BOB))
    assert (one.member_count(), one.socket_count()) == (1, 1)
    assert (two.member_count(), two.socket_count()) == (2, 2)


async def test_what_is_sent_to_all_stays_in_this_process(
    replicas: tuple[Presence, Presence],
) -> None:
    one, two = replicas
    here, there = Socket(ADA), Socket(BOB)
    _on(one, here)
    _on(two, there)
    one.send_to_all(Frame("hallway"))
    await one.flush()
    assert (here.sent, there.sent) == (["hallway"], [])


async def test_without_a_bus_an_absent_member_costs_nothing() -> None:
    presence = Presence()
    await presence.start()  # nothing to start
    assert not presence.may_reach("ada")
    socket = Socket(ADA)
    presence.add(socket)
    assert presence.may_reach("ada")
    presence.send_to("ada", Frame("hello"))
    assert socket.sent == ["hello"]
    await presence.close()


async def test_a_presence_that_is_not_serving_publishes_nothing() -> None:
    bus = LocalBus()
    received: list[bytes] = []
    await bus.subscribe(TOPIC, received.append)
    presence = Presence(bus)  # a command line tool's: never started
    presence.send_to("ada", Frame("hello"))
    presence.close_user("ada", 4401)
    await presence.flush()
    assert received == []


async def test_a_command_queued_before_close_still_goes_out() -> None:
    bus = LocalBus()
    one, two = Presence(bus), Presence(bus)
    await one.start()
    await two.start()
    there = Socket(ADA)
    _on(two, there)
    one.close_session("ada", "s1", 4401)  # a log-out, then the process stops
    await one.close()
    assert there.closed == 4401
    await two.close()


class FlakyBus(LocalBus):
    """A bus whose first publication fails, as Redis does while it is unreachable."""

    def __init__(self) -> None:
        super().__init__()
        self.failures = 1

    async def publish(self, topic: str, payload: bytes) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("Redis is restarting")
        await super().publish(topic, payload)


async def test_a_lost_publication_is_logged_and_the_next_ones_still_go_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus = FlakyBus()
    one, two = Presence(bus), Presence(bus)
    await one.start()
    await two.start()
    there = Socket(ADA)
    _on(two, there)
    with caplog.at_level(logging.WARNING, "teahouse.realtime.presence"):
        one.send_to("ada", Frame("lost"))
        one.send_to("ada", Frame("delivered"))
        await one.flush()
    assert there.sent == ["delivered"]
    assert "could not be published" in caplog.text
    await one.close()
    await two.close()


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"not json",
        b"[]",
        b'{"type": "send", "v": 1, "origin": "x", "user": "ada"}',  # no frame
        b'{"type": "send", "v": 2, "origin": "x", "user": "ada", "frame": "{}"}',  # newer
        b'{"type": "wave", "v": 1, "origin": "x", "user": "ada"}',  # unknown
        b'{"type": "close_member", "v": 1, "origin": "x", "user": "ada", "code": "x"}',
        b'{"type": "close_session", "v": 1, "origin": "x", "user": "ada", "code": 4401}',
        b'{"type": "close_member", "v": 1, "origin": "", "user": "ada", "code": 4401}',
        b'{"type": "close_member", "v": 1, "origin": "x", "user": "ada", "code": 1, "z": 1}',
    ],
)
async def test_a_payload_this_version_cannot_read_is_ignored(payload: bytes) -> None:
    with pytest.raises(ValidationError):
        parse_command(payload)
    bus = LocalBus()
    presence = Presence(bus)
    await presence.start()
    there = Socket(ADA)
    _on(presence, there)
    await bus.publish(TOPIC, payload)  # handed over by the bus: nothing happens, nothing raises
    assert (there.sent, there.closed) == ([], None)
    await presence.close()


@pytest.mark.parametrize(
    "command",
    [
        SendToMember(origin="r1", user="ada", frame='{"type":"pong"}'),
        CloseMember(origin="r1", user="ada", code=4401),
        CloseSession(origin="r1", user="ada", session="s1", code=4401),
        CloseOtherSessions(origin="r1", user="ada", kept="s1", code=4401),
    ],
)
def test_every_command_reads_back_as_itself(
    command: SendToMember | CloseMember | CloseSession | CloseOtherSessions,
) -> None:
    assert parse_command(encode_command(command)) == command


async def test_the_frame_crosses_as_the_origin_encoded_it(
    replicas: tuple[Presence, Presence],
) -> None:
    """Serialised once: the other replica queues the origin's text, byte for byte."""
    one, two = replicas
    there = Socket(ADA)
    _on(two, there)
    frame = Frame('{"type": "pong",   "odd spacing": "kept"}')
    one.send_to("ada", frame)
    await one.flush()
    assert there.sent == [frame]


@pytest.mark.parametrize(
    ("replica_mode", "reaches_the_absent"),
    [
        ({}, False),  # the embedded default: one process, nobody else to tell
        (
            {
                "redis_url": "redis://127.0.0.1:6379/0",
                "database_url": "postgresql+asyncpg://postgres@127.0.0.1/teahouse",
            },
            True,
        ),
    ],
)
def test_only_replica_mode_hands_presence_the_bus(
    tmp_path: Path, replica_mode: dict[str, str], reaches_the_absent: bool
) -> None:
    """Building does no I/O: neither Redis nor PostgreSQL is asked anything here."""
    services = build_services(load_settings(data_dir=tmp_path, **replica_mode), FakeMedia())
    assert services.presence.may_reach("nobody") is reaches_the_absent
