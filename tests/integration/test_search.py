"""Search with each engine's full-text search, on SQLite (FTS5) and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import delete, text, update

from teahouse.domain.ids import new_id
from teahouse.domain.room_state import UserRef
from teahouse.live.stage import Stage
from teahouse.notifications.notifier import Notifications
from teahouse.rooms.rooms import Rooms
from teahouse.social import search
from teahouse.social.graph import Social
from teahouse.social.search import Search
from teahouse.store.database import Database
from teahouse.store.models import User
from teahouse.store.social_models import Club
from tests.support.fake_media import FakeMedia
from tests.support.members import add_members

NASTY = [
    '"',
    '""',
    "*",
    "**",
    "-",
    "-ada",
    "ada*",
    "OR",
    "AND",
    "NOT",
    "ada OR",
    "NEAR(",
    "NEAR(ada bob)",
    "(",
    ")",
    "^",
    ":",
    "username:ada",
    "'",
    "');",
    "'); DROP TABLE users; --",
    "%",
    "_",
    "\\",
    "a & b | !c",
    "ada:*",
    "<->",
    "\x00",
    "🍵",
    "ｆｕｌｌｗｉｄｔｈ",
    "ада",
    "x" * 100,
]


@dataclass
class FakeClient:
    user: UserRef
    room_id: str | None = None
    sent: list[str] = field(default_factory=list)

    def send(self, text: str) -> None:
        self.sent.append(text)


@dataclass
class World:
    db: Database
    search: Search
    social: Social
    rooms: Rooms
    stage: Stage
    ids: dict[str, str]


@pytest.fixture
async def world(database: Database) -> World:
    ids = await add_members(database, "ada", "adam", "adalbert", "bob", "zoe", "cy")
    bios = {
        "ada": ("Ada Lovelace", "Notes on the analytical engine."),
        "adam": ("Adam Smith", "Economist."),
        "adalbert": ("Bert", ""),
        "bob": ("Bob", "I admire Ada and her engines."),
        "zoe": ("Zoë Ångström", "茶室 regular"),
        "cy": ("Cy", ""),
    }
    async with database.sessions.begin() as s:
        for name, (display, bio) in bios.items():
            await s.execute(
                update(User).where(User.id == ids[name]).values(display_name=display, bio=bio)
            )
        s.add(Club(id=new_id(), name="Tea Lovers", name_key="tea lovers", description="Green."))
        s.add(Club(id=new_id(), name="Chess", name_key="chess", description="Tea breaks."))
        s.add(Club(id=new_id(), name="茶室", name_key="茶室", description=""))
    social = Social(database, Notifications(database))
    rooms = Rooms(database)
    stage = Stage(rooms, FakeMedia())
    return World(database, Search(database, social, rooms, stage), social, rooms, stage, ids)


async def usernames(world: World, viewer: str, q: str) -> list[str]:
    found = await world.search.search(world.ids[viewer], q, "members")
    return [card["username"] for card in found.members]


async def test_members_by_prefix_ranked_by_where_the_words_are(world: World) -> None:
    found = await usernames(world, "cy", "ada")
    # "ada" is the username and the display name; adam/adalbert are usernames by
    # prefix; Bob only mentions Ada in his bio, so he comes last.
    assert found[0] == "ada"
    assert set(found[1:3]) == {"adam", "adalbert"}
    assert found[3:] == ["bob"]
    assert await usernames(world, "cy", "lov") == ["ada"]
    assert await usernames(world, "cy", "ada lov") == ["ada"]  # every word must match
    assert sorted(await usernames(world, "cy", "Engine")) == ["ada", "bob"]
    assert await usernames(world, "cy", "zoë") == ["zoe"]
    assert await usernames(world, "cy", "Ångström") == ["zoe"]
    assert await usernames(world, "cy", "茶室") == ["zoe"]
    assert await usernames(world, "cy", "nobody") == []


async def test_the_index_follows_edits_and_deletions(world: World) -> None:
    async with world.db.sessions.begin() as s:
        await s.execute(
            update(User).where(User.id == world.ids["cy"]).values(display_name="Cyrano")
        )
    assert await usernames(world, "ada", "cyra") == ["cy"]
    async with world.db.sessions.begin() as s:
        await s.execute(
            update(User).where(User.id == world.ids["cy"]).values(display_name="Someone")
        )
        await s.execute(update(User).where(User.id == world.ids["bob"]).values(invites_left=0))
    assert await usernames(world, "ada", "cyra") == []
    assert await usernames(world, "ada", "someone") == ["cy"]
    async with world.db.sessions.begin() as s:
        await s.execute(delete(User).where(User.id == world.ids["adam"]))
    assert "adam" not in await usernames(world, "cy", "ada")


@pytest.mark.parametrize("q", NASTY)
async def test_no_input_is_a_syntax_error(world: World, q: str) -> None:
    found = await world.search.search(world.ids["cy"], q, None)
    assert isinstance(found.members, list) and isinstance(found.clubs, list)
    if q in ("-ada", "ada*", "ada:*"):  # the word "ada" is all that is left
        assert "ada" in [card["username"] for card in found.members]
    if q == "ada OR":  # "or" is a word like any other, and nobody has it
        assert found.members == []


async def test_blocked_members_never_appear_either_way(world: World) -> None:
    await world.social.block(world.ids["bob"], "ada")
    assert "ada" not in await usernames(world, "bob", "ada")
    assert "bob" not in await usernames(world, "ada", "bob")
    assert "bob" not in await usernames(world, "ada", "engines")
    assert "bob" in await usernames(world, "cy", "bob")


async def test_clubs_by_name_before_description(world: World) -> None:
    found = await world.search.search(world.ids["cy"], "tea", "clubs")
    assert [club["name"] for club in found.clubs] == ["Tea Lovers", "Chess"]
    assert found.members == [] and found.room_ids == []
    found = await world.search.search(world.ids["cy"], "茶", "clubs")
    assert [club["name"] for club in found.clubs] == ["茶室"]


async def test_rooms_are_live_ones_the_member_may_enter(world: World) -> None:
    users = {}
    async with world.db.sessions() as s:
        for name in ("ada", "bob", "cy"):
            users[name] = await s.get(User, world.ids[name])
    open_tea = await world.rooms.create(users["ada"], "Tea at five", "open")
    closed_tea = await world.rooms.create(users["ada"], "Tea, closed", "closed")
    bob_tea = await world.rooms.create(users["bob"], "Bob's tea party", "open")
    ended_tea = await world.rooms.create(users["ada"], "Old tea", "open")
    coffee = await world.rooms.create(users["ada"], "Coffee", "open")
    for info in (open_tea, closed_tea, bob_tea, coffee):
        await world.stage.open_room(info)
    bob_client = FakeClient(UserRef(world.ids["bob"], "bob", "Bob"))
    await world.stage.join(bob_client, bob_tea, None)  # Bob is on stage (moderator)
    await world.stage.open_room(ended_tea)
    await world.stage.end_room(ended_tea.id, "test")

    async def titles(viewer: str, q: str) -> set[str]:
        found = await world.search.search(world.ids[viewer], q, "rooms")
        return {world.stage.live(rid).info.title for rid in found.room_ids}  # type: ignore[union-attr]

    assert await titles("cy", "tea") == {"Tea at five", "Bob's tea party"}
    assert await titles("ada", "tea") == {"Tea at five", "Tea, closed", "Bob's tea party"}
    assert await titles("cy", "party") == {"Bob's tea party"}
    # Where someone hidden from the member is on stage, the room is left out.
    await world.social.block(world.ids["cy"], "bob")
    assert await titles("cy", "tea") == {"Tea at five"}
    await world.stage.close()


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_postgres_queries_use_the_gin_indexes(world: World) -> None:
    statements = {
        "ix_users_search": "SELECT id FROM users WHERE ({doc}) @@ to_tsquery('simple', 'ada:*')",
        "ix_clubs_search": "SELECT id FROM clubs WHERE ({doc}) @@ to_tsquery('simple', 'tea:*')",
        "ix_rooms_search": "SELECT id FROM rooms WHERE ({doc}) @@ to_tsquery('simple', 'tea:*')",
    }
    documents = {
        "ix_users_search": search.USERS_DOCUMENT,
        "ix_clubs_search": search.CLUBS_DOCUMENT,
        "ix_rooms_search": search.ROOMS_DOCUMENT,
    }
    async with world.db.engine.connect() as conn:
        await conn.execute(text("SET enable_seqscan = off"))
        for index, statement in statements.items():
            sql = statement.format(doc=documents[index])
            plan = "\n".join(row[0] for row in await conn.execute(text(f"EXPLAIN {sql}")))
            assert index in plan, plan
