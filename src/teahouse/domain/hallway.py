"""The hallway's order and the reason shown on each item, as pure code.

Given what the store knows about one member (whom they follow, their clubs, who is
blocked either way) and what the Stage knows about the live rooms, :func:`rank_rooms`
and :func:`rank_events` return the member's hallway, best first, each item with the
reason it is there. Nothing here reads a database or a socket, so every rule is a
row in a unit-test table (tests/unit/test_hallway.py).

Rooms the member may not enter never get here: the store filters them first
(``Rooms.enterable_live_ids``). What is decided here:

- hidden: a room where someone blocked either way is on the stage; an event hosted
  or co-hosted by someone blocked either way;
- rooms: followed people speaking (more first), then followed people listening
  (more first), then rooms of the member's clubs, then the rest; within each tier
  bigger rooms first, then older ones;
- events: hosted or co-hosted by someone followed, then of the member's clubs, then
  ones the member asked to be notified about, then the rest; soonest first in each.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Literal, TypeVar

from teahouse.domain.room_state import UserRef

RoomReasonKind = Literal["following_speaking", "following_listening", "club", "popular"]
EventReasonKind = Literal["following_host", "club", "notify_me", "upcoming"]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ClubRef:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Viewer:
    """What the ranking knows about the member looking at the hallway."""

    id: str
    following: frozenset[str] = frozenset()
    clubs: frozenset[str] = frozenset()  # clubs they belong to or follow
    blocked: frozenset[str] = frozenset()  # blocked by them, or blocking them


@dataclass(frozen=True, slots=True)
class RoomCandidate:
    """A live room the member may enter, with its stage and audience in room order."""

    id: str
    created_at: datetime
    speakers: tuple[UserRef, ...] = ()
    listeners: tuple[UserRef, ...] = ()
    club: ClubRef | None = None

    @property
    def participant_count(self) -> int:
        return len(self.speakers) + len(self.listeners)


@dataclass(frozen=True, slots=True)
class EventCandidate:
    """An upcoming event the member may see."""

    id: str
    starts_at: datetime
    host: UserRef
    cohosts: tuple[UserRef, ...] = ()
    club: ClubRef | None = None
    notify_me: bool = False


@dataclass(frozen=True, slots=True)
class Reason:
    """Why an item is in the hallway; ``users`` are the followed people it names."""

    kind: RoomReasonKind | EventReasonKind
    text: str
    users: tuple[UserRef, ...] = ()


@dataclass(frozen=True, slots=True)
class Ranked(Generic[T]):
    item: T
    reason: Reason


# The sort key of one item: (tier, -followed people, then the tier's own order).
Key = tuple[object, ...]


# -- rooms -------------------------------------------------------------------------


def rank_rooms(viewer: Viewer, rooms: Iterable[RoomCandidate]) -> list[Ranked[RoomCandidate]]:
    """The member's rooms, best first; rooms with a blocked person on stage removed."""
    keyed = [
        _rank_room(viewer, room)
        for room in rooms
        if not any(s.id in viewer.blocked for s in room.speakers)
    ]
    keyed.sort(key=lambda pair: pair[0])
    return [ranked for _, ranked in keyed]


def _rank_room(viewer: Viewer, room: RoomCandidate) -> tuple[Key, Ranked[RoomCandidate]]:
    speaking = _followed(viewer, room.speakers)
    listening = _followed(viewer, room.listeners)
    size_and_age = (-room.participant_count, room.created_at, room.id)
    if speaking:
        reason = Reason("following_speaking", speaking_text(speaking), speaking)
        key: Key = (0, -len(speaking), *size_and_age)
    elif listening:
        reason = Reason("following_listening", listening_text(listening), listening)
        key = (1, -len(listening), *size_and_age)
    elif room.club is not None and room.club.id in viewer.clubs:
        reason = Reason("club", club_text(room.club))
        key = (2, 0, *size_and_age)
    else:
        reason = Reason("popular", "Popular")
        key = (3, 0, *size_and_age)
    return key, Ranked(room, reason)


def speaking_text(users: Sequence[UserRef]) -> str:
    """ "Ada is speaking", "2 people you follow are speaking"."""
    if len(users) == 1:
        return f"{users[0].display_name} is speaking"
    return f"{len(users)} people you follow are speaking"


def listening_text(users: Sequence[UserRef]) -> str:
    """ "Ada is listening", "Ada and 1 other you follow are listening", "… 3 others …"."""
    first = users[0].display_name
    others = len(users) - 1
    if others == 0:
        return f"{first} is listening"
    return f"{first} and {others} {'other' if others == 1 else 'others'} you follow are listening"


def club_text(club: ClubRef) -> str:
    return f"From {club.name}"


# -- events ------------------------------------------------------------------------


def rank_events(viewer: Viewer, events: Iterable[EventCandidate]) -> list[Ranked[EventCandidate]]:
    """The member's upcoming events, best first; blocked hosts' events removed."""
    keyed = [
        _rank_event(viewer, event)
        for event in events
        if event.host.id not in viewer.blocked
        and not any(c.id in viewer.blocked for c in event.cohosts)
    ]
    keyed.sort(key=lambda pair: pair[0])
    return [ranked for _, ranked in keyed]


def _rank_event(viewer: Viewer, event: EventCandidate) -> tuple[Key, Ranked[EventCandidate]]:
    hosts = _followed(viewer, (event.host, *event.cohosts))
    if hosts:
        reason = Reason("following_host", hosting_text(hosts), hosts)
        tier = 0
    elif event.club is not None and event.club.id in viewer.clubs:
        reason, tier = Reason("club", club_text(event.club)), 1
    elif event.notify_me:
        reason, tier = Reason("notify_me", "You asked to be notified"), 2
    else:
        reason, tier = Reason("upcoming", "Upcoming"), 3
    return (tier, event.starts_at, event.id), Ranked(event, reason)


def hosting_text(users: Sequence[UserRef]) -> str:
    """ "Ada is hosting", "2 people you follow are hosting"."""
    if len(users) == 1:
        return f"{users[0].display_name} is hosting"
    return f"{len(users)} people you follow are hosting"


def _followed(viewer: Viewer, people: Iterable[UserRef]) -> tuple[UserRef, ...]:
    return tuple(p for p in people if p.id in viewer.following and p.id not in viewer.blocked)
