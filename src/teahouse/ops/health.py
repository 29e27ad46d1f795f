"""Is the instance able to serve: the checks behind ``/readyz`` and the
``teahouse_dependency_*`` gauges.

Each dependency is a named check, an async function that returns when the dependency
answers and raises when it does not: the database (``SELECT 1``), the media server (a
round trip to Janus), and Redis when a bus over Redis is configured (not yet; its
check joins the mapping then). A check that takes longer than ``timeout`` counts as
down.

The endpoints that run these checks answer without authentication, so a flood of
them must not become a flood of database queries and Janus requests: a result is
reused for ``max_age`` seconds, and callers that arrive while a check is running
wait for that one instead of starting their own.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One dependency's answer: whether it answered in time, and how long it took."""

    up: bool
    seconds: float


@dataclass(frozen=True, slots=True)
class Readiness:
    """Every dependency's outcome, as of ``at`` (the clock's reading)."""

    outcomes: Mapping[str, Outcome]
    at: float

    @property
    def ready(self) -> bool:
        return all(outcome.up for outcome in self.outcomes.values())


class Health:
    """Runs the checks, at most one round at a time, reusing a fresh enough result."""

    def __init__(
        self,
        checks: Mapping[str, Check],
        *,
        timeout: float = 2.0,
        max_age: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._checks = dict(checks)
        self._timeout = timeout
        self._max_age = max_age
        self._clock = clock
        self._last: Readiness | None = None
        self._running: asyncio.Future[Readiness] | None = None

    @property
    def last(self) -> Readiness | None:
        """The latest result, if any check ran yet (the metrics read it)."""
        return self._last

    async def check(self) -> Readiness:
        """Every dependency's state now (or as of less than ``max_age`` ago)."""
        last = self._last
        if last is not None and self._clock() - last.at < self._max_age:
            return last
        if self._running is None:
            self._running = asyncio.ensure_future(self._round())
            self._running.add_done_callback(self._finished)
        return await asyncio.shield(self._running)

    def _finished(self, running: asyncio.Future[Readiness]) -> None:
        self._running = None
        if not running.cancelled() and running.exception() is None:
            self._last = running.result()

    async def _round(self) -> Readiness:
        names = list(self._checks)
        outcomes = await asyncio.gather(*(self._one(name) for name in names))
        return Readiness(dict(zip(names, outcomes, strict=True)), self._clock())

    async def _one(self, name: str) -> Outcome:
        start = time.perf_counter()
        try:
            async with asyncio.timeout(self._timeout):
                await self._checks[name]()
        except Exception as exc:  # any failure, of any kind, means "not ready"
            log.warning("health check of %s failed: %s: %s", name, type(exc).__name__, exc)
            return Outcome(False, time.perf_counter() - start)
        return Outcome(True, time.perf_counter() - start)
