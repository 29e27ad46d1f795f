"""Search with each engine's full-text search, on SQLite (FTS5) and PostgreSQL: words by
prefix, and Chinese, Japanese and Korean text by substring."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from sqlalchemy import delete, text, update

from teahouse.domain.ids import new_id
from teahouse.domain.room_changes import UserRef
from teahouse.domain.search_text import spaced
from teahouse.errors import BadRequest
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
    statements = [
        ("ix_users_search", f"{search.USERS_DOCUMENT} @@ to_tsquery('simple', 'ada:*')"),
        ("ix_clubs_search", f"{search.CLUBS_DOCUMENT} @@ to_tsquery('simple', 'tea:*')"),
        ("ix_rooms_search", f"{search.ROOMS_DOCUMENT} @@ to_tsquery('simple', 'tea:*')"),
        ("ix_users_search", f"{search.USERS_DOCUMENT} @@ to_tsquery('simple', :phrase)"),
    ]
    async with world.db.engine.connect() as conn:
        await conn.execute(text("SET enable_seqscan = off"))
        for index, condition in statements:
            table = index.removeprefix("ix_").removesuffix("_search")
            sql = text(f"EXPLAIN SELECT id FROM {table} WHERE {condition}")
            if ":phrase" in condition:
                sql = sql.bindparams(phrase="'陳' <-> '威'")
            plan = "\n".join(row[0] for row in await conn.execute(sql))
            assert index in plan, plan


# -- Chinese, Japanese and Korean: substrings ------------------------------------------

CJK_MEMBERS = {  # username: (display name, bio)
    "chenwei": ("陳威", ""),
    "chenweilian": ("陳威廉", "Tea."),
    "chenwei2": ("陈伟", ""),  # simplified characters
    "adachen": ("Ada 陳威", ""),
    "mei": ("Ｍｅｉ　林", "Full-width letters."),  # as a phone's full-width keyboard types
    "sakura": ("山田さくら", ""),
    "minsu": ("김민수", ""),
    "fan": ("Fan", "我很喜歡陳威的節目"),  # 威 in a bio only
}


@pytest.fixture
async def cjk(world: World) -> World:
    world.ids |= await add_members(world.db, *CJK_MEMBERS)
    async with world.db.sessions.begin() as s:
        for name, (display, bio) in CJK_MEMBERS.items():
            await s.execute(
                update(User).where(User.id == world.ids[name]).values(display_name=display, bio=bio)
            )
        s.add(Club(id=new_id(), name="台北咖啡同好會", name_key="台北咖啡同好會", description=""))
    return world


async def test_one_cjk_character_finds_it_anywhere_in_a_name(cjk: World) -> None:
    assert set(await usernames(cjk, "cy", "威")) == {"chenwei", "chenweilian", "adachen", "fan"}
    assert set(await usernames(cjk, "cy", "陳")) == {"chenwei", "chenweilian", "adachen", "fan"}
    assert await usernames(cjk, "cy", "廉") == ["chenweilian"]
    # A name before a bio that mentions it.
    assert (await usernames(cjk, "cy", "威"))[-1] == "fan"


async def test_cjk_runs_match_as_substrings_in_order(cjk: World) -> None:
    assert await usernames(cjk, "cy", "威廉") == ["chenweilian"]
    assert await usernames(cjk, "cy", "陳威廉") == ["chenweilian"]
    assert set(await usernames(cjk, "cy", "陳威")) == {"chenwei", "chenweilian", "adachen", "fan"}
    assert await usernames(cjk, "cy", "陳廉") == []  # both there, not side by side
    assert await usernames(cjk, "cy", "威陳") == []
    assert await usernames(cjk, "cy", "さくら") == ["sakura"]
    assert await usernames(cjk, "cy", "田さ") == ["sakura"]
    assert await usernames(cjk, "cy", "민수") == ["minsu"]


async def test_traditional_and_simplified_are_searched_as_typed(cjk: World) -> None:
    assert await usernames(cjk, "cy", "陈") == ["chenwei2"]
    assert await usernames(cjk, "cy", "伟") == ["chenwei2"]
    assert "chenwei2" not in await usernames(cjk, "cy", "陳")


async def test_mixed_and_full_width_text(cjk: World) -> None:
    assert await usernames(cjk, "cy", "ada 威") == ["adachen"]
    assert await usernames(cjk, "cy", "Ada陳") == ["adachen"]
    assert await usernames(cjk, "cy", "mei") == ["mei"]  # typed narrow, written wide
    assert await usernames(cjk, "cy", "ＭＥＩ　林") == ["mei"]  # typed wide
    assert await usernames(cjk, "cy", "林") == ["mei"]
    assert (await usernames(cjk, "cy", "ａｄａ"))[0] == "ada"  # the exact username first
    assert await usernames(cjk, "cy", "lov") == ["ada"]  # Latin prefixes as before
    assert await usernames(cjk, "cy", "ove") == []  # and only prefixes


@pytest.mark.parametrize("q", ["，。！", "「」", "、", "\x00\x1f", "\u3000\x07", "・"])
async def test_punctuation_or_control_characters_find_nothing(cjk: World, q: str) -> None:
    found = await cjk.search.search(cjk.ids["cy"], q, None)
    assert found.members == [] and found.clubs == [] and found.room_ids == []


@pytest.mark.parametrize("q", ["", "   ", "\u3000\u3000", "威" * 101])
async def test_empty_or_too_long_cjk_searches_are_refused(cjk: World, q: str) -> None:
    with pytest.raises(BadRequest) as refused:
        await cjk.search.search(cjk.ids["cy"], q, None)
    assert refused.value.code == "invalid_request"


async def test_cjk_clubs_rooms_and_edits(cjk: World) -> None:
    found = await cjk.search.search(cjk.ids["cy"], "咖啡", "clubs")
    assert [club["name"] for club in found.clubs] == ["台北咖啡同好會"]
    async with cjk.db.sessions() as s:
        chen = await s.get(User, cjk.ids["chenwei"])
    assert chen is not None
    jazz = await cjk.rooms.create(chen, "週五爵士之夜", "open")
    await cjk.stage.open_room(jazz)
    found = await cjk.search.search(cjk.ids["cy"], "爵士", "rooms")
    assert found.room_ids == [jazz.id]
    await cjk.stage.close()
    async with cjk.db.sessions.begin() as s:
        await s.execute(
            update(User).where(User.id == cjk.ids["chenwei"]).values(display_name="林美")
        )
    assert "chenwei" not in await usernames(cjk, "cy", "威")
    assert await usernames(cjk, "cy", "美") == ["chenwei"]
    await cjk.social.block(cjk.ids["cy"], "chenweilian")
    assert "chenweilian" not in await usernames(cjk, "cy", "威廉")
    assert await usernames(cjk, "ada", "威廉") == ["chenweilian"]


SPACED_SAMPLES = [
    "陳威廉",
    "Ada 陳威",
    "Ｍｅｉ　林，ｈｉ！",
    "山田さくら・김민수",
    "𠀋𡈽 (Extension B)",
    "ＡＢＣ１２３ plain",
    "line one\nline two: 茶室",
    "Zoë Ångström",
    "",
]


async def test_the_engines_index_what_search_text_spaced_says(database: Database) -> None:
    """Migration 0010's SQL makes the same text as the Python that reads queries."""
    ids = await add_members(database, *(f"m{i}" for i in range(len(SPACED_SAMPLES))))
    async with database.sessions.begin() as s:
        for i, sample in enumerate(SPACED_SAMPLES):
            await s.execute(
                update(User)
                .where(User.id == ids[f"m{i}"])
                .values(display_name=sample, bio=sample[::-1])
            )
    if database.is_sqlite:
        indexed = text(
            "SELECT t.display_name = :display AND t.bio = :bio FROM users_search_text t"
            " JOIN users ON users.rowid = t.doc_id WHERE users.id = :id"
        )
    else:
        indexed = text(
            "SELECT search_document = setweight(to_tsvector('simple', username), 'A')"
            " || setweight(to_tsvector('simple', :display), 'B')"
            " || setweight(to_tsvector('simple', :bio), 'C') FROM users WHERE id = :id"
        )
    async with database.sessions() as s:
        for i, sample in enumerate(SPACED_SAMPLES):
            found = indexed.bindparams(
                id=ids[f"m{i}"], display=spaced(sample), bio=spaced(sample[::-1])
            )
            assert await s.scalar(found), sample
