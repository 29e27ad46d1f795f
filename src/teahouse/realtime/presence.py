"""Which members have a socket open right now, and a way to reach each of them.

A member may have several sockets at once (tabs, a phone and a laptop); a message
for the member goes to every one of them. The socket session registers itself
when it opens and leaves when it closes; nothing else writes here.

With several replicas (``TEAHOUSE_REDIS_URL``) a member's sockets may be on any of
them. What is meant for one member (:meth:`Presence.send_to`, and closing their
sockets: all of them, one session's, all but one session's) is applied to this
process's sockets at once, as with one process, and published once on the bus's
``members`` topic (member_commands.py); every other replica's presence applies it to
its own sockets. The callers stay synchronous: one task publishes the commands in
the order they were made, so a member's messages reach every replica in order. The
counts returned are this process's sockets; the others are not waited for. The
bus delivers at most once: a command lost while Redis is unreachable is not sent
again (suspensions have a second path, admin/suspensions.py's watch).

Without a bus (one process, the embedded default) nothing is published: no other
process holds a socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Protocol

from teahouse.bus.base import Bus, new_replica_id
from teahouse.domain.room_changes import UserRef
from teahouse.realtime.member_commands import (
    CloseMember,
    CloseOtherSessions,
    CloseSession,
    MemberCommand,
    SendToMember,
    encode_command,
    parse_command,
)
from teahouse.realtime.server_messages import ServerMessage, encode
from teahouse.realtime.wire import Frame

log = logging.getLogger(__name__)

TOPIC = "members"
# Commands waiting for the bus. Past this (Redis unreachable for a long while) new
# ones are dropped, as the bus itself would drop them, rather than held in memory.
PUBLISH_QUEUE_MAX = 10_000
# How long a stopping process waits for its last commands to reach the bus (a log-out
# just before the stop must still close that session's sockets elsewhere).
FLUSH_SECONDS = 2.0


class Outbox(Protocol):
    """One open socket, as presence sees it: whose it is and a way to queue frames."""

    @property
    def user(self) -> UserRef: ...

    @property
    def room_id(self) -> str | None:
        """The live room this socket is in, if any."""

    @property
    def session_id(self) -> str | None:
        """The session the socket was opened with (the hash of its token)."""

    def send(self, frame: Frame) -> None:
        """Queue an encoded server message; never blocks."""

    def close(self, code: int) -> None:
        """Close the socket with this close code, at once (what is queued is dropped)."""

    def finish(self, code: int) -> None:
        """Close the socket with this close code once what is queued has gone out
        (nothing queued after this is sent)."""


class Presence:
    """The open sockets of every connected member in this process, and (given the
    bus) the way to reach a member's sockets on the other replicas."""

    def __init__(self, bus: Bus | None = None) -> None:
        self._sockets: dict[str, set[Outbox]] = {}
        self._bus = bus
        # This presence's name in the commands it publishes, to skip them when the bus
        # brings them back. Its own, not the bus's: two presences on one in-memory bus
        # are two replicas (tests/unit/test_presence_replicas.py).
        self.origin = new_replica_id()
        self._outgoing: asyncio.Queue[bytes] | None = None
        self._publisher: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Take the other replicas' commands and publish this one's (serving only: a
        command line tool holds no socket and starts nothing)."""
        if self._bus is None or self._publisher is not None:
            return
        await self._bus.subscribe(TOPIC, self._received)
        self._outgoing = asyncio.Queue(PUBLISH_QUEUE_MAX)
        self._publisher = asyncio.create_task(
            _publish_in_order(self._bus, self._outgoing), name="presence bus"
        )

    async def flush(self) -> None:
        """Wait until every command made so far has been handed to the bus."""
        if self._outgoing is not None:
            await self._outgoing.join()

    async def close(self) -> None:
        """Publish what is still queued (for at most ``FLUSH_SECONDS``), then stop."""
        if self._bus is None or self._publisher is None:
            return
        # Bounded and quiet: a bus that is down must not stop the rest of the shutdown.
        with contextlib.suppress(Exception):
            async with asyncio.timeout(FLUSH_SECONDS):
                await self.flush()
                await self._bus.unsubscribe(TOPIC, self._received)
        self._publisher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._publisher
        self._publisher = self._outgoing = None

    def add(self, socket: Outbox) -> None:
        self._sockets.setdefault(socket.user.id, set()).add(socket)

    def discard(self, socket: Outbox) -> None:
        sockets = self._sockets.get(socket.user.id)
        if sockets is None:
            return
        sockets.discard(socket)
        if not sockets:
            del self._sockets[socket.user.id]

    def is_online(self, user_id: str) -> bool:
        """Whether the member has a socket open in this process."""
        return user_id in self._sockets

    def may_reach(self, user_id: str) -> bool:
        """Whether a message for the member may find a socket: one here, or, with other
        replicas, perhaps one there. Their sockets are not known here; asking every
        replica (or keeping a shared register in Redis, written on every socket's open
        and close and wrong after a crash) would cost more than what this spares: the
        notification pusher's one query to render a notification."""
        return self._bus is not None or user_id in self._sockets

    def member_count(self) -> int:
        """Members with at least one socket open (in this process)."""
        return len(self._sockets)

    def sockets_of(self, user_id: str) -> int:
        """How many sockets the member has open (in this process)."""
        return len(self._sockets.get(user_id, ()))

    def socket_count(self) -> int:
        return sum(len(sockets) for sockets in self._sockets.values())

    def send_to(self, user_id: str, message: ServerMessage | Frame) -> None:
        """The message to every socket of one member, on every replica, encoded once."""
        if user_id not in self._sockets and self._bus is None:
            return
        frame = _frame(message)
        self._send_here(user_id, frame)
        self._publish(SendToMember(origin=self.origin, user=user_id, frame=frame))

    def close_user(self, user_id: str, code: int) -> int:
        """Close every socket of one member (suspended, say), on every replica; how many
        there were in this process."""
        closed = self._close_user_here(user_id, code)
        self._publish(CloseMember(origin=self.origin, user=user_id, code=code))
        return closed

    def close_session(self, user_id: str, session_id: str, code: int) -> int:
        """Close the member's sockets of one session (it ended), on every replica; how
        many there were in this process."""
        closed = self._close_here(user_id, _of_session(session_id), code)
        self._publish(CloseSession(origin=self.origin, user=user_id, session=session_id, code=code))
        return closed

    def close_other_sessions(self, user_id: str, kept_session_id: str, code: int) -> int:
        """Close the member's sockets of every session but one, on every replica; how
        many there were in this process."""
        closed = self._close_here(user_id, _not_of_session(kept_session_id), code)
        self._publish(
            CloseOtherSessions(origin=self.origin, user=user_id, kept=kept_session_id, code=code)
        )
        return closed

    def finish_all(self, code: int) -> int:
        """Close every socket with this code once what is queued on it has gone out
        (this process is stopping); how many there were. Each leaves on closing."""
        sockets = [socket for group in self._sockets.values() for socket in group]
        for socket in sockets:
            socket.finish(code)
        return len(sockets)

    def send_to_all(self, message: ServerMessage | Frame, *, in_rooms: bool = True) -> None:
        """The message to every open socket of every member in this process, encoded
        once (without ``in_rooms``: only to the sockets not in a room)."""
        frame = _frame(message)
        for sockets in list(self._sockets.values()):
            for socket in list(sockets):
                if in_rooms or socket.room_id is None:
                    socket.send(frame)

    # -- this process's sockets ------------------------------------------------------

    def _send_here(self, user_id: str, frame: Frame) -> None:
        for socket in list(self._sockets.get(user_id, ())):
            socket.send(frame)

    def _close_user_here(self, user_id: str, code: int) -> int:
        sockets = self._sockets.pop(user_id, set())
        for socket in list(sockets):
            socket.close(code)
        return len(sockets)

    def _close_here(self, user_id: str, which: Callable[[Outbox], bool], code: int) -> int:
        sockets = [s for s in self._sockets.get(user_id, ()) if which(s)]
        for socket in sockets:
            self.discard(socket)
            socket.close(code)
        return len(sockets)

    # -- the other replicas ----------------------------------------------------------

    def _publish(self, command: MemberCommand) -> None:
        if self._outgoing is None:  # no bus, or not serving: nobody else to reach
            return
        try:
            self._outgoing.put_nowait(encode_command(command))
        except asyncio.QueueFull:
            log.warning("the bus is far behind: a %s for other replicas is dropped", command.type)

    def _received(self, payload: bytes) -> None:
        try:
            command = parse_command(payload)
        except ValueError:
            log.warning("ignoring a message on the %s topic that this version cannot read", TOPIC)
            return
        if command.origin == self.origin:
            return  # applied here when it was made
        match command:
            case SendToMember(user=user, frame=frame):
                self._send_here(user, Frame(frame))
            case CloseMember(user=user, code=code):
                self._close_user_here(user, code)
            case CloseSession(user=user, session=session, code=code):
                self._close_here(user, _of_session(session), code)
            case CloseOtherSessions(user=user, kept=kept, code=code):
                self._close_here(user, _not_of_session(kept), code)


async def _publish_in_order(bus: Bus, queue: asyncio.Queue[bytes]) -> None:
    """One task, one publication at a time: the bus keeps one process's order."""
    while True:
        payload = await queue.get()
        try:
            await bus.publish(TOPIC, payload)
        except Exception:  # Redis unreachable: lost, as the bus would lose it
            log.warning("a command for other replicas' sockets could not be published")
        finally:
            queue.task_done()


def _of_session(session_id: str) -> Callable[[Outbox], bool]:
    return lambda socket: socket.session_id == session_id


def _not_of_session(session_id: str) -> Callable[[Outbox], bool]:
    return lambda socket: socket.session_id != session_id


def _frame(message: ServerMessage | Frame) -> Frame:
    return message if isinstance(message, str) else encode(message)
