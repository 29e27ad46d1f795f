"""Hallway and search at scale: p50/p95 of the services on a large generated database.

Issue acceptance: "Hallway query and search p50/p95 on SQLite and on PostgreSQL with
100,000 members, 1,000,000 follows, 2,000 live rooms and 10,000 events. Target:
hallway p95 under 50 ms on both."

The services are called directly (``Hallway.for_member``, ``Search.search``), not over
HTTP: the figures leave out the HTTP edge (auth, the room summaries that
GET /api/hallway adds, JSON encoding). The database is brought to the current schema by
``Database.upgrade()`` and then filled with bulk inserts (SQLAlchemy Core executemany on
SQLite, so that FTS5 triggers index the text; COPY on PostgreSQL, followed by ANALYZE).
The live rooms are opened in a real :class:`Stage` with a no-op media backend, and
their participants are put in with ``RoomState.join``.

    .venv/bin/python -m bench.hallway_scale --engine sqlite
    .venv/bin/python -m bench.hallway_scale --engine postgres      # creates, then drops, its DB

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import bisect
import cProfile
import functools
import gc
import io
import itertools
import os
import platform
import pstats
import random
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from tests.support.fake_media import FakeMedia

from bench import cjk_search
from bench.common import add_loop_option, cpu_model, percentile, run
from bench.measure import GcMeter, log, summary, timed
from teahouse.domain.ids import new_id
from teahouse.domain.room_changes import Role, UserRef
from teahouse.hallway.hallway import ROOMS_PAGE, Hallway
from teahouse.live.stage import Stage
from teahouse.notifications.notifier import Notifications
from teahouse.rooms.rooms import ClubRef, RoomInfo, Rooms
from teahouse.social.graph import Social
from teahouse.social.search import Kind, Search
from teahouse.store.database import Database
from teahouse.store.models import Base, Room, RoomAdmission, User
from teahouse.store.social_models import (
    Block,
    Club,
    ClubFollow,
    ClubMember,
    Event,
    EventCohost,
    EventInterest,
    Follow,
)

POSTGRES_ADMIN_URL = os.environ.get(
    "TEAHOUSE_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
CHUNK = 20_000
TARGET_P95_MS = 50.0

FIRST = (  # noqa: SIM905
    "ada alan grace linus barbara edsger donald margaret ken dennis bjarne guido john "
    "frances radia katherine hedy annie sophie tim vint bob larry sergey marissa "
    "susan carol dorothy emmy marie lise rosalind chien jocelyn vera henrietta "
    "cecilia mary wang li chen zhang liu yang huang zhao wu zhou amara kofi ama kwame "
    "chidi ngozi aisha omar fatima yusuf leila samir noor ravi priya arjun anika "
    "vikram deepa sakura haruto yuki ren hana kenji mei sora lucas sofia mateo "
    "valentina diego camila pedro lucia jonas lena felix mia noah emma liam olivia "
    "oscar freya"
).split()
SYLLABLES = (  # noqa: SIM905
    "ka ri mo ta le ven sor dal bri ne ko ha lu mi stro gar fen wil ash ton berg man "
    "son ski ova ez ic ard ell ock ing wood field"
).split()
INTERESTS = (  # noqa: SIM905
    "jazz cycling tea chess poetry hiking startups design rust python gardening "
    "photography cooking running climate music books film philosophy astronomy "
    "football painting travel coffee bread history languages podcasts sailing yoga"
).split()
TOPICS = (  # noqa: SIM905
    "late night jazz talk; founders open mic; morning pages; climate news; chess "
    "blitz hour; poetry circle; rust async office hours; python typing clinic; garden "
    "swap; photo critique; bread baking live; marathon training; film club debrief; "
    "philosophy cafe; star gazing q&a; language exchange"
).split("; ")


# -- the data -----------------------------------------------------------------------


@dataclass
class Sizes:
    members: int
    follows: int
    live_rooms: int
    ended_rooms: int
    events: int
    clubs: int
    blocks: int
    cjk_share: float = 0.0  # members with a Chinese display name; as many room titles
    speakers: tuple[int, int] = (2, 10)
    listeners: tuple[int, int] = (0, 200)


@dataclass
class World:
    """What was generated, kept to open the live rooms and to pick viewers and queries."""

    users: list[UserRef] = field(default_factory=list)
    popularity: list[float] = field(default_factory=list)  # cumulative weights
    club_ids: list[str] = field(default_factory=list)
    club_names: list[str] = field(default_factory=list)
    live_rooms: list[RoomInfo] = field(default_factory=list)
    event_titles: list[str] = field(default_factory=list)
    follows_of: list[int] = field(default_factory=list)  # per member, how many they follow

    def popular(self, rnd: random.Random, k: int = 1) -> list[int]:
        """Member indexes drawn with the follow skew (popular members more often)."""
        total = self.popularity[-1]
        return [bisect.bisect_left(self.popularity, rnd.random() * total) for _ in range(k)]


def _names(rnd: random.Random, n: int, cjk_share: float) -> Iterator[tuple[str, str]]:
    for i in range(n):
        first = rnd.choice(FIRST)
        last = "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 3)))
        sep = rnd.choice(("", "_", "."))
        username = f"{first}{sep if sep != '.' else '_'}{last}{i}"[:30]
        if rnd.random() < cjk_share:
            yield username, cjk_search.chinese_name(rnd)
        else:
            yield username, f"{first.title()} {last.title()}"


def _zipf_cumulative(n: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + 1) ** exponent for rank in range(n)))


class Loader:
    """Bulk inserts: Core executemany (SQLite) or COPY (PostgreSQL), in chunks."""

    def __init__(self, db: Database, pg_dsn: dict[str, Any] | None) -> None:
        self.db = db
        self.pg_dsn = pg_dsn
        self.counts: dict[str, int] = {}

    async def load(
        self, model: type[Base], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
    ) -> None:
        name = str(model.__tablename__)
        table = Base.metadata.tables[name]
        count = 0
        it = iter(rows)
        if self.pg_dsn is not None:
            conn = await asyncpg.connect(**self.pg_dsn)
            try:
                while chunk := list(itertools.islice(it, CHUNK * 5)):
                    await conn.copy_records_to_table(name, records=chunk, columns=list(columns))
                    count += len(chunk)
            finally:
                await conn.close()
        else:
            async with self.db.engine.begin() as conn:
                while chunk := list(itertools.islice(it, CHUNK)):
                    await conn.execute(
                        insert(table), [dict(zip(columns, row, strict=True)) for row in chunk]
                    )
                    count += len(chunk)
        self.counts[name] = self.counts.get(name, 0) + count


async def generate(db: Database, loader: Loader, sizes: Sizes, rnd: random.Random) -> World:
    world = World()
    now = datetime.now(UTC)
    joined = [now - timedelta(days=d, minutes=rnd.randrange(1440)) for d in range(730)]

    # Members.
    user_rows = []
    for username, display in _names(rnd, sizes.members, sizes.cjk_share):
        uid = new_id()
        world.users.append(UserRef(uid, username, display))
        bio = f"Into {', '.join(rnd.sample(INTERESTS, 3))}." if rnd.random() < 0.7 else ""
        user_rows.append((uid, username, display, bio, "x", 0, False, rnd.choice(joined)))
    await loader.load(
        User,
        (
            "id",
            "username",
            "display_name",
            "bio",
            "password_hash",
            "invites_left",
            "is_admin",
            "created_at",
        ),
        user_rows,
    )
    del user_rows
    n = sizes.members
    ids = [u.id for u in world.users]

    # Follows: followees Zipf-skewed (a few members with tens of thousands of
    # followers), followers uniform; no duplicates, no self-follows.
    world.popularity = _zipf_cumulative(n, 0.9)
    order = list(range(n))
    rnd.shuffle(order)  # popularity rank -> member index
    pairs: set[int] = set()
    total = world.popularity[-1]
    while len(pairs) < sizes.follows:
        need = sizes.follows - len(pairs)
        for _ in range(need + need // 10):
            follower = rnd.randrange(n)
            followee = order[bisect.bisect_left(world.popularity, rnd.random() * total)]
            if follower != followee:
                pairs.add(follower * n + followee)
    # Viewers and speakers should see the same skew: remap popularity to member order.
    ranked_pop = [0.0] * n
    weights = [world.popularity[0]] + [b - a for a, b in itertools.pairwise(world.popularity)]
    for rank, member in enumerate(order):
        ranked_pop[member] = weights[rank]
    world.popularity = list(itertools.accumulate(ranked_pop))
    world.follows_of = [0] * n
    follow_rows = []
    for pair in itertools.islice(pairs, sizes.follows):
        follower, followee = divmod(pair, n)
        world.follows_of[follower] += 1
        follow_rows.append((ids[follower], ids[followee], joined[follower % 730]))
    del pairs
    await loader.load(Follow, ("follower_id", "followee_id", "created_at"), follow_rows)
    del follow_rows

    # Blocks.
    blocks = {(rnd.randrange(n), rnd.randrange(n)) for _ in range(sizes.blocks)}
    await loader.load(
        Block,
        ("blocker_id", "blocked_id", "created_at"),
        ((ids[a], ids[b], now) for a, b in blocks if a != b),
    )

    # Clubs: sizes skewed too; a fifth of members in one or more, some follow clubs.
    club_rows = []
    for i in range(sizes.clubs):
        kind = rnd.choice(("Club", "Circle", "Society", "Lab"))
        name = f"{rnd.choice(INTERESTS).title()} {kind} {i}"
        cid = new_id()
        world.club_ids.append(cid)
        world.club_names.append(name)
        club_rows.append(
            (
                cid,
                name,
                name.casefold(),
                f"People into {name.split()[0].lower()}.",
                "",
                ids[rnd.randrange(n)],
                rnd.choice(joined),
            )
        )
    await loader.load(
        Club,
        ("id", "name", "name_key", "description", "rules", "founder_id", "created_at"),
        club_rows,
    )
    club_pop = _zipf_cumulative(sizes.clubs, 1.0)
    members: set[tuple[int, int]] = set()
    follows: set[tuple[int, int]] = set()
    for _ in range(n // 5 * 2):
        c = bisect.bisect_left(club_pop, rnd.random() * club_pop[-1])
        members.add((c, rnd.randrange(n)))
    for _ in range(n // 2):
        c = bisect.bisect_left(club_pop, rnd.random() * club_pop[-1])
        follows.add((c, rnd.randrange(n)))
    await loader.load(
        ClubMember,
        ("club_id", "user_id", "role", "joined_at"),
        ((world.club_ids[c], ids[u], "member", now) for c, u in members),
    )
    await loader.load(
        ClubFollow,
        ("club_id", "user_id", "created_at"),
        ((world.club_ids[c], ids[u], now) for c, u in follows),
    )
    members_of: dict[int, list[int]] = {}
    for c, u in members:
        members_of.setdefault(c, []).append(u)

    # Rooms: the live ones (ended_at NULL) and a history of ended ones.
    room_rows = []
    for i in range(sizes.live_rooms + sizes.ended_rooms):
        live = i < sizes.live_rooms
        club = rnd.randrange(sizes.clubs) if rnd.random() < 0.2 else None
        visibility = rnd.choices(("open", "closed", "club"), (85, 5, 10))[0]
        if visibility == "club" and club is None:
            club = rnd.randrange(sizes.clubs)
        if club is not None and club in members_of:
            creator = rnd.choice(members_of[club])
        else:
            creator = world.popular(rnd)[0]
        started = now - timedelta(minutes=rnd.randrange(1, 240 if live else 60 * 24 * 365))
        topic = rnd.choice(cjk_search.TOPICS if rnd.random() < sizes.cjk_share else TOPICS)
        title = f"{topic.title()} #{i}"
        rid = new_id()
        room_rows.append(
            (
                rid,
                title,
                visibility,
                ids[creator],
                started,
                None if live else started + timedelta(hours=1),
                world.club_ids[club] if club is not None else None,
            )
        )
        if live:
            club_ref = (
                ClubRef(world.club_ids[club], world.club_names[club]) if club is not None else None
            )
            world.live_rooms.append(
                RoomInfo(
                    rid, title, visibility, world.users[creator], started.isoformat(), club_ref
                )
            )
    await loader.load(
        Room,
        ("id", "title", "visibility", "created_by_id", "created_at", "ended_at", "club_id"),
        room_rows,
    )
    del room_rows
    admissions = {
        (info.id, rnd.randrange(n))
        for info in world.live_rooms
        if info.visibility == "closed"
        for _ in range(50)
    }
    await loader.load(RoomAdmission, ("room_id", "user_id"), ((r, ids[u]) for r, u in admissions))

    # Events: over the next 30 days (and a few just due), 5% cancelled, some of clubs.
    event_rows, cohosts, interest = [], set(), set()
    for i in range(sizes.events):
        eid = new_id()
        host = world.popular(rnd)[0]
        club = rnd.randrange(sizes.clubs) if rnd.random() < 0.3 else None
        starts = now + timedelta(minutes=rnd.randrange(-30, 30 * 24 * 60))
        title = f"{rnd.choice(TOPICS).title()} {i}"
        world.event_titles.append(title)
        event_rows.append(
            (
                eid,
                title,
                f"We talk about {rnd.choice(INTERESTS)}.",
                starts,
                "Europe/Berlin",
                ids[host],
                world.club_ids[club] if club is not None else None,
                now - timedelta(days=rnd.randrange(30)),
                now if rnd.random() < 0.05 else None,
            )
        )
        for c in world.popular(rnd, rnd.choice((0, 0, 0, 1, 2))):
            if c != host:
                cohosts.add((eid, ids[c]))
        for _ in range(int(rnd.paretovariate(1.2) * 3) - 3):
            interest.add((eid, ids[rnd.randrange(n)]))
    await loader.load(
        Event,
        (
            "id",
            "title",
            "description",
            "starts_at",
            "time_zone",
            "host_id",
            "club_id",
            "created_at",
            "cancelled_at",
        ),
        event_rows,
    )
    await loader.load(EventCohost, ("event_id", "user_id"), cohosts)
    await loader.load(
        EventInterest, ("event_id", "user_id", "created_at"), ((e, u, now) for e, u in interest)
    )
    return world


async def open_live_rooms(stage: Stage, world: World, sizes: Sizes, rnd: random.Random) -> int:
    """Each live room in the Stage: its creator and other speakers, then listeners.

    Speakers are drawn with the follow skew (popular members speak), listeners
    uniformly. 2,000 rooms of up to 210 people are more seats than 100,000 members,
    so one member may sit in several rooms (never twice in one). They are seated with
    ``Stage.seat_resident`` (as the demo rooms are): the same state changes as a join
    over a socket, the Stage's index of who sits where kept up to date."""
    n = len(world.users)
    seated = 0
    for info in world.live_rooms:
        await stage.open_room(info)
        await stage.seat_resident(info.id, info.created_by, Role.MODERATOR)
        present = {info.created_by.id}
        for idx in world.popular(rnd, rnd.randint(*sizes.speakers) - 1):
            user = world.users[idx]
            if user.id not in present:
                present.add(user.id)
                await stage.seat_resident(info.id, user, Role.MODERATOR)  # on stage
        for _ in range(rnd.randint(*sizes.listeners)):
            user = world.users[rnd.randrange(n)]
            if user.id not in present:
                present.add(user.id)
                await stage.seat_resident(info.id, user, Role.LISTENER)
        seated += len(present)
    return seated


