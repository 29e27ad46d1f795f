"""At most once per interval: the throttle behind the audience count, the speaking
indicators and ``hallway_changed``."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


class Coalescer:
    """Run ``flush`` at most once per ``interval``. A poke after a quiet interval runs
    it as soon as the current step of the loop is done (so changes made in the same
    step go together); later pokes wait for the end of the interval. Never blocks."""

    def __init__(self, interval: float, flush: Callable[[], None]) -> None:
        self._interval = interval
        self._flush = flush
        self._last = float("-inf")
        self._timer: asyncio.TimerHandle | None = None

    def poke(self) -> None:
        if self._timer is not None:
            return  # the pending run will see this change too
        loop = asyncio.get_running_loop()
        wait = max(0.0, self._last + self._interval - loop.time())
        self._timer = loop.call_later(wait, self._run)

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _run(self) -> None:
        self._timer = None
        self._last = asyncio.get_running_loop().time()
        self._flush()
