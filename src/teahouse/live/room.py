"""One live room in memory: its state, its sockets, and how news reaches them; and
the live rooms of this process, by id.

News is a typed server message (realtime/server_messages.py). Every broadcast is
serialised once and the same text goes to every socket. Two kinds of news are
coalesced instead of sent as they happen, since in a room of thousands they would
otherwise dominate: the audience count (people coming and going) and the speaking
indicators (the media server's talking detector). Both follow the same rule: the
first change after a quiet interval goes out at once, later ones together at the
end of the interval.

Blocks reach into broadcasting: a listener's raised hand or invitation is not shown
to members in a block relation with them (either direction). Those members get the
same delta, with the same version, without that change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from teahouse.domain.room_changes import Delta, Upsert, UserRef
from teahouse.domain.room_state import RoomState
from teahouse.errors import ErrorCode, NotFound
from teahouse.live.coalescer import Coalescer
from teahouse.realtime.limits import TokenBucket
from teahouse.realtime.server_messages import (
    MediaStatusMessage,
    RoomHeader,
    ServerMessage,
    SnapshotMessage,
    delta_message,
    encode,
    snapshot_message,
)
from teahouse.realtime.wire import Frame
from teahouse.rooms.rooms import RoomInfo


class Client(Protocol):
    """One connected socket, as the services see it."""

    user: UserRef
    room_id: str | None

    def send(self, frame: Frame) -> None:
        """Queue an encoded server message for this client; never blocks."""

    def room_for(self) -> int:
        """How many more messages can be queued for this client before it is dropped."""


@dataclass(eq=False)
class LiveRoom:
    """One live room's runtime: its state, sockets, timers and per-room media work.
    The Stage (and its collaborators) write it; others only read."""

    info: RoomInfo
    state: RoomState
    # What its audience's changes may still cost everyone (Stage.act draws on it).
    audience_budget: TokenBucket
    audience_interval: float = 1.0
    speaking_interval: float = 0.25
    clients: dict[str, Client] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Participants whose socket dropped: kept in place until the timer fires.
    away: dict[str, asyncio.TimerHandle] = field(default_factory=dict)
    # For each participant with any block: everyone they blocked or were blocked by.
    relations: dict[str, frozenset[str]] = field(default_factory=dict)
    # Links that let their holders into a closed room (SHA-256 of each code).
    link_hashes: set[str] = field(default_factory=set)
    # Whose listening must be brought in line with the publishers: everyone, or some.
    resync_everyone: bool = False
    resync: set[str] = field(default_factory=set)
    subscription_task: asyncio.Task[None] | None = None
    # Failed subscription attempts in a row, per member (retried with a backoff).
    subscribe_failures: dict[str, int] = field(default_factory=dict)
    # The member who opened the room has arrived once (unmuted; later arrivals are muted).
    opener_arrived: bool = False
    # Changed since it was last saved (live/keeper.py).
    dirty: bool = True
    # This process's fencing token for the room (live/ownership.py; 0 with one process).
    fence: int = 0
    # Restored from an earlier process: who has not come back since (their media went
    # with that process, and they are told so when they do).
    restarted: set[str] = field(default_factory=set)
    # Called after every broadcast (each delta, the end): the Stage's rooms changed.
    on_change: Callable[[], None] = lambda: None
    _talking: dict[str, bool] = field(default_factory=dict)
    _listeners: Coalescer = field(init=False)
    _speaking: Coalescer = field(init=False)

    def __post_init__(self) -> None:
        self._listeners = Coalescer(self.audience_interval, self._flush_listeners)
        self._speaking = Coalescer(self.speaking_interval, self._flush_speaking)

    # -- sending -------------------------------------------------------------------

    def broadcast(self, message: ServerMessage) -> None:
        frame = encode(message)  # serialised once, the same text to everyone
        for client in self.clients.values():
            client.send(frame)
        self.on_change()

    def publish(self, delta: Delta | None) -> None:
        """Send a delta to everyone, in version order, leaving blocked hands out."""
        self.dirty = True  # a plain listener's coming or going changes no version
        if delta is not None:
            subjects = [
                change.participant.user.id
                for change in delta.changes
                if isinstance(change, Upsert)
                and not change.participant.role.on_stage
                and change.participant.user.id in self.relations
            ]
            if not subjects:
                self.broadcast(delta_message(delta))
            else:
                self._publish_filtered(delta, subjects)
        if self.state.listeners_unannounced:
            self._listeners.poke()

    def catch_up(self, client: Client, since: int | None) -> None:
        """What a member joining (``since`` None) or resuming from ``since`` is sent:
        the deltas they missed, or a snapshot when those are not all held or are more
        than their queue takes; and after a restart, that their media must start over."""
        uid = client.user.id
        missed = self.state.deltas_since(since) if since is not None else None
        if missed and len(missed) > client.room_for() // 2:
            missed = None
        if missed is None:
            client.send(encode(self.snapshot(uid)))
        else:
            hidden = self.hidden_for(uid)
            for delta in missed:
                client.send(encode(delta_message(delta.hiding(hidden))))
        if uid in self.restarted:
            # Back after a restart: its connections to the media went with the old
            # process, so it publishes (or listens) afresh.
            self.restarted.discard(uid)
            client.send(encode(MediaStatusMessage(state="restarted")))

    def relation_changed(self, blocker_id: str, blocked_id: str, blocked: bool) -> None:
        """A block between two members was made or lifted."""
        for one, other in ((blocker_id, blocked_id), (blocked_id, blocker_id)):
            if one not in self.state.participants:
                continue
            now = self.relations.get(one, frozenset())
            now = now | {other} if blocked else now - {other}
            if now:
                self.relations[one] = now
            else:
                self.relations.pop(one, None)

    def hidden_for(self, user_id: str) -> frozenset[str]:
        return self.relations.get(user_id, frozenset())

    def snapshot(self, you: str) -> SnapshotMessage:
        """The room as ``you`` see it (hands hidden by a block left out, and a creator
        hidden by one not named)."""
        # The description is the state's: moderators change it while the room lives.
        header = RoomHeader.model_validate(self.info).model_copy(
            update={"description": self.state.description}
        )
        if self.info.created_by.id in self.hidden_for(you):
            header = header.model_copy(update={"created_by": None})
        return snapshot_message(self.state.snapshot(self.hidden_for(you)), header, you)

    # -- coalesced news ----------------------------------------------------------------

    def talking(self, user_id: str, talking: bool) -> None:
        self._talking[user_id] = talking
        self._speaking.poke()

    def stop(self) -> None:
        self._listeners.cancel()
        self._speaking.cancel()

    def _flush_listeners(self) -> None:
        self.publish(self.state.flush_listeners())

    def _flush_speaking(self) -> None:
        talking, self._talking = self._talking, {}
        self.publish(self.state.set_speaking(talking))

    def _publish_filtered(self, delta: Delta, subjects: list[str]) -> None:
        plain = encode(delta_message(delta))
        variants: dict[frozenset[str], Frame] = {}  # one encoding per distinct hidden set
        for uid, client in self.clients.items():
            hidden = frozenset(s for s in subjects if uid in self.relations[s])
            if not hidden:
                client.send(plain)
                continue
            frame = variants.get(hidden)
            if frame is None:
                frame = variants[hidden] = encode(delta_message(delta.hiding(hidden)))
            client.send(frame)
        self.on_change()


class LiveRooms:
    """The live rooms of this process, by id. The Stage opens and ends them; its
    collaborators (media steering, links, audience pages) only look them up."""

    def __init__(self) -> None:
        self._rooms: dict[str, LiveRoom] = {}

    def add(self, room: LiveRoom) -> None:
        self._rooms[room.info.id] = room

    def pop(self, room_id: str) -> LiveRoom | None:
        return self._rooms.pop(room_id, None)

    def get(self, room_id: str) -> LiveRoom | None:
        return self._rooms.get(room_id)

    def __getitem__(self, room_id: str) -> LiveRoom:
        return self._rooms[room_id]

    def of(self, client: Client) -> LiveRoom:
        """The room this client is in; refused when it is in none."""
        room = self._rooms.get(client.room_id) if client.room_id else None
        if room is None:
            raise NotFound("Join a room first.", ErrorCode.NOT_IN_ROOM)
        return room

    def ids(self) -> list[str]:
        return list(self._rooms)

    def clear(self) -> None:
        self._rooms.clear()

    def __contains__(self, room_id: object) -> bool:
        return room_id in self._rooms

    def __iter__(self) -> Iterator[LiveRoom]:
        """Every live room, as of now (rooms opened or ended meanwhile do not matter)."""
        return iter(list(self._rooms.values()))
