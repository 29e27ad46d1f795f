"""The bus over Redis pub/sub (redis-py's asyncio client), for several replicas.

One connection publishes and one subscribes, per process; Redis delivers what one
connection published in order, and one task here hands each message to its topic's
handlers, so one process's publications reach every process in order. Every topic
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
        self._subscribed = asyncio.Event()

    def key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    async def start(self) -> None:
        await self.redis.ping()
        self._reader = asyncio.create_task(self._read(), name="redis bus")

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
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
        await self.redis.publish(self.key(topic), payload)

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
