"""Suspended members leave this server at once: their sockets and their live rooms.

:meth:`Ejector.eject` closes every socket of the member with close code 4401 (the
code a socket without a valid session gets) and takes them out of every live room
through the :class:`Stage`, so the room's other members see them go.

An admin's suspension over HTTP calls it directly. The command line (``teahouse
admin suspend``) runs in another process, so the server watches the database:
:class:`SuspensionWatch` asks every second for members suspended in the last
:data:`LOOK_BACK` seconds (``users.suspended_at`` is indexed) and ejects each one it
has not ejected yet. The window overlaps on purpose: a suspension stamped just
before one look but committed just after it is still seen by the next one. A
suspension from the command line therefore takes effect within about a second.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from teahouse.domain.clock import utcnow
from teahouse.live.departures import Departures

log = logging.getLogger(__name__)

LOOK_BACK = 30.0


class Ejector:
    def __init__(self, departures: Departures) -> None:
        self._departures = departures

    async def eject(self, user_id: str) -> None:
        # Rooms.enterable refuses a suspended member too, so an in-flight join that
        # outlives its socket cannot let them back in.
        closed = await self._departures.member_gone(user_id)
        log.info("suspended member ejected (%d sockets closed)", closed)


class SuspensionWatch:
    """The server's background look for suspensions made by another process."""

    def __init__(
        self,
        suspended_since: Callable[[datetime], Awaitable[list[tuple[str, datetime]]]],
        eject: Callable[[str], Awaitable[None]],
        *,
        interval: float = 1.0,
    ) -> None:
        self._suspended_since = suspended_since
        self._eject = eject
        self._interval = interval
        self._seen: dict[tuple[str, datetime], datetime] = {}
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.look()
            except Exception:  # the database may be restarting: look again next time
                log.exception("looking for new suspensions failed")

    async def look(self) -> int:
        """One look; how many members it ejected. (Ejecting someone suspended before
        the server started is harmless: they have no socket and no room.)"""
        now = utcnow()
        since = now - timedelta(seconds=LOOK_BACK)
        ejected = 0
        for user_id, at in await self._suspended_since(since):
            if (user_id, at) in self._seen:
                continue
            self._seen[(user_id, at)] = now
            await self._eject(user_id)
            ejected += 1
        # Forget what has fallen out of the window (it cannot be returned again).
        for key, seen_at in list(self._seen.items()):
            if key[1] < since and seen_at < since:
                del self._seen[key]
        return ejected
