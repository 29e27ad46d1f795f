"""Invitation-only membership: invitations, sign-up, log-in and sessions.

A session ends by log-out, by expiring, with the account (deletion) or by a
suspension; whichever way, its sockets close with it (docs/SECURITY.md, "When a
session ends"): :meth:`Accounts.logout` closes the sockets of the session it ends
through :class:`~teahouse.live.departures.Departures`, and each socket closes itself
when its session expires.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.exc import IntegrityError
from typing_extensions import TypedDict

from teahouse.accounts.attempts import FailedAttempts
from teahouse.accounts.password_check import Caller, PasswordCheck
from teahouse.accounts.passwords import Passwords
from teahouse.config import Settings
from teahouse.domain import accounts as rules
from teahouse.domain.clock import utcnow
from teahouse.domain.devices import device_token, proven_device
from teahouse.domain.ids import new_id
from teahouse.errors import Conflict, ErrorCode, Forbidden, InviteError, NotAuthenticated, NotFound
from teahouse.live.departures import Departures
from teahouse.social import names
from teahouse.social.graph import visible_to
from teahouse.store.database import Database, DbSession
from teahouse.store.models import Invite, Session, User
from teahouse.views import MeView, UserView, me_view, user_view


@dataclass(frozen=True, slots=True)
class MemberSession:
    """A valid session: whose it is, its id (the token's hash) and when it expires."""

    user: User
    id: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class NewInvite:
    code: str
    url: str
    expires_at: datetime


class MyInviteView(TypedDict):
    """An invitation the member made, as their invitations page lists it."""

    id: str
    created_at: str
    expires_at: str
    used: bool
    used_by: UserView | None


class Accounts:
    """Everything about becoming and being a member."""

    def __init__(
        self,
        db: Database,
        settings: Settings,
        passwords: Passwords,
        checks: PasswordCheck | None = None,
        departures: Departures | None = None,
    ) -> None:
        self._db = db
        self._settings = settings
        self._passwords = passwords
        # The server shares one with account deletion (services.py); a command line
        # tool gets limits of its own.
        self._checks = checks or PasswordCheck(passwords, FailedAttempts())
        self._departures = departures

    # -- invitations -------------------------------------------------------------

    def invite_url(self, code: str) -> str:
        # The code rides in the fragment, which browsers never send to a server.
        return f"{self._settings.public_url}/invite#{code}"

    async def create_invite(self, user_id: str) -> NewInvite:
        async with self._db.sessions.begin() as s:
            spent = await s.execute(
                update(User)
                .where(User.id == user_id, User.invites_left > 0)
                .values(invites_left=User.invites_left - 1)
            )
            if spent.rowcount != 1:  # type: ignore[attr-defined]
                raise Forbidden("You have no invitations left.", ErrorCode.INVITE_QUOTA_EXHAUSTED)
            return self._add_invite(s, user_id)

    async def has_members(self) -> bool:
        async with self._db.sessions() as s:
            return await s.scalar(select(User.id).limit(1)) is not None

    async def create_bootstrap_invite(self) -> NewInvite | None:
        """The first invitation of a new instance: made only while nobody is a member."""
        if await self.has_members():
            return None
        return await self.create_operator_invite(None)

    async def create_operator_invite(self, in_name_of: str | None) -> NewInvite:
        """An invitation from the instance's operator, outside any member's quota."""
        async with self._db.sessions.begin() as s:
            return self._add_invite(s, in_name_of)

    def _add_invite(self, s: DbSession, created_by: str | None) -> NewInvite:
        code = rules.new_invite_code()
        expires_at = utcnow() + timedelta(hours=self._settings.invite_ttl_hours)
        s.add(
            Invite(
                id=new_id(),
                code_hash=rules.token_hash(code),
                created_by_id=created_by,
                expires_at=expires_at,
            )
        )
        return NewInvite(code=code, url=self.invite_url(code), expires_at=expires_at)

    async def inspect_invite(self, code: str) -> tuple[UserView | None, datetime]:
        invite = await self._usable_invite(code)
        async with self._db.sessions() as s:
            inviter = await s.get(User, invite.created_by_id) if invite.created_by_id else None
        return (user_view(inviter) if inviter else None), invite.expires_at

    async def list_invites(self, user_id: str) -> tuple[list[MyInviteView], int]:
        async with self._db.sessions() as s:
            me = await s.get(User, user_id)
            if me is None:
                raise NotAuthenticated("Please log in.")
            rows = (
                await s.execute(
                    select(Invite, User)
                    # Someone who used it and is now hidden by a block shows as nobody,
                    # as if their account were gone (docs/SECURITY.md).
                    .outerjoin(
                        User, and_(User.id == Invite.used_by_id, visible_to(user_id, User.id))
                    )
                    .where(Invite.created_by_id == user_id)
                    .order_by(Invite.created_at.desc())
                )
            ).all()
        invites: list[MyInviteView] = [
            {
                "id": invite.id,
                "created_at": invite.created_at.isoformat(),
                "expires_at": invite.expires_at.isoformat(),
                "used": invite.used_at is not None,
                "used_by": user_view(used_by) if used_by else None,
            }
            for invite, used_by in rows
        ]
        return invites, me.invites_left

    async def _usable_invite(self, code: str) -> Invite:
        rules.check_invite_code(code)
        async with self._db.sessions() as s:
            invite = await s.scalar(
                select(Invite).where(Invite.code_hash == rules.token_hash(code))
            )
        if invite is None:
            raise InviteError("This invitation does not exist.", ErrorCode.INVITE_UNKNOWN)
        if invite.used_at is not None:
            raise InviteError("This invitation has already been used.", ErrorCode.INVITE_USED)
        if invite.revoked_at is not None:
            raise InviteError("This invitation was withdrawn.", ErrorCode.INVITE_REVOKED)
        if invite.expires_at <= utcnow():
            raise InviteError("This invitation has expired.", ErrorCode.INVITE_EXPIRED)
        return invite

    # -- sign-up and log-in --------------------------------------------------------

    async def signup(
        self, code: str, username: str, password: str, display_name: str | None
    ) -> tuple[MeView, str]:
        username = rules.normalise_username(username)
        rules.check_password(password)
        name = rules.normalise_display_name(display_name, username)
        await self._usable_invite(code)
        password_hash = await self._passwords.hash(password)
        user_id = new_id()
        code_hash = rules.token_hash(code)
        try:
            async with self._db.sessions.begin() as s:
                inviter_id = await s.scalar(
                    select(Invite.created_by_id).where(Invite.code_hash == code_hash)
                )
                # An invitation made by the instance itself (the first one, the
                # operator's from `teahouse invite create` or `demo seed`) makes an
                # admin while the instance has none: the first member, or the
                # operator of a demo instance, or after the last admin left.
                becomes_admin = inviter_id is None and not await s.scalar(
                    select(func.count()).select_from(User).where(User.is_admin)
                )
                # A taken username is that (the insert's unique index says so again
                # under a race); only then can the name look like someone else's.
                if await s.scalar(select(User.id).where(User.username == username)):
                    raise Conflict("That username is taken.", ErrorCode.USERNAME_TAKEN)
                await names.check_display_name(s, None, name)
                s.add(
                    User(
                        id=user_id,
                        username=username,
                        display_name=name,
                        bio="",
                        password_hash=password_hash,
                        invited_by_id=inviter_id,
                        invites_left=self._settings.invites_per_member,
                        is_admin=becomes_admin,
                    )
                )
                await s.flush()
                await names.record_names(s, user_id, username, name)
                # The redemption: one conditional UPDATE, so of many concurrent
                # sign-ups with one code exactly one sees a row change.
                redeemed = await s.execute(
                    update(Invite)
                    .where(
                        Invite.code_hash == code_hash,
                        Invite.used_at.is_(None),
                        Invite.revoked_at.is_(None),
                        Invite.expires_at > utcnow(),
                    )
                    .values(used_at=utcnow(), used_by_id=user_id)
                )
                if redeemed.rowcount != 1:  # type: ignore[attr-defined]
                    # Used (or revoked) since the check above: say which.
                    revoked = await s.scalar(
                        select(Invite.revoked_at).where(Invite.code_hash == code_hash)
                    )
                    if revoked is not None:
                        raise InviteError(
                            "This invitation was withdrawn.", ErrorCode.INVITE_REVOKED
                        )
                    raise InviteError(
                        "This invitation has already been used.", ErrorCode.INVITE_USED
                    )
                token = await self._new_session(s, user_id)
                me = await s.get(User, user_id)
                assert me is not None
                view = me_view(me)
        except IntegrityError as exc:
            if await self._username_exists(username):
                raise Conflict("That username is taken.", ErrorCode.USERNAME_TAKEN) from exc
            raise
        return view, token

    async def login(
        self, username: str, password: str, caller: Caller | None = None
    ) -> tuple[MeView, str]:
        """A new session, if ``password`` is right; slowed by the password limits
        (429 ``too_many_attempts``), which depend on what ``caller`` proves."""
        async with self._db.sessions() as s:
            user = await s.scalar(select(User).where(User.username == username.strip().lower()))
        if not await self._checks.verify(user, username, password, caller or Caller()):
            raise NotAuthenticated("Wrong username or password.", ErrorCode.BAD_CREDENTIALS)
        assert user is not None
        # Only after the password: a suspension is nobody else's business.
        if user.suspended_at is not None:
            raise Forbidden("This account is suspended.", ErrorCode.SUSPENDED)
        async with self._db.sessions.begin() as s:
            token = await self._new_session(s, user.id)
        return me_view(user), token

    async def remember_device(self, user_id: str, presented: str | None) -> str:
        """The device token for the browser that just logged in or signed up as
        ``user_id``: the one it ``presented`` if that is this member's, else a new
        one (domain/devices.py)."""
        async with self._db.sessions() as s:
            user = await s.get(User, user_id)
        if user is None:
            raise NotAuthenticated("Please log in.")
        known = proven_device(presented, user.id, user.password_hash)
        return device_token(user.id, user.password_hash, known)

    async def logout(self, token: str) -> None:
        """End the session; its sockets close (the member's other sessions go on)."""
        session_id = rules.token_hash(token)
        async with self._db.sessions.begin() as s:
            user_id = await s.scalar(
                delete(Session).where(Session.token_hash == session_id).returning(Session.user_id)
            )
        if user_id is not None and self._departures is not None:
            self._departures.session_ended(user_id, session_id)

    async def session(self, token: str | None) -> MemberSession | None:
        """The valid session of a cookie's token: not expired, its member not suspended."""
        if not token or len(token) > 100:
            return None
        session_id = rules.token_hash(token)
        async with self._db.sessions() as s:
            row = (
                await s.execute(
                    select(User, Session.expires_at)
                    .join(Session, Session.user_id == User.id)
                    .where(
                        Session.token_hash == session_id,
                        Session.expires_at > utcnow(),
                        # Suspending deletes the sessions; this holds even if one survived.
                        User.suspended_at.is_(None),
                    )
                )
            ).one_or_none()
        if row is None:
            return None
        user, expires_at = row
        return MemberSession(user=user, id=session_id, expires_at=expires_at)

    async def user_for_token(self, token: str | None) -> User | None:
        session = await self.session(token)
        return session.user if session is not None else None

    async def me(self, user_id: str) -> MeView:
        async with self._db.sessions() as s:
            user = await s.get(User, user_id)
        if user is None:
            raise NotAuthenticated("Please log in.")
        return me_view(user)

    async def user_by_username(self, username: str) -> User:
        async with self._db.sessions() as s:
            user = await s.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None:
            raise NotFound("No member has that username.", ErrorCode.USER_NOT_FOUND)
        return user

    async def open_session(self, user: User) -> tuple[MeView, str]:
        """A new session for a member whose credential was verified elsewhere (a
        passkey): their record and the session's token."""
        async with self._db.sessions.begin() as s:
            token = await self._new_session(s, user.id)
        return me_view(user), token

    async def _new_session(self, s: DbSession, user_id: str) -> str:
        token = rules.new_session_token()
        s.add(
            Session(
                token_hash=rules.token_hash(token),
                user_id=user_id,
                expires_at=utcnow() + timedelta(days=self._settings.session_ttl_days),
            )
        )
        return token

    async def _username_exists(self, username: str) -> bool:
        async with self._db.sessions() as s:
            return bool(await s.scalar(select(func.count()).where(User.username == username)))
