"""Tables of the social layer: follows, blocks, avatars, clubs, events, notifications.

Every reference to a member cascades or nulls on delete, so that deleting an account
leaves no row that names them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from teahouse.domain.clock import utcnow
from teahouse.store.models import ID, Base, UTCDateTime

USER_FK = "users.id"


def _user(primary_key: bool = False, index: bool = False) -> Mapped[str]:
    return mapped_column(
        ForeignKey(USER_FK, ondelete="CASCADE"), primary_key=primary_key, index=index
    )


class Follow(Base):
    """``follower`` follows ``followee``."""

    __tablename__ = "follows"

    follower_id: Mapped[str] = _user(primary_key=True)
    followee_id: Mapped[str] = _user(primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Block(Base):
    """``blocker`` blocked ``blocked``: neither sees the other's hand or profile."""

    __tablename__ = "blocks"

    blocker_id: Mapped[str] = _user(primary_key=True)
    blocked_id: Mapped[str] = _user(primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Avatar(Base):
    """A member's picture, re-encoded by the server (no metadata survives)."""

    __tablename__ = "avatars"

    user_id: Mapped[str] = _user(primary_key=True)
    image: Mapped[bytes] = mapped_column(LargeBinary)
    content_type: Mapped[str] = mapped_column(String(30))
    etag: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Club(Base):
    __tablename__ = "clubs"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    name_key: Mapped[str] = mapped_column(String(60), unique=True)  # case-folded name
    description: Mapped[str] = mapped_column(Text, default="")
    rules: Mapped[str] = mapped_column(Text, default="")
    founder_id: Mapped[str | None] = mapped_column(ForeignKey(USER_FK, ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClubMember(Base):
    """Membership; ``role`` is ``admin`` or ``member`` (the founder is an admin)."""

    __tablename__ = "club_members"

    club_id: Mapped[str] = mapped_column(
        ForeignKey("clubs.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = _user(primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(10))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClubFollow(Base):
    __tablename__ = "club_follows"

    club_id: Mapped[str] = mapped_column(
        ForeignKey("clubs.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = _user(primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClubInvite(Base):
    """An admin invited a member to join the club; pending until they answer."""

    __tablename__ = "club_invites"

    club_id: Mapped[str] = mapped_column(
        ForeignKey("clubs.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = _user(primary_key=True, index=True)
    invited_by_id: Mapped[str | None] = mapped_column(ForeignKey(USER_FK, ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClubJoinRequest(Base):
    """A member asking to join a club, and what became of it. Answered rows are kept
    (``status`` accepted, declined or withdrawn) so an admin's ``club_request``
    notification can say what became of it, and so the hourly limit on asking counts
    withdrawn requests too. At most one request per member and club is ``open``."""

    __tablename__ = "club_join_requests"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    club_id: Mapped[str] = mapped_column(ForeignKey("clubs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = _user(index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The admin who accepted or declined; deleting them keeps the answer, by nobody.
    answered_by_id: Mapped[str | None] = mapped_column(ForeignKey(USER_FK, ondelete="SET NULL"))

    __table_args__ = (
        Index(
            "uq_club_join_requests_open",
            "club_id",
            "user_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )


class Event(Base):
    """A scheduled room. ``starts_at`` is UTC; ``time_zone`` is the host's IANA zone,
    kept so the event reads in the zone it was planned in."""

    __tablename__ = "events"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    time_zone: Mapped[str] = mapped_column(String(64))
    host_id: Mapped[str] = _user(index=True)
    club_id: Mapped[str | None] = mapped_column(
        ForeignKey("clubs.id", ondelete="CASCADE"), index=True
    )
    room_id: Mapped[str | None] = mapped_column(ForeignKey("rooms.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "weekly": after an occurrence's room ends, starts_at moves to the next one, at
    # the same wall-clock time in time_zone (clubs/recurrence.py). None: once.
    repeats: Mapped[str | None] = mapped_column(String(10))


class EventCohost(Base):
    __tablename__ = "event_cohosts"

    event_id: Mapped[str] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = _user(primary_key=True, index=True)


class EventInterest(Base):
    """ "Notify me": the member is told when the event starts."""

    __tablename__ = "event_interest"

    event_id: Mapped[str] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = _user(primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Notification(Base):
    """An in-app notification. What it is about is held in foreign keys, never in free
    text, so that deleting any member, room, event or club deletes what names it."""

    __tablename__ = "notifications"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    user_id: Mapped[str] = _user()
    kind: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[str | None] = mapped_column(ForeignKey(USER_FK, ondelete="CASCADE"))
    room_id: Mapped[str | None] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    event_id: Mapped[str | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    club_id: Mapped[str | None] = mapped_column(ForeignKey("clubs.id", ondelete="CASCADE"))
    # A report filed (the admins' notification): resolved or not, it goes with the report.
    report_id: Mapped[str | None] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    # A join request (``club_request`` and its answers): it goes with the request.
    join_request_id: Mapped[str | None] = mapped_column(
        ForeignKey("club_join_requests.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_notifications_user_created", "user_id", "created_at"),)


class CalendarToken(Base):
    """The secret in a member's iCalendar feed URL (calendar apps send no cookies)."""

    __tablename__ = "calendar_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = _user(index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
