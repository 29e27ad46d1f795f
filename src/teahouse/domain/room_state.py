"""A live room's state and the rules of its stage, as pure code.

One :class:`RoomState` per live room is the single writer of that room's state.
Every accepted action returns the list of :data:`Change` it made and bumps
``version`` by one; a refused action raises a :class:`TeahouseError` and changes
nothing. Recent deltas are kept so that a reconnecting client can resume.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from teahouse.errors import Conflict, Forbidden, NotFound

HISTORY_LENGTH = 512


class Role(StrEnum):
    MODERATOR = "moderator"
    SPEAKER = "speaker"
    LISTENER = "listener"

    @property
    def on_stage(self) -> bool:
        return self is not Role.LISTENER


@dataclass(frozen=True, slots=True)
class UserRef:
    id: str
    username: str
    display_name: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "username": self.username, "display_name": self.display_name}


@dataclass(frozen=True, slots=True)
class Participant:
    user: UserRef
    role: Role = Role.LISTENER
    hand_raised: bool = False
    invited: bool = False
    muted: bool = False
    speaking: bool = False
    publishing: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "user": self.user.to_dict(),
            "role": self.role.value,
            "hand_raised": self.hand_raised,
            "invited": self.invited,
            "muted": self.muted,
            "speaking": self.speaking,
            "publishing": self.publishing,
        }


@dataclass(frozen=True, slots=True)
class Upsert:
    participant: Participant

    def to_dict(self) -> dict[str, Any]:
        return {"op": "upsert", "participant": self.participant.to_dict()}


@dataclass(frozen=True, slots=True)
class Remove:
    user_id: str

    def to_dict(self) -> dict[str, Any]:
        return {"op": "remove", "user_id": self.user_id}


Change = Upsert | Remove


@dataclass(frozen=True, slots=True)
class Delta:
    version: int
    changes: tuple[Change, ...]

    def to_message(self) -> dict[str, Any]:
        return {
            "type": "delta",
            "version": self.version,
            "changes": [change.to_dict() for change in self.changes],
        }


class RoomState:
    """Who is in a live room, in which role, with which hand and mute state."""

    def __init__(self, room_id: str) -> None:
        self.room_id = room_id
        self.version = 0
        self.participants: dict[str, Participant] = {}
        self._history: deque[Delta] = deque(maxlen=HISTORY_LENGTH)

    # -- queries ---------------------------------------------------------------

    def get(self, user_id: str) -> Participant:
        try:
            return self.participants[user_id]
        except KeyError:
            raise NotFound("You are not in this room.", "not_in_room") from None

    def moderators(self) -> list[str]:
        return [uid for uid, p in self.participants.items() if p.role is Role.MODERATOR]

    def on_stage(self) -> frozenset[str]:
        return frozenset(uid for uid, p in self.participants.items() if p.role.on_stage)

    def deltas_since(self, version: int) -> list[Delta] | None:
        """The deltas after ``version``, or None when they are no longer all held."""
        if version == self.version:
            return []
        if version > self.version or not self._history:
            return None
        if self._history[0].version > version + 1:
            return None
        return [delta for delta in self._history if delta.version > version]

    def snapshot_participants(self) -> list[dict[str, Any]]:
        return [p.to_dict() for p in self.participants.values()]

    # -- actions ---------------------------------------------------------------

    def join(self, user: UserRef, *, as_moderator: bool) -> Delta:
        if user.id in self.participants:
            raise Conflict("You are already in this room.", "already_in_room")
        role = Role.MODERATOR if as_moderator else Role.LISTENER
        return self._commit(self._put(Participant(user=user, role=role)))

    def leave(self, user_id: str) -> tuple[Delta, bool]:
        """Remove a participant; the flag says the room has no moderator left."""
        self.get(user_id)
        del self.participants[user_id]
        delta = self._commit([Remove(user_id)])
        return delta, not self.moderators()

    def set_hand(self, actor_id: str, raised: bool) -> Delta:
        actor = self.get(actor_id)
        if actor.role.on_stage:
            raise Conflict("You are already on the stage.", "wrong_state")
        if actor.hand_raised == raised:
            raise Conflict(
                "Your hand is already " + ("raised." if raised else "down."), "wrong_state"
            )
        return self._commit(self._put(replace(actor, hand_raised=raised)))

    def invite_to_speak(self, actor_id: str, target_id: str) -> Delta:
        self._require_moderator(actor_id)
        target = self._target(target_id)
        if target.role.on_stage:
            raise Conflict("They are already on the stage.", "wrong_state")
        if target.hand_raised:
            # A raised hand is the listener's own request: bring them up at once.
            return self._commit(self._put(self._to_stage(target)))
        if target.invited:
            raise Conflict("They have already been invited.", "wrong_state")
        return self._commit(self._put(replace(target, invited=True)))

    def answer_invitation(self, actor_id: str, accept: bool) -> Delta:
        actor = self.get(actor_id)
        if not actor.invited:
            raise Conflict("Nobody has invited you to speak.", "wrong_state")
        updated = self._to_stage(actor) if accept else replace(actor, invited=False)
        return self._commit(self._put(updated))

    def move_to_audience(self, actor_id: str, target_id: str) -> Delta:
        actor = self.get(actor_id)
        target = self._target(target_id)
        if actor_id != target_id and actor.role is not Role.MODERATOR:
            raise Forbidden("Only moderators can move others to the audience.", "not_moderator")
        if not target.role.on_stage:
            raise Conflict("They are not on the stage.", "wrong_state")
        if target.role is Role.MODERATOR and len(self.moderators()) == 1:
            raise Conflict(
                "The last moderator stays on stage; leave the room to end it.", "wrong_state"
            )
        moved = replace(target, role=Role.LISTENER, muted=False, speaking=False, publishing=False)
        return self._commit(self._put(moved))

    def set_muted(self, actor_id: str, muted: bool) -> Delta:
        actor = self.get(actor_id)
        if not actor.role.on_stage:
            raise Forbidden("Only people on the stage can mute or unmute.", "not_speaker")
        if actor.muted == muted:
            raise Conflict("You are already " + ("muted." if muted else "unmuted."), "wrong_state")
        return self._commit(self._put(replace(actor, muted=muted, speaking=False)))

    def require_on_stage(self, actor_id: str) -> Participant:
        actor = self.get(actor_id)
        if not actor.role.on_stage:
            raise Forbidden("Only speakers can send audio to the room.", "not_speaker")
        return actor

    # -- facts reported by the media server -------------------------------------

    def set_publishing(self, live: frozenset[str]) -> Delta | None:
        """Record which participants' audio reaches the media server; None if unchanged."""
        changes: list[Change] = []
        for uid, p in list(self.participants.items()):
            publishing = uid in live and p.role.on_stage
            if p.publishing != publishing:
                changes.extend(self._put(replace(p, publishing=publishing, speaking=False)))
        return self._commit(changes) if changes else None

    def set_speaking(self, user_id: str, talking: bool) -> Delta | None:
        """Record the media server's talking detector; None if unchanged."""
        p = self.participants.get(user_id)
        if p is None:
            return None
        talking = talking and p.role.on_stage and not p.muted
        if p.speaking == talking:
            return None
        return self._commit(self._put(replace(p, speaking=talking)))

    # -- internals -------------------------------------------------------------

    def _require_moderator(self, actor_id: str) -> None:
        if self.get(actor_id).role is not Role.MODERATOR:
            raise Forbidden("Only moderators can do that.", "not_moderator")

    def _target(self, target_id: str) -> Participant:
        target = self.participants.get(target_id)
        if target is None:
            raise NotFound("That person is not in this room.", "not_in_room")
        return target

    @staticmethod
    def _to_stage(p: Participant) -> Participant:
        return replace(p, role=Role.SPEAKER, hand_raised=False, invited=False, muted=False)

    def _put(self, participant: Participant) -> list[Change]:
        self.participants[participant.user.id] = participant
        return [Upsert(participant)]

    def _commit(self, changes: list[Change]) -> Delta:
        self.version += 1
        delta = Delta(self.version, tuple(changes))
        self._history.append(delta)
        return delta
