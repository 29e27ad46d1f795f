"""A member's new password: changed in Settings, or set with an admin's reset link.

There is no e-mail, so a member who forgot their password asks an admin, who makes a
*reset link* on the admin page or with ``teahouse admin reset-link USER``. A link is
made like an invitation (accounts/accounts.py): a random token (256 bits) shown once,
of which only the SHA-256 is kept; it works once, within ``reset_link_ttl_minutes``;
a newer link for the member, or a password change, makes the older ones expire.

Whichever way the password changes, sessions end through
:class:`~teahouse.live.departures.Departures` (docs/SECURITY.md, "When a session
ends"): a change in Settings ends every session of the member but the one that made
it; a reset link ends every one (whoever has it is not logged in, and a thief's
session must not outlive the owner's new password). A new password also retires
every device cookie, which is keyed by the password hash (domain/devices.py).

Using a link, and asking about one, are charged to the log-in limits of the
caller's network address (accounts/attempts.py): guessing tokens is hopeless at 256
bits, and a client that keeps trying gets the waits a password guesser gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from teahouse.accounts.attempts import Attempt, Attempts
from teahouse.accounts.password_check import Caller, PasswordCheck
from teahouse.accounts.passwords import Passwords
from teahouse.admin.audit import AuditLog
from teahouse.admin.members import user_not_found, via
from teahouse.config import Settings
from teahouse.domain import accounts as rules
from teahouse.domain.addresses import address_bucket
from teahouse.domain.clock import utcnow
from teahouse.domain.devices import device_token, proven_device
from teahouse.domain.ids import new_id
from teahouse.errors import ErrorCode, NotAuthenticated, ResetLinkError
from teahouse.live.departures import Departures
from teahouse.store.database import Database, DbSession
from teahouse.store.models import PasswordReset, Session, User

__all__ = ["NewResetLink", "PasswordChanges", "ResetLinkInfo"]


@dataclass(frozen=True, slots=True)
class NewResetLink:
    """A reset link just made: its token is in ``url`` this once."""

    username: str
    url: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class ResetLinkInfo:
    """Whose password a usable link sets, and until when."""

    username: str
    display_name: str
    expires_at: datetime


def _unknown() -> ResetLinkError:
    return ResetLinkError("This reset link does not exist.", ErrorCode.RESET_LINK_UNKNOWN)


def _used() -> ResetLinkError:
    return ResetLinkError("This reset link has already been used.", ErrorCode.RESET_LINK_USED)


class PasswordChanges:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        passwords: Passwords,
        checks: PasswordCheck,
        attempts: Attempts,
        audit: AuditLog,
        departures: Departures | None = None,
    ) -> None:
        """``departures`` None: no sockets here (the command line only makes links)."""
        self._db = db
        self._settings = settings
        self._passwords = passwords
        self._checks = checks
        self._attempts = attempts
        self._audit = audit
        self._departures = departures

    # -- in Settings -----------------------------------------------------------------

    async def change(
        self, user_id: str, session_id: str, old: str, new: str, caller: Caller
    ) -> str:
        """Set a new password if ``old`` is the member's (``bad_credentials`` 401, under
        the log-in limits, else); every other session ends, ``session_id`` stays.
        Returns the device token for this browser under the new password."""
        rules.check_password(new)
        async with self._db.sessions() as s:
            user = await s.get(User, user_id)
        if user is None:
            raise NotAuthenticated("Please log in.")
        if not await self._checks.verify(user, user.username, old, caller):
            raise NotAuthenticated("That is not your password.", ErrorCode.BAD_CREDENTIALS)
        known_device = proven_device(caller.device_token, user.id, user.password_hash)
        new_hash = await self._passwords.hash(new)
        async with self._db.sessions.begin() as s:
            await self._set(s, user_id, new_hash)
            await s.execute(
                delete(Session).where(Session.user_id == user_id, Session.token_hash != session_id)
            )
        if self._departures is not None:
            self._departures.other_sessions_ended(user_id, session_id)
        return device_token(user_id, new_hash, known_device)

    # -- reset links -----------------------------------------------------------------

    def reset_url(self, token: str) -> str:
        # In the fragment, like an invitation's code: browsers never send it to a
        # server, so it is in no access log and no Referer.
        return f"{self._settings.public_url}/reset#{token}"

    async def make_link(self, actor_id: str | None, username: str) -> NewResetLink:
        """A new reset link for the member; their earlier unused ones expire."""
        token = rules.new_reset_token()
        expires_at = utcnow() + timedelta(minutes=self._settings.reset_link_ttl_minutes)
        async with self._db.sessions.begin() as s:
            user = await s.scalar(select(User).where(User.username == username.strip().lower()))
            if user is None:
                raise user_not_found()
            await self._expire_links(s, user.id)
            s.add(
                PasswordReset(
                    id=new_id(),
                    token_hash=rules.token_hash(token),
                    user_id=user.id,
                    created_by_id=actor_id,
                    expires_at=expires_at,
                )
            )
            self._audit.add(s, actor_id, "reset_link", target_id=user.id, detail=via(actor_id))
            name = user.username
        return NewResetLink(username=name, url=self.reset_url(token), expires_at=expires_at)

    async def inspect(self, token: str, caller: Caller) -> ResetLinkInfo:
        """Whose password a link sets; refused as :meth:`use` would refuse it."""
        attempt = await self._admit(caller)
        async with self._db.sessions() as s:
            link = await self._usable(s, token)
            user = await s.get(User, link.user_id)
        assert user is not None  # the link goes with its member
        await self._attempts.succeeded(attempt)
        return ResetLinkInfo(user.username, user.display_name, link.expires_at)

    async def use(self, token: str, new: str, caller: Caller) -> tuple[str, str]:
        """Set the member's new password with a link, once: every session of theirs
        ends and every socket closes. Returns their id and username (they log in
        next)."""
        rules.check_password(new)
        attempt = await self._admit(caller)
        async with self._db.sessions() as s:
            await self._usable(s, token)
        new_hash = await self._passwords.hash(new)
        async with self._db.sessions.begin() as s:
            # The redemption: one conditional UPDATE, so of two uses at once exactly
            # one sees a row change (as with invitations).
            user_id = await s.scalar(
                update(PasswordReset)
                .where(
                    PasswordReset.token_hash == rules.token_hash(token),
                    PasswordReset.used_at.is_(None),
                    PasswordReset.expires_at > utcnow(),
                )
                .values(used_at=utcnow())
                .returning(PasswordReset.user_id)
            )
            if user_id is None:
                await self._usable(s, token)  # used or expired since: says which
                raise _used()
            await self._set(s, user_id, new_hash)
            await s.execute(delete(Session).where(Session.user_id == user_id))
            self._audit.add(s, user_id, "use_reset_link", target_id=user_id)
            username = await s.scalar(select(User.username).where(User.id == user_id))
        await self._attempts.succeeded(attempt)
        if self._departures is not None:
            await self._departures.member_gone(user_id)
        assert username is not None
        return user_id, username

    # -- shared ----------------------------------------------------------------------

    async def _admit(self, caller: Caller) -> Attempt:
        address = address_bucket(caller.address) if caller.address else None
        # No pool (no address: a test's in-process client) means no limit to charge.
        return await self._attempts.admit(address=address)

    async def _usable(self, s: DbSession, token: str) -> PasswordReset:
        if not rules.looks_like_reset_token(token):
            raise _unknown()
        link = await s.scalar(
            select(PasswordReset).where(PasswordReset.token_hash == rules.token_hash(token))
        )
        if link is None:
            raise _unknown()
        if link.used_at is not None:
            raise _used()
        if link.expires_at <= utcnow():
            raise ResetLinkError("This reset link has expired.", ErrorCode.RESET_LINK_EXPIRED)
        return link

    async def _set(self, s: DbSession, user_id: str, new_hash: str) -> None:
        """The new hash, and the member's unused links expire with the old password."""
        await s.execute(update(User).where(User.id == user_id).values(password_hash=new_hash))
        await self._expire_links(s, user_id)

    @staticmethod
    async def _expire_links(s: DbSession, user_id: str) -> None:
        now = utcnow()
        await s.execute(
            update(PasswordReset)
            .where(
                PasswordReset.user_id == user_id,
                PasswordReset.used_at.is_(None),
                PasswordReset.expires_at > now,
            )
            .values(expires_at=now)
        )
