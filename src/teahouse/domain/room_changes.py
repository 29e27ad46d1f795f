"""What a live room's state is made of: participants, the changes members are told
about, deltas, snapshots, and the record a live room is saved as.

All plain, frozen dataclasses; :class:`RoomState` (room_state.py) makes and applies
them, realtime/server_messages.py carries them to members, and live/keeper.py saves
the :class:`RoomRecord` so that a room outlives its process.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """A participant's role; moderators and speakers are on the stage."""

    MODERATOR = "moderator"
    SPEAKER = "speaker"
    LISTENER = "listener"

    @property
    def on_stage(self) -> bool:
        return self is not Role.LISTENER


@dataclass(frozen=True, slots=True)
class UserRef:
    """A member as a live room knows them."""

    id: str
    username: str
    display_name: str


@dataclass(frozen=True, slots=True)
class Participant:
    user: UserRef
    role: Role = Role.LISTENER
    hand_raised: bool = False
    invited: bool = False
    muted: bool = False
    speaking: bool = False
    publishing: bool = False

    @property
    def visible(self) -> bool:
        """Whether every member is told about this participant (not a plain listener)."""
        return self.role.on_stage or self.hand_raised or self.invited


@dataclass(frozen=True, slots=True)
class Upsert:
    participant: Participant


@dataclass(frozen=True, slots=True)
class Remove:
    user_id: str


@dataclass(frozen=True, slots=True)
class Listeners:
    count: int


@dataclass(frozen=True, slots=True)
class Settings:
    hands: bool


@dataclass(frozen=True, slots=True)
class Description:
    """What the room is about, as a moderator last set it ("" for nothing)."""

    text: str


Change = Upsert | Remove | Listeners | Settings | Description


@dataclass(frozen=True, slots=True)
class Delta:
    version: int
    changes: tuple[Change, ...]

    def hiding(self, hidden: frozenset[str]) -> Delta:
        """The delta as a member in a block with ``hidden`` users sees it: their raised
        hands and invitations left out, the version kept (maybe with no change left)."""
        return Delta(
            self.version,
            tuple(
                change
                for change in self.changes
                if not (
                    isinstance(change, Upsert)
                    and change.participant.user.id in hidden
                    and not change.participant.role.on_stage
                )
            ),
        )


@dataclass(frozen=True, slots=True)
class RoomSnapshot:
    """The visible set, the audience count and the settings, as of ``version``."""

    version: int
    participants: tuple[Participant, ...]
    listeners: int
    hands: bool
    description: str = ""


@dataclass(frozen=True, slots=True)
class RoomRecord:
    """Everything a room's state is, as saved: enough to rebuild it exactly (the
    visible set and the audience in their order, the places behind audience cursors,
    the resume history)."""

    version: int
    description: str
    hands: bool
    participants: tuple[Participant, ...]
    visible: tuple[str, ...]
    # The audience in the order it joined, each with its place (cursors name places).
    audience: tuple[tuple[str, int], ...]
    next_place: int
    announced_listeners: int
    removed: tuple[str, ...]
    history: tuple[Delta, ...]
