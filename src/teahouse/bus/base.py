"""The bus every process of an instance shares: topics, each an ordered stream of
payloads, delivered to every subscriber in every process (the publishing one
included), in the order one process published them.

Delivery is at most once: a process whose link to Redis drops misses what was
published meanwhile. Whatever must not be missed carries its own order (a room's
deltas carry versions) so that a gap is seen and filled from the source.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Protocol

Handler = Callable[[bytes], None]


def new_replica_id() -> str:
    """This process's name on the bus: random, never reused."""
    return secrets.token_urlsafe(9)


class Bus(Protocol):
    """Publish to a topic; every process's subscribers to it receive it."""

    @property
    def replica(self) -> str:
        """This process's random id."""

    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def check(self) -> None:
        """Raise when the bus is unreachable (the health check)."""

    async def subscribe(self, topic: str, handler: Handler) -> None:
        """Call ``handler`` (quick, never raising) with each payload published to
        ``topic`` from now on, in publishing order."""

    async def unsubscribe(self, topic: str, handler: Handler) -> None: ...

    async def publish(self, topic: str, payload: bytes) -> None: ...

    def post(self, topic: str, payload: bytes) -> None:
        """Publish without waiting: queued in order with everything else posted or
        published here."""


class Subscribers:
    """The handlers of each topic in this process."""

    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = {}

    def add(self, topic: str, handler: Handler) -> bool:
        """Whether this is the topic's first handler here."""
        handlers = self._handlers.setdefault(topic, [])
        handlers.append(handler)
        return len(handlers) == 1

    def remove(self, topic: str, handler: Handler) -> bool:
        """Whether the topic has no handler left here."""
        handlers = self._handlers.get(topic, [])
        if handler in handlers:
            handlers.remove(handler)
        if handlers:
            return False
        self._handlers.pop(topic, None)
        return True

    def deliver(self, topic: str, payload: bytes) -> None:
        for handler in list(self._handlers.get(topic, ())):
            handler(payload)
