"""Pinging someone into the room you are in: "come and listen".

The rules (docs/API-SOCIAL.md): the pinger is in the live room; the person pinged
exists and nobody is blocked either way (else they are "not found", as blocking is
mutual invisibility); the pinger follows them or the room is open; they may enter
the room; and the same pinger has not pinged them into the same room in the last
ten minutes. That last rule needs no state of its own: the earlier ping is a row
in the notifications table. A refused ping writes nothing.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import exists, select

from teahouse.domain.clock import utcnow
from teahouse.domain.ids import looks_like_id
from teahouse.errors import BadRequest, Conflict, ErrorCode, Forbidden, NotFound
from teahouse.live.stage import Stage
from teahouse.notifications.notifier import Notifications
from teahouse.rooms.rooms import Rooms
from teahouse.social.graph import visible_to
from teahouse.store.database import Database
from teahouse.store.models import User
from teahouse.store.social_models import Follow, Notification

PING_INTERVAL = timedelta(minutes=10)


class Pings:
    def __init__(
        self, db: Database, rooms: Rooms, stage: Stage, notifications: Notifications
    ) -> None:
        self._db = db
        self._rooms = rooms
        self._stage = stage
        self._notifications = notifications
        # Checking for a recent ping and writing the new one happen together: two
        # clicks at once must not both pass the check (one process holds the stage).
        self._lock = asyncio.Lock()

    async def ping(self, pinger_id: str, room_id: str, username: str) -> None:
        live = self._stage.live(room_id) if looks_like_id(room_id) else None
        if live is None or pinger_id not in live.state.participants:
            raise NotFound("You are not in this room.", ErrorCode.NOT_IN_ROOM)
        async with self._lock:
            target_id, follows, recent = await self._facts(pinger_id, room_id, username)
            if target_id == pinger_id:
                raise BadRequest("You cannot ping yourself.")
            if not follows and live.info.visibility != "open":
                raise Forbidden(
                    "You can ping people you follow, or anyone into an open room.",
                    ErrorCode.PING_NOT_ALLOWED,
                )
            try:
                await self._rooms.enterable(target_id, room_id, self._stage.moderators_of(room_id))
            except NotFound:
                raise Forbidden(
                    "They may not enter this room.", ErrorCode.PING_NOT_ALLOWED
                ) from None
            if recent:
                raise Conflict(
                    "You pinged them into this room a moment ago.", ErrorCode.ALREADY_PINGED
                )
            await self._notifications.notify(target_id, "ping", actor_id=pinger_id, room_id=room_id)

    async def _facts(self, pinger_id: str, room_id: str, username: str) -> tuple[str, bool, bool]:
        """(target id, the pinger follows them, a ping within the interval), one query."""
        follows = exists().where(Follow.follower_id == pinger_id, Follow.followee_id == User.id)
        recent = exists().where(
            Notification.user_id == User.id,
            Notification.actor_id == pinger_id,
            Notification.room_id == room_id,
            Notification.kind == "ping",
            Notification.created_at > utcnow() - PING_INTERVAL,
        )
        async with self._db.sessions() as s:
            row = (
                await s.execute(
                    select(User.id, follows, recent).where(
                        User.username == username.strip().lower(), visible_to(pinger_id, User.id)
                    )
                )
            ).one_or_none()
        if row is None:
            raise NotFound("No member has that username.", ErrorCode.USER_NOT_FOUND)
        target_id, does_follow, was_pinged = row
        return target_id, bool(does_follow), bool(was_pinged)
