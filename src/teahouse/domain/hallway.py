"""The hallway's order and the reason shown on each item, as pure code.

Given what the store knows about one member (whom they follow, their clubs, who is
blocked either way) and what the Stage knows about the live rooms, :func:`rank_rooms`
and :func:`rank_events` return the member's hallway, best first, each item with the
reason it is there. Nothing here reads a database or a socket, so every rule is a
row in a unit-test table (tests/unit/test_hallway.py).

Rooms the member may not enter never get here: the store filters them first
(``Rooms.enterable_live_ids``). What is decided here:

- hidden: a room someone blocked either way created or is on the stage of; an event
  hosted or co-hosted by someone blocked either way;
- rooms: followed people speaking (more first), then followed people listening
  (more first), then rooms of the member's clubs, then popular rooms (at least
  ``POPULAR_LISTENERS`` listening), then the rest; within each tier bigger rooms
  first, then older ones. Demo rooms (``teahouse demo seed``: seeded residents, no
  audio) come after every real room, in the same tiers among themselves, and are
  never "Popular": their audience is made up;
- events: hosted or co-hosted by someone followed, then of the member's clubs, then
  ones the member asked to be notified about, then the rest; soonest first in each.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Literal, TypeVar

from teahouse.domain.room_changes import UserRef

RoomReasonKind = Literal[
    "following_speaking", "following_listening", "club", "popular", "live", "demo"
]
EventReasonKind = Literal["following_host", "club", "notify_me", "upcoming"]
T = TypeVar("T")

# A room is "Popular" when at least this many members listen to it (the audience,
# the stage not counted), right now. A fixed count rather than "the top N rooms" so
# that the word means the same in a community of twenty as in one of thousands, and
# a quiet evening's biggest room of three is not called popular.
POPULAR_LISTENERS = 10

# The room tiers, best first. Demo rooms take the same tiers shifted past every real
# one (``SILENT``), so that a real room with people talking on its stage always
# ranks above a demo room that only looks busy, whatever their sizes.
SPEAKING, LISTENING, CLUB, POPULAR, LIVE = range(5)
SILENT = 5


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
    """A live room the member may enter, with its stage and audience in room order.

    ``listeners`` may hold only the listeners who matter to this member (the people
    they follow, still in room order) when ``audience`` says how many listen in all:
    a room of thousands need not be copied to be ranked. Without ``audience`` every
    listener is in ``listeners``."""

    id: str
    created_at: datetime
    speakers: tuple[UserRef, ...] = ()
    listeners: tuple[UserRef, ...] = ()
    club: ClubRef | None = None
    audience: int | None = None
    created_by: str | None = None  # the creator's id (the card names them)
    demo: bool = False  # a demo room: seeded residents, no audio (demo/rooms.py)

    @property
    def listener_count(self) -> int:
        return len(self.listeners) if self.audience is None else self.audience

    @property
    def participant_count(self) -> int:
        return len(self.speakers) + self.listener_count


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


# The sort key of one item: (tier, -followed people, then the tier's own order).
Key = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Ranked(Generic[T]):
    item: T
    reason: Reason
    key: Key = ()  # where it sorts: a page ends at its last item's key


# -- rooms -------------------------------------------------------------------------


def rank_rooms(
    viewer: Viewer, rooms: Iterable[RoomCandidate], *, after: Key | None = None
) -> list[Ranked[RoomCandidate]]:
    """The member's rooms, best first; rooms a blocked person created or is on the
    stage of removed. With ``after`` (the key of the last room of a previous page),
    only those after it."""
    keyed = [
        _rank_room(viewer, room)
        for room in rooms
        if room.created_by not in viewer.blocked
        and not any(s.id in viewer.blocked for s in room.speakers)
    ]
    keyed.sort(key=lambda ranked: ranked.key)
    if after is not None:
        return [ranked for ranked in keyed if ranked.key > after]
    return keyed


def quiet_room_key(
    viewer: Viewer,
    club_id: str | None,
    participant_count: int,
    created_at: datetime,
    room_id: str,
    *,
    listener_count: int,
    demo: bool = False,
) -> Key:
    """Where a room sorts when nobody the member follows is in it: its club's tier,
    the popular one or the rest (demo rooms after every real room), then bigger
    first, then older. The hallway uses it to pick the few quiet rooms worth ranking
    out of every live room without copying any."""
    tier = _quiet_tier(viewer, club_id, listener_count, demo)
    return (tier + (SILENT if demo else 0), 0, -participant_count, created_at, room_id)


def _quiet_tier(viewer: Viewer, club_id: str | None, listener_count: int, demo: bool) -> int:
    if club_id is not None and club_id in viewer.clubs:
        return CLUB
    if is_popular(listener_count) and not demo:
        return POPULAR
    return LIVE


def is_popular(listener_count: int) -> bool:
    """Whether a room with this many listeners is "Popular" (``POPULAR_LISTENERS``)."""
    return listener_count >= POPULAR_LISTENERS


def _rank_room(viewer: Viewer, room: RoomCandidate) -> Ranked[RoomCandidate]:
    speaking = _followed(viewer, room.speakers)
    listening = _followed(viewer, room.listeners)
    size_and_age = (-room.participant_count, room.created_at, room.id)
    shift = SILENT if room.demo else 0
    if speaking:
        reason = Reason("following_speaking", speaking_text(speaking), speaking)
        key: Key = (SPEAKING + shift, -len(speaking), *size_and_age)
    elif listening:
        reason = Reason("following_listening", listening_text(listening), listening)
        key = (LISTENING + shift, -len(listening), *size_and_age)
    else:
        club_id = room.club.id if room.club else None
        key = quiet_room_key(
            viewer,
            club_id,
            room.participant_count,
            room.created_at,
            room.id,
            listener_count=room.listener_count,
            demo=room.demo,
        )
        tier = _quiet_tier(viewer, club_id, room.listener_count, room.demo)
        reason = _quiet_reason(tier, room)
    return Ranked(room, reason, key)


def _quiet_reason(tier: int, room: RoomCandidate) -> Reason:
    if tier == CLUB and room.club is not None:
        return Reason("club", club_text(room.club))
    if tier == POPULAR:
        return Reason("popular", "Popular")
    if room.demo:
        return Reason("demo", "Demo room, no audio")
    return Reason("live", "Live now")


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
    keyed.sort(key=lambda ranked: ranked.key)
    return keyed


def _rank_event(viewer: Viewer, event: EventCandidate) -> Ranked[EventCandidate]:
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
    return Ranked(event, reason, (tier, event.starts_at, event.id))


def hosting_text(users: Sequence[UserRef]) -> str:
    """ "Ada is hosting", "2 people you follow are hosting"."""
    if len(users) == 1:
        return f"{users[0].display_name} is hosting"
    return f"{len(users)} people you follow are hosting"


def _followed(viewer: Viewer, people: Iterable[UserRef]) -> tuple[UserRef, ...]:
    return tuple(p for p in people if p.id in viewer.following and p.id not in viewer.blocked)
