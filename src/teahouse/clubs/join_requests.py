"""Asking to join a club: a member's request, and its admins' answer.

A member who is not in a club asks to join; every admin is told (``club_request``)
and sees the open requests on the club page; one of them accepts (the member is in)
or declines, and the member is told (``club_request_accepted`` /
``club_request_declined``). The member may withdraw while it is open. Answered
requests are kept with their outcome, so an admin's notification says what became
of it, and so the hourly budget (``club_requests_per_hour``) counts withdrawn ones:
asking and withdrawing cannot flood admins.

Blocks (docs/SECURITY.md, "What a block hides"), as invitations respect them: an
admin cannot invite someone hidden from them, so an admin does not see, is not
told of and cannot answer a request from someone hidden from them
(``join_request_not_found``); the admins the requester is not hidden from still can.

Every action takes the club's row first (``lock_club``), as the membership actions
of ``clubs.py`` do, so an accept and a withdraw at once cannot both succeed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import delete, func, select
from typing_extensions import TypedDict

from teahouse.clubs.clubs import find_club, lock_club, role_in
from teahouse.config import Settings
from teahouse.domain import clubs as rules
from teahouse.domain.clock import utcnow
from teahouse.domain.ids import looks_like_id, new_id
from teahouse.errors import Conflict, ErrorCode, NotFound, TooManyRequests
from teahouse.notifications.notifier import Notifications
from teahouse.social.graph import hidden_set, visible_to
from teahouse.store.database import Database, DbSession
from teahouse.store.models import User
from teahouse.store.social_models import Avatar, ClubInvite, ClubJoinRequest, ClubMember
from teahouse.views import UserCard, user_card

RequestStatus = Literal["open", "accepted", "declined", "withdrawn"]
BUDGET_WINDOW = timedelta(hours=1)


class JoinRequestView(TypedDict):
    """docs/API-SOCIAL.md ``JoinRequest``: an open request, as an admin sees it."""

    id: str
    user: UserCard
    created_at: str


def join_request_not_found() -> NotFound:
    return NotFound(
        "There is no open request with that id in this club.", ErrorCode.JOIN_REQUEST_NOT_FOUND
    )


class JoinRequests:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        notifications: Notifications,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._db = db
        self._settings = settings
        self._notifications = notifications
        self._clock = clock

    async def ask(self, user_id: str, club_id: str) -> None:
        """Ask to join; every admin the member is not hidden from is told."""
        now = self._clock()
        async with self._db.sessions.begin() as s:
            await lock_club(s, club_id)
            if await role_in(s, club_id, user_id) is not None:
                raise Conflict("You are already a member.", ErrorCode.ALREADY_MEMBER)
            if await _open_request(s, club_id, user_id) is not None:
                raise Conflict("You have already asked to join.", ErrorCode.ALREADY_REQUESTED)
            await self._check_budget(s, user_id, now)
            request = ClubJoinRequest(
                id=new_id(), club_id=club_id, user_id=user_id, status="open", created_at=now
            )
            s.add(request)
            admins = list(
                await s.scalars(
                    select(ClubMember.user_id)
                    .where(
                        ClubMember.club_id == club_id,
                        ClubMember.role == "admin",
                        visible_to(user_id, ClubMember.user_id),
                    )
                    .order_by(ClubMember.joined_at, ClubMember.user_id)
                )
            )
        for admin_id in admins:
            await self._notifications.notify(
                admin_id,
                "club_request",
                actor_id=user_id,
                club_id=club_id,
                join_request_id=request.id,
            )

    async def withdraw(self, user_id: str, club_id: str) -> None:
        """Take back one's open request; with none open this changes nothing."""
        async with self._db.sessions.begin() as s:
            await lock_club(s, club_id)
            request = await _open_request(s, club_id, user_id)
            if request is not None:
                request.status, request.answered_at = "withdrawn", self._clock()

    async def open_requests(self, admin_id: str, club_id: str) -> list[JoinRequestView]:
        """The club's open requests, oldest first, from members the admin may see."""
        async with self._db.sessions() as s:
            rules.require_admin(await _admin_role(s, club_id, admin_id))
            rows = await s.execute(
                select(ClubJoinRequest, User, Avatar.etag)
                .join(User, User.id == ClubJoinRequest.user_id)
                .outerjoin(Avatar, Avatar.user_id == User.id)
                .where(
                    ClubJoinRequest.club_id == club_id,
                    ClubJoinRequest.status == "open",
                    visible_to(admin_id, ClubJoinRequest.user_id),
                )
                .order_by(ClubJoinRequest.created_at, ClubJoinRequest.id)
            )
            return [
                {"id": r.id, "user": user_card(u, etag), "created_at": r.created_at.isoformat()}
                for r, u, etag in rows
            ]

    async def answer(self, admin_id: str, club_id: str, request_id: str, *, accept: bool) -> None:
        """Accept (the member joins) or decline an open request; the member is told."""
        async with self._db.sessions.begin() as s:
            await lock_club(s, club_id)
            rules.require_admin(await role_in(s, club_id, admin_id))
            request = (
                await s.get(ClubJoinRequest, request_id) if looks_like_id(request_id) else None
            )
            if request is None or request.club_id != club_id or request.status != "open":
                raise join_request_not_found()
            if request.user_id in await hidden_set(s, admin_id):
                raise join_request_not_found()
            request.status = "accepted" if accept else "declined"
            request.answered_at, request.answered_by_id = self._clock(), admin_id
            requester = request.user_id
            if accept:
                s.add(ClubMember(club_id=club_id, user_id=requester, role="member"))
                # An invitation they had not taken yet is answered by the same join.
                await s.execute(
                    delete(ClubInvite).where(
                        ClubInvite.club_id == club_id, ClubInvite.user_id == requester
                    )
                )
        await self._notifications.notify(
            requester,
            "club_request_accepted" if accept else "club_request_declined",
            actor_id=admin_id,
            club_id=club_id,
            join_request_id=request_id,
        )

    async def _check_budget(self, s: DbSession, user_id: str, now: datetime) -> None:
        # Counted under the club's lock only: on PostgreSQL two requests to two clubs
        # at the very same moment may both take the last one of the budget. One over
        # is harmless for a limit that is about floods; locking the member's row
        # would also rewrite their search index entry on SQLite.
        recent = await s.scalar(
            select(func.count()).where(
                ClubJoinRequest.user_id == user_id,
                ClubJoinRequest.created_at > now - BUDGET_WINDOW,
            )
        )
        if (recent or 0) >= self._settings.club_requests_per_hour:
            raise TooManyRequests(
                "You have asked to join many clubs in the last hour. Try again later.",
                ErrorCode.RATE_LIMITED,
                retry_after=int(BUDGET_WINDOW.total_seconds()),
            )


async def _open_request(s: DbSession, club_id: str, user_id: str) -> ClubJoinRequest | None:
    return await s.scalar(
        select(ClubJoinRequest).where(
            ClubJoinRequest.club_id == club_id,
            ClubJoinRequest.user_id == user_id,
            ClubJoinRequest.status == "open",
        )
    )


async def _admin_role(s: DbSession, club_id: str, user_id: str) -> rules.Role | None:
    """The role, for a read: the club must exist (club_not_found), no lock taken."""
    await find_club(s, club_id)
    return await role_in(s, club_id, user_id)
