"""Migration 0010_cjk_search on a database that already has members, clubs and rooms:
their CJK text is searchable by substring once it has run, on both engines, and the
way back to 0008 gives the word search of 0003_search back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import inspect, select, text, update
from sqlalchemy.engine import Connection

from teahouse.domain.ids import new_id
from teahouse.domain.search_query import SearchQuery
from teahouse.live.stage import Stage
from teahouse.notifications.notifier import Notifications
from teahouse.rooms.rooms import Rooms
from teahouse.social import search
from teahouse.social.graph import Social
from teahouse.social.search import Search
from teahouse.store.database import Database, alembic_config
from teahouse.store.models import Room, User
from tests.support.fake_media import FakeMedia

BEFORE = "0008_password_resets"
# Rows as an instance at 0008 holds them: written with the columns 0008 has, in SQL
# (the models describe the newest schema, which may have more).
MEMBERS = {"chenwei": "陳威", "chenweilian": "陳威廉", "ada": "Ada Lovelace", "mixed": "Ada 陳威"}


def migrate(connection: Connection, target: str, down: bool = False) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    (command.downgrade if down else command.upgrade)(config, target)


@pytest.fixture
async def at_0008(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    async with db.engine.begin() as conn:
        await conn.run_sync(migrate, BEFORE)
    now = datetime.now(UTC)
    async with db.engine.begin() as conn:
        for username, display in MEMBERS.items():
            await conn.execute(
                text(
                    "INSERT INTO users (id, username, display_name, bio, password_hash,"
                    " invites_left, is_admin, created_at)"
                    " VALUES (:id, :username, :display, '', 'x', 2, false, :now)"
                ).bindparams(id=new_id(), username=username, display=display, now=now)
            )
        founder = (await conn.execute(text("SELECT id FROM users LIMIT 1"))).scalar_one()
        await conn.execute(
            text(
                "INSERT INTO clubs (id, name, name_key, description, rules, founder_id,"
                " created_at) VALUES (:id, :name, :name, '', '', :founder, :now)"
            ).bindparams(id=new_id(), name="台北咖啡同好會", founder=founder, now=now)
        )
        await conn.execute(
            text(
                "INSERT INTO rooms (id, title, visibility, created_by_id, created_at)"
                " VALUES (:id, '週五爵士之夜', 'open', :founder, :now)"
            ).bindparams(id=new_id(), founder=founder, now=now)
        )
    yield db
    await db.close()


def searching(db: Database) -> Search:
    rooms = Rooms(db)
    return Search(db, Social(db, Notifications(db)), rooms, Stage(rooms, FakeMedia()))


async def usernames(db: Database, q: str) -> set[str]:
    async with db.sessions() as s:
        viewer = await s.scalar(select(User.id).where(User.username == "ada"))
    assert viewer is not None
    found = await searching(db).search(viewer, q, "members")
    return {card["username"] for card in found.members}


async def room_titles(db: Database, q: str) -> list[str]:
    """Rooms whose title matches (live or not: the index, before the Stage's checks)."""
    stmt = searching(db)._matching(
        select(Room.title), "rooms", search.ROOMS_DOCUMENT, (1.0,), SearchQuery.parse(q)
    )
    async with db.sessions() as s:
        return list(await s.scalars(stmt))


async def test_upgrade_indexes_the_rows_already_there(at_0008: Database) -> None:
    db = at_0008
    async with db.engine.begin() as conn:
        await conn.run_sync(migrate, "head")
    assert await usernames(db, "威") == {"chenwei", "chenweilian", "mixed"}
    assert await usernames(db, "陳") == {"chenwei", "chenweilian", "mixed"}
    assert await usernames(db, "威廉") == {"chenweilian"}
    assert await usernames(db, "ada 威") == {"mixed"}
    assert await usernames(db, "lov") == {"ada"}
    found = await searching(db).search("nobody", "咖啡", "clubs")
    assert [club["name"] for club in found.clubs] == ["台北咖啡同好會"]
    assert await room_titles(db, "爵士") == ["週五爵士之夜"]
    # And the triggers (or expressions) of 0010 follow later edits.
    async with db.sessions.begin() as s:
        await s.execute(update(User).where(User.username == "chenwei").values(display_name="林美"))
    assert await usernames(db, "威") == {"chenweilian", "mixed"}
    assert await usernames(db, "美") == {"chenwei"}


async def test_down_to_0008_and_up_again(at_0008: Database) -> None:
    db = at_0008
    async with db.engine.begin() as conn:
        await conn.run_sync(migrate, "head")
        await conn.run_sync(migrate, BEFORE, True)
    async with db.engine.connect() as conn:
        left = await conn.run_sync(
            lambda c: {
                *inspect(c).get_table_names(),
                *inspect(c).get_view_names(),
                *(col["name"] for col in inspect(c).get_columns("users")),
            }
        )
    assert not left & {"search_positions", "users_search_text", "search_document"}
    if db.is_sqlite:  # 0003's word index again: a character inside a word finds nothing
        async with db.engine.connect() as conn:
            match = "SELECT count(*) FROM users_fts WHERE users_fts MATCH :q"
            assert (await conn.execute(text(match).bindparams(q='"威"'))).scalar_one() == 0
            assert (await conn.execute(text(match).bindparams(q='"陳"*'))).scalar_one() == 3
    async with db.engine.begin() as conn:
        await conn.run_sync(migrate, "head")
    assert await usernames(db, "威") == {"chenwei", "chenweilian", "mixed"}
