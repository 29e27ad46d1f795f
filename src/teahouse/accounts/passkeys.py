"""Passkeys: a member's WebAuthn credentials, a second way to log in.

Adding one is a ceremony in two steps: :meth:`Passkeys.creation_options` (after the
member's password, as for every change of how an account is entered) hands out a
challenge for them alone, and :meth:`Passkeys.register` keeps the passkey that
answers it. Logging in is another: :meth:`Passkeys.request_options` for anyone, then
:meth:`Passkeys.log_in` with the answer. The challenges live in :class:`Ceremonies`;
the WebAuthn checks are :class:`RelyingParty`'s. The table holds the credential id,
the public key, the sign count and the member's name for it, and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from typing_extensions import TypedDict
from webauthn.helpers import base64url_to_bytes

from teahouse.accounts.ceremonies import Ceremonies
from teahouse.accounts.password_check import Caller, PasswordCheck
from teahouse.accounts.relying_party import (
    PasskeyCreationOptions,
    PasskeyRequestOptions,
    RelyingParty,
    credential_id_of,
)
from teahouse.domain import passkeys as rules
from teahouse.domain.ids import looks_like_id, new_id
from teahouse.errors import Conflict, ErrorCode, Forbidden, NotAuthenticated, NotFound
from teahouse.store.database import Database
from teahouse.store.models import Passkey, User

__all__ = ["PasskeyClaim", "PasskeyView", "Passkeys"]


class PasskeyView(TypedDict):
    """One of the member's passkeys, as Settings lists it."""

    id: str
    name: str
    created_at: str


@dataclass(frozen=True, slots=True)
class PasskeyClaim:
    """The passkey and member a log-in answer names, before it is verified."""

    passkey_id: str
    public_key: bytes
    sign_count: int
    user: User


def passkey_view(passkey: Passkey) -> PasskeyView:
    return {"id": passkey.id, "name": passkey.name, "created_at": passkey.created_at.isoformat()}


def bad_passkey() -> NotAuthenticated:
    return NotAuthenticated("This passkey could not log you in.", ErrorCode.BAD_CREDENTIALS)


