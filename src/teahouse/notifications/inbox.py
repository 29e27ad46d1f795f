"""A member's notifications as they read them: pages, the unread count, read marks.

Rows are written by :class:`teahouse.notifications.notifier.Notifications`; this
module turns them into the ``Notification`` of docs/API-SOCIAL.md. What a row is
about (actor, room, event, club, report, join request) is joined in the same query
that reads the rows, and its ``text`` is made from those, one function per kind. Notifications whose
actor is blocked either way are left out, like every other list.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Row, Select, and_, exists, func, or_, select, update
from sqlalchemy.orm import aliased
from typing_extensions import TypedDict

from teahouse.domain.clock import utcnow
from teahouse.domain.cursors import LIMIT_DEFAULT, LIMIT_MAX, LIMIT_MIN, Cursor, Page
from teahouse.store.admin_models import Report
from teahouse.store.database import Database
from teahouse.store.keyset import newest_first
from teahouse.store.models import Room, User
from teahouse.store.social_models import (
    Avatar,
    Block,
    Club,
    ClubInvite,
    ClubJoinRequest,
    ClubMember,
    Event,
    Notification,
)
from teahouse.views import ClubRef, RoomRef, UserCard, user_card


class EventRefView(TypedDict):
    id: str
    title: str
    starts_at: str


class ReportRefView(TypedDict):
    """What an admin's ``report_filed`` notification is about: the report and why."""

    id: str
    reason: str


#: What became of what a notification is about, as of reading it (docs/API-SOCIAL.md):
#: a room (`ping`, `event_starting`) is ``live`` or ``ended``; a club invitation is
#: ``open``, ``accepted`` (they are a member) or ``closed`` (declined or withdrawn); a
#: request to join (an admin's ``club_request``) is ``open``, ``accepted``,
#: ``declined`` or ``withdrawn``.
NotificationState = Literal["live", "ended", "open", "accepted", "closed", "declined", "withdrawn"]


class NotificationView(TypedDict):
    """docs/API-SOCIAL.md ``Notification``."""

    id: str
    kind: str
    created_at: str
    read: bool
    actor: UserCard | None
    room: RoomRef | None
    event: EventRefView | None
    club: ClubRef | None
    report: ReportRefView | None
    # The request to join a club that a club_request (or its answer) is about: an
    # admin answers it by this id (POST /api/clubs/{club}/requests/{id}/accept).
    join_request_id: str | None
    state: NotificationState | None
    text: str


# -- the text of each kind ------------------------------------------------------------


def _name(actor: UserCard | None) -> str:
    return actor["display_name"] if actor else "Someone"


def new_follower_text(n: NotificationView) -> str:
    return f"{_name(n['actor'])} followed you"


def ping_text(n: NotificationView) -> str:
    room = n["room"]
    return f"{_name(n['actor'])} pinged you into {room['title'] if room else 'a room'}"


def event_starting_text(n: NotificationView) -> str:
    event = n["event"]
    return f"{event['title'] if event else 'An event'} is starting"


def club_invite_text(n: NotificationView) -> str:
    club = n["club"]
    name = club["name"] if club else "a club"
    if n["actor"] is None:
        return f"You are invited to join {name}"
    return f"{_name(n['actor'])} invited you to join {name}"


def _club_name(n: NotificationView) -> str:
    return n["club"]["name"] if n["club"] else "a club"


def club_request_text(n: NotificationView) -> str:
    return f"{_name(n['actor'])} asked to join {_club_name(n)}"


def club_request_accepted_text(n: NotificationView) -> str:
    return f"You're now a member of {_club_name(n)}"


def club_request_declined_text(n: NotificationView) -> str:
    return f"Your request to join {_club_name(n)} was declined"


def report_filed_text(n: NotificationView) -> str:
    report = n["report"]
    return f"New report: {report['reason'].replace('_', ' ')}" if report else "New report"


TEXTS = {
    "new_follower": new_follower_text,
    "ping": ping_text,
    "event_starting": event_starting_text,
    "club_invite": club_invite_text,
    "report_filed": report_filed_text,
    "club_request": club_request_text,
    "club_request_accepted": club_request_accepted_text,
    "club_request_declined": club_request_declined_text,
}


# -- the service ----------------------------------------------------------------------


