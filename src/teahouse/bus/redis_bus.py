"""The bus over Redis pub/sub (redis-py's asyncio client), for several replicas.

One connection publishes and one subscribes, per process; Redis delivers what one
connection published in order, so publications go out through one queue and one task
(a room's snapshot to a socket on another replica must not overtake the delta before
it), and one task hands each message received to its topic's handlers: one process's
publications reach every process in the order it made them. Every topic
and key is under the instance's prefix (``TEAHOUSE_REDIS_PREFIX``), so instances can
share a Redis. When the link drops, redis-py reconnects and subscribes again; what was
published meanwhile is missed (base.py says what that means).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from teahouse.bus.base import Handler, Subscribers, new_replica_id

log = logging.getLogger(__name__)


class RedisBus:
    def __init__(self, url: str, prefix: str) -> None:
        self.replica = new_replica_id()
        self.prefix = prefix
        # Keys and scripts share this client (bus/leases.py, accounts' counters).
        self.redis: Redis = Redis.from_url(url, health_check_interval=10)
        self._pubsub: PubSub = self.redis.pubsub(ignore_subscribe_messages=True)
        self._subscribers = Subscribers()
        self._reader: asyncio.Task[None] | None = None
        self._writer: asyncio.Task[None] | None = None
        self._outgoing: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue()
        self._subscribed = asyncio.Event()

    def key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    async def start(self) -> None:
        await self.redis.ping()
        self._reader = asyncio.create_task(self._read(), name="redis bus reader")
        self._writer = asyncio.create_task(self._write(), name="redis bus writer")

    async def close(self) -> None:
        for task in (self._reader, self._writer):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        with contextlib.suppress(RedisError):
            await self._pubsub.aclose()
        await self.redis.aclose()

    async def check(self) -> None:
        await self.redis.ping()

    async def subscribe(self, topic: str, handler: Handler) -> None:
        if self._subscribers.add(topic, handler):
            await self._pubsub.subscribe(self.key(topic))
            self._subscribed.set()

    async def unsubscribe(self, topic: str, handler: Handler) -> None:
        if self._subscribers.remove(topic, handler):
            await self._pubsub.unsubscribe(self.key(topic))

    async def publish(self, topic: str, payload: bytes) -> None:
        self.post(topic, payload)

    def post(self, topic: str, payload: bytes) -> None:
        self._outgoing.put_nowait((self.key(topic), payload))

    async def _write(self) -> None:
        while True:
            batch = [await self._outgoing.get()]
            while not self._outgoing.empty() and len(batch) < 256:
                batch.append(self._outgoing.get_nowait())
            while True:
                try:
                    async with self.redis.pipeline(transaction=False) as pipe:
                        for channel, payload in batch:
                            pipe.publish(channel, payload)
                        await pipe.execute()
                    break
                except (RedisError, OSError):
                    log.warning("the Redis bus could not publish; trying again")
                    await asyncio.sleep(0.5)

    async def _read(self) -> None:
        cut = len(self.prefix) + 1
        while True:
            await self._subscribed.wait()  # get_message needs a subscription first
            try:
                message: dict[str, Any] | None = await self._pubsub.get_message(timeout=1.0)
            except (RedisError, OSError):
                log.warning("the Redis bus lost its link; reconnecting")
                await asyncio.sleep(0.5)
                continue
            if message is None or message.get("type") != "message":
                continue
            topic = message["channel"].decode()[cut:]
            try:
                self._subscribers.deliver(topic, message["data"])
            except Exception:
                log.exception("a handler of %s failed", topic)
