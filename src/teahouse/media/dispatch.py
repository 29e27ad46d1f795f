"""Hand media events to the services one at a time, in the order they happened."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from teahouse.media.base import MediaEvent, MediaEventHandler

logger = logging.getLogger(__name__)


class EventDispatcher:
    """A queue with one consumer that awaits the registered handler per event.

    Janus events are handled synchronously in the client's reader task, which must
    never wait for the services; the queue decouples the two while keeping order.
    A handler that raises is logged and the next event is delivered anyway.
    """

    def __init__(self) -> None:
        self.handler: MediaEventHandler | None = None
        self._queue: asyncio.Queue[MediaEvent] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="media-events")

    def emit(self, event: MediaEvent) -> None:
        self._queue.put_nowait(event)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            event = await self._queue.get()
            if self.handler is None:
                logger.debug("no media event handler; dropped %s", event)
                continue
            try:
                await self.handler(event)
            except Exception:
                logger.exception("media event handler failed on %s", event)
