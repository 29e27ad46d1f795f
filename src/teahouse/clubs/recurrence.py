"""Weekly events: when an occurrence's room ends, the event moves to its next week.

A weekly event is one row. While an occurrence's room is open, ``room_id`` names it;
when that room ends (its last moderator left, an admin ended it, the server stopped),
the same transaction sets ``starts_at`` to the next occurrence, at the same weekday
and wall-clock time in the event's zone (``domain/event_times.next_weekly``), and
clears ``room_id``. So the event page, the hallway and the calendar feeds all show
the next occurrence, and the host can start it again next week. "Notify me" carries
over. A cancelled series (``cancelled_at``) or one that was stopped (``repeats``
null) stays ended.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from sqlalchemy import select

from teahouse.domain.event_times import next_weekly, parse_time_zone
from teahouse.rooms.rooms import EndedListener
from teahouse.store.database import DbSession
from teahouse.store.social_models import Event

WEEKLY = "weekly"


def next_occurrence_after_rooms(clock: Callable[[], datetime]) -> EndedListener:
    """What :meth:`Rooms.on_ended` is given: it moves weekly events on."""

    async def move_on(s: DbSession, room_ids: Sequence[str]) -> None:
        now = clock()
        events = await s.scalars(
            select(Event).where(
                Event.room_id.in_(list(room_ids)),
                Event.repeats == WEEKLY,
                Event.cancelled_at.is_(None),
            )
        )
        for event in events:
            event.starts_at = next_weekly(event.starts_at, parse_time_zone(event.time_zone), now)
            event.room_id = None

    return move_on
