"""Password attempts, counted to slow guessing down without locking anyone out.

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

Keys are keyed hashes (HMAC), so no address or username is held in the clear. Where
the pools are kept is behind :class:`Attempts`: :class:`FailedAttempts` keeps them in
this process's memory under a secret made at start-up, and nothing is ever written
down (a restart forgets everything, which is the right trade for a small instance);
with several replicas, accounts/shared_attempts.py keeps them in Redis, under a key
every replica shares, so that a guesser cannot spread guesses over the replicas.
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
from typing import Literal, Protocol

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
    # Charged in Redis (accounts/shared_attempts.py), not in this process's memory.
    shared: bool = False


class Attempts(Protocol):
    """Where the pools are kept. ``clock`` (seconds) replaces the keeper's own, so
    that tests move time instead of waiting for it; None is the keeper's own."""

    clock: Callable[[], float] | None

    async def start(self) -> None:
        """Before the first attempt (the server's start)."""

    async def admit(
        self, *, member: str | None = None, device: str | None = None, address: str | None = None
    ) -> Attempt:
        """Charge an attempt to the named pools, or refuse it (429
        ``too_many_attempts``, ``retry_after`` the longest wait left) unchanged."""

    async def succeeded(self, attempt: Attempt) -> None:
        """The attempt's password was right."""


def wait_text(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"


def too_many(wait: float) -> TooManyRequests:
    """The refusal of an attempt that must wait ``wait`` seconds more."""
    seconds = math.ceil(wait)
    return TooManyRequests(
        f"Too many wrong passwords. Try again in {wait_text(seconds)}.",
        ErrorCode.TOO_MANY_ATTEMPTS,
        retry_after=seconds,
    )


def named_pools(
    member: str | None, device: str | None, address: str | None
) -> tuple[tuple[PoolKind, str], ...]:
    """The pools an attempt names, in a fixed order, values in the clear."""
    named: tuple[tuple[PoolKind, str | None], ...] = (
        ("member", member),
        ("device", device),
        ("address", address),
    )
    return tuple((kind, value) for kind, value in named if value)


def pool_key(secret: bytes, kind: PoolKind, value: str) -> str:
    """The keyed hash a pool is kept under."""
    digest = hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


class FailedAttempts:
    """The pools of one process, in its memory (the embedded default)."""

    def __init__(self, clock: Callable[[], float] | None = None) -> None:
        self.clock = clock
        self._secret = secrets.token_bytes(32)
        self._counts: dict[str, _Count] = {}

    async def start(self) -> None:
        return None

    async def admit(
        self, *, member: str | None = None, device: str | None = None, address: str | None = None
    ) -> Attempt:
        # No await between the check and the charge: attempts made at once cannot
        # share a free slot.
        now = (self.clock or time.monotonic)()
        pools = tuple(
            (kind, pool_key(self._secret, kind, value))
            for kind, value in named_pools(member, device, address)
        )
        wait = max((self._wait_left(self._counts.get(key), now) for _, key in pools), default=0.0)
        if wait > 0:
            raise too_many(wait)
        for kind, key in pools:
            count = self._counts.get(key)
            self._counts[key] = _Count(kind, self._failures(count, now) + 1, now)
        if len(self._counts) > MAX_KEYS:
            self._prune(now)
        return Attempt(pools)

    async def succeeded(self, attempt: Attempt) -> None:
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
