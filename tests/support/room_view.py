"""A client's own view of a live room, kept by applying the protocol (docs/PROTOCOL.md).

Pure: it never does I/O. Feed it every `snapshot` and `delta` a socket receives, in
the order received; :meth:`RoomView.apply` says whether the client must resume
(send `join` with `"since": view.version`) because it saw a gap.

The rules, as the protocol states them:

- a `snapshot` replaces the whole view;
- a `delta` whose version is the view's + 1 is applied, change by change
  (`upsert`, `remove`, `listeners`, `settings`);
- a `delta` at or below the view's version is old news (already applied) and ignored;
- a `delta` further ahead is a gap: it is not applied, and the client resumes. Until
  the gap is filled, further deltas ahead are ignored too and ask for nothing more.

The message types and change ops are the server's own models
(realtime/server_messages.py): a change that does not fit one is a protocol violation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import TypeAdapter, ValidationError

from teahouse.domain.room_changes import RoomSnapshot
from teahouse.realtime.server_messages import (
    Change,
    DeltaMessage,
    ListenersChange,
    Participant,
    RemoveChange,
    RoomSettings,
    SettingsChange,
    SnapshotMessage,
    UpsertChange,
)
from teahouse.realtime.wire import literal_of

SNAPSHOT, DELTA = literal_of(SnapshotMessage), literal_of(DeltaMessage)
# The messages that carry room state.
ROOM_STATE_TYPES = frozenset({SNAPSHOT, DELTA})
_CHANGE: TypeAdapter[Change] = TypeAdapter(Change)


class Outcome(Enum):
    APPLIED = "applied"
    IGNORED = "ignored"  # old news, or ahead while a resume is already under way
    RESUME = "resume"  # a gap: send `join` with `since` = the view's version


class ProtocolViolation(AssertionError):
    """The server sent something the protocol does not allow (a test failure)."""


@dataclass
class RoomView:
    """Version, visible set, audience count and settings of one room, as one client sees it."""

    version: int = -1  # no snapshot yet
    room: dict[str, Any] = field(default_factory=dict)
    participants: dict[str, dict[str, Any]] = field(default_factory=dict)
    listeners: int = 0
    settings: dict[str, Any] = field(default_factory=dict)
    resuming: bool = False
    # What this client has been told, for assertions about the traffic itself.
    snapshots: int = 0
    deltas: int = 0
    listener_changes: int = 0

    @property
    def ready(self) -> bool:
        return self.version >= 0

    def apply(self, message: dict[str, Any]) -> Outcome:
        kind = message.get("type")
        if kind == SNAPSHOT:
            self._apply_snapshot(message)
            return Outcome.APPLIED
        if kind != DELTA:
            raise ValueError(f"not a room message: {kind!r}")
        version = message["version"]
        if not self.ready or version <= self.version:
            return Outcome.IGNORED
        if version > self.version + 1:
            if self.resuming:
                return Outcome.IGNORED
            self.resuming = True
            return Outcome.RESUME
        for change in message["changes"]:
            self._apply_change(change)
        self.version = version
        self.resuming = False
        self.deltas += 1
        return Outcome.APPLIED

    def state(self) -> dict[str, Any]:
        """What must equal the server's state: compare with :func:`server_state`."""
        return {
            "version": self.version,
            "participants": self.participants,
            "listeners": self.listeners,
            "settings": self.settings,
        }

    def _apply_snapshot(self, message: dict[str, Any]) -> None:
        self.version = message["version"]
        self.room = message["room"]
        self.participants = {p["user"]["id"]: p for p in message["participants"]}
        self.listeners = message["listeners"]
        self.settings = dict(message["settings"])
        self.resuming = False
        self.snapshots += 1

    def _apply_change(self, raw: dict[str, Any]) -> None:
        try:
            change = _CHANGE.validate_python(raw)
        except ValidationError as exc:
            raise ProtocolViolation(f"not a change: {raw!r}") from exc
        match change:
            case UpsertChange(participant=participant):
                self.participants[participant.user.id] = participant.model_dump(mode="json")
            case RemoveChange(user_id=user_id):
                # Possibly someone this client never saw: a hand hidden by a block.
                self.participants.pop(user_id, None)
            case ListenersChange(count=count):
                self.listeners = count
                self.listener_changes += 1
            case SettingsChange(settings=settings):
                self.settings = settings.model_dump(mode="json")


def server_state(snapshot: RoomSnapshot | Mapping[str, Any]) -> dict[str, Any]:
    """The server's `RoomState.snapshot()` (or a `snapshot` message as received) in the
    shape of :meth:`RoomView.state`, as the wire models show it."""
    if isinstance(snapshot, RoomSnapshot):
        return {
            "version": snapshot.version,
            "participants": {
                p.user.id: Participant.model_validate(p).model_dump(mode="json")
                for p in snapshot.participants
            },
            "listeners": snapshot.listeners,
            "settings": RoomSettings(hands=snapshot.hands).model_dump(mode="json"),
        }
    return {
        "version": snapshot["version"],
        "participants": {p["user"]["id"]: p for p in snapshot["participants"]},
        "listeners": snapshot["listeners"],
        "settings": snapshot["settings"],
    }
