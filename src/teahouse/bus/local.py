"""The bus of a single process: a payload reaches its subscribers at once."""

from __future__ import annotations

import asyncio

from teahouse.bus.base import Handler, Subscribers, new_replica_id


class LocalBus:
    def __init__(self) -> None:
        self.replica = new_replica_id()
        self._subscribers = Subscribers()

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def check(self) -> None:
        return None

    async def subscribe(self, topic: str, handler: Handler) -> None:
        self._subscribers.add(topic, handler)

    async def unsubscribe(self, topic: str, handler: Handler) -> None:
        self._subscribers.remove(topic, handler)

    async def publish(self, topic: str, payload: bytes) -> None:
        self._subscribers.deliver(topic, payload)

    def post(self, topic: str, payload: bytes) -> None:
        # Soon, not now: the poster is mid-change; callbacks keep their order.
        asyncio.get_running_loop().call_soon(self._subscribers.deliver, topic, payload)
