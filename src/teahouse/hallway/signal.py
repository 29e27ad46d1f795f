"""``hallway_changed``: tell every open socket that the hallway is worth fetching again.

The Stage calls :meth:`HallwaySignal.poke` whenever a room opens, ends or commits a
delta. Most deltas (someone starts talking, mutes, raises a hand) change nothing the
hallway shows, and a busy instance commits many a second, so the signal is
coalesced and derived:

- at most one check per ``interval``: a poke while a check is pending or too soon
  after the last one only makes sure one check is scheduled (a timer, no task);
- a check compares the hallway's *shape* (which rooms are live, who is in each and
  who is on its stage) with the shape last announced, and sends only on a change.

So 20 members joining within a second make at most two messages (the first join at
once, the rest together), and an hour of conversation in a steady room makes none.

Two more limits keep a room of thousands from turning the signal into a flood:

- in a big room (over ``EXACT_UP_TO`` people) the shape holds the stage and the
  audience's order of magnitude, not every listener, so people streaming in and out
  of its audience change the shape only as the room grows or shrinks markedly;
- the signal goes only to sockets that are not in a room: someone in a room is not
  looking at the hallway, and fetches it afresh on the way out.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from teahouse.live.coalescer import Coalescer
from teahouse.live.stage import Stage
from teahouse.realtime.presence import Presence
from teahouse.realtime.server_messages import HallwayChangedMessage, encode

# The same few bytes every time: encoded once, for the life of the process.
HALLWAY_CHANGED = encode(HallwayChangedMessage())

EXACT_UP_TO = 50


def hallway_shape(stage: Stage) -> Hashable:
    """What the hallway shows of the live rooms: ids, their descriptions, and who is
    in each, on stage or not (in a big room: who is on stage, and roughly how many
    listen)."""
    shape: set[Hashable] = set()
    for room_id in stage.live_room_ids():
        room = stage.live(room_id)
        if room is None:
            continue
        participants = room.state.participants
        if len(participants) <= EXACT_UP_TO:
            people = frozenset((uid, p.role.on_stage) for uid, p in participants.items())
            shape.add((room_id, people, room.state.description))
        else:
            size = room.state.listener_count.bit_length()  # doubles between changes
            shape.add((room_id, room.state.on_stage(), size, room.state.description))
    return frozenset(shape)


class HallwaySignal:
    def __init__(
        self, presence: Presence, shape: Callable[[], Hashable], interval: float = 1.0
    ) -> None:
        self._presence = presence
        self._shape = shape
        self._announced: Hashable = shape()
        self._checks = Coalescer(interval, self._check)
        self._closed = False

    def poke(self) -> None:
        """Something in the live rooms changed; never blocks, never raises."""
        if not self._closed:
            self._checks.poke()

    def close(self) -> None:
        """Announce nothing more (the server is stopping: rooms end, sockets close)."""
        self._closed = True
        self._checks.cancel()

    def _check(self) -> None:
        shape = self._shape()
        if shape != self._announced:
            self._announced = shape
            self._presence.send_to_all(HALLWAY_CHANGED, in_rooms=False)
