"""The hallway's live rooms from the Stage's index, page by page, against ranking every
room in full (hallway/rooms.py, live/index.py)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest

from teahouse.domain.cursors import HallwayCursor
from teahouse.domain.hallway import ClubRef as HallClub
from teahouse.domain.hallway import RoomCandidate, Viewer, rank_rooms
from teahouse.domain.room_changes import Role, UserRef
from teahouse.hallway.rooms import HallwayRooms
from teahouse.live.stage import Stage
from teahouse.rooms.rooms import ClubRef, RoomInfo, Rooms
from tests.support.fake_media import FakeMedia

T0 = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
PEOPLE = [UserRef(f"u{i}", f"u{i}", f"User {i}") for i in range(40)]
CLUBS = [ClubRef("c0", "Chess"), ClubRef("c1", "Books")]


class EndlessRooms:
    async def mark_ended(self, room_id: str) -> None:
        pass


class Socket:
    def __init__(self, user: UserRef) -> None:
        self.user = user
        self.room_id: str | None = None

    def send(self, text: str) -> None:
        pass


def new_stage() -> Stage:
    rooms = cast(Rooms, EndlessRooms())
    return Stage(rooms, FakeMedia(), reconnect_grace=1e9, empty_room_grace=1e9)


async def fill(stage: Stage, rnd: random.Random, count: int) -> list[RoomInfo]:
    infos = []
    for i in range(count):
        creator = rnd.choice(PEOPLE)
        visibility = rnd.choice(("open", "open", "open", "closed", "club"))
        club = rnd.choice([None, *CLUBS]) if visibility != "club" else rnd.choice(CLUBS)
        # Some rooms the same age and size: ties go by id.
        created = T0 - timedelta(minutes=rnd.choice((1, 2, 3, 4)))
        demo = rnd.random() < 0.25  # demo rooms rank after the real ones
        info = RoomInfo(
            f"r{i:02}", f"Room {i}", visibility, creator, created.isoformat(), club, demo=demo
        )
        infos.append(info)
        await stage.open_room(info)
        await stage.seat_resident(info.id, creator, Role.MODERATOR)
        # Up to 14 listeners: some rooms popular (10 or more), some not.
        others = rnd.sample([p for p in PEOPLE if p != creator], rnd.randint(0, 16))
        for n, person in enumerate(others):
            role = Role.SPEAKER if n < 2 else Role.LISTENER
            await stage.seat_resident(info.id, person, role)
    return infos


def full_candidates(stage: Stage, admitted: set[str]) -> list[RoomCandidate]:
    out = []
    for rid in stage.live_room_ids():
        live = stage.live(rid)
        assert live is not None
        if live.info.visibility != "open" and rid not in admitted:
            continue
        people = list(live.state.participants.values())
        club = live.info.club
        out.append(
            RoomCandidate(
                rid,
                datetime.fromisoformat(live.info.created_at),
                tuple(p.user for p in people if p.role.on_stage),
                tuple(p.user for p in people if not p.role.on_stage),
                HallClub(club.id, club.name) if club else None,
                demo=live.info.demo,
            )
        )
    return out


def paged(rooms: HallwayRooms, viewer: Viewer, admitted: set[str], limit: int) -> list[Any]:
    seen: list[Any] = []
    after: HallwayCursor | None = None
    while True:
        page = rooms.page(viewer, admitted, after, limit)
        assert len(page.items) <= limit
        seen.extend((r.ranked.item.id, r.ranked.reason, r.ranked.key) for r in page.items)
        if page.next_cursor is None:
            return seen
        after = HallwayCursor.decode(page.next_cursor)


@pytest.mark.parametrize("seed", range(8))
async def test_pages_equal_ranking_every_room_in_full(seed: int) -> None:
    rnd = random.Random(seed)
    stage = new_stage()
    await fill(stage, rnd, 30)
    # Some come and go over sockets, as members do.
    sockets = []
    for _ in range(20):
        socket = Socket(rnd.choice(PEOPLE))
        info = stage.live(rnd.choice(stage.live_room_ids()))
        assert info is not None
        await stage.join(socket, info.info, None)
        sockets.append(socket)
    for socket in rnd.sample(sockets, 8):
        if socket.room_id is not None:
            await stage.leave(socket)
    hallway = HallwayRooms(stage)
    ids = [p.id for p in PEOPLE]
    for _ in range(6):
        me = rnd.choice(ids)
        viewer = Viewer(
            me,
            following=frozenset(rnd.sample(ids, rnd.randint(0, 8))),
            clubs=frozenset(rnd.sample(["c0", "c1"], rnd.randint(0, 2))),
            blocked=frozenset(rnd.sample(ids, rnd.randint(0, 3))),
        )
        admitted = set(rnd.sample(stage.live_room_ids(), 5))
        expected = [
            (r.item.id, r.reason, r.key)
            for r in rank_rooms(viewer, full_candidates(stage, admitted))
        ]
        for limit in (1, 3, 7, 100):
            assert paged(hallway, viewer, admitted, limit) == expected


async def test_the_index_follows_joins_leaves_and_endings() -> None:
    stage = new_stage()
    info = RoomInfo("r1", "Tea", "open", PEOPLE[0], T0.isoformat())
    await stage.open_room(info)
    await stage.seat_resident("r1", PEOPLE[0], Role.MODERATOR)
    socket = Socket(PEOPLE[1])
    await stage.join(socket, info, None)
    assert stage.index.where({"u0", "u1", "u2"}) == {"r1": ["u0", "u1"]}
    await stage.leave(socket)
    assert stage.index.rooms_of("u1") == frozenset()
    assert stage.index.rooms_of("u0") == {"r1"}
    await stage.end_room("r1", "test")
    assert len(stage.index) == 0


async def test_a_resident_speaker_is_on_stage_and_residents_never_go_away() -> None:
    stage = new_stage()
    info = RoomInfo("r1", "Tea", "open", PEOPLE[0], T0.isoformat())
    await stage.open_room(info)
    await stage.seat_resident("r1", PEOPLE[0], Role.MODERATOR)
    await stage.seat_resident("r1", PEOPLE[1], Role.SPEAKER)
    await stage.seat_resident("r1", PEOPLE[2], Role.LISTENER)
    live = stage.live("r1")
    assert live is not None
    roles = {uid: p.role for uid, p in live.state.participants.items()}
    assert roles == {"u0": Role.MODERATOR, "u1": Role.SPEAKER, "u2": Role.LISTENER}
    assert live.away == {}  # the creator's "walk in" timer is gone: the room lives on
