"""The audit log: who did which moderation or administration action, and when.

Other code writes with :meth:`AuditLog.record` (its own transaction) or, inside a
transaction it already has, :meth:`AuditLog.add` (the action and its entry commit
together). Room moderation actions are named ``make_moderator``,
``remove_moderator``, ``invite_to_speak``, ``move_to_audience``, ``mute``,
``remove_from_room``, ``end_room``, ``set_hands`` and ``admit``; instance
administration ``grant_admin``, ``revoke_admin``, ``suspend``, ``unsuspend``,
``grant_invites``, ``reset_link``, ``revoke_invite``, ``revoke_branch``,
``resolve_report`` and ``end_room``; and ``use_reset_link`` (a member set a new
password with a reset link).

An entry names people only by foreign key (nulled when their account goes), and its
``detail`` holds small facts (``{"reason": "ended_by_admin"}``, ``{"count": 3}``,
``{"via": "cli"}``), never a name or an address: :func:`check_detail` enforces the
shape. Pages are newest first with keyset cursors (domain/cursors.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased
from typing_extensions import TypedDict

from teahouse.domain.clock import utcnow
from teahouse.domain.cursors import Cursor, Page
from teahouse.domain.ids import looks_like_id, new_id
from teahouse.errors import ErrorCode, NotFound
from teahouse.social.cards import cards_by_id
from teahouse.store.admin_models import AuditEntry
from teahouse.store.database import Database, DbSession
from teahouse.store.keyset import newest_first
from teahouse.store.models import Room
from teahouse.views import RoomRef, UserCard

DetailValue = str | int | bool
ACTION_MAX = 32
DETAIL_KEYS_MAX = 8
DETAIL_TEXT_MAX = 64
CLI = {"via": "cli"}


def check_detail(detail: Mapping[str, DetailValue] | None) -> dict[str, DetailValue]:
    """A small flat mapping of short keys to short values (a bug otherwise)."""
    found = dict(detail or {})
    if len(found) > DETAIL_KEYS_MAX:
        raise ValueError(f"audit detail has more than {DETAIL_KEYS_MAX} keys")
    for key, value in found.items():
        if not isinstance(value, str | int | bool) or len(key) > DETAIL_TEXT_MAX:
            raise ValueError(f"audit detail {key!r} is not a short key with a plain value")
        if isinstance(value, str) and len(value) > DETAIL_TEXT_MAX:
            raise ValueError(f"audit detail {key!r} is longer than {DETAIL_TEXT_MAX}")
    return found


class AuditEntryView(TypedDict):
    """docs/API-ADMIN.md ``AuditEntry``."""

    id: str
    at: str
    action: str
    actor: UserCard | None
    target: UserCard | None
    room: RoomRef | None
    detail: dict[str, DetailValue]


class AuditLog:
    """Writes and reads the ``audit_log`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(
        self,
        actor_id: str | None,
        action: str,
        *,
        room_id: str | None = None,
        target_id: str | None = None,
        detail: Mapping[str, DetailValue] | None = None,
    ) -> None:
        """Write one entry in its own transaction. ``actor_id`` None: the operator."""
        async with self._db.sessions.begin() as s:
            self.add(s, actor_id, action, room_id=room_id, target_id=target_id, detail=detail)

    def add(
        self,
        s: DbSession,
        actor_id: str | None,
        action: str,
        *,
        room_id: str | None = None,
        target_id: str | None = None,
        detail: Mapping[str, DetailValue] | None = None,
        at: datetime | None = None,
    ) -> None:
        """Add one entry to the caller's transaction."""
        if not action or len(action) > ACTION_MAX:
            raise ValueError(f"audit action {action!r} is empty or too long")
        s.add(
            AuditEntry(
                id=new_id(),
                at=at or utcnow(),
                actor_id=actor_id,
                action=action,
                room_id=room_id,
                target_id=target_id,
                detail=check_detail(detail),
            )
        )

    async def check_room_reader(
        self, room_id: str, viewer_id: str, *, is_admin: bool, is_moderator: bool
    ) -> None:
        """A room's log is for its creator, a current moderator of it live, and
        instance admins; to anyone else the room does not exist (``room_not_found``)."""
        creator = None
        if looks_like_id(room_id):
            async with self._db.sessions() as s:
                creator = await s.scalar(select(Room.created_by_id).where(Room.id == room_id))
        if creator is None or not (is_admin or is_moderator or creator == viewer_id):
            raise NotFound("There is no such room.", ErrorCode.ROOM_NOT_FOUND)

    async def for_room(
        self, room_id: str, cursor: Cursor | None, limit: int
    ) -> Page[AuditEntryView]:
        """The entries about one room, newest first."""
        return await self._page(_select().where(AuditEntry.room_id == room_id), cursor, limit)

    async def all(self, cursor: Cursor | None, limit: int) -> Page[AuditEntryView]:
        """Every entry, newest first."""
        return await self._page(_select(), cursor, limit)

    async def _page(
        self, stmt: Select[AuditEntry, str], cursor: Cursor | None, limit: int
    ) -> Page[AuditEntryView]:
        stmt = newest_first(stmt, AuditEntry.at, AuditEntry.id, cursor, limit)
        async with self._db.sessions() as s:
            rows = (await s.execute(stmt)).all()
            page = Page.of(rows, limit, lambda row: Cursor(row[0].at, row[0].id))
            people = {uid for e, _ in page.items for uid in (e.actor_id, e.target_id) if uid}
            cards = await cards_by_id(s, people)
        return page.map(lambda row: _entry_view(row[0], row[1], cards))


def _select() -> Select[AuditEntry, str]:
    room = aliased(Room)
    return select(AuditEntry, room.title).outerjoin(room, room.id == AuditEntry.room_id)


def _entry_view(
    entry: AuditEntry, room_title: str | None, cards: dict[str, UserCard]
) -> AuditEntryView:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "action": entry.action,
        "actor": cards.get(entry.actor_id) if entry.actor_id else None,
        "target": cards.get(entry.target_id) if entry.target_id else None,
        "room": {"id": entry.room_id, "title": room_title or ""} if entry.room_id else None,
        "detail": dict(entry.detail or {}),
    }
