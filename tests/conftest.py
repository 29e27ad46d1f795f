"""Fixtures shared by every test: databases on both engines, a live server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from teahouse.store.database import Database
from tests.support import engines
from tests.support.engines import POSTGRES_URL

__all__ = ["POSTGRES_URL"]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database on each engine. PostgreSQL must be reachable: a test
    that cannot reach it fails rather than skips (deselect with `-m "not postgres"`)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'teahouse.db'}"
        return
    async with engines.postgres_database() as url:
        yield url


@pytest.fixture
async def redis_prefix() -> AsyncIterator[str]:
    """A Redis prefix of the test's own (TEAHOUSE_TEST_REDIS_URL's server), emptied
    after it."""
    async with engines.redis_prefix() as name:
        yield name


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    await db.upgrade()
    yield db
    await db.close()
