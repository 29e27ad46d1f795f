"""Password attempts, counted in memory to slow guessing down without locking anyone out.

An attempt is charged to *pools* (accounts/password_check.py says which): a
username tried from a browser that proves nothing, a network address, or one device
that has proven it is the member's. Each pool forgives its failures one at a time
(:attr:`Budget.forgive`) and lets a few through freely; past those, each further
attempt must wait after the last one, twice as long as the one before, up to a cap.
Nothing is ever a hard lock: a wait ends, and an attempt that is refused for
waiting is not checked, not counted and changes nothing.

An attempt is charged when it is admitted, before its password is checked, so that
many requests sent at once cannot all pass the same free slot; a right password then
clears the username's or the device's pool (the member is in) and refunds its one
charge to the address's (whose other failures may be someone else's).

Keys are keyed hashes (HMAC with a secret made at start-up), so the process holds no
address or username in the clear, and nothing is ever written down: a restart
forgets everything, which is the right trade for a small instance.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from teahouse.errors import ErrorCode, TooManyRequests

MAX_KEYS = 100_000

PoolKind = Literal["member", "device", "address"]


@dataclass(frozen=True, slots=True)
class Budget:
    """How a pool's failures slow its next attempt."""

    free: int  # failures that cost no wait
    first_wait: float  # seconds after the first failure past the free ones, doubling
    max_wait: float  # the longest wait
    forgive: float  # seconds after which one failure is forgotten

    def wait(self, failures: float) -> float:
        """Seconds to wait after an attempt that left the pool at ``failures`` (those
        not yet forgiven; a failure partly forgiven still counts whole)."""
        past = math.ceil(failures - 1e-9) - self.free
        if past < 0:
            return 0.0
        return min(self.first_wait * 2.0 ** min(past, 64), self.max_wait)


# docs/SECURITY.md, "Log-in and password limits", has these as a table.
BUDGETS: dict[PoolKind, Budget] = {
    # A username, tried from browsers that prove nothing: a guesser gets about
    # 100 tries a day once the waits reach their cap.
    "member": Budget(free=5, first_wait=1.0, max_wait=15 * 60, forgive=15 * 60),
    # One browser the member has logged in with (or their live session).
    "device": Budget(free=5, first_wait=1.0, max_wait=15 * 60, forgive=15 * 60),
    # One network address (an IPv6 /64) trying many usernames; many members may
    # share one, so it forgives quickly.
    "address": Budget(free=20, first_wait=1.0, max_wait=15 * 60, forgive=60),
}


@dataclass(slots=True)
class _Count:
    kind: PoolKind
    failures: float  # as of ``at``
    at: float  # when the pool's last attempt was admitted


@dataclass(frozen=True, slots=True)
class Attempt:
    """An admitted attempt, charged to its pools until it turns out right."""

    pools: tuple[tuple[PoolKind, str], ...]


def wait_text(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"


class FailedAttempts:
    """The pools of one process. ``clock`` (monotonic seconds) is replaceable, so
    that tests move time instead of waiting for it."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._secret = secrets.token_bytes(32)
        self._counts: dict[str, _Count] = {}

    def admit(
        self, *, member: str | None = None, device: str | None = None, address: str | None = None
    ) -> Attempt:
        """Charge an attempt to the named pools, or refuse it (429
        ``too_many_attempts``, ``retry_after`` the longest wait left) unchanged."""
        now = self.clock()
        named: tuple[tuple[PoolKind, str | None], ...] = (
            ("member", member),
            ("device", device),
            ("address", address),
        )
        pools = tuple((kind, self._key(kind, value)) for kind, value in named if value)
        wait = max((self._wait_left(self._counts.get(key), now) for _, key in pools), default=0.0)
        if wait > 0:
            seconds = math.ceil(wait)
            raise TooManyRequests(
                f"Too many wrong passwords. Try again in {wait_text(seconds)}.",
                ErrorCode.TOO_MANY_ATTEMPTS,
                retry_after=seconds,
            )
        for kind, key in pools:
            count = self._counts.get(key)
            self._counts[key] = _Count(kind, self._failures(count, now) + 1, now)
        if len(self._counts) > MAX_KEYS:
            self._prune(now)
        return Attempt(pools)

    def succeeded(self, attempt: Attempt) -> None:
        """The attempt's password was right."""
        for kind, key in attempt.pools:
            count = self._counts.get(key)
            if count is None:
                continue
            if kind == "address":
                count.failures = max(0.0, count.failures - 1)
            else:
                del self._counts[key]

    @staticmethod
    def _failures(count: _Count | None, now: float) -> float:
        """The pool's failures not yet forgiven."""
        if count is None:
            return 0.0
        return max(0.0, count.failures - (now - count.at) / BUDGETS[count.kind].forgive)

    @staticmethod
    def _wait_left(count: _Count | None, now: float) -> float:
        if count is None:
            return 0.0
        return max(0.0, count.at + BUDGETS[count.kind].wait(count.failures) - now)

    def _key(self, kind: PoolKind, value: str) -> str:
        digest = hmac.new(self._secret, f"{kind}:{value}".encode(), hashlib.sha256)
        return digest.hexdigest()[:32]

    def _prune(self, now: float) -> None:
        """Under a flood of keys: forget the pools with nothing left to hold, then,
        if that was not enough, the tenth that hold back least (fewest failures),
        so that a flood of fresh names cannot wash out the pool of a member under
        attack."""
        for key, count in list(self._counts.items()):
            if self._failures(count, now) == 0 and self._wait_left(count, now) == 0:
                del self._counts[key]
        if len(self._counts) > MAX_KEYS:
            least = heapq.nsmallest(
                MAX_KEYS // 10,
                self._counts.items(),
                key=lambda item: self._failures(item[1], now),
            )
            for key, _ in least:
                del self._counts[key]
