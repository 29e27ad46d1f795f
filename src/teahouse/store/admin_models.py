"""Tables of instance administration: the audit log and members' reports.

Like every other table, each reference to a member cascades or nulls on delete, so
deleting an account leaves no row that names them: an audit entry keeps the action
and loses the name; a report the member filed goes with them; a report about them
stays, about nobody.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from teahouse.domain.clock import utcnow
from teahouse.store.models import ID, Base, UTCDateTime

USER_FK = "users.id"
ROOM_FK = "rooms.id"


class AuditEntry(Base):
    """One moderation or administration action. ``actor_id`` is NULL for the
    operator's command line (``detail`` says ``{"via": "cli"}``) and once the actor's
    account is deleted. ``detail`` holds small facts (a reason, a count), never a
    member's name or an address."""

    __tablename__ = "audit_log"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[str | None] = mapped_column(ForeignKey(USER_FK, ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(32))
    room_id: Mapped[str | None] = mapped_column(ForeignKey(ROOM_FK, ondelete="SET NULL"))
    target_id: Mapped[str | None] = mapped_column(ForeignKey(USER_FK, ondelete="SET NULL"))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (
        Index("ix_audit_log_at", "at", "id"),
        Index("ix_audit_log_room", "room_id", "at", "id"),
    )


class Report(Base):
    """A member reported another member, a room, or both. ``context`` is what the
    server knew at that moment (the room and its title, each one's role in it).

    A new report names a member or a room (the service checks it); either reference
    is nulled when its member or room is deleted, so the database cannot require it."""

    __tablename__ = "reports"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    reporter_id: Mapped[str] = mapped_column(ForeignKey(USER_FK, ondelete="CASCADE"), index=True)
    target_user_id: Mapped[str | None] = mapped_column(
        ForeignKey(USER_FK, ondelete="SET NULL"), index=True
    )
    room_id: Mapped[str | None] = mapped_column(ForeignKey(ROOM_FK, ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text, default="")
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[str | None] = mapped_column(ForeignKey(USER_FK, ondelete="SET NULL"))
    resolution: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (Index("ix_reports_open", "resolved_at", "created_at", "id"),)
