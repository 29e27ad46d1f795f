"""Notifications delivered live: a ``notification`` message on every socket.

:class:`teahouse.notifications.notifier.Notifications` calls :meth:`push` after it
commits a row. A member with no socket open costs nothing more; otherwise the row
is rendered once, as the notifications list would show it (so a notification the
list would hide, from a blocked member, is not pushed either), and the same text
goes to each of their sockets. With several replicas this one cannot tell whether
the member has a socket on another, so every notification is rendered (one query)
and handed to presence, which reaches the replicas (Presence.may_reach).
"""

from __future__ import annotations

import asyncio
import logging

from teahouse.notifications.inbox import Inbox
from teahouse.realtime.presence import Presence
from teahouse.realtime.server_messages import Notification, NotificationMessage

log = logging.getLogger(__name__)


class NotificationPusher:
    def __init__(self, presence: Presence, inbox: Inbox) -> None:
        self._presence = presence
        self._inbox = inbox
        self._tasks: set[asyncio.Task[None]] = set()

    def push(self, user_id: str, notification_id: str) -> None:
        if not self._presence.may_reach(user_id):
            return
        task = asyncio.get_running_loop().create_task(self._deliver(user_id, notification_id))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, user_id: str, notification_id: str) -> None:
        try:
            view = await self._inbox.render(user_id, notification_id)
        except Exception:  # a failed push must not fail the action that notified
            log.exception("rendering notification %s failed", notification_id)
            return
        if view is not None:
            message = NotificationMessage(notification=Notification.model_validate(view))
            self._presence.send_to(user_id, message)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
