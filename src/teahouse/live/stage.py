"""Live rooms: opening and ending them, who is in them, and the stage rules applied.

The :class:`Stage` is the one writer of every live room's state. Each room has a
lock; a state change and the broadcast of its delta happen under it, so every member
sees deltas in version order. Media calls (slow, remote) happen outside the lock.

The Stage keeps membership (joins, leaves, the reconnect grace, residents), the
rules (stage actions, declared in actions.py; removing someone; ending the room),
each room's budget for its audience's changes, blocks and the audit log. It hands
the rest to collaborators it builds with what each needs: :class:`MediaSteering`
(publishing, listening, the media server's events), :class:`RoomLinks` (closed
rooms' links) and :class:`AudiencePages`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace

from pydantic import BaseModel

from teahouse.domain.room_changes import Role, UserRef
from teahouse.errors import Conflict, ErrorCode, Forbidden
from teahouse.live.actions import STAGE_ACTIONS, Audited, AuditSink, write_down
from teahouse.live.audience import AudiencePages
from teahouse.live.background import Background
from teahouse.live.descriptions import RoomDescriptions
from teahouse.live.index import LiveIndex
from teahouse.live.keeper import RoomKeeper
from teahouse.live.lifecycle import RoomLifecycle
from teahouse.live.links import RoomLinks
from teahouse.live.media_steering import MediaSteering
from teahouse.live.mirrors import Mirrors
from teahouse.live.ownership import Ownership, SingleProcess
from teahouse.live.room import Client, LiveRoom, LiveRooms
from teahouse.media.base import MediaBackend
from teahouse.realtime.limits import Clock, refusal, room_limit
from teahouse.realtime.server_messages import (
    ErrorMessage,
    RemovedMessage,
    encode,
)
from teahouse.rooms.rooms import Relations, RoomInfo, Rooms
from teahouse.rooms.saved import SavedRooms

__all__ = ["AuditSink", "Client", "LiveRoom", "Relations", "Stage"]

log = logging.getLogger(__name__)

NO_RELATIONS = Relations()


class Stage(RoomLifecycle):
    """Joins, leaves and every stage action of every live room; its collaborators
    :attr:`media`, :attr:`links`, :attr:`audience` and :attr:`descriptions` do the
    rest."""

    def __init__(
        self,
        rooms: Rooms,
        media: MediaBackend,
        *,
        reconnect_grace: float = 20.0,
        empty_room_grace: float = 60.0,
        audience_interval: float = 1.0,
        speaking_interval: float = 0.25,
        audit: AuditSink | None = None,
        saved: SavedRooms | None = None,
        ownership: Ownership | None = None,
        delivery_budget: float = 20000.0,
        send_queue: int = 1024,
        clock: Clock = time.monotonic,
    ) -> None:
        self._rooms = rooms
        self._audit = audit
        # A room's audience may cause this many deliveries a second with its changes;
        # a member's queue holds ``send_queue`` messages (realtime/limits.py).
        self._delivery_budget = delivery_budget
        self._send_queue = send_queue
        self.clock = clock
        self._audience_interval = audience_interval
        self._speaking_interval = speaking_interval
        self._reconnect_grace = reconnect_grace
        self._empty_room_grace = empty_room_grace
        self._live = LiveRooms()
        self._background = Background()
        self.keeper = RoomKeeper(saved, self._live, ownership or SingleProcess("local"))
        self.keeper.on_lost = self.let_go
        # Called with the sockets of a room this process let go (the router closes them
        # for their clients to find the room's new owner).
        self.on_let_go: Callable[[list[Client]], None] = lambda clients: None
        self._on_rooms_changed: list[Callable[[], None]] = []
        self.index = LiveIndex()  # who sits in which room, for the hallway
        self.mirrors = Mirrors(self.index, self._rooms_changed)
        self.media = MediaSteering(media, self._live, self._background)
        self.links = RoomLinks(self._live, self.live)
        self.audience = AudiencePages(self._live)
        self.descriptions = RoomDescriptions(self._live, rooms, audit)

    def on_rooms_changed(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (quick, never raising) when a room opens, ends or changes."""
        self._on_rooms_changed.append(callback)

    def _rooms_changed(self) -> None:
        for callback in self._on_rooms_changed:
            callback()

    # -- queries ------------------------------------------------------------------

    def live_room_ids(self) -> list[str]:
        """Every live room: this process's and (with replicas) the others' mirrors."""
        return self._live.ids() + self.mirrors.ids()

    def live(self, room_id: str) -> LiveRoom | None:
        """A live room to read: this process's, or another replica's mirror."""
        return self._live.get(room_id) or self.mirrors.get(room_id)

    def owns(self, room_id: str) -> bool:
        return room_id in self._live

    # -- joining and leaving ---------------------------------------------------------

    def moderators_of(self, room_id: str) -> frozenset[str]:
        """Who moderates a live room now, and who would on walking in."""
        room = self._live.get(room_id)
        if room is None:
            return frozenset()
        return frozenset(room.state.moderators()) | room.info.moderators

    async def join(
        self,
        client: Client,
        info: RoomInfo,
        since: int | None,
        relations: Relations = NO_RELATIONS,
    ) -> None:
        if client.room_id and client.room_id != info.id:
            await self.leave(client)
        room = self._live.get(info.id)
        if room is None:
            raise Conflict("This room has ended.", ErrorCode.ROOM_ENDED)
        uid = client.user.id
        if uid in room.state.removed:
            raise Forbidden("A moderator removed you from this room.", ErrorCode.REMOVED_FROM_ROOM)
        if relations.blocked_by & frozenset(room.state.moderators()):
            raise Forbidden("You can't join this room.", ErrorCode.BLOCKED)
        async with room.lock:
            previous = room.clients.get(uid)
            if previous is not None and previous is not client:
                previous.room_id = None
                previous.send(
                    encode(
                        ErrorMessage(
                            code=ErrorCode.JOINED_ELSEWHERE,
                            message="You joined this room from another window.",
                        )
                    )
                )
            if timer := room.away.pop(uid, None):
                timer.cancel()
            if relations.either_way:
                room.relations[uid] = relations.either_way
            resumed = uid in room.state.participants
            if not resumed:
                # The live room's own record says who moderates (the creator, an
                # event's hosts); ``info`` is re-read from the database on each join.
                as_moderator = uid in room.info.moderators
                # Only the member who opened the room arrives unmuted, and only the
                # first time: opening it is saying so; coming back is not.
                live = uid == room.info.created_by.id and not room.opener_arrived
                room.opener_arrived |= live
                room.publish(room.state.join(client.user, as_moderator=as_moderator, live=live))
                self.index.joined(info.id, uid)
            room.clients[uid] = client
            client.room_id = info.id
            room.catch_up(client, since if resumed else None)
        self.media.refresh(room, only=uid)

    async def leave(self, client: Client) -> None:
        room = self._live.of(client)
        await self._remove(room, client.user.id)
        client.room_id = None

    async def disconnected(self, client: Client, *, hold: bool = True) -> None:
        """The socket closed without `leave`: hold the place for a while. Without
        ``hold`` (its session ended, so it will not come back) the member leaves now."""
        room_id = client.room_id
        room = self._live.get(room_id) if room_id else None
        client.room_id = None
        if room is None:
            return
        uid = client.user.id
        if not hold:
            await self._remove(room, uid, only=client)
            return
        async with room.lock:
            if room.clients.get(uid) is not client:
                return
            del room.clients[uid]
            room.away[uid] = self._background.later(
                self._reconnect_grace, self._expire_away, room.info.id, uid
            )
        await self.media.leave(room.info.id, uid)

    async def remove_user(self, user_id: str) -> None:
        """Take a member out of every live room at once (their account is going):
        each room goes on under its other moderators, or ends without one."""
        for room in self._live:
            # Nothing the room keeps (and saves) may name them: not its record's
            # moderators, its removals, nor its resume history.
            if user_id in room.info.moderators or user_id in room.state.removed:
                room.info = replace(room.info, moderators=room.info.moderators - {user_id})
                room.state.removed.discard(user_id)
                room.dirty = True
            client = room.clients.get(user_id)
            present = user_id in room.state.participants or user_id in room.away
            if client is None and not present:
                continue
            await self._remove(room, user_id)
            room.state.forget_history()
            if client is not None:
                client.room_id = None
        await self.keeper.save_changed()

    def hand_over(self, room_id: str, creator: UserRef) -> None:
        """The live room now names ``creator`` as its creator (the first one's account
        is being deleted); a creator who comes back joins as a moderator."""
        if room := self._live.get(room_id):
            room.info = replace(room.info, created_by=creator)
            room.dirty = True

    # -- residents (demo rooms) -------------------------------------------------------

    async def seat_resident(self, room_id: str, user: UserRef, role: Role) -> None:
        """Seat a member who has no socket (a demo room's resident, demo/rooms.py):
        never away, so never expiring; never publishing; a room they moderate never
        ends for want of a moderator. A speaker is invited up by the first moderator."""
        room = self._live[room_id]
        async with room.lock:
            if timer := room.away.pop(user.id, None):
                timer.cancel()
            room.publish(room.state.join(user, as_moderator=role is Role.MODERATOR))
            self.index.joined(room_id, user.id)
            if role is Role.SPEAKER and (hosts := room.state.moderators()):
                room.publish(room.state.invite_to_speak(hosts[0], user.id))
                room.publish(room.state.answer_invitation(user.id, True))

    # -- stage actions ---------------------------------------------------------------

    async def act(self, client: Client, message: BaseModel) -> None:
        """Apply a stage action (actions.py) as this client; a refusal raises and
        changes nothing. A moderation action is written to the audit log once it is
        applied."""
        action = STAGE_ACTIONS.get(type(message))
        if action is None:
            raise TypeError(f"{type(message).__name__} is not a stage action")
        me = client.user.id
        if action.check is not None:
            action.check(message, me)
        room = self._live.of(client)
        async with room.lock:
            if action.from_audience:
                self._audience_may_change(room)
            before = room.state.on_stage()
            muted_before = {uid: room.state.participants[uid].muted for uid in before}
            delta = action.rule(room.state, me, message)
            room.publish(delta)
            if action.from_audience and delta is not None:
                room.audience_budget.spend()
            after = room.state.on_stage()
            left_stage = before - after
            remuted = [
                uid
                for uid in before & after
                if room.state.participants[uid].muted != muted_before[uid]
            ]
        # Janus drops what left the stage or was muted before the sender's `ok`:
        # "acknowledged" means silent, whatever the muted member's client sends.
        await self.media.left_stage(room, left_stage)
        await self.media.enforce_mutes(room, remuted)
        if (audited := action.audit_entry(message, me)) is not None:
            await write_down(self._audit, me, room.info.id, audited)

    async def remove_from_room(self, client: Client, target_id: str) -> None:
        """A moderator removes someone; they are told, and cannot come back."""
        room = self._live.of(client)
        async with room.lock:
            room.publish(room.state.remove(client.user.id, target_id))
            self.index.left(room.info.id, target_id)
            if timer := room.away.pop(target_id, None):
                timer.cancel()
            removed = room.clients.pop(target_id, None)
            if removed is not None:
                removed.room_id = None
                removed.send(encode(RemovedMessage(room=room.info.id)))
        await self.media.leave(room.info.id, target_id)
        await write_down(
            self._audit, client.user.id, room.info.id, Audited("remove_from_room", target_id)
        )

    async def end_by_moderator(self, client: Client) -> None:
        room = self._live.of(client)
        room.state.require_moderator(client.user.id)
        await self.end_room(room.info.id, "ended_by_moderator")
        await write_down(self._audit, client.user.id, room.info.id, Audited("end_room"))

    def block_changed(self, blocker_id: str, blocked_id: str, blocked: bool) -> None:
        """A block was made or lifted: hands are hidden (or shown) from now on."""
        for room in self._live:
            room.relation_changed(blocker_id, blocked_id, blocked)

    def role_of(self, room_id: str, user_id: str) -> str | None:
        """The member's role in a live room now (``moderator``, ``speaker``,
        ``listener``), or None when the room is not live or they are not in it."""
        room = self._live.get(room_id)
        participant = room.state.participants.get(user_id) if room else None
        return participant.role.value if participant else None

    def is_moderator(self, room_id: str, user_id: str) -> bool:
        return self.role_of(room_id, user_id) == Role.MODERATOR.value

    # -- internals -----------------------------------------------------------------

    def _audience_may_change(self, room: LiveRoom) -> None:
        """Refuse a change by the audience that the room cannot take in now: each
        reaches every socket in it, so a big room takes fewer a second."""
        limit = room_limit(len(room.clients), self._delivery_budget, self._send_queue)
        if wait := room.audience_budget.wait(limit, self.clock()):
            raise refusal("The room is taking in too many changes", wait, ErrorCode.ROOM_BUSY)

    async def _remove(self, room: LiveRoom, uid: str, *, only: Client | None = None) -> None:
        """Take ``uid`` out of the room (with ``only``: if that socket still holds
        their place, not one that joined from elsewhere since)."""
        async with room.lock:
            if only is not None and room.clients.get(uid) is not only:
                return
            if timer := room.away.pop(uid, None):
                timer.cancel()
            room.clients.pop(uid, None)
            if uid not in room.state.participants:
                no_moderator = not room.state.moderators()
            else:
                delta, no_moderator = room.state.leave(uid)
                self.index.left(room.info.id, uid)
                room.publish(delta)
            room.relations.pop(uid, None)
        # A publisher's leaving reaches the others through FeedsChanged.
        await self.media.leave(room.info.id, uid)
        if no_moderator:
            await self.end_room(room.info.id, "no_moderator")

    def _expire_away(self, room_id: str, uid: str) -> None:
        room = self._live.get(room_id)
        if room is not None and uid in room.away:
            self._background.spawn(self._remove(room, uid))
