"""A lively first look: members, follows, clubs and upcoming events for a new instance.

``teahouse demo seed`` fills an instance that has no members yet, so an operator can
see the hallway, profiles, clubs and the schedule as they look once people use it.
Every seeded member has the same password (printed once). A few live rooms come too:
demo rooms with seeded members sitting in them, which the server re-opens at every
start (demo/rooms.py); real rooms appear as soon as members open them.

Members are written straight into the store with one password hash (hashing thirty
times would take long and prove nothing); follows and clubs go through their services
so they carry the notifications and rules a real instance has; events are rows, with
their times read in the host's zone as the events service reads them.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from teahouse.accounts.accounts import Accounts
from teahouse.accounts.passwords import Passwords
from teahouse.clubs.clubs import Clubs
from teahouse.config import Settings
from teahouse.demo import rooms as demo_rooms
from teahouse.domain import accounts as account_rules
from teahouse.domain.clock import utcnow
from teahouse.domain.event_times import parse_starts_at, parse_time_zone
from teahouse.domain.ids import new_id
from teahouse.notifications.notifier import Notifications
from teahouse.social.graph import Social
from teahouse.social.names import record_names
from teahouse.store.database import Database
from teahouse.store.models import User
from teahouse.store.social_models import Club, Event, EventCohost, EventInterest

# username, display name, bio
MEMBERS: list[tuple[str, str, str]] = [
    (
        "ada",
        "Ada Okafor",
        "Backend engineer by day, amateur astronomer by night. Ask me about Jupiter's moons.",
    ),
    ("bruno", "Bruno Tavares", "Bossa nova on the guitar, coffee from Minas Gerais. São Paulo."),
    (
        "chen_wei",
        "Chen Wei",
        "Product designer. I collect fountain pens and unfinished sketchbooks.",
    ),
    (
        "dolores",
        "Dolores Martín",
        "Retired history teacher. Reading my way through every Booker shortlist.",
    ),
    ("emeka", "Emeka Nwosu", "Afrobeat DJ and part-time sound engineer in Lagos."),
    (
        "freya",
        "Freya Lindqvist",
        "Sourdough evangelist. My starter is called Gunnar and he is 9 years old.",
    ),
    ("gabriel", "Gabriel Dubois", "Jazz pianist. Late-night sets, early-morning regrets."),
    ("hana", "Hana Sato", "Translator (JP ↔ EN). Haiku, ramen, and very long walks in Kyoto."),
    ("ibrahim", "Ibrahim Haddad", "Maintainer of a few small open-source libraries nobody thanks."),
    ("jules", "Jules Moreau", "Podcaster. I ask strangers about their first job."),
    ("kalani", "Kalani Akana", "Surf instructor, ukulele player, terrible at email."),
    ("lena", "Lena Vogel", "Climate data scientist. Berlin. Bikes > cars."),
    ("mateo", "Mateo Rossi", "Baker's son, now a software tester. Still bakes on Sundays."),
    ("nadia", "Nadia Rahman", "Pediatric nurse. Reading sci-fi on night shifts."),
    ("oskar", "Oskar Nowak", "Vinyl hunter. If it has a saxophone, I want it."),
    ("priya", "Priya Raman", "Carnatic violinist and machine-learning researcher in Bengaluru."),
    ("quinn", "Quinn Harper", "Community organizer. I host the Thursday tea for new members."),
    ("rosa", "Rosa Jiménez", "Poet. Mostly bad, occasionally good, always honest."),
    ("sami", "Sami Virtanen", "Sauna enthusiast and Rust programmer in Helsinki."),
    ("tomas", "Tomás Herrera", "Bread, books, and bicycle repair. Buenos Aires."),
    (
        "uma",
        "Uma Patel",
        "Bookshop owner. I will recommend you a novel whether you want it or not.",
    ),
    ("victor", "Victor Ade", "Trumpet player in a very loud brass band."),
    ("wren", "Wren Ellis", "Illustrator of children's books and of my cat, mostly my cat."),
    ("ximena", "Ximena Cruz", "Linux sysadmin. I self-host everything, including this."),
    ("yusuf", "Yusuf Demir", "Chess coach in Istanbul. Blitz on weekends."),
    ("zoe", "Zoë Campbell", "Folk singer from Glasgow. Songs about weather, mostly."),
    ("aiko", "Aiko Tanaka", "Data journalist in Tokyo. Charts are my love language."),
    ("ben", "Ben Carter", "New to Teahouse. Mostly listening, sometimes asking."),
    ("chiara", "Chiara Bianchi", "Pastry chef. Croissants take three days and that's fine."),
    ("dev", "Dev Malhotra", "Indie game developer. Currently shipping 'next month' since 2024."),
]

# name, description, rules, admins (the founder first), members, followers
CLUBS: list[tuple[str, str, str, list[str], list[str], list[str]]] = [
    (
        "Night Owls Book Club",
        "One book a month, discussed late. Fiction, mostly, and whatever Uma insists on.",
        "Finish the book or admit you didn't. No spoilers in room titles.",
        ["uma", "dolores"],
        ["nadia", "rosa", "hana", "ben", "jules", "wren"],
        ["lena", "aiko"],
    ),
    (
        "Sourdough Society",
        "Starters, crumb shots and the occasional brick. All bakers welcome.",
        "Be kind about other people's loaves.",
        ["freya", "mateo"],
        ["chiara", "tomas", "kalani", "quinn"],
        ["bruno", "dev"],
    ),
    (
        "Jazz After Hours",
        "Listening sessions and live jams: bebop, bossa, big band and everything between.",
        "Musicians on stage, listeners raise a hand to request a tune.",
        ["gabriel", "oskar", "victor"],
        ["bruno", "emeka", "zoe", "priya", "kalani"],
        ["jules", "rosa", "sami"],
    ),
    (
        "Self-Hosters Anonymous",
        "Running your own services: backups, upgrades, and the 3 a.m. pager stories.",
        "Share configs, not secrets. Help the newcomers.",
        ["ximena", "ibrahim"],
        ["sami", "ada", "lena", "dev", "yusuf", "aiko"],
        ["ben", "quinn"],
    ),
]


@dataclass(frozen=True, slots=True)
class DemoEvent:
    title: str
    description: str
    host: str
    time_zone: str
    days_ahead: int
    local_time: str  # "19:30"
    club: str | None = None
    cohosts: tuple[str, ...] = ()
    notify: tuple[str, ...] = ()


EVENTS: list[DemoEvent] = [
    DemoEvent(
        "This month's book: The Left Hand of Darkness",
        "Chapters 1-10. Bring your favourite line.",
        "uma",
        "Europe/London",
        2,
        "20:00",
        club="Night Owls Book Club",
        cohosts=("dolores",),
        notify=("nadia", "rosa", "ben", "hana"),
    ),
    DemoEvent(
        "Crumb clinic: show us your loaf",
        "Hold your loaf up to the camera. Just kidding, describe it.",
        "freya",
        "Europe/Stockholm",
        3,
        "10:00",
        club="Sourdough Society",
        notify=("chiara", "tomas"),
    ),
    DemoEvent(
        "Late-night bossa jam",
        "Open mic for guitars and voices. Requests by raised hand.",
        "gabriel",
        "America/Sao_Paulo",
        1,
        "21:30",
        club="Jazz After Hours",
        cohosts=("bruno", "oskar"),
        notify=("zoe", "emeka", "jules", "priya", "rosa"),
    ),
    DemoEvent(
        "Backups you have actually restored",
        "Ximena and Ibrahim walk through their restore drills. Questions welcome.",
        "ximena",
        "America/Mexico_City",
        4,
        "18:00",
        club="Self-Hosters Anonymous",
        cohosts=("ibrahim",),
        notify=("sami", "ada", "dev"),
    ),
    DemoEvent(
        "Tea for new members",
        "Just joined? Say hello, ask anything about Teahouse.",
        "quinn",
        "America/New_York",
        1,
        "12:00",
        notify=("ben",),
    ),
    DemoEvent(
        "Haiku hour",
        "Read one, write one. Japanese and English.",
        "hana",
        "Asia/Tokyo",
        5,
        "21:00",
        cohosts=("aiko",),
    ),
    DemoEvent(
        "Carnatic violin, explained",
        "Ragas for the curious, with a short live demo.",
        "priya",
        "Asia/Kolkata",
        6,
        "19:00",
        notify=("gabriel", "oskar"),
    ),
    DemoEvent(
        "Afrobeat listening party",
        "Fela, Tony Allen and new records from Lagos.",
        "emeka",
        "Africa/Lagos",
        9,
        "20:00",
        cohosts=("victor",),
    ),
]


class InstanceNotEmpty(Exception):
    """The instance already has members: demo data would mix with real people."""


@dataclass(frozen=True, slots=True)
class Seeded:
    password: str
    members: int
    follows: int
    clubs: int
    events: int
    rooms: int
    invite_url: str


def new_demo_password() -> str:
    return "demo-" + secrets.token_urlsafe(9)


async def seed(
    db: Database,
    settings: Settings,
    *,
    password: str | None = None,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> Seeded:
    """Fill an empty instance; raises :class:`InstanceNotEmpty` if it has members."""
    password = password or new_demo_password()
    account_rules.check_password(password)
    rng = rng or random.Random(20261124)  # the same follows every time
    async with db.sessions() as s:
        if await s.scalar(select(func.count()).select_from(User)):
            raise InstanceNotEmpty(
                "This instance already has members: `teahouse demo seed` only fills a new, "
                "empty instance (use a fresh TEAHOUSE_DATA_DIR or database)."
            )

    passwords = Passwords(settings)
    notifications = Notifications(db)
    social, clubs = Social(db, notifications), Clubs(db, notifications)
    accounts = Accounts(db, settings, passwords)

    users = await _members(db, settings, await passwords.hash(password))
    follows = await _follows(social, users, rng)
    await _clubs(clubs, users)
    now = now or utcnow()
    events = await _events(db, users, now)
    rooms = await demo_rooms.seed_rooms(db, users, await _club_ids(db), now)
    invite = await accounts.create_operator_invite(None)
    return Seeded(
        password=password,
        members=len(users),
        follows=follows,
        clubs=len(CLUBS),
        events=events,
        rooms=rooms,
        invite_url=invite.url,
    )


async def _members(db: Database, settings: Settings, password_hash: str) -> dict[str, User]:
    users: dict[str, User] = {}
    joined = utcnow() - timedelta(days=60)
    async with db.sessions.begin() as s:
        for i, (username, display_name, bio) in enumerate(MEMBERS):
            # A nomination tree: the first few were invited by the instance, later ones
            # by someone who joined before them.
            inviter = list(users.values())[(i * 7) % i] if i >= 3 else None
            user = User(
                id=new_id(),
                username=account_rules.normalise_username(username),
                display_name=account_rules.normalise_display_name(display_name, username),
                bio=bio,
                password_hash=password_hash,
                invited_by_id=inviter.id if inviter else None,
                invites_left=settings.invites_per_member,
                is_admin=False,
                created_at=joined + timedelta(hours=37 * i),
            )
            s.add(user)
            users[username] = user
            await s.flush()  # nominators before the members they invited
            await record_names(s, user.id, user.username, user.display_name)
    return users


async def _follows(social: Social, users: dict[str, User], rng: random.Random) -> int:
    names = list(users)
    count = 0
    for name in names:
        others = [n for n in names if n != name]
        for followee in rng.sample(others, rng.randint(3, 10)):
            await social.follow(users[name].id, followee)
            count += 1
    return count


async def _clubs(clubs: Clubs, users: dict[str, User]) -> None:
    for name, description, rules_text, admins, members, followers in CLUBS:
        founder = users[admins[0]]
        club = await clubs.create(founder, name, description, rules_text)
        for username in [*admins[1:], *members]:
            await clubs.invite(founder.id, club["id"], username)
            await clubs.join(users[username].id, club["id"])
        for username in admins[1:]:
            await clubs.make_admin(founder.id, club["id"], username)
        for username in followers:
            await clubs.follow(users[username].id, club["id"])


async def _club_ids(db: Database) -> dict[str, str]:
    async with db.sessions() as s:
        return {name: club_id for club_id, name in (await s.execute(select(Club.id, Club.name)))}


async def _events(db: Database, users: dict[str, User], now: datetime) -> int:
    club_ids = await _club_ids(db)
    async with db.sessions.begin() as s:
        for demo in EVENTS:
            zone = parse_time_zone(demo.time_zone)
            day = (now.astimezone(zone) + timedelta(days=demo.days_ahead)).date()
            starts_at = parse_starts_at(f"{day.isoformat()}T{demo.local_time}:00", zone)
            event = Event(
                id=new_id(),
                title=demo.title,
                description=demo.description,
                starts_at=starts_at.astimezone(UTC),
                time_zone=demo.time_zone,
                host_id=users[demo.host].id,
                club_id=club_ids[demo.club] if demo.club else None,
                created_at=now,
            )
            s.add(event)
            await s.flush()  # the event before its co-hosts and interest
            s.add_all(EventCohost(event_id=event.id, user_id=users[u].id) for u in demo.cohosts)
            s.add_all(EventInterest(event_id=event.id, user_id=users[u].id) for u in demo.notify)
    return len(EVENTS)
