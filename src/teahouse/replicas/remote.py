"""The two kinds of socket the router deals in: one of this process's own
(:class:`Socket`), and one on another replica as the owner of its room sees it
(:class:`RemoteClient`, whose room changes and frames go back to its replica)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from teahouse.domain.room_changes import UserRef
from teahouse.live.stage import Client
from teahouse.realtime.wire import Frame

if TYPE_CHECKING:
    from teahouse.replicas.room_router import RoomRouter

# What a remote socket's queue is taken to hold: its own replica drops it when full.
REMOTE_ROOM_FOR = 512


class Socket(Client, Protocol):
    """One of this process's sockets, as the router sees it."""

    socket_id: str

    def close(self, code: int = 1000, *, flush: bool = False, reason: str | None = None) -> None:
        """Close the socket."""


class RemoteClient:
    """A socket on another replica, as the owner of its room sees it."""

    def __init__(self, router: RoomRouter, replica: str, socket_id: str, user: UserRef) -> None:
        self.user = user
        self.replica = replica
        self.socket_id = socket_id
        self._router = router
        self._room_id: str | None = None
        # The owner's fence for the room it is in, sent with everything (even what is
        # sent as the room ends, when it is no longer live here).
        self.fence = 0

    @property
    def room_id(self) -> str | None:
        return self._room_id

    @room_id.setter
    def room_id(self, room_id: str | None) -> None:
        was, self._room_id = self._room_id, room_id
        if room_id is not None:
            self.fence = self._router.fence_of(room_id)
        self._router.tell(self, {"kind": "room", "room": room_id or was, "in": room_id})

    def send(self, frame: Frame) -> None:
        self._router.tell(self, {"kind": "frame", "room": self._room_id, "frame": frame})

    def room_for(self) -> int:
        return REMOTE_ROOM_FOR
