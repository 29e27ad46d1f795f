"""Password attempts counted in Redis, so that every replica of an instance charges
the same pools (accounts/attempts.py has the rules; this is where they are kept).

Each pool is one Redis hash under ``<prefix>:attempts:<keyed hash>``: its failures not
yet forgiven (``f``) and when its last attempt was admitted (``at``). The keyed hash is
an HMAC under ``data_dir/limits.key``, which every replica holds and Redis never sees,
so whoever reads Redis (or a dump of it) learns no address and no username, and
cannot test guesses at them either. Every pool expires once its failures are all
forgiven and its wait is over: nothing outlives its window.

Admitting is one Lua script (Redis runs a script alone): it reads the named pools,
refuses when one must still wait, and otherwise charges each. So attempts made at
once on several replicas cannot share a free slot. The time is Redis's own (``TIME``),
one clock for every replica however their clocks drift.

While Redis does not answer, this process counts in its own memory instead (and logs
it once): the limits are then per replica, weaker but still there, and log-ins go on.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from collections.abc import Callable
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from teahouse.accounts.attempts import (
    BUDGETS,
    Attempt,
    FailedAttempts,
    named_pools,
    pool_key,
    too_many,
)

log = logging.getLogger(__name__)

# Longer than a healthy Redis ever takes; a log-in does not hang on one that hangs.
REDIS_WAIT = 2.0

# KEYS: the pools. ARGV[1]: the time in seconds ('' for Redis's own), then per pool:
# free, first_wait, max_wait, forgive (attempts.Budget). Returns {1} when admitted
# (every pool charged), or {0, seconds left} as a string (Lua numbers reach the client
# as integers, cut).
ADMIT = """
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local function wait(b, failures)
  local past = math.ceil(failures - 1e-9) - b.free
  if past < 0 then return 0 end
  return math.min(b.first * 2 ^ math.min(past, 64), b.max)
end
local pools, longest = {}, 0
for i, key in ipairs(KEYS) do
  local j = 2 + (i - 1) * 4
  local b = {free = tonumber(ARGV[j]), first = tonumber(ARGV[j + 1]),
             max = tonumber(ARGV[j + 2]), forgive = tonumber(ARGV[j + 3])}
  local held = redis.call('HMGET', key, 'f', 'at')
  local f, at = tonumber(held[1]), tonumber(held[2])
  local left = 0
  if f and at then
    longest = math.max(longest, at + wait(b, f) - now)
    left = math.max(0, f - (now - at) / b.forgive)
  end
  pools[i] = {b, left}
end
if longest > 0 then return {0, string.format('%.17g', longest)} end
for i, key in ipairs(KEYS) do
  local b, f = pools[i][1], pools[i][2] + 1
  redis.call('HSET', key, 'f', string.format('%.17g', f), 'at', string.format('%.17g', now))
  local ttl = math.max(f * b.forgive, wait(b, f))
  redis.call('PEXPIRE', key, math.ceil(ttl * 1000))
end
return {1}
"""

# KEYS: the pools of an attempt whose password was right; ARGV: 'clear' or 'refund'
# for each. A refund takes back one failure and leaves the pool's expiry as it was
# (which is later than the fewer failures need).
SUCCEEDED = """
for i, key in ipairs(KEYS) do
  if ARGV[i] == 'clear' then
    redis.call('DEL', key)
  else
    local f = tonumber(redis.call('HGET', key, 'f'))
    if f then
      redis.call('HSET', key, 'f', string.format('%.17g', math.max(0, f - 1)))
    end
  end
end
return 1
"""

CHECK_MESSAGE = b"teahouse limits.key check"


class LimitsKeyMismatch(Exception):
    """This replica's limits.key is not the one the others hash with."""


class SharedAttempts:
    """The pools of every replica, in Redis. ``key`` names a Redis key under the
    instance's prefix (RedisBus.key); ``secret`` reads limits.key (at start: building
    the services does no I/O)."""

    def __init__(
        self,
        redis: Redis,
        key: Callable[[str], str],
        secret: Callable[[], bytes],
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.clock = clock
        self._redis = redis
        self._key = key
        self._load_secret = secret
        self._secret: bytes | None = None
        self._admit = redis.register_script(ADMIT)
        self._succeeded = redis.register_script(SUCCEEDED)
        # Where attempts are counted while Redis does not answer.
        self._fallback = FailedAttempts()
        self._redis_down = False

    async def start(self) -> None:
        """Read limits.key and make sure every replica holds the same one: the first
        to start leaves a check value (an HMAC of a fixed text, which tells nothing
        of the key) that the others must match. A replica with another key would
        count its attempts apart from the rest, so it refuses to start."""
        self._secret = self._load_secret()
        check = hmac.new(self._secret, CHECK_MESSAGE, hashlib.sha256).hexdigest()[:32]
        where = self._key("attempts-key-check")
        await self._redis.set(where, check, nx=True)
        held = await self._redis.get(where)
        if isinstance(held, bytes):
            held = held.decode()
        if held is not None and held != check:
            raise LimitsKeyMismatch(
                "this replica's limits.key (in TEAHOUSE_DATA_DIR) is not the one the other "
                "replicas use: copy theirs here (docs/OPERATIONS.md, 'Several replicas'), "
                f"or, to start every replica with a new key, delete the Redis key {where}"
            )

    async def admit(
        self, *, member: str | None = None, device: str | None = None, address: str | None = None
    ) -> Attempt:
        assert self._secret is not None, "start() first"
        pools = tuple(
            (kind, self._key("attempts:" + pool_key(self._secret, kind, value)))
            for kind, value in named_pools(member, device, address)
        )
        if not pools:
            return Attempt((), shared=True)
        args: list[Any] = ["" if self.clock is None else repr(self.clock())]
        for kind, _ in pools:
            budget = BUDGETS[kind]
            args += [budget.free, budget.first_wait, budget.max_wait, budget.forgive]
        try:
            async with asyncio.timeout(REDIS_WAIT):
                answer = await self._admit(keys=[key for _, key in pools], args=args)
        except (RedisError, OSError, TimeoutError):
            self._down()
            self._fallback.clock = self.clock
            return await self._fallback.admit(member=member, device=device, address=address)
        self._up()
        if int(answer[0]) != 1:
            raise too_many(float(answer[1]))
        return Attempt(pools, shared=True)

    async def succeeded(self, attempt: Attempt) -> None:
        if not attempt.shared:
            await self._fallback.succeeded(attempt)
            return
        if not attempt.pools:
            return
        ways = ["refund" if kind == "address" else "clear" for kind, _ in attempt.pools]
        try:
            async with asyncio.timeout(REDIS_WAIT):
                await self._succeeded(keys=[key for _, key in attempt.pools], args=ways)
        except (RedisError, OSError, TimeoutError):
            # The member is in all the same; their pool forgives its failures in time.
            self._down()

    def _down(self) -> None:
        if not self._redis_down:
            self._redis_down = True
            log.warning("Redis does not answer: log-in limits are counted in this replica alone")

    def _up(self) -> None:
        if self._redis_down:
            self._redis_down = False
            log.info("Redis answers again: log-in limits are shared by the replicas again")
