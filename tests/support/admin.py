"""Helpers for the administration tests: the rows a refused action must not change."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from teahouse.domain import accounts as rules
from teahouse.domain.clock import utcnow
from teahouse.store.database import Database
from teahouse.store.models import Session

WATCHED = ("users", "sessions", "invites", "reports", "audit_log", "rooms")


async def snapshot(
    db: Database, tables: tuple[str, ...] = WATCHED
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of ``tables`` (by default those administration touches), in a stable
    order."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    async with db.engine.connect() as conn:
        for table in tables:
            rows = (await conn.execute(text(f'SELECT * FROM "{table}"'))).all()
            found[table] = sorted(tuple(str(v) for v in row) for row in rows)
    return found


async def surviving_session(db: Database, user_id: str) -> str:
    """A session row made behind the service's back (as if one survived a suspension)."""
    token = rules.new_session_token()
    async with db.sessions.begin() as s:
        s.add(
            Session(
                token_hash=rules.token_hash(token),
                user_id=user_id,
                expires_at=utcnow().replace(year=utcnow().year + 1),
            )
        )
    return token
