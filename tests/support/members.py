"""Members made straight in the database, for service tests (no HTTP, no argon2)."""

from __future__ import annotations

from datetime import timedelta

from teahouse.domain.clock import utcnow
from teahouse.domain.ids import new_id
from teahouse.store.database import Database
from teahouse.store.models import User


async def add_members(db: Database, *names: str, **fields: object) -> dict[str, str]:
    """Members called ``names`` (display name: the name capitalised); their ids."""
    ids = {name: new_id() for name in names}
    start = utcnow() - timedelta(days=1)
    async with db.sessions.begin() as s:
        for i, name in enumerate(names):
            s.add(
                User(
                    id=ids[name],
                    username=name,
                    display_name=name.capitalize(),
                    bio="",
                    password_hash="x",
                    invites_left=2,
                    created_at=start + timedelta(seconds=i),
                    **fields,
                )
            )
    return ids
