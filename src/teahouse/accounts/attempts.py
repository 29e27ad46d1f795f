"""Failed log-ins, counted in memory to slow down password guessing.

Two budgets: per username (someone guessing one member's password from many
places) and per network address (one place guessing many members' passwords).
Keys are keyed hashes (HMAC with a secret made at start-up), so the process holds
no address or username in the clear, and nothing is ever written down: a restart
forgets everything, which is the right trade for a small instance.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import deque
from collections.abc import Callable

from teahouse.errors import ErrorCode, TooManyRequests

MAX_KEYS = 100_000


class FailedAttempts:
    def __init__(
        self,
        per_user: int = 10,
        per_address: int = 50,
        window: float = 15 * 60,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._limits = {"user": per_user, "address": per_address}
        self._window = window
        self._clock = clock
        self._secret = secrets.token_bytes(32)
        self._failures: dict[str, deque[float]] = {}

    def check(self, username: str, address: str | None) -> None:
        """Refuse (429 ``too_many_attempts``) when either budget is spent."""
        now = self._clock()
        for key, limit in self._keys(username, address):
            failures = self._recent(key, now)
            if len(failures) >= limit:
                wait = int(failures[0] + self._window - now) + 1
                raise TooManyRequests(
                    f"Too many failed log-ins. Try again in {wait // 60 + 1} minutes.",
                    ErrorCode.TOO_MANY_ATTEMPTS,
                    retry_after=wait,
                )

    def failed(self, username: str, address: str | None) -> None:
        now = self._clock()
        if len(self._failures) >= MAX_KEYS:  # under a flood, forget the oldest first
            for key in list(self._failures)[: MAX_KEYS // 10]:
                del self._failures[key]
        for key, _ in self._keys(username, address):
            self._recent(key, now).append(now)

    def succeeded(self, username: str) -> None:
        self._failures.pop(self._key("user", username.strip().lower()), None)

    def _keys(self, username: str, address: str | None) -> list[tuple[str, int]]:
        keys = [(self._key("user", username.strip().lower()), self._limits["user"])]
        if address:
            keys.append((self._key("address", address), self._limits["address"]))
        return keys

    def _key(self, kind: str, value: str) -> str:
        digest = hmac.new(self._secret, f"{kind}:{value}".encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self._window:
            failures.popleft()
        return failures
