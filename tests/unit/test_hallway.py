"""The hallway's order, reasons and hiding rules (domain/hallway.py), as tables."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from teahouse.domain.hallway import (
    POPULAR_LISTENERS,
    ClubRef,
    EventCandidate,
    Reason,
    RoomCandidate,
    Viewer,
    quiet_room_key,
    rank_events,
    rank_rooms,
)
from teahouse.domain.room_changes import UserRef

T0 = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)


def u(name: str) -> UserRef:
    return UserRef(name, name, name.title())


ADA, BOB, CY, DEE, EVE, FAY, GUS = (u(n) for n in ("ada", "bob", "cy", "dee", "eve", "fay", "gus"))
BOOK = ClubRef("book", "Book Club")
CHESS = ClubRef("chess", "Chess Club")
# "me" follows Ada, Bob, Cy and Dee, belongs to (or follows) the Book Club, and is
# blocked either way with Eve. Fay and Gus are strangers.
ME = Viewer(
    id="me",
    following=frozenset({"ada", "bob", "cy", "dee"}),
    clubs=frozenset({"book"}),
    blocked=frozenset({"eve"}),
)


def room(
    rid: str,
    speakers: tuple[UserRef, ...] = (),
    listeners: tuple[UserRef, ...] = (),
    club: ClubRef | None = None,
    age_minutes: int = 0,
    demo: bool = False,
) -> RoomCandidate:
    created = T0 - timedelta(minutes=age_minutes)
    return RoomCandidate(rid, created, speakers, listeners, club, demo=demo)


def crowd(count: int) -> tuple[UserRef, ...]:
    """``count`` listeners nobody follows."""
    return (GUS,) * count


def order(rooms: list[RoomCandidate], viewer: Viewer = ME) -> list[str]:
    return [r.item.id for r in rank_rooms(viewer, rooms)]


# -- room order -----------------------------------------------------------------------

ROOM_ORDER = [
    (
        "speaking, then listening, then club, then popular, then the rest",
        [
            room("rest", (FAY, GUS), crowd(POPULAR_LISTENERS - 1), age_minutes=90),
            room("popular", (FAY,), crowd(POPULAR_LISTENERS)),
            room("club", (FAY,), (), BOOK),
            room("listening", (FAY,), (ADA,)),
            room("speaking", (BOB,)),
        ],
        ["speaking", "listening", "club", "popular", "rest"],
    ),
    (
        "a popular room before a bigger one with fewer listeners",
        [
            room("stage", (FAY, GUS, FAY, GUS), crowd(POPULAR_LISTENERS - 1)),
            room("audience", (FAY,), crowd(POPULAR_LISTENERS)),
        ],
        ["audience", "stage"],
    ),
    (
        "a real room of two before any demo room, however big or followed",
        [
            room("demo-speaking", (ADA, BOB), crowd(50), demo=True),
            room("demo-listening", (FAY,), (CY, *crowd(80)), demo=True),
            room("demo-club", (FAY,), crowd(40), BOOK, demo=True),
            room("demo-crowd", (FAY,), crowd(200), demo=True),
            room("real", (FAY,), (GUS,)),
        ],
        ["real", "demo-speaking", "demo-listening", "demo-club", "demo-crowd"],
    ),
    (
        "a real room with only its moderator on stage before a demo room",
        [room("demo", (ADA,), crowd(9), demo=True), room("real", (FAY,))],
        ["real", "demo"],
    ),
    (
        "demo rooms: bigger first, never by popularity",
        [
            room("demo-small", (FAY,), crowd(POPULAR_LISTENERS), demo=True),
            room("demo-big", (FAY, GUS, FAY), crowd(POPULAR_LISTENERS - 1), demo=True),
        ],
        ["demo-big", "demo-small"],
    ),
    (
        "more followed speakers first, even in a smaller room",
        [room("one", (ADA,), (GUS,) * 20), room("two", (BOB, CY))],
        ["two", "one"],
    ),
    (
        "more followed listeners first",
        [room("one", (FAY,), (ADA,) + (GUS,) * 20), room("three", (FAY,), (BOB, CY, DEE))],
        ["three", "one"],
    ),
    (
        "a followed speaker outranks any number of followed listeners",
        [room("listeners", (FAY,), (ADA, BOB, CY)), room("speaker", (DEE,))],
        ["speaker", "listeners"],
    ),
    (
        "a club the member is not in counts for nothing",
        [room("chess", (FAY,), (), CHESS), room("bigger", (FAY,), (GUS,))],
        ["bigger", "chess"],
    ),
    (
        "the rest: bigger first",
        [room("small", (FAY,)), room("big", (FAY,), (GUS, GUS))],
        ["big", "small"],
    ),
    (
        "the rest: same size, older first",
        [room("new", (FAY,), age_minutes=1), room("old", (GUS,), age_minutes=30)],
        ["old", "new"],
    ),
    (
        "same followed count: bigger first",
        [room("small", (ADA,)), room("big", (BOB,), (GUS,))],
        ["big", "small"],
    ),
    (
        "club rooms: bigger first",
        [room("a", (FAY,), (), BOOK), room("b", (FAY,), (GUS,), BOOK)],
        ["b", "a"],
    ),
    ("no rooms", [], []),
]


@pytest.mark.parametrize(
    ("rooms", "expected"), [(r, e) for _, r, e in ROOM_ORDER], ids=[n for n, _, _ in ROOM_ORDER]
)
def test_room_order(rooms: list[RoomCandidate], expected: list[str]) -> None:
    assert order(rooms) == expected
    assert order(list(reversed(rooms))) == expected  # the input order does not matter


# -- room reasons ---------------------------------------------------------------------

ROOM_REASONS = [
    (room("r", (ADA,)), Reason("following_speaking", "Ada is speaking", (ADA,))),
    (
        room("r", (ADA, FAY, BOB)),
        Reason("following_speaking", "2 people you follow are speaking", (ADA, BOB)),
    ),
    (
        room("r", (ADA,), (BOB, CY)),
        Reason("following_speaking", "Ada is speaking", (ADA,)),
    ),
    (room("r", (FAY,), (ADA,)), Reason("following_listening", "Ada is listening", (ADA,))),
    (
        room("r", (FAY,), (ADA, GUS, BOB)),
        Reason("following_listening", "Ada and 1 other you follow are listening", (ADA, BOB)),
    ),
    (
        room("r", (FAY,), (ADA, BOB, CY, DEE)),
        Reason(
            "following_listening",
            "Ada and 3 others you follow are listening",
            (ADA, BOB, CY, DEE),
        ),
    ),
    (room("r", (FAY,), (GUS,), BOOK), Reason("club", "From Book Club")),
    (room("r", (ADA,), (), BOOK), Reason("following_speaking", "Ada is speaking", (ADA,))),
    (room("r", (FAY,), (GUS,), CHESS), Reason("live", "Live now")),
    (room("r", (FAY,)), Reason("live", "Live now")),
    (room("r"), Reason("live", "Live now")),
    (room("r", (FAY,), crowd(POPULAR_LISTENERS), CHESS), Reason("popular", "Popular")),
    (room("r", (FAY,), crowd(POPULAR_LISTENERS), BOOK), Reason("club", "From Book Club")),
    (room("r", (FAY,), crowd(POPULAR_LISTENERS), demo=True), Reason("demo", "Demo room, no audio")),
    (room("r", (FAY,), (), BOOK, demo=True), Reason("club", "From Book Club")),
    (
        room("r", (ADA,), crowd(30), demo=True),
        Reason("following_speaking", "Ada is speaking", (ADA,)),
    ),
]


@pytest.mark.parametrize(
    ("candidate", "reason"), ROOM_REASONS, ids=[r.text for _, r in ROOM_REASONS]
)
def test_room_reason(candidate: RoomCandidate, reason: Reason) -> None:
    [ranked] = rank_rooms(ME, [candidate])
    assert ranked.reason == reason


# -- hiding ---------------------------------------------------------------------------

HIDDEN = [
    ("someone blocked on stage", room("r", (FAY, EVE)), True),
    ("someone blocked moderating alone", room("r", (EVE,)), True),
    ("blocked, next to a followed speaker", room("r", (ADA, EVE)), True),
    ("someone blocked in the audience only", room("r", (FAY,), (EVE,)), False),
    ("created by someone blocked, who left", replace(room("r", (FAY,)), created_by="eve"), True),
    ("created by someone else", replace(room("r", (FAY,)), created_by="fay"), False),
    ("nobody blocked", room("r", (FAY,), (GUS,)), False),
]


@pytest.mark.parametrize(
    ("candidate", "hidden"), [(r, h) for _, r, h in HIDDEN], ids=[n for n, _, _ in HIDDEN]
)
def test_rooms_a_blocked_person_created_or_is_on_the_stage_of_are_hidden(
    candidate: RoomCandidate, hidden: bool
) -> None:
    assert order([candidate]) == ([] if hidden else ["r"])


def test_a_blocked_listener_is_never_named_even_if_followed() -> None:
    # Blocking removes follows; should one linger, the reason still never names them.
    viewer = Viewer("me", following=frozenset({"ada", "eve"}), blocked=frozenset({"eve"}))
    [ranked] = rank_rooms(viewer, [room("r", (FAY,), (EVE, ADA))])
    assert ranked.reason == Reason("following_listening", "Ada is listening", (ADA,))


# -- a room given by its followed listeners and audience size -----------------------

AUDIENCE = [
    (
        "the audience's size ranks, not the listeners listed",
        [
            RoomCandidate("big", T0, (FAY,), (), audience=50),
            room("small", (FAY,), (GUS,) * 9),
        ],
        ["big", "small"],
    ),
    (
        "followed listeners only: the same tier and order as the whole audience",
        [
            RoomCandidate("few", T0, (FAY,), (ADA, BOB), audience=100),
            RoomCandidate("one", T0, (FAY,), (CY,), audience=300),
        ],
        ["few", "one"],
    ),
    (
        "one followed listener each: the bigger audience first",
        [
            RoomCandidate("a", T0, (FAY,), (ADA,), audience=3),
            RoomCandidate("b", T0, (FAY,), (BOB,), audience=30),
        ],
        ["b", "a"],
    ),
]


@pytest.mark.parametrize(
    ("rooms", "expected"), [(r, e) for _, r, e in AUDIENCE], ids=[n for n, _, _ in AUDIENCE]
)
def test_room_order_with_an_audience_count(rooms: list[RoomCandidate], expected: list[str]) -> None:
    assert order(rooms) == expected


def test_an_audience_count_gives_the_same_reason_as_the_whole_audience() -> None:
    whole = room("r", (FAY,), (GUS, ADA, FAY, BOB, GUS))
    listed = RoomCandidate("r", whole.created_at, (FAY,), (ADA, BOB), audience=5)
    [a], [b] = rank_rooms(ME, [whole]), rank_rooms(ME, [listed])
    assert (
        a.reason
        == b.reason
        == Reason("following_listening", "Ada and 1 other you follow are listening", (ADA, BOB))
    )
    assert a.key == b.key and listed.participant_count == 6


def test_quiet_room_key_is_the_key_of_a_room_without_followed_people() -> None:
    candidates = [
        room("p", (FAY,), crowd(3)),
        room("c", (FAY,), (), BOOK),
        room("big", (FAY,), crowd(POPULAR_LISTENERS)),
        room("d", (FAY,), crowd(POPULAR_LISTENERS), demo=True),
        room("dc", (FAY,), (), BOOK, demo=True),
    ]
    for candidate in candidates:
        [ranked] = rank_rooms(ME, [candidate])
        club_id = candidate.club.id if candidate.club else None
        assert ranked.key == quiet_room_key(
            ME,
            club_id,
            candidate.participant_count,
            candidate.created_at,
            candidate.id,
            listener_count=candidate.listener_count,
            demo=candidate.demo,
        )


def test_after_a_key_only_the_rooms_after_it() -> None:
    rooms = [
        room("speaking", (ADA,)),
        room("club", (FAY,), (), BOOK),
        room("big", (FAY,), (GUS,) * 4),
        room("small", (FAY,)),
    ]
    ranked = rank_rooms(ME, rooms)
    assert [r.item.id for r in ranked] == ["speaking", "club", "big", "small"]
    for i, last in enumerate(ranked):
        after = rank_rooms(ME, rooms, after=last.key)
        assert [r.item.id for r in after] == [r.item.id for r in ranked[i + 1 :]]


def test_a_stranger_sees_small_rooms_as_live_in_size_order() -> None:
    rooms = [room("a", (ADA,)), room("b", (BOB,), (CY,), BOOK)]
    ranked = rank_rooms(Viewer("stranger"), rooms)
    assert [(r.item.id, r.reason.kind) for r in ranked] == [("b", "live"), ("a", "live")]


# -- "Popular": at least POPULAR_LISTENERS listening, right now --------------------------

POPULAR_BOUNDARY = [
    ("one listener short", room("r", (FAY,), crowd(POPULAR_LISTENERS - 1)), "live"),
    ("exactly enough listeners", room("r", (FAY,), crowd(POPULAR_LISTENERS)), "popular"),
    ("more than enough", room("r", (FAY,), crowd(POPULAR_LISTENERS + 40)), "popular"),
    (
        "people on stage are not listeners",
        room("r", (FAY, GUS) * 5, crowd(POPULAR_LISTENERS - 1)),
        "live",
    ),
    (
        "an audience count one short",
        RoomCandidate("r", T0, (FAY,), (), audience=POPULAR_LISTENERS - 1),
        "live",
    ),
    (
        "an audience count just enough",
        RoomCandidate("r", T0, (FAY,), (), audience=POPULAR_LISTENERS),
        "popular",
    ),
    ("a demo room's made-up audience", room("r", (FAY,), crowd(500), demo=True), "demo"),
]


@pytest.mark.parametrize(
    ("candidate", "kind"),
    [(r, k) for _, r, k in POPULAR_BOUNDARY],
    ids=[n for n, _, _ in POPULAR_BOUNDARY],
)
def test_popular_means_enough_listeners_right_now(candidate: RoomCandidate, kind: str) -> None:
    assert POPULAR_LISTENERS == 10  # the number docs/API-SOCIAL.md and the README give
    [ranked] = rank_rooms(Viewer("stranger"), [candidate])
    assert ranked.reason.kind == kind


# -- events ---------------------------------------------------------------------------


def event(
    eid: str,
    host: UserRef = FAY,
    in_hours: int = 1,
    cohosts: tuple[UserRef, ...] = (),
    club: ClubRef | None = None,
    notify_me: bool = False,
) -> EventCandidate:
    return EventCandidate(eid, T0 + timedelta(hours=in_hours), host, cohosts, club, notify_me)


EVENT_ORDER = [
    (
        "followed host, then club, then asked about, then the rest",
        [
            event("rest", in_hours=1),
            event("asked", in_hours=2, notify_me=True),
            event("club", in_hours=3, club=BOOK),
            event("host", ADA, in_hours=4),
        ],
        ["host", "club", "asked", "rest"],
    ),
    (
        "a followed co-host counts as a followed host",
        [event("rest", in_hours=1), event("cohost", cohosts=(BOB,), in_hours=5)],
        ["cohost", "rest"],
    ),
    (
        "soonest first within a tier",
        [event("later", ADA, in_hours=30), event("sooner", BOB, in_hours=2)],
        ["sooner", "later"],
    ),
    (
        "soonest first among the rest",
        [event("b", in_hours=9), event("a", GUS, in_hours=3)],
        ["a", "b"],
    ),
    (
        "another club's event is just upcoming",
        [event("chess", in_hours=1, club=CHESS), event("asked", in_hours=5, notify_me=True)],
        ["asked", "chess"],
    ),
]


@pytest.mark.parametrize(
    ("events", "expected"), [(e, x) for _, e, x in EVENT_ORDER], ids=[n for n, _, _ in EVENT_ORDER]
)
def test_event_order(events: list[EventCandidate], expected: list[str]) -> None:
    for given in (events, list(reversed(events))):
        assert [r.item.id for r in rank_events(ME, given)] == expected


EVENT_REASONS = [
    (event("e", ADA), Reason("following_host", "Ada is hosting", (ADA,))),
    (event("e", FAY, cohosts=(CY,)), Reason("following_host", "Cy is hosting", (CY,))),
    (
        event("e", ADA, cohosts=(GUS, BOB)),
        Reason("following_host", "2 people you follow are hosting", (ADA, BOB)),
    ),
    (event("e", club=BOOK), Reason("club", "From Book Club")),
    (event("e", club=BOOK, notify_me=True), Reason("club", "From Book Club")),
    (event("e", notify_me=True), Reason("notify_me", "You asked to be notified")),
    (event("e"), Reason("upcoming", "Upcoming")),
]


@pytest.mark.parametrize(
    ("candidate", "reason"), EVENT_REASONS, ids=[r.text for _, r in EVENT_REASONS]
)
def test_event_reason(candidate: EventCandidate, reason: Reason) -> None:
    [ranked] = rank_events(ME, [candidate])
    assert ranked.reason == reason


@pytest.mark.parametrize(
    ("candidate", "hidden"),
    [
        (event("e", EVE), True),
        (event("e", FAY, cohosts=(EVE,)), True),
        (event("e", ADA, cohosts=(GUS,)), False),
    ],
    ids=["blocked host", "blocked co-host", "nobody blocked"],
)
def test_events_with_a_blocked_host_are_hidden(candidate: EventCandidate, hidden: bool) -> None:
    assert [r.item.id for r in rank_events(ME, [candidate])] == ([] if hidden else ["e"])
