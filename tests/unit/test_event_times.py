"""Reading an event's start: offsets, wall-clock times in IANA zones, DST changes."""

from __future__ import annotations

import pytest

from teahouse.domain.event_times import next_weekly, parse_starts_at, parse_time_zone, utc_text
from teahouse.errors import BadRequest

TIMES = [
    # Europe/Berlin moves to summer time on 2026-03-29: 19:00 is 18:00Z before, 17:00Z after.
    ("2026-03-28T19:00", "Europe/Berlin", "2026-03-28T18:00:00Z"),
    ("2026-03-30T19:00", "Europe/Berlin", "2026-03-30T17:00:00Z"),
    ("2026-03-30 19:00:00", "Europe/Berlin", "2026-03-30T17:00:00Z"),
    # America/New_York moves on 2026-03-08: 19:00 is 00:00Z the next day, then 23:00Z.
    ("2026-03-07T19:00", "America/New_York", "2026-03-08T00:00:00Z"),
    ("2026-03-09T19:00", "America/New_York", "2026-03-09T23:00:00Z"),
    # Back to winter time on 2026-11-01: a time that happens twice is the first one.
    ("2026-11-01T01:30", "America/New_York", "2026-11-01T05:30:00Z"),
    # A time that never happens reads with the offset before the change.
    ("2026-03-29T02:30", "Europe/Berlin", "2026-03-29T01:30:00Z"),
    # An offset or Z names the instant, whatever the zone.
    ("2026-03-28T19:00Z", "Europe/Berlin", "2026-03-28T19:00:00Z"),
    ("2026-03-28T19:00:00+05:30", "America/New_York", "2026-03-28T13:30:00Z"),
    ("2026-07-01T12:00", "UTC", "2026-07-01T12:00:00Z"),
]


@pytest.mark.parametrize(("raw", "zone", "expected"), TIMES)
def test_start_times_in_utc(raw: str, zone: str, expected: str) -> None:
    assert utc_text(parse_starts_at(raw, parse_time_zone(zone))) == expected


@pytest.mark.parametrize(
    "zone",
    [
        "",
        "Mars/Olympus_Mons",
        "europe/berlin",
        " UTC",
        "localtime",
        "posixrules",
        "../../etc/passwd",
        "/usr/share/zoneinfo/UTC",
        "x" * 200,
    ],
)
def test_names_that_are_not_iana_zones(zone: str) -> None:
    with pytest.raises(BadRequest) as refused:
        parse_time_zone(zone)
    assert refused.value.code == "invalid_time_zone"


@pytest.mark.parametrize(
    "raw", ["", "tomorrow", "2026-03-28", "2026-13-01T10:00", "2026-03-28T25:00", "1" * 100]
)
def test_start_times_that_do_not_parse(raw: str) -> None:
    with pytest.raises(BadRequest) as refused:
        parse_starts_at(raw, parse_time_zone("UTC"))
    assert refused.value.code == "invalid_request"


# A weekly event: (its occurrence, zone, the moment after which the next is wanted,
# the next). The next keeps the weekday and the wall-clock time in the zone.
WEEKLY = [
    # Berlin, Monday 19:00 across the spring change (2026-03-29): 18:00Z, then 17:00Z.
    ("2026-03-23T18:00:00Z", "Europe/Berlin", "2026-03-23T19:05:00Z", "2026-03-30T17:00:00Z"),
    # ...and across the autumn change (2026-10-25): 17:00Z, then 18:00Z.
    ("2026-10-19T17:00:00Z", "Europe/Berlin", "2026-10-19T18:00:00Z", "2026-10-26T18:00:00Z"),
    # New York, Sunday 19:00 across its spring change (2026-03-08).
    ("2026-03-02T00:00:00Z", "America/New_York", "2026-03-02T01:00:00Z", "2026-03-08T23:00:00Z"),
    # Weeks nobody started are skipped: the next is the first after `after`.
    ("2026-03-23T18:00:00Z", "Europe/Berlin", "2026-04-14T12:00:00Z", "2026-04-20T17:00:00Z"),
    # `after` before the occurrence: still the week after it, never the same one.
    ("2026-03-23T18:00:00Z", "Europe/Berlin", "2026-03-23T10:00:00Z", "2026-03-30T17:00:00Z"),
    # Exactly on an occurrence: the one after it.
    ("2026-03-23T18:00:00Z", "Europe/Berlin", "2026-03-30T17:00:00Z", "2026-04-06T17:00:00Z"),
    ("2026-07-06T12:00:00Z", "UTC", "2026-07-06T13:00:00Z", "2026-07-13T12:00:00Z"),
]


@pytest.mark.parametrize(("occurrence", "zone", "after", "expected"), WEEKLY)
def test_a_weekly_event_keeps_its_wall_clock_time(
    occurrence: str, zone: str, after: str, expected: str
) -> None:
    tz = parse_time_zone(zone)
    got = next_weekly(parse_starts_at(occurrence, tz), tz, parse_starts_at(after, tz))
    assert utc_text(got) == expected
    before = parse_starts_at(occurrence, tz).astimezone(tz)
    assert (got.astimezone(tz).strftime("%A %H:%M")) == before.strftime("%A %H:%M")
