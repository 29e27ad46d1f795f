"""Instance administration of members: the list, admin rights, suspension, rooms.

Every method takes the acting admin's id, or None for the operator's command line
(which has no member behind it: its audit entries say ``{"via": "cli"}``). Who may
call these is the HTTP layer's business (``api/admin.py``: admins only); the
rules that hold whoever calls are here:

- the instance keeps at least one admin (``last_admin``);
- admins are not suspended, not even by themselves (``cannot_suspend_admin``): revoke
  the rights first; a suspended member is not made an admin (``member_suspended``);
- a refused action changes nothing and writes no audit entry.

Suspending deletes the member's sessions in the same transaction that marks them,
then calls ``eject`` (the server's: close their sockets, take them out of live rooms).
The command line runs in another process and has no sockets to close: the server's
:class:`~teahouse.admin.suspensions.SuspensionWatch` finds the new suspension in
the database within about a second and ejects them there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Literal

from sqlalchemy import delete, func, or_, select, update

from teahouse.admin.audit import CLI, AuditLog
from teahouse.domain.clock import utcnow
from teahouse.domain.cursors import Cursor, Page
from teahouse.errors import BadRequest, Conflict, ErrorCode, NotFound
from teahouse.store.database import Database, DbSession
from teahouse.store.keyset import newest_first
from teahouse.store.models import Session, User
from teahouse.store.social_models import Avatar
from teahouse.views import UserCard, user_card

MemberStatus = Literal["all", "active", "suspended", "admin"]
Eject = Callable[[str], Awaitable[None]]
# The most invitations one grant gives, and the most a member may hold.
GRANT_MAX = 100
INVITES_LEFT_MAX = 1000


async def _no_sockets_here(_user_id: str) -> None:
    """The command line's ``eject``: it holds no sockets; the server's watcher acts."""


def via(actor_id: str | None) -> dict[str, str] | None:
    """The audit detail that says an action came from the command line."""
    return CLI if actor_id is None else None


class AdminMemberView(UserCard):
    """docs/API-ADMIN.md ``AdminMember``."""

    is_admin: bool
    suspended_at: str | None
    invites_left: int
    joined_at: str
    invited_by: UserCard | None


def member_view(user: User, etag: str | None, invited_by: User | None) -> AdminMemberView:
    return {
        **user_card(user, etag),
        "is_admin": user.is_admin,
        "suspended_at": user.suspended_at.isoformat() if user.suspended_at else None,
        "invites_left": user.invites_left,
        "joined_at": user.created_at.isoformat(),
        "invited_by": user_card(invited_by) if invited_by else None,
    }


def user_not_found() -> NotFound:
    return NotFound("No member has that username.", ErrorCode.USER_NOT_FOUND)


class Admin:
    """Members as an instance admin sees and changes them."""

    def __init__(
        self,
        db: Database,
        audit: AuditLog,
        *,
        eject: Eject = _no_sockets_here,
        end_room: Callable[[str, str], Awaitable[bool]] | None = None,
    ) -> None:
        self._db = db
        self._audit = audit
        self._eject = eject
        self._end_room = end_room

    # -- reading -----------------------------------------------------------------------

    async def members(
        self, query: str, status: MemberStatus, cursor: Cursor | None, limit: int
    ) -> Page[AdminMemberView]:
        """Members, newest first; ``query`` matches a username's start or any part of a
        display name, whatever the case."""
        stmt = select(User, Avatar.etag).outerjoin(Avatar, Avatar.user_id == User.id)
        words = query.strip().lower()
        if words:
            stmt = stmt.where(
                or_(
                    User.username.startswith(words, autoescape=True),
                    func.lower(User.display_name).contains(words, autoescape=True),
                )
            )
        if status == "active":
            stmt = stmt.where(User.suspended_at.is_(None))
        elif status == "suspended":
            stmt = stmt.where(User.suspended_at.is_not(None))
        elif status == "admin":
            stmt = stmt.where(User.is_admin)
        stmt = newest_first(stmt, User.created_at, User.id, cursor, limit)
        async with self._db.sessions() as s:
            rows = (await s.execute(stmt)).all()
            page = Page.of(rows, limit, lambda row: Cursor(row[0].created_at, row[0].id))
            inviter_ids = {u.invited_by_id for u, _ in page.items if u.invited_by_id}
            inviters = {
                u.id: u for u in await s.scalars(select(User).where(User.id.in_(inviter_ids)))
            }
        return page.map(
            lambda row: member_view(row[0], row[1], inviters.get(row[0].invited_by_id or ""))
        )

    async def member(self, username: str) -> AdminMemberView:
        async with self._db.sessions() as s:
            user = await _by_username(s, username)
            etag = await s.scalar(select(Avatar.etag).where(Avatar.user_id == user.id))
            inviter = await s.get(User, user.invited_by_id) if user.invited_by_id else None
        return member_view(user, etag, inviter)

    async def suspended_since(self, since: datetime) -> list[tuple[str, datetime]]:
        """Members suspended at or after ``since`` (the watcher's question)."""
        async with self._db.sessions() as s:
            rows = await s.execute(
                select(User.id, User.suspended_at).where(User.suspended_at >= since)
            )
            return [(uid, at) for uid, at in rows if at is not None]

    # -- admin rights ----------------------------------------------------------------

    async def set_admin(self, actor_id: str | None, username: str, admin: bool) -> AdminMemberView:
        """Grant or revoke admin rights; a no-op (and no entry) if already so."""
        async with self._db.sessions.begin() as s:
            await _lock_admins(s, sqlite=self._db.is_sqlite)
            user = await _by_username(s, username)
            if user.is_admin != admin:
                if admin and user.suspended_at is not None:
                    raise Conflict("Lift the suspension first.", ErrorCode.MEMBER_SUSPENDED)
                if not admin:
                    admins = await s.scalar(select(func.count()).where(User.is_admin))
                    if (admins or 0) <= 1:
                        raise Conflict("The instance must keep one admin.", ErrorCode.LAST_ADMIN)
                user.is_admin = admin
                action = "grant_admin" if admin else "revoke_admin"
                self._audit.add(s, actor_id, action, target_id=user.id, detail=via(actor_id))
        return await self.member(username)

    # -- invitations -------------------------------------------------------------------

    async def give_invites(
        self, actor_id: str | None, username: str, count: int
    ) -> AdminMemberView:
        """``count`` (1 to GRANT_MAX) more invitations for the member to hand out, up
        to INVITES_LEFT_MAX in hand."""
        if not 1 <= count <= GRANT_MAX:
            raise BadRequest(f"Give between 1 and {GRANT_MAX} invitations at a time.")
        async with self._db.sessions.begin() as s:
            user = await _by_username(s, username)
            given = await s.execute(
                update(User)
                .where(User.id == user.id, User.invites_left <= INVITES_LEFT_MAX - count)
                .values(invites_left=User.invites_left + count)
            )
            if given.rowcount != 1:  # type: ignore[attr-defined]
                raise BadRequest(f"A member may hold at most {INVITES_LEFT_MAX} invitations.")
            detail: dict[str, str | int | bool] = {"count": count, **(via(actor_id) or {})}
            self._audit.add(s, actor_id, "grant_invites", target_id=user.id, detail=detail)
        return await self.member(username)

    # -- suspension --------------------------------------------------------------------

    async def suspend(self, actor_id: str | None, username: str) -> AdminMemberView:
        """Suspend a member: their sessions end, their sockets close, they leave every
        live room. Suspending a suspended member changes nothing."""
        async with self._db.sessions.begin() as s:
            user = await _by_username(s, username)
            if user.is_admin:
                raise Conflict(
                    "Admins cannot be suspended; revoke their admin rights first.",
                    ErrorCode.CANNOT_SUSPEND_ADMIN,
                )
            newly = user.suspended_at is None
            if newly:
                user.suspended_at = utcnow()
                self._audit.add(s, actor_id, "suspend", target_id=user.id, detail=via(actor_id))
            await s.execute(delete(Session).where(Session.user_id == user.id))
        await self._eject(user.id)
        return await self.member(username)

    async def unsuspend(self, actor_id: str | None, username: str) -> AdminMemberView:
        async with self._db.sessions.begin() as s:
            user = await _by_username(s, username)
            if user.suspended_at is not None:
                user.suspended_at = None
                self._audit.add(s, actor_id, "unsuspend", target_id=user.id, detail=via(actor_id))
        return await self.member(username)

    # -- rooms -------------------------------------------------------------------------

    async def end_room(self, actor_id: str | None, room_id: str) -> None:
        """End a live room of this server for everyone in it."""
        if self._end_room is None or not await self._end_room(room_id, "ended_by_admin"):
            raise NotFound("There is no such live room.", ErrorCode.ROOM_NOT_FOUND)
        detail = {"reason": "ended_by_admin", **(via(actor_id) or {})}
        await self._audit.record(actor_id, "end_room", room_id=room_id, detail=detail)


async def _by_username(s: DbSession, username: str) -> User:
    user = await s.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise user_not_found()
    return user


async def _lock_admins(s: DbSession, *, sqlite: bool) -> None:
    """Serialise changes to who is an admin, so two revocations cannot both pass the
    "last admin" check: PostgreSQL locks the admins' rows; on SQLite the no-op write
    takes the database's write lock before anything is read."""
    if sqlite:
        await s.execute(update(User).where(User.id == "").values(is_admin=User.is_admin))
    else:
        await s.execute(select(User.id).where(User.is_admin).with_for_update())
