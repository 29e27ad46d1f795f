"""When an event starts: an ISO 8601 time read in the host's IANA time zone.

A time with an offset means that instant. A time without one is a wall-clock time in
``time_zone``, so "19:00 in Europe/Berlin" is 18:00Z in winter and 17:00Z in summer.
A wall-clock time that happens twice (clocks going back) is the first of the two; one
that never happens (clocks going forward) reads with the offset before the change, so
02:30 on the night Berlin moves to summer time is 01:30Z, which is 03:30 there.

A weekly event comes back at the same wall-clock time in its zone, not every 168
hours: a 19:00 in Berlin is 18:00Z before the clocks go forward and 17:00Z after.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from importlib.resources import files
from zoneinfo import ZoneInfo

from teahouse.errors import BadRequest, ErrorCode

ZONE_MAX = 64
STARTS_AT_MAX = 40


@cache
def iana_zone_names() -> frozenset[str]:
    """The IANA names, from the ``tzdata`` package: the same list on every machine.

    ``ZoneInfo`` alone would also accept whatever files the system's zoneinfo folder
    holds (``localtime``, ``posixrules``), and paths; a name must be in this list."""
    return frozenset(files("tzdata").joinpath("zones").read_text().split())


def parse_time_zone(name: str) -> ZoneInfo:
    if len(name) > ZONE_MAX or name not in iana_zone_names():
        raise BadRequest(
            f"{name[:ZONE_MAX]!r} is not an IANA time zone.", ErrorCode.INVALID_TIME_ZONE
        )
    return ZoneInfo(name)


def parse_starts_at(raw: str, zone: ZoneInfo) -> datetime:
    """The UTC instant ``raw`` names, reading an offset-less time in ``zone``."""
    try:
        # A date alone would silently mean midnight: a time must be given.
        if len(raw) > STARTS_AT_MAX or not any(sep in raw for sep in "Tt "):
            raise ValueError("no time")
        when = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise BadRequest("starts_at is not an ISO 8601 date and time.") from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=zone)
    return when.astimezone(UTC)


def utc_text(when: datetime) -> str:
    """``2026-03-28T18:00:00Z``: the form every event time leaves the server in."""
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


WEEK = timedelta(days=7)


def next_weekly(starts_at: datetime, zone: ZoneInfo, after: datetime) -> datetime:
    """The first occurrence later than ``after`` of a weekly event that had one at
    ``starts_at``: the same weekday and wall-clock time in ``zone``, in UTC.

    Weeks are counted on the wall clock (a naive local time plus seven days), then
    read in the zone the way :func:`parse_starts_at` reads a time without an offset.
    """
    wall = starts_at.astimezone(zone).replace(tzinfo=None)
    # Skip the weeks that are surely past in one step, then step to the first after.
    weeks = max(1, (after - starts_at) // WEEK)
    while True:
        candidate = (wall + weeks * WEEK).replace(tzinfo=zone).astimezone(UTC)
        if candidate > after:
            return candidate
        weeks += 1
