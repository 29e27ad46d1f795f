"""Which process owns each live room: the one that holds its state and applies every
change to it. With one process that is always this one. With several replicas it is
a lease in Redis with a fencing token (docs/ARCHITECTURE.md, "Rooms across replicas"):

- ``owner:ROOM`` holds ``REPLICA:FENCE`` and expires unless its owner renews it (every
  second, for a three-second lease); ``fence:ROOM`` counts the leases ever granted.
- Taking a room that has no owner draws the next fence. Everything the owner writes
  carries its fence: the saved state (rooms/saved.py refuses a fence older than the
  row's) and what it publishes (replicas ignore a room's news from an older fence). So
  an owner that was paused past its lease and wakes up can no longer write anything:
  its next save is refused, its renewal fails, and it lets the room go.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

LEASE_MS = 3000
RENEW_EVERY = 1.0

_ACQUIRE = """
local current = redis.call('GET', KEYS[1])
if current then return {0, current} end
local fence = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. ':' .. fence, 'PX', ARGV[2])
return {fence, ''}
"""
_RENEW = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class Ownership(Protocol):
    replica: str

    @property
    def shared(self) -> bool:
        """Whether other processes may own rooms (replica mode)."""

    async def acquire(self, room_id: str) -> int | None:
        """Take the room if nobody owns it; its fence, or None if another process does."""

    async def renew(self, leases: dict[str, int]) -> set[str]:
        """Renew these leases (room -> fence); the rooms whose lease was lost."""

    async def release(self, room_id: str, fence: int) -> None: ...

    async def owners(self, room_ids: Iterable[str]) -> dict[str, str | None]:
        """Each room's owner (a replica id), or None for a room nobody owns."""


class SingleProcess:
    """The embedded default: this process owns every room, with fence 0."""

    shared = False

    def __init__(self, replica: str) -> None:
        self.replica = replica

    async def acquire(self, room_id: str) -> int | None:
        return 0

    async def renew(self, leases: dict[str, int]) -> set[str]:
        return set()

    async def release(self, room_id: str, fence: int) -> None:
        return None

    async def owners(self, room_ids: Iterable[str]) -> dict[str, str | None]:
        return dict.fromkeys(room_ids, self.replica)


class RedisLeases:
    """Leases in Redis, each change one atomic script."""

    shared = True

    def __init__(self, redis: Any, key: Any, replica: str, lease_ms: int = LEASE_MS) -> None:
        self.replica = replica
        self._redis = redis
        self._key = key  # the bus's prefixing of names
        self._lease_ms = lease_ms
        self._acquire = redis.register_script(_ACQUIRE)
        self._renew = redis.register_script(_RENEW)
        self._release = redis.register_script(_RELEASE)

    def _keys(self, room_id: str) -> list[str]:
        return [self._key(f"owner:{room_id}"), self._key(f"fence:{room_id}")]

    async def acquire(self, room_id: str) -> int | None:
        keys, args = self._keys(room_id), [self.replica, self._lease_ms]
        fence, _ = await self._acquire(keys=keys, args=args)
        return int(fence) or None

    async def renew(self, leases: dict[str, int]) -> set[str]:
        if not leases:
            return set()
        async with self._redis.pipeline(transaction=False) as pipe:
            for room_id, fence in leases.items():
                await self._renew(
                    keys=self._keys(room_id)[:1],
                    args=[f"{self.replica}:{fence}", self._lease_ms],
                    client=pipe,
                )
            renewed = await pipe.execute()
        return {room_id for room_id, ok in zip(leases, renewed, strict=True) if not ok}

    async def release(self, room_id: str, fence: int) -> None:
        await self._release(keys=self._keys(room_id)[:1], args=[f"{self.replica}:{fence}"])

    async def owners(self, room_ids: Iterable[str]) -> dict[str, str | None]:
        ids = list(room_ids)
        if not ids:
            return {}
        values = await self._redis.mget([self._key(f"owner:{r}") for r in ids])
        return {
            room_id: value.decode().rsplit(":", 1)[0] if value else None
            for room_id, value in zip(ids, values, strict=True)
        }
