"""Every check of a member's password, behind the same limits (docs/SECURITY.md).

Log-in and the deletion of an account both ask here, and nothing else verifies a
password (tests/unit/test_password_checks.py holds the code to that), so no route
can become a guessing oracle without limits.

Which pools an attempt is charged to (accounts/attempts.py) depends on what the
browser proves:

- a device cookie of this member (domain/devices.py), or failing that a live session
  of this member: the device's own pool, and no other. A guesser can neither spend
  it nor make one, so a member is never held up in a browser they have logged in
  with, however hard someone else guesses at their name or from their address;
- nothing: the pool of the username typed (known or not, alike) and the pool of the
  network address, so guessing one member's password from many places and many
  members' passwords from one place are both slowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from teahouse.accounts.attempts import Attempts
from teahouse.accounts.passwords import Passwords
from teahouse.domain.addresses import address_bucket
from teahouse.domain.devices import proven_device
from teahouse.store.models import User

__all__ = ["Caller", "PasswordCheck"]


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking, as far as the limits care."""

    address: str | None = None  # the client's network address (never stored)
    device_token: str | None = None  # the device cookie as sent, not yet checked
    session_user_id: str | None = None  # the member whose live session came with it
    session_key: str | None = None  # that session's token hash


class PasswordCheck:
    def __init__(self, passwords: Passwords, attempts: Attempts) -> None:
        self._passwords = passwords
        self._attempts = attempts

    async def verify(self, user: User | None, username: str, password: str, caller: Caller) -> bool:
        """Whether ``password`` is ``user``'s (``None``: nobody has ``username``).
        Refuses with 429 ``too_many_attempts`` while a pool must wait; the password
        is then not checked at all."""
        device = self._device_pool(user, caller)
        if device is not None:
            attempt = await self._attempts.admit(device=device)
        else:
            address = address_bucket(caller.address) if caller.address else None
            attempt = await self._attempts.admit(member=username.strip().lower(), address=address)
        right = await self._passwords.verify(user.password_hash if user else None, password)
        if right:
            await self._attempts.succeeded(attempt)
        return right

    @staticmethod
    def _device_pool(user: User | None, caller: Caller) -> str | None:
        if user is None:
            return None
        device = proven_device(caller.device_token, user.id, user.password_hash)
        if device is not None:
            return f"device:{device}"
        if caller.session_key and caller.session_user_id == user.id:
            return f"session:{caller.session_key}"
        return None
