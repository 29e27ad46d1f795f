"""Opening the database and bringing its schema up to date."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as DbSession

from teahouse.data_dir import create_private_file

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
# The advisory lock that migrations hold on PostgreSQL (any number, the same in every
# process: it reads "teahouse" in ASCII).
MIGRATION_LOCK = 0x7465_6168_6F75_7365

__all__ = ["Database", "DbSession"]


class Database:
    """The engine and session factory for one database URL."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        kwargs: dict[str, Any] = {}
        if self.is_sqlite:
            kwargs["connect_args"] = {"timeout": 30}
        else:
            kwargs["pool_pre_ping"] = True
        self.engine: AsyncEngine = create_async_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine.sync_engine, "do_connect", self._create_private_file)
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    def _create_private_file(self, *_: Any) -> None:
        # Before SQLite opens the file: it would make it with the umask's mode
        # (often 0644), and its -wal and -shm take the database file's mode.
        if self.url.database and self.url.database != ":memory:":
            create_private_file(Path(self.url.database))

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    async def upgrade(self) -> None:
        """Apply every pending Alembic migration."""
        async with self.engine.begin() as conn:
            if not self.is_sqlite:
                # Replicas started at once would each create the same tables, and all
                # but one fail; they migrate one at a time instead (the lock is held
                # until this transaction ends), and the later ones find nothing to do.
                await conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                )
            await conn.run_sync(_upgrade)

    async def ping(self) -> None:
        """Return when the database answers a query; raise when it does not."""
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def close(self) -> None:
        await self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers go on while one writer writes; busy_timeout makes writers queue
    # instead of failing; SQLite leaves foreign keys off unless asked.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def _upgrade(connection: Connection) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