# -- measuring -------------------------------------------------------------------


async def page_size(hallway: Hallway, uid: str) -> tuple[int, int]:
    """One hallway; only its size is kept (keeping 200 pages alive would swell the heap
    that every full garbage collection scans)."""
    rooms, events = await hallway.for_member(uid)
    return len(rooms.items), len(events)


async def hallway_parts(hallway: Hallway, viewers: Sequence[str]) -> None:
    """The steps of ``Hallway.for_member``, each timed on its own (same order)."""
    parts: dict[str, list[float]] = {}

    def mark(name: str, start: float) -> float:
        now = time.perf_counter()
        parts.setdefault(name, []).append(now - start)
        return now

    for uid in viewers:
        t = time.perf_counter()
        viewer = await hallway.viewer(uid)
        t = mark("viewer (follows, clubs, blocks)", t)
        admitted = await hallway.admitted(uid)
        t = mark("admitted (non-open live rooms)", t)
        await hallway.events(viewer)
        t = mark("events (2 queries, rank, views)", t)
        live = hallway._live.page(viewer, admitted, None, ROOMS_PAGE)
        t = mark("rooms page (Stage index, rank)", t)
        cards = [hallway._room_view(shown) for shown in live.items]
        await hallway._add_pictures(cards)
        mark("room cards + pictures (1 query)", t)
    log("hallway, step by step (same viewers, each step timed alone):")
    for name, samples in parts.items():
        log(summary(name, samples))


