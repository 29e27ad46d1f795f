"""An instance filled by `teahouse demo seed`, for tests that start a server on it."""

from __future__ import annotations

from teahouse.config import Settings
from teahouse.demo.seed import Seeded, seed
from teahouse.store.database import Database


async def seeded_instance(settings: Settings, password: str) -> Seeded:
    """Migrate ``settings``' database and seed it, as the CLI does before a start."""
    db = Database(settings.resolved_database_url)
    try:
        await db.upgrade()
        return await seed(db, settings, password=password)
    finally:
        await db.close()
