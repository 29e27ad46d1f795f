"""argon2id password hashing, off the event loop."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from teahouse.config import Settings


class Passwords:
    def __init__(self, settings: Settings) -> None:
        self._hasher = PasswordHasher(
            time_cost=settings.argon2_time_cost, memory_cost=settings.argon2_memory_kib
        )
        # Verifying against this when a username is unknown keeps the response time
        # the same, so login does not reveal which usernames exist.
        self._decoy = self._hasher.hash("teahouse-decoy-password")

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        try:
            return (
                await asyncio.to_thread(self._hasher.verify, stored_hash or self._decoy, password)
                and stored_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False