def search_queries(world: World, rnd: random.Random, count: int) -> list[str]:
    """Prefixes of real names and titles, as someone typing them would send."""
    queries = []
    for _ in range(count):
        kind = rnd.random()
        if kind < 0.4:
            user = world.users[rnd.randrange(len(world.users))]
            while " " not in user.display_name:  # a Chinese name: see cjk_queries
                user = world.users[rnd.randrange(len(world.users))]
            words = user.display_name.lower().split()
            if rnd.random() < 0.5:
                q = words[0][: rnd.randint(2, len(words[0]))]
            else:
                q = f"{words[0]} {words[1][: rnd.randint(1, len(words[1]))]}"
        elif kind < 0.6:
            user = world.users[rnd.randrange(len(world.users))]
            q = user.username[: rnd.randint(3, min(12, len(user.username)))]
        elif kind < 0.8:
            name = rnd.choice(world.club_names).lower()
            q = name[: rnd.randint(2, len(name))]
        else:
            title = rnd.choice(world.live_rooms).title.lower()
            q = title[: rnd.randint(2, min(20, len(title)))]
        queries.append(q)
    return queries


def profile_report(profiler: cProfile.Profile, lines: int = 25) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(lines)
    return out.getvalue()


# -- the run -----------------------------------------------------------------------


