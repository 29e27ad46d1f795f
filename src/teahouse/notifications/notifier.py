"""In-app notifications: stored with read state, pushed live to the member's sockets.

Other services call :meth:`Notifications.notify`; what a notification is about is
given as foreign keys (actor, room, event, club, report, join request), never as free text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from teahouse.domain.ids import new_id
from teahouse.store.database import Database
from teahouse.store.social_models import Notification

Kind = Literal[
    "new_follower",
    "ping",
    "event_starting",
    "club_invite",
    "report_filed",
    "club_request",
    "club_request_accepted",
    "club_request_declined",
]
# Called with (user_id, notification_id) after the row is committed; the realtime
# layer renders and pushes it to the member's open sockets.
Pusher = Callable[[str, str], None]


class Notifications:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._pushers: list[Pusher] = []

    def on_new(self, pusher: Pusher) -> None:
        self._pushers.append(pusher)

    async def notify(
        self,
        user_id: str,
        kind: Kind,
        *,
        actor_id: str | None = None,
        room_id: str | None = None,
        event_id: str | None = None,
        club_id: str | None = None,
        report_id: str | None = None,
        join_request_id: str | None = None,
    ) -> str:
        notification = Notification(
            id=new_id(),
            user_id=user_id,
            kind=kind,
            actor_id=actor_id,
            room_id=room_id,
            event_id=event_id,
            club_id=club_id,
            report_id=report_id,
            join_request_id=join_request_id,
        )
        async with self._db.sessions.begin() as s:
            s.add(notification)
        for push in self._pushers:
            push(user_id, notification.id)
        return notification.id
