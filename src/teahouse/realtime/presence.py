"""Which members have a socket open right now, and a way to reach each of them.

A member may have several sockets at once (tabs, a phone and a laptop); a message
for the member goes to every one of them. The socket session registers itself
when it opens and leaves when it closes; nothing else writes here.
"""

from __future__ import annotations

from typing import Protocol

from teahouse.domain.room_changes import UserRef
from teahouse.realtime.server_messages import ServerMessage, encode
from teahouse.realtime.wire import Frame


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
    """The open sockets of every connected member (one process, in memory)."""

    def __init__(self) -> None:
        self._sockets: dict[str, set[Outbox]] = {}

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
        return user_id in self._sockets

    def member_count(self) -> int:
        """Members with at least one socket open."""
        return len(self._sockets)

    def sockets_of(self, user_id: str) -> int:
        """How many sockets the member has open."""
        return len(self._sockets.get(user_id, ()))

    def socket_count(self) -> int:
        return sum(len(sockets) for sockets in self._sockets.values())

    def send_to(self, user_id: str, message: ServerMessage | Frame) -> None:
        """The message to every socket of one member, encoded once."""
        sockets = list(self._sockets.get(user_id, ()))
        if not sockets:
            return
        frame = _frame(message)
        for socket in sockets:
            socket.send(frame)

    def close_user(self, user_id: str, code: int) -> int:
        """Close every socket of one member (suspended, say); how many there were."""
        sockets = self._sockets.pop(user_id, set())
        for socket in list(sockets):
            socket.close(code)
        return len(sockets)

    def finish_all(self, code: int) -> int:
        """Close every socket with this code once what is queued on it has gone out
        (the server is stopping); how many there were. Each leaves on closing."""
        sockets = [socket for group in self._sockets.values() for socket in group]
        for socket in sockets:
            socket.finish(code)
        return len(sockets)

    def close_session(self, user_id: str, session_id: str, code: int) -> int:
        """Close the member's sockets of one session (it ended); how many there were."""
        sockets = [s for s in self._sockets.get(user_id, ()) if s.session_id == session_id]
        for socket in sockets:
            self.discard(socket)
            socket.close(code)
        return len(sockets)

    def close_other_sessions(self, user_id: str, kept_session_id: str, code: int) -> int:
        """Close the member's sockets of every session but one; how many there were."""
        sockets = [s for s in self._sockets.get(user_id, ()) if s.session_id != kept_session_id]
        for socket in sockets:
            self.discard(socket)
            socket.close(code)
        return len(sockets)

    def send_to_all(self, message: ServerMessage | Frame, *, in_rooms: bool = True) -> None:
        """The message to every open socket of every member, encoded once (without
        ``in_rooms``: only to the sockets not in a room)."""
        frame = _frame(message)
        for sockets in list(self._sockets.values()):
            for socket in list(sockets):
                if in_rooms or socket.room_id is None:
                    socket.send(frame)


def _frame(message: ServerMessage | Frame) -> Frame:
    return message if isinstance(message, str) else encode(message)