async def server_version(db: Database) -> str:
    if db.is_sqlite:
        return f"sqlite={sqlite3.sqlite_version}"
    async with db.engine.connect() as conn:
        version = (await conn.execute(text("SHOW server_version"))).scalar_one()
    return f"postgres={version}"


async def main(args: argparse.Namespace) -> None:
    rnd = random.Random(args.seed)
    sizes = Sizes(
        members=args.members,
        follows=args.follows,
        live_rooms=args.rooms,
        ended_rooms=args.ended_rooms,
        events=args.events,
        clubs=args.clubs,
        blocks=args.blocks,
        cjk_share=args.cjk_share,
    )
    tmp = tempfile.TemporaryDirectory(prefix="teahouse-hallbench-")
    pg_dsn: dict[str, Any] | None = None
    admin_url = make_url(POSTGRES_ADMIN_URL)
    dbname = f"teahouse_hallbench_{os.getpid()}"
    if args.engine == "sqlite":
        url = f"sqlite+aiosqlite:///{Path(tmp.name) / 'teahouse.db'}"
    else:
        pg_dsn = {
            "host": admin_url.host,
            "port": admin_url.port or 5432,
            "user": admin_url.username,
            "password": admin_url.password,
            "database": dbname,
        }
        admin = await asyncpg.connect(**{**pg_dsn, "database": admin_url.database})
        await admin.execute(f'CREATE DATABASE "{dbname}"')
        await admin.close()
        url = str(admin_url.set(database=dbname).render_as_string(hide_password=False))
    db = Database(url)
    try:
        await db.upgrade()
        log(
            f"machine: nproc={len(os.sched_getaffinity(0))}, cpu={cpu_model()!r}, "
            f"python={platform.python_version()}, kernel={platform.release()}, "
            f"{await server_version(db)}, loop={args.loop}"
        )
        log(f"sizes: {sizes}")
        loader = Loader(db, pg_dsn)
        started = time.perf_counter()
        world = await generate(db, loader, sizes, rnd)
        generated = time.perf_counter() - started
        if pg_dsn is not None:
            # In a committed transaction: statistics gathered in one that is rolled
            # back (what leaving ``connect()`` does) are thrown away with it.
            async with db.engine.begin() as conn:
                await conn.execute(text("ANALYZE"))
        analysed = time.perf_counter() - started - generated
        rooms = Rooms(db)
        stage = Stage(rooms, FakeMedia(), reconnect_grace=1e9, empty_room_grace=1e9)
        seated_start = time.perf_counter()
        seated = await open_live_rooms(stage, world, sizes, rnd)
        seated_time = time.perf_counter() - seated_start
        log(
            f"data: generated and inserted in {generated:.1f} s"
            + (f" (+ ANALYZE {analysed:.1f} s)" if pg_dsn is not None else "")
            + f"; rows: {loader.counts}"
        )
        log(
            f"stage: {len(world.live_rooms)} live rooms, {seated} seats,"
            f" opened in {seated_time:.1f} s"
        )

        hallway = Hallway(db, rooms, stage, "https://teahouse.example")
        search = Search(db, Social(db, Notifications(db)), rooms, stage)
        viewers = [world.users[i].id for i in rnd.sample(range(len(world.users)), args.viewers)]
        wanted = set(viewers)
        following = sorted(world.follows_of[i] for i, u in enumerate(world.users) if u.id in wanted)
        log(
            f"viewers: {len(viewers)} random members; they follow median "
            f"{following[len(following) // 2]}, max {following[-1]}"
        )

        # Warm up (connection pool, statement caches), not counted.
        for uid in viewers[:5]:
            await hallway.for_member(uid)
        gc.collect()  # the setup's garbage is not the hallway's
        if args.gc_freeze:
            gc.freeze()  # what is alive now (the Stage, the World) is never scanned again
        log(f"GC: {len(gc.get_objects())} tracked objects, {gc.get_freeze_count()} frozen")
        with GcMeter() as gc_meter:
            samples, pages = await timed(
                [functools.partial(page_size, hallway, uid) for uid in viewers]
            )
        log("")
        log("Hallway.for_member (direct service call, no HTTP):")
        log(summary("hallway", samples))
        log(gc_meter.report(sum(samples)))
        room_counts = sorted(rooms for rooms, _ in pages)
        event_counts = sorted(events for _, events in pages)
        log(
            f"  per page: rooms median {room_counts[len(room_counts) // 2]} "
            f"(min {room_counts[0]}), events median {event_counts[len(event_counts) // 2]}"
        )
        target = percentile([s * 1000 for s in samples], 95)
        log(
            f"  target p95 < {TARGET_P95_MS:.0f} ms: "
            + ("met" if target < TARGET_P95_MS else "MISSED")
        )
        log("")
        await hallway_parts(hallway, viewers)

        queries = search_queries(world, rnd, args.queries)
        searchers = [rnd.choice(viewers) for _ in queries]
        for q, uid in list(zip(queries, searchers, strict=True))[:5]:
            await search.search(uid, q, None)
        with GcMeter() as gc_meter:
            samples, results = await timed(
                [
                    functools.partial(search.search, uid, q, None)
                    for q, uid in zip(queries, searchers, strict=True)
                ]
            )
        log("")
        log("Search.search, all kinds (direct service call, no HTTP):")
        log(summary("search", samples))
        log(gc_meter.report(sum(samples)))
        hits = sorted(len(r.members) + len(r.clubs) + len(r.room_ids) for r in results)
        log(f"  results per query: median {hits[len(hits) // 2]}, none for {hits.count(0)}")
        slow = sorted(zip(samples, queries, strict=True), reverse=True)[:5]
        log("  slowest: " + ", ".join(f"{q!r} {s * 1000:.0f} ms" for s, q in slow))
        kinds: tuple[Kind, ...] = ("members", "clubs", "rooms")
        for kind in kinds:
            samples, _ = await timed(
                [
                    functools.partial(search.search, uid, q, kind)
                    for q, uid in zip(queries, searchers, strict=True)
                ]
            )
            log(summary(f"search kind={kind}", samples))
        chinese = [u.display_name for u in world.users if " " not in u.display_name]
        if chinese:
            await cjk_search.measure(search, chinese, rnd, searchers)

        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            for uid in viewers[: args.profile]:
                await hallway.for_member(uid)
            profiler.disable()
            log("")
            log(f"cProfile of {args.profile} hallway calls (main thread; by own time):")
            log(profile_report(profiler))
    finally:
        await db.close()
        if pg_dsn is not None and not args.keep:
            admin = await asyncpg.connect(**{**pg_dsn, "database": admin_url.database})
            await admin.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            await admin.close()
        tmp.cleanup()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--follows", type=int, default=1_000_000)
    parser.add_argument("--rooms", type=int, default=2_000, help="live rooms")
    parser.add_argument("--ended-rooms", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--clubs", type=int, default=2_000)
    parser.add_argument("--blocks", type=int, default=5_000)
    parser.add_argument(
        "--cjk-share", type=float, default=0.1, help="members with Chinese names (and rooms)"
    )
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="then cProfile N hallway calls"
    )
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() after setup, to see the hallway without full GC scans of the Stage",
    )
    parser.add_argument("--keep", action="store_true", help="PostgreSQL: keep the database")
    add_loop_option(parser)
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse_args()
    run(lambda: main(arguments), arguments.loop)
