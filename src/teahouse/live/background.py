"""The live rooms' background work: timers, tasks, and media calls that may fail.

A timer (someone's reconnect grace, a subscription's retry) and a task (a room's
subscription sync, an expired member's removal) outlive the action that started
them; :class:`Background` holds them so that a failure is logged and shutting down
cancels what is left.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from teahouse.errors import TeahouseError

log = logging.getLogger(__name__)


class Background:
    """The tasks and timers of every live room of this process."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def later(
        self, delay: float, callback: Callable[[str, str], None], room_id: str, uid: str
    ) -> asyncio.TimerHandle:
        """Call ``callback(room_id, uid)`` after ``delay`` seconds (cancel the handle to
        call it off)."""
        return asyncio.get_running_loop().call_later(delay, callback, room_id, uid)

    def spawn(self, coro: Awaitable[None]) -> asyncio.Task[None]:
        task: asyncio.Task[None] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def cancel(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (exc := task.exception()):
            log.error("background room task failed", exc_info=exc)


async def quietly(operation: Awaitable[None]) -> None:
    """Media clean-up that must not stop the room when the media server fails."""
    try:
        await operation
    except TeahouseError as exc:  # expected: the media server is down
        log.warning("media operation failed: %s", exc)
    except Exception:
        log.exception("media operation failed")
