"""The migrations build exactly the schema the models describe, on both engines."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from teahouse.store import admin_models, social_models  # noqa: F401 (registers their tables)
from teahouse.store.database import Database, alembic_config
from teahouse.store.models import Base
from tests.support.engines import postgres_database
from tests.support.serve_process import TEAHOUSE, serve_env
from tests.support.server import free_port

# Full-text search lives outside the models (migrations 0003_search, 0010_cjk_search):
# SQLite's FTS5 tables and the shadow tables FTS5 makes for them (users_fts,
# users_fts_data, ...), their views (users_search_text, ...) and search_positions, and
# PostgreSQL's generated search_document columns and their GIN indexes
# (ix_users_search, ...). Only these names are left out of the comparison; anything
# else that differs still fails.
SEARCH_OBJECTS = re.compile(
    r"^(?:(?:users|clubs|rooms)_(?:fts(?:_\w+)?|search_text)|ix_(?:users|clubs|rooms)_search"
    r"|search_positions|search_document)$"
)


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    return not (reflected and name is not None and SEARCH_OBJECTS.fullmatch(name))


async def test_migrated_schema_matches_the_models(database: Database) -> None:
    def diff(connection: Connection) -> list[object]:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        return list(compare_metadata(context, Base.metadata))

    async with database.engine.connect() as conn:
        assert await conn.run_sync(diff) == []


async def test_search_migration_goes_down_and_up_again(database: Database) -> None:
    def search_objects(connection: Connection) -> set[str]:
        inspector = inspect(connection)
        names = set(inspector.get_table_names())
        for table in ("users", "clubs", "rooms"):
            names |= {str(index["name"]) for index in inspector.get_indexes(table)}
        return {name for name in names if SEARCH_OBJECTS.fullmatch(name)}

    def migrate(connection: Connection, target: str, down: bool) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, target)

    async with database.engine.begin() as conn:
        assert len(await conn.run_sync(search_objects)) >= 3
        await conn.run_sync(migrate, "0002", True)
        assert await conn.run_sync(search_objects) == set()
        await conn.run_sync(migrate, "head", False)
        assert len(await conn.run_sync(search_objects)) >= 3


async def test_admin_migration_goes_down_and_up_keeping_search(database: Database) -> None:
    def tables(connection: Connection) -> set[str]:
        inspector = inspect(connection)
        names = set(inspector.get_table_names())
        columns = {c["name"] for c in inspector.get_columns("users")}
        return names | ({"users.suspended_at"} if "suspended_at" in columns else set())

    def migrate(connection: Connection, target: str, down: bool) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, target)

    admin = {"audit_log", "reports", "users.suspended_at"}
    async with database.engine.begin() as conn:
        assert admin <= await conn.run_sync(tables)
        await conn.run_sync(migrate, "0003_search", True)
        assert not admin & await conn.run_sync(tables)
        await conn.run_sync(migrate, "head", False)
        assert admin <= await conn.run_sync(tables)


async def test_passkeys_migration_goes_down_and_up(database: Database) -> None:
    def tables(connection: Connection) -> set[str]:
        return set(inspect(connection).get_table_names())

    def migrate(connection: Connection, target: str, down: bool) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, target)

    async with database.engine.begin() as conn:
        assert "passkeys" in await conn.run_sync(tables)
        await conn.run_sync(migrate, "0005_demo_rooms", True)
        assert "passkeys" not in await conn.run_sync(tables)
        await conn.run_sync(migrate, "head", False)
        assert "passkeys" in await conn.run_sync(tables)


async def test_password_resets_migration_goes_down_and_up(database: Database) -> None:
    def found(connection: Connection) -> set[str]:
        inspector = inspect(connection)
        columns = {c["name"] for c in inspector.get_columns("notifications")}
        return set(inspector.get_table_names()) | (
            {"notifications.report_id"} if "report_id" in columns else set()
        )

    def migrate(connection: Connection, target: str, down: bool) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, target)

    added = {"password_resets", "notifications.report_id"}
    async with database.engine.begin() as conn:
        assert added <= await conn.run_sync(found)
        await conn.run_sync(migrate, "0007_name_keys", True)
        assert not added & await conn.run_sync(found)
        await conn.run_sync(migrate, "head", False)
        assert added <= await conn.run_sync(found)


@pytest.mark.postgres
async def test_replicas_that_start_at_once_migrate_one_at_a_time(tmp_path: Path) -> None:
    # Each replica migrates as it starts; three `teahouse db upgrade` at once on a new
    # PostgreSQL database would each create the same tables, and two would fail.
    async with postgres_database() as url:
        env = serve_env(tmp_path, free_port(), database_url=url)
        pipe, joined = asyncio.subprocess.PIPE, asyncio.subprocess.STDOUT
        upgrades = [
            await asyncio.create_subprocess_exec(
                str(TEAHOUSE), "db", "upgrade", env=env, stdout=pipe, stderr=joined
            )
            for _ in range(3)
        ]
        outputs = [(await one.communicate())[0].decode() for one in upgrades]
        assert [one.returncode for one in upgrades] == [0, 0, 0], outputs
        db = Database(url)
        try:
            async with db.engine.connect() as conn:
                tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
        finally:
            await db.close()
        assert "users" in tables