class Inbox:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def page(
        self, user_id: str, cursor: Cursor | None = None, limit: int = LIMIT_DEFAULT
    ) -> Page[NotificationView]:
        """Newest first, ``limit`` at a time."""
        limit = max(LIMIT_MIN, min(limit, LIMIT_MAX))
        query = newest_first(
            self._select(user_id), Notification.created_at, Notification.id, cursor, limit
        )
        async with self._db.sessions() as s:
            rows = (await s.execute(query)).all()
        page = Page.of(rows, limit, lambda row: Cursor(row[0].created_at, row[0].id))
        return page.map(_render)

    async def unread(self, user_id: str) -> int:
        """How many of the member's notifications are unread (all of them, not a page)."""
        async with self._db.sessions() as s:
            unread = await s.scalar(
                select(func.count())
                .select_from(Notification)
                .where(
                    Notification.user_id == user_id,
                    Notification.read_at.is_(None),
                    _actor_visible(user_id),
                )
            )
        return int(unread or 0)

    async def render(self, user_id: str, notification_id: str) -> NotificationView | None:
        """One notification as the member sees it (None if they may not see it)."""
        async with self._db.sessions() as s:
            row = (
                await s.execute(self._select(user_id).where(Notification.id == notification_id))
            ).one_or_none()
        return _render(row) if row is not None else None

    async def mark_read(self, user_id: str, ids: Sequence[str] | None = None) -> None:
        """Mark these (or, with None, all) of the member's notifications read."""
        where: list[ColumnElement[bool]] = [
            Notification.user_id == user_id,
            Notification.read_at.is_(None),
        ]
        if ids is not None:
            if not ids:
                return
            where.append(Notification.id.in_(list(ids)))
        async with self._db.sessions.begin() as s:
            await s.execute(update(Notification).where(*where).values(read_at=utcnow()))

    @staticmethod
    def _select(user_id: str) -> Select[*_Columns]:
        actor = aliased(User)
        # What became of it, looked up in the same query: the room's end, and whether
        # the member is in the club or still invited to it.
        member = exists().where(
            ClubMember.club_id == Notification.club_id, ClubMember.user_id == user_id
        )
        invited = exists().where(
            ClubInvite.club_id == Notification.club_id, ClubInvite.user_id == user_id
        )
        return (
            select(
                Notification,
                actor,
                Avatar.etag,
                Room.title,
                Event.title,
                Event.starts_at,
                Club.name,
                Room.ended_at,
                member.label("member"),
                invited.label("invited"),
                Report.reason,
                ClubJoinRequest.status,
            )
            .outerjoin(actor, actor.id == Notification.actor_id)
            .outerjoin(Avatar, Avatar.user_id == Notification.actor_id)
            .outerjoin(Room, Room.id == Notification.room_id)
            .outerjoin(Event, Event.id == Notification.event_id)
            .outerjoin(Club, Club.id == Notification.club_id)
            .outerjoin(Report, Report.id == Notification.report_id)
            .outerjoin(ClubJoinRequest, ClubJoinRequest.id == Notification.join_request_id)
            .where(Notification.user_id == user_id, _actor_visible(user_id))
        )


def _actor_visible(user_id: str) -> ColumnElement[bool]:
    """No block either way between the member and the notification's actor."""
    return ~exists().where(
        or_(
            and_(Block.blocker_id == user_id, Block.blocked_id == Notification.actor_id),
            and_(Block.blocker_id == Notification.actor_id, Block.blocked_id == user_id),
        )
    )


# Twelve columns: past SQLAlchemy's typed overloads of select(), so typed here by hand.
_Columns = tuple[Any, ...]


def _state(
    n: Notification,
    room_ended_at: datetime | None,
    member: bool,
    invited: bool,
    request_status: str | None,
) -> NotificationState | None:
    if n.kind == "club_request":
        return _REQUEST_STATES.get(request_status or "", "withdrawn")
    if n.kind == "club_invite":
        return "accepted" if member else "open" if invited else "closed"
    if n.room_id is not None:
        return "ended" if room_ended_at is not None else "live"
    return None


_REQUEST_STATES: dict[str, NotificationState] = {
    "open": "open",
    "accepted": "accepted",
    "declined": "declined",
    "withdrawn": "withdrawn",
}


def _render(row: Row[*_Columns]) -> NotificationView:
    # Outer joins: everything but the notification itself may be None.
    n: Notification = row[0]
    actor: User | None = row[1]
    avatar_etag, room_title, event_title, event_starts_at, club_name = row[2:7]
    room_ended_at: datetime | None = row[7]
    member, invited = row[8], row[9]
    reason: str = row[10]  # set whenever report_id is
    request_status: str | None = row[11]
    view: NotificationView = {
        "id": n.id,
        "kind": n.kind,
        "created_at": n.created_at.isoformat(),
        "read": n.read_at is not None,
        "actor": user_card(actor, avatar_etag) if actor is not None else None,
        "room": {"id": n.room_id, "title": room_title} if n.room_id else None,
        "event": (
            {"id": n.event_id, "title": event_title, "starts_at": event_starts_at.isoformat()}
            if n.event_id
            else None
        ),
        "club": {"id": n.club_id, "name": club_name} if n.club_id else None,
        "report": {"id": n.report_id, "reason": reason} if n.report_id else None,
        "join_request_id": n.join_request_id,
        "state": _state(n, room_ended_at, bool(member), bool(invited), request_status),
        "text": "",
    }
    text = TEXTS.get(n.kind)
    view["text"] = text(view) if text else ""
    return view
