"""What ``GET /api/me/export`` contains: the member's rows, gathered in one session.

Other members appear only as a :class:`UserCard`, and only where the member's own
rows point at them (whom they follow, who used their invitation, who acted in their
notifications). Secrets stay out: session tokens, invitation codes and the calendar
token are stored as hashes, and the export shows when they were made, not the hash.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from teahouse.accounts.export_views import AccountExport
from teahouse.domain.clock import utcnow
from teahouse.social.cards import cards_by_id
from teahouse.store.admin_models import Report
from teahouse.store.database import DbSession
from teahouse.store.models import Invite, Passkey, Room, RoomAdmission, Session, User
from teahouse.store.social_models import (
    Avatar,
    Block,
    CalendarToken,
    Club,
    ClubFollow,
    ClubInvite,
    ClubJoinRequest,
    ClubMember,
    Event,
    EventCohost,
    EventInterest,
    Follow,
    Notification,
)
from teahouse.views import UserCard

EXPORT_FORMAT = "teahouse-export/1"


@dataclass(frozen=True, slots=True)
class _Person:
    """Another member, to be shown as a UserCard once all are known (one query)."""

    id: str


@dataclass
class _Collector:
    s: DbSession
    me: str
    people: set[str] = field(default_factory=set)
    clubs: dict[str, str] = field(default_factory=dict)  # id -> name, for ClubRefs

    def person(self, user_id: str | None) -> _Person | None:
        if user_id is None:
            return None
        self.people.add(user_id)
        return _Person(user_id)

    async def club_ref(self, club_id: str | None) -> dict[str, str] | None:
        if club_id is None:
            return None
        if club_id not in self.clubs:
            self.clubs[club_id] = (
                await self.s.scalar(select(Club.name).where(Club.id == club_id)) or ""
            )
        return {"id": club_id, "name": self.clubs[club_id]}

    async def rows(self, stmt: Any) -> list[Any]:
        return list((await self.s.execute(stmt)).all())


async def collect_export(s: DbSession, user_id: str) -> AccountExport | None:
    """The export of ``user_id`` (None: no such member). It is gathered as plain
    values with placeholders for other members, then the placeholders become cards;
    tests/integration/test_privacy.py checks the result is an AccountExport."""
    user = await s.get(User, user_id)
    if user is None:
        return None
    c = _Collector(s, user_id)
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": utcnow().isoformat(),
        "account": {
            "id": user.id,
            "username": user.username,
            "display_name": user.display_name,
            "bio": user.bio,
            "joined_at": _iso(user.created_at),
            "is_admin": user.is_admin,
            "invites_left": user.invites_left,
            "nominated_by": c.person(user.invited_by_id),
        },
        "avatar": await _avatar(c),
        "sessions": [
            {"created_at": _iso(session.created_at), "expires_at": _iso(session.expires_at)}
            for session in await s.scalars(
                select(Session).where(Session.user_id == user_id).order_by(Session.created_at)
            )
        ],
        "invitations": [
            {
                "id": invite.id,
                "created_at": _iso(invite.created_at),
                "expires_at": _iso(invite.expires_at),
                "used_at": _iso(invite.used_at),
                "used_by": c.person(invite.used_by_id),
            }
            for invite in await s.scalars(
                select(Invite).where(Invite.created_by_id == user_id).order_by(Invite.created_at)
            )
        ],
        "following": await _edges(c, Follow, Follow.follower_id, Follow.followee_id),
        "followers": await _edges(c, Follow, Follow.followee_id, Follow.follower_id),
        "blocks": await _edges(c, Block, Block.blocker_id, Block.blocked_id),
        "clubs": await _clubs(c),
        "events_hosted": await _events_hosted(c),
        "events_cohosted": [
            {**await _event_ref(c, event), "host": c.person(event.host_id)}
            for event in await s.scalars(
                select(Event)
                .join(EventCohost, EventCohost.event_id == Event.id)
                .where(EventCohost.user_id == user_id)
                .order_by(Event.starts_at)
            )
        ],
        "events_asked_about": [
            {"event": await _event_ref(c, event), "since": _iso(since)}
            for event, since in await c.rows(
                select(Event, EventInterest.created_at)
                .join(EventInterest, EventInterest.event_id == Event.id)
                .where(EventInterest.user_id == user_id)
                .order_by(EventInterest.created_at)
            )
        ],
        "notifications": await _notifications(c),
        "rooms_created": [
            {
                "id": room.id,
                "title": room.title,
                "description": room.description,
                "visibility": room.visibility,
                "club": await c.club_ref(room.club_id),
                "created_at": _iso(room.created_at),
                "ended_at": _iso(room.ended_at),
            }
            for room in await s.scalars(
                select(Room).where(Room.created_by_id == user_id).order_by(Room.created_at)
            )
        ],
        "rooms_admitted_to": [
            {"id": room_id, "title": title}
            for room_id, title in await c.rows(
                select(Room.id, Room.title)
                .join(RoomAdmission, RoomAdmission.room_id == Room.id)
                .where(RoomAdmission.user_id == user_id)
                .order_by(Room.created_at)
            )
        ],
        "reports_filed": await _reports(c),
        "calendar_feed": [
            {"created_at": _iso(created)}
            for created in await s.scalars(
                select(CalendarToken.created_at).where(CalendarToken.user_id == user_id)
            )
        ],
        "passkeys": [
            {
                "name": passkey.name,
                "created_at": _iso(passkey.created_at),
                "credential_id": _base64url(passkey.credential_id),
                "public_key": _base64url(passkey.public_key),
                "sign_count": passkey.sign_count,
            }
            for passkey in await s.scalars(
                select(Passkey).where(Passkey.user_id == user_id).order_by(Passkey.created_at)
            )
        ],
    }
    cards = await cards_by_id(s, c.people)
    return cast(AccountExport, _resolve(data, cards))


async def _avatar(c: _Collector) -> dict[str, str | None] | None:
    avatar = await c.s.get(Avatar, c.me)
    if avatar is None:
        return None
    return {
        "content_type": avatar.content_type,
        "updated_at": _iso(avatar.updated_at),
        "base64": base64.b64encode(avatar.image).decode(),
    }


async def _edges(
    c: _Collector,
    model: type[Follow] | type[Block],
    mine: InstrumentedAttribute[str],
    theirs: InstrumentedAttribute[str],
) -> list[dict[str, Any]]:
    rows = await c.rows(
        select(theirs, model.created_at).where(mine == c.me).order_by(model.created_at)
    )
    return [{"user": c.person(other), "since": _iso(since)} for other, since in rows]


async def _clubs(c: _Collector) -> dict[str, Any]:
    member = await c.rows(
        select(ClubMember.club_id, ClubMember.role, ClubMember.joined_at)
        .where(ClubMember.user_id == c.me)
        .order_by(ClubMember.joined_at)
    )
    followed = await c.rows(
        select(ClubFollow.club_id, ClubFollow.created_at).where(ClubFollow.user_id == c.me)
    )
    invited = await c.rows(
        select(ClubInvite.club_id, ClubInvite.invited_by_id, ClubInvite.created_at).where(
            ClubInvite.user_id == c.me
        )
    )
    asked = await c.rows(
        select(
            ClubJoinRequest.club_id,
            ClubJoinRequest.status,
            ClubJoinRequest.created_at,
            ClubJoinRequest.answered_at,
        )
        .where(ClubJoinRequest.user_id == c.me)
        .order_by(ClubJoinRequest.created_at)
    )
    founded = await c.s.scalars(select(Club.id).where(Club.founder_id == c.me))
    return {
        "member_of": [
            {"club": await c.club_ref(club), "role": role, "joined_at": _iso(joined)}
            for club, role, joined in member
        ],
        "founded": [await c.club_ref(club) for club in founded],
        "followed": [
            {"club": await c.club_ref(club), "since": _iso(since)} for club, since in followed
        ],
        "invitations": [
            {"club": await c.club_ref(club), "invited_by": c.person(by), "at": _iso(at)}
            for club, by, at in invited
        ],
        "join_requests": [
            {
                "club": await c.club_ref(club),
                "status": status,
                "at": _iso(at),
                "answered_at": _iso(answered) if answered else None,
            }
            for club, status, at, answered in asked
        ],
    }


async def _event_ref(c: _Collector, event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "title": event.title,
        "starts_at": _iso(event.starts_at),
        "club": await c.club_ref(event.club_id),
    }


async def _events_hosted(c: _Collector) -> list[dict[str, Any]]:
    events = await c.s.scalars(select(Event).where(Event.host_id == c.me).order_by(Event.starts_at))
    hosted = []
    for event in events:
        cohosts = await c.s.scalars(
            select(EventCohost.user_id).where(EventCohost.event_id == event.id)
        )
        hosted.append(
            {
                **await _event_ref(c, event),
                "description": event.description,
                "time_zone": event.time_zone,
                "repeats": event.repeats,
                "room_id": event.room_id,
                "created_at": _iso(event.created_at),
                "cancelled_at": _iso(event.cancelled_at),
                "cohosts": [c.person(cohost) for cohost in cohosts],
            }
        )
    return hosted


async def _notifications(c: _Collector) -> list[dict[str, Any]]:
    rows = await c.s.scalars(
        select(Notification).where(Notification.user_id == c.me).order_by(Notification.created_at)
    )
    out = []
    for n in rows:
        room = await c.s.get(Room, n.room_id) if n.room_id else None
        event = await c.s.get(Event, n.event_id) if n.event_id else None
        out.append(
            {
                "id": n.id,
                "kind": n.kind,
                "created_at": _iso(n.created_at),
                "read_at": _iso(n.read_at),
                "actor": c.person(n.actor_id),
                "room": {"id": room.id, "title": room.title} if room else None,
                "event": await _event_ref(c, event) if event else None,
                "club": await c.club_ref(n.club_id),
            }
        )
    return out


async def _reports(c: _Collector) -> list[dict[str, Any]]:
    """The reports the member filed (never those about them: that would name the
    reporters)."""
    rows = await c.s.scalars(
        select(Report).where(Report.reporter_id == c.me).order_by(Report.created_at)
    )
    return [
        {
            "id": r.id,
            "created_at": _iso(r.created_at),
            "reason": r.reason,
            "details": r.details,
            "user": c.person(r.target_user_id),
            "room": r.context.get("room"),
            "resolved_at": _iso(r.resolved_at),
            "resolution": r.resolution,
        }
        for r in rows
    ]


def _base64url(data: bytes) -> str:
    """Unpadded, as WebAuthn writes binary values."""
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when is not None else None


def _resolve(value: Any, cards: dict[str, UserCard]) -> Any:
    """Replace every :class:`_Person` with that member's card (None if gone)."""
    if isinstance(value, _Person):
        return cards.get(value.id)
    if isinstance(value, dict):
        return {key: _resolve(item, cards) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, cards) for item in value]
    return value
