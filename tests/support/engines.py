"""The real engines the tests run against besides SQLite: a PostgreSQL database of
the test's own, and a Redis prefix of its own (each test may share the one server)."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import AsyncIterator

import asyncpg  # type: ignore[import-untyped]
from redis.asyncio import Redis
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get(
    "TEAHOUSE_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("TEAHOUSE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@contextlib.asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database (its SQLAlchemy URL), dropped at the end.
    PostgreSQL must be reachable: a test that cannot reach it fails, never skips."""
    url = make_url(POSTGRES_URL)
    name = f"teahouse_test_{secrets.token_hex(6)}"
    admin = await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, database=url.database
    )
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@contextlib.asynccontextmanager
async def redis_prefix() -> AsyncIterator[str]:
    """A random ``redis_prefix`` for one test; every key under it is deleted at the
    end. Redis must be reachable, as PostgreSQL."""
    prefix = f"teahouse-test-{secrets.token_hex(6)}"
    try:
        yield prefix
    finally:
        redis = Redis.from_url(REDIS_URL)
        try:
            keys = [key async for key in redis.scan_iter(match=f"{prefix}:*")]
            if keys:
                await redis.delete(*keys)
        finally:
            await redis.aclose()