class Passkeys:
    def __init__(
        self,
        db: Database,
        checks: PasswordCheck,
        relying_party: RelyingParty,
        ceremonies: Ceremonies | None = None,
    ) -> None:
        self._db = db
        self._checks = checks
        self.relying_party = relying_party
        self.ceremonies = ceremonies or Ceremonies()

    # -- a member's own passkeys ----------------------------------------------------

    async def list_passkeys(self, user_id: str) -> list[PasskeyView]:
        async with self._db.sessions() as s:
            rows = await s.scalars(
                select(Passkey)
                .where(Passkey.user_id == user_id)
                .order_by(Passkey.created_at, Passkey.id)
            )
            return [passkey_view(p) for p in rows]

    async def creation_options(
        self, user: User, password: str, caller: Caller
    ) -> tuple[str, PasskeyCreationOptions]:
        """A ceremony for ``user`` to add a passkey, once their password is right
        (``bad_credentials`` otherwise), under the log-in limits of every password check."""
        if not await self._checks.verify(user, user.username, password, caller):
            raise NotAuthenticated("That is not your password.", ErrorCode.BAD_CREDENTIALS)
        existing = await self._credential_ids(user.id)
        if len(existing) >= rules.PER_MEMBER:
            raise _too_many()
        ceremony, challenge = self.ceremonies.begin("register", user.id)
        options = self.relying_party.creation_options(
            challenge, user.id, user.username, user.display_name, existing
        )
        return ceremony, options

    async def register(
        self, user_id: str, ceremony: str, name: str, credential: dict[str, Any]
    ) -> PasskeyView:
        """Keep the passkey that answers ``ceremony``, called ``name``."""
        name = rules.normalise_name(name)  # before the ceremony ends: a bad name can be fixed
        challenge = self.ceremonies.take(ceremony, "register", user_id)
        new = self.relying_party.verify_registration(credential, challenge)
        passkey = Passkey(
            id=new_id(),
            user_id=user_id,
            credential_id=new.credential_id,
            public_key=new.public_key,
            sign_count=new.sign_count,
            name=name,
        )
        try:
            async with self._db.sessions.begin() as s:
                # The member's row, locked (a no-op UPDATE: a row lock on PostgreSQL,
                # the write lock on SQLite), so two ceremonies at once cannot both pass
                # the cap.
                locked = await s.execute(update(User).where(User.id == user_id).values(id=User.id))
                if locked.rowcount != 1:  # type: ignore[attr-defined]
                    raise NotAuthenticated("Please log in.")  # deleted meanwhile
                count = await s.scalar(
                    select(func.count()).select_from(Passkey).where(Passkey.user_id == user_id)
                )
                if (count or 0) >= rules.PER_MEMBER:
                    raise _too_many()
                s.add(passkey)
        except IntegrityError:
            raise Conflict(
                "This passkey is already registered.", ErrorCode.PASSKEY_EXISTS
            ) from None
        return passkey_view(passkey)

    async def remove(self, user_id: str, passkey_id: str) -> None:
        if looks_like_id(passkey_id):
            async with self._db.sessions.begin() as s:
                gone = await s.execute(
                    delete(Passkey).where(Passkey.id == passkey_id, Passkey.user_id == user_id)
                )
            if gone.rowcount == 1:  # type: ignore[attr-defined]
                return
        raise NotFound("You have no such passkey.", ErrorCode.PASSKEY_NOT_FOUND)

    # -- logging in -------------------------------------------------------------------

    def request_options(self) -> tuple[str, PasskeyRequestOptions]:
        ceremony, challenge = self.ceremonies.begin("log_in")
        return ceremony, self.relying_party.request_options(challenge)

    async def claim(self, credential: dict[str, Any]) -> PasskeyClaim | None:
        """The passkey (and its member) that a log-in answer says it comes from, if
        there is one: what the log-in limits count against, before verifying."""
        credential_id = credential_id_of(credential)
        if credential_id is None:
            return None
        async with self._db.sessions() as s:
            row = (
                await s.execute(
                    select(Passkey, User)
                    .join(User, User.id == Passkey.user_id)
                    .where(Passkey.credential_id == credential_id)
                )
            ).first()
        if row is None:
            return None
        passkey, user = row
        return PasskeyClaim(passkey.id, passkey.public_key, passkey.sign_count, user)

    async def log_in(
        self, ceremony: str, credential: dict[str, Any], claim: PasskeyClaim | None
    ) -> User:
        """The member whose passkey answered ``ceremony`` (``claim``, from
        :meth:`claim`); ``bad_credentials`` unless the answer verifies, ``suspended``
        (after it verifies, as for a password) if they are."""
        challenge = self.ceremonies.take(ceremony, "log_in")
        if claim is None:
            raise bad_passkey()
        if not _handle_names(credential, claim.user.id):
            raise bad_passkey()
        count = self.relying_party.verify_authentication(
            credential, challenge, claim.public_key, claim.sign_count
        )
        if count or claim.sign_count:
            # The counter moves on once: of two answers with one count (a cloned
            # authenticator, a replay racing the original), only one logs in.
            async with self._db.sessions.begin() as s:
                moved = await s.execute(
                    update(Passkey)
                    .where(Passkey.id == claim.passkey_id, Passkey.sign_count < count)
                    .values(sign_count=count)
                )
            if moved.rowcount != 1:  # type: ignore[attr-defined]
                raise bad_passkey()
        if claim.user.suspended_at is not None:
            raise Forbidden("This account is suspended.", ErrorCode.SUSPENDED)
        return claim.user

    async def _credential_ids(self, user_id: str) -> list[bytes]:
        async with self._db.sessions() as s:
            return list(
                await s.scalars(select(Passkey.credential_id).where(Passkey.user_id == user_id))
            )


def _handle_names(credential: dict[str, Any], user_id: str) -> bool:
    """Whether the answer's user handle, if it has one, is the member's id (what
    :meth:`RelyingParty.creation_options` gave the authenticator)."""
    handle = (credential.get("response") or {}).get("userHandle")
    if handle is None:
        return True
    try:
        return isinstance(handle, str) and base64url_to_bytes(handle) == user_id.encode()
    except ValueError:
        return False


def _too_many() -> Conflict:
    return Conflict(
        f"You have {rules.PER_MEMBER} passkeys, the most one account may have.",
        ErrorCode.TOO_MANY_PASSKEYS,
    )
