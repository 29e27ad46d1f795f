"""A live room's state and the rules of its stage, as pure code.

One :class:`RoomState` per live room is the single writer of that room's state.
Every accepted action that members can see returns the :class:`Delta` it made and
bumps ``version`` by one; a refused action raises a :class:`TeahouseError` and
changes nothing. Recent deltas are kept so that a reconnecting client can resume.

A room may hold thousands of listeners, so what is broadcast is the *visible set*:
everyone on the stage, and the listeners whose hand is raised or who have been
invited to speak. A plain listener coming or going changes only the audience
count, which :meth:`RoomState.flush_listeners` announces now and then (the Stage
decides when), so a burst of joins costs one delta, not one per person.

Everything here is a plain dataclass; the messages that carry it to members are
built from them in realtime/server_messages.py.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import replace

from teahouse.domain.cursors import AudienceCursor, Page
from teahouse.domain.room_changes import (
    Change,
    Delta,
    Description,
    Listeners,
    Participant,
    Remove,
    Role,
    RoomRecord,
    RoomSnapshot,
    Settings,
    Upsert,
    UserRef,
)
from teahouse.errors import BadRequest, Conflict, ErrorCode, Forbidden, NotFound

HISTORY_LENGTH = 512
AUDIENCE_PAGE_MAX = 100


class RoomState:
    """Who is in a live room, in which role, with which hand and mute state."""

    def __init__(self, room_id: str, description: str = "") -> None:
        self.room_id = room_id
        self.description = description
        self.version = 0
        self.participants: dict[str, Participant] = {}
        # The visible set, in the order people entered it: kept as things change, so
        # that nothing a join or an action does walks the whole (maybe huge) audience.
        self._visible: dict[str, None] = {}
        self.hands_enabled = True
        # Removed by a moderator: they cannot come back while the room lives.
        self.removed: set[str] = set()
        # The audience in the order people joined it, for paging: user id -> place.
        self._audience: dict[str, int] = {}
        self._next_place = 0
        self._announced_listeners = 0
        self._history: deque[Delta] = deque(maxlen=HISTORY_LENGTH)

    # -- saving and restoring ------------------------------------------------------

    def record(self) -> RoomRecord:
        """Everything this state is, to be saved (live/keeper.py)."""
        return RoomRecord(
            version=self.version,
            description=self.description,
            hands=self.hands_enabled,
            participants=tuple(self.participants.values()),
            visible=tuple(self._visible),
            audience=tuple(self._audience.items()),
            next_place=self._next_place,
            announced_listeners=self._announced_listeners,
            removed=tuple(sorted(self.removed)),
            history=tuple(self._history),
        )

    @classmethod
    def restored(cls, room_id: str, record: RoomRecord) -> RoomState:
        """The state a :meth:`record` was made of, exactly."""
        state = cls(room_id, record.description)
        state.version = record.version
        state.hands_enabled = record.hands
        state.participants = {p.user.id: p for p in record.participants}
        state._visible = dict.fromkeys(record.visible)
        state._audience = dict(record.audience)
        state._next_place = record.next_place
        state._announced_listeners = record.announced_listeners
        state.removed = set(record.removed)
        state._history.extend(record.history)
        return state

    def jump(self, by: int) -> None:
        """Move the version on by ``by`` and forget the resume history: this state may
        be older than versions members saw (a crash lost its last changes), so no
        version they hold can mean anything here and each of them gets a snapshot."""
        self.version += by
        self.forget_history()

    def forget_history(self) -> None:
        """Drop the resume history (it names whoever it changed): members resuming from
        an older version get a snapshot."""
        self._history.clear()

    # -- queries ---------------------------------------------------------------

    def get(self, user_id: str) -> Participant:
        try:
            return self.participants[user_id]
        except KeyError:
            raise NotFound("You are not in this room.", ErrorCode.NOT_IN_ROOM) from None

    def moderators(self) -> list[str]:
        return [uid for uid in self._visible if self.participants[uid].role is Role.MODERATOR]

    def on_stage(self) -> frozenset[str]:
        return frozenset(uid for uid in self._visible if self.participants[uid].role.on_stage)

    @property
    def listener_count(self) -> int:
        return len(self._audience)

    @property
    def listeners_unannounced(self) -> bool:
        return self.listener_count != self._announced_listeners

    def deltas_since(self, version: int) -> list[Delta] | None:
        """The deltas after ``version``, or None when they are no longer all held."""
        if version == self.version:
            return []
        if version > self.version or not self._history:
            return None
        if self._history[0].version > version + 1:
            return None
        return [delta for delta in self._history if delta.version > version]

    def snapshot(self, hidden: frozenset[str] = frozenset()) -> RoomSnapshot:
        """The room as of ``version``; the raised hands and invitations of ``hidden``
        users (in a block with the member it is for) are left out."""
        return RoomSnapshot(
            version=self.version,
            participants=tuple(
                p
                for p in map(self.participants.__getitem__, self._visible)
                if p.role.on_stage or p.user.id not in hidden
            ),
            listeners=self.listener_count,
            hands=self.hands_enabled,
            description=self.description,
        )

    def audience_page(
        self, after: str | None, limit: int, hidden: frozenset[str] = frozenset()
    ) -> Page[UserRef]:
        """Listeners in the order they joined the audience, ``limit`` at a time."""
        if not 1 <= limit <= AUDIENCE_PAGE_MAX:
            raise BadRequest(f"limit is 1 to {AUDIENCE_PAGE_MAX}.", ErrorCode.MALFORMED_MESSAGE)
        start = AudienceCursor.decode(after).place if after is not None else -1
        page: list[UserRef] = []
        last = start
        for uid, place in self._audience.items():
            if place <= start or uid in hidden:
                continue
            if len(page) == limit:
                return Page(page, AudienceCursor(last).encode())
            page.append(self.participants[uid].user)
            last = place
        return Page(page)

    # -- joining and leaving -----------------------------------------------------

    def join(self, user: UserRef, *, as_moderator: bool, live: bool = False) -> Delta | None:
        """Enter the room; None when only the audience count changed. A moderator
        arrives on the stage muted unless ``live`` (the member who just opened the
        room: opening it is saying so)."""
        if user.id in self.participants:
            raise Conflict("You are already in this room.", ErrorCode.ALREADY_IN_ROOM)
        if user.id in self.removed:
            raise Forbidden("A moderator removed you from this room.", ErrorCode.REMOVED_FROM_ROOM)
        role = Role.MODERATOR if as_moderator else Role.LISTENER
        muted = as_moderator and not live
        return self._commit(self._put(Participant(user=user, role=role, muted=muted)))

    def leave(self, user_id: str) -> tuple[Delta | None, bool]:
        """Take a participant out; the flag says the room has no moderator left."""
        gone = self.get(user_id)
        del self.participants[user_id]
        self._visible.pop(user_id, None)
        self._audience.pop(user_id, None)
        delta = self._commit([Remove(user_id)] if gone.visible else [])
        return delta, not self.moderators()

    def flush_listeners(self) -> Delta | None:
        """Announce the audience count if it changed since it was last announced."""
        if self.listener_count == self._announced_listeners:
            return None
        self._announced_listeners = self.listener_count
        return self._commit([Listeners(self.listener_count)])

    # -- the member's own actions ---------------------------------------------------

    def set_hand(self, actor_id: str, raised: bool) -> Delta | None:
        actor = self.get(actor_id)
        if actor.role.on_stage:
            raise Conflict("You are already on the stage.", ErrorCode.WRONG_STATE)
        if raised and not self.hands_enabled:
            raise Conflict("The moderators have turned hand-raising off.", ErrorCode.HANDS_DISABLED)
        if actor.hand_raised == raised:
            raise Conflict(
                "Your hand is already " + ("raised." if raised else "down."), ErrorCode.WRONG_STATE
            )
        return self._commit(self._put(replace(actor, hand_raised=raised)))

    def answer_invitation(self, actor_id: str, accept: bool) -> Delta | None:
        actor = self.get(actor_id)
        if not actor.invited:
            raise Conflict("Nobody has invited you to speak.", ErrorCode.WRONG_STATE)
        updated = self._to_stage(actor) if accept else replace(actor, invited=False)
        return self._commit(self._put(updated))

    def set_muted(self, actor_id: str, muted: bool) -> Delta | None:
        actor = self.get(actor_id)
        if not actor.role.on_stage:
            raise Forbidden("Only people on the stage can mute or unmute.", ErrorCode.NOT_SPEAKER)
        if actor.muted == muted:
            raise Conflict(
                "You are already " + ("muted." if muted else "unmuted."), ErrorCode.WRONG_STATE
            )
        return self._commit(self._put(replace(actor, muted=muted, speaking=False)))

    def require_on_stage(self, actor_id: str) -> Participant:
        actor = self.get(actor_id)
        if not actor.role.on_stage:
            raise Forbidden("Only speakers can send audio to the room.", ErrorCode.NOT_SPEAKER)
        return actor

    # -- moderation ---------------------------------------------------------------

    def invite_to_speak(self, actor_id: str, target_id: str) -> Delta | None:
        self.require_moderator(actor_id)
        target = self._target(target_id)
        if target.role.on_stage:
            raise Conflict("They are already on the stage.", ErrorCode.WRONG_STATE)
        if target.hand_raised:
            # A raised hand is the listener's own request: bring them up at once.
            return self._commit(self._put(self._to_stage(target)))
        if target.invited:
            raise Conflict("They have already been invited.", ErrorCode.WRONG_STATE)
        return self._commit(self._put(replace(target, invited=True)))

    def move_to_audience(self, actor_id: str, target_id: str) -> Delta | None:
        actor = self.get(actor_id)
        target = self._target(target_id)
        if actor_id != target_id and actor.role is not Role.MODERATOR:
            raise Forbidden(
                "Only moderators can move others to the audience.", ErrorCode.NOT_MODERATOR
            )
        if not target.role.on_stage:
            raise Conflict("They are not on the stage.", ErrorCode.WRONG_STATE)
        self._keep_a_moderator(target)
        moved = replace(target, role=Role.LISTENER, muted=False, speaking=False, publishing=False)
        return self._commit(self._put(moved))

    def mute_other(self, actor_id: str, target_id: str) -> Delta | None:
        """A moderator mutes a speaker; only the speaker can unmute."""
        self.require_moderator(actor_id)
        target = self._target(target_id)
        if not target.role.on_stage:
            raise Conflict("They are not on the stage.", ErrorCode.WRONG_STATE)
        if target.muted:
            raise Conflict("They are already muted.", ErrorCode.WRONG_STATE)
        return self._commit(self._put(replace(target, muted=True, speaking=False)))

    def make_moderator(self, actor_id: str, target_id: str) -> Delta | None:
        self.require_moderator(actor_id)
        target = self._target(target_id)
        if target.role is Role.MODERATOR:
            raise Conflict("They are already a moderator.", ErrorCode.WRONG_STATE)
        if not target.role.on_stage:
            raise Conflict("Bring them to the stage first.", ErrorCode.WRONG_STATE)
        return self._commit(self._put(replace(target, role=Role.MODERATOR)))

    def remove_moderator(self, actor_id: str, target_id: str) -> Delta | None:
        """A moderator steps down or takes the role from another; they stay on stage."""
        self.require_moderator(actor_id)
        target = self._target(target_id)
        if target.role is not Role.MODERATOR:
            raise Conflict("They are not a moderator.", ErrorCode.WRONG_STATE)
        self._keep_a_moderator(target)
        return self._commit(self._put(replace(target, role=Role.SPEAKER)))

    def remove(self, actor_id: str, target_id: str) -> Delta | None:
        """A moderator removes someone, who cannot come back while the room lives."""
        self.require_moderator(actor_id)
        if actor_id == target_id:
            raise Conflict("Leave the room instead.", ErrorCode.WRONG_STATE)
        if self._target(target_id).role is Role.MODERATOR:
            raise Conflict("Take their moderator role first.", ErrorCode.WRONG_STATE)
        delta, _ = self.leave(target_id)
        self.removed.add(target_id)
        return delta

    def set_hands(self, actor_id: str, enabled: bool) -> Delta | None:
        """Turn hand-raising on or off; turning it off lowers every raised hand."""
        self.require_moderator(actor_id)
        if self.hands_enabled == enabled:
            raise Conflict(
                "Hand-raising is already " + ("on." if enabled else "off."), ErrorCode.WRONG_STATE
            )
        self.hands_enabled = enabled
        changes: list[Change] = [Settings(enabled)]
        if not enabled:
            for p in [self.participants[uid] for uid in self._visible]:
                if p.hand_raised:
                    changes.extend(self._put(replace(p, hand_raised=False)))
        return self._commit(changes)

    def set_description(self, actor_id: str, text: str) -> Delta | None:
        """A moderator says what the room is about (``text`` already normalised at the
        edge); None when it says that already."""
        self.require_moderator(actor_id)
        if text == self.description:
            return None
        self.description = text
        return self._commit([Description(text)])

    # -- facts reported by the media server -------------------------------------

    def set_publishing(self, live: frozenset[str]) -> Delta | None:
        """Record which participants' audio reaches the media server; None if unchanged."""
        changes: list[Change] = []
        # Only people on the stage publish, and all of them are in the visible set.
        for uid in list(self._visible):
            p = self.participants[uid]
            publishing = uid in live and p.role.on_stage
            if p.publishing != publishing:
                changes.extend(self._put(replace(p, publishing=publishing, speaking=False)))
        return self._commit(changes) if changes else None

    def set_speaking(self, talking: Mapping[str, bool]) -> Delta | None:
        """Record the media server's talking detector for several people at once."""
        changes: list[Change] = []
        for uid, is_talking in talking.items():
            p = self.participants.get(uid)
            if p is None:
                continue
            now = is_talking and p.role.on_stage and not p.muted
            if p.speaking != now:
                changes.extend(self._put(replace(p, speaking=now)))
        return self._commit(changes) if changes else None

    # -- internals -------------------------------------------------------------

    def require_moderator(self, actor_id: str) -> None:
        if self.get(actor_id).role is not Role.MODERATOR:
            raise Forbidden("Only moderators can do that.", ErrorCode.NOT_MODERATOR)

    def _keep_a_moderator(self, target: Participant) -> None:
        if target.role is Role.MODERATOR and len(self.moderators()) == 1:
            raise Conflict(
                "The last moderator stays one; leave the room or end it instead.",
                ErrorCode.WRONG_STATE,
            )

    def _target(self, target_id: str) -> Participant:
        target = self.participants.get(target_id)
        if target is None:
            raise NotFound("That person is not in this room.", ErrorCode.NOT_IN_ROOM)
        return target

    @staticmethod
    def _to_stage(p: Participant) -> Participant:
        # Nobody is live without saying so: a new speaker arrives muted and unmutes.
        return replace(p, role=Role.SPEAKER, hand_raised=False, invited=False, muted=True)

    def _put(self, participant: Participant) -> list[Change]:
        """Store a participant; the change others see, if any."""
        uid = participant.user.id
        before = self.participants.get(uid)
        self.participants[uid] = participant
        if participant.role.on_stage:
            self._audience.pop(uid, None)
        elif uid not in self._audience:
            self._audience[uid] = self._next_place
            self._next_place += 1
        if participant.visible:
            self._visible[uid] = None
            return [Upsert(participant)]
        self._visible.pop(uid, None)
        if before is not None and before.visible:
            return [Remove(uid)]
        return []

    def _commit(self, changes: Iterable[Change]) -> Delta | None:
        changes = tuple(changes)
        if not changes:
            return None
        self.version += 1
        delta = Delta(self.version, changes)
        self._history.append(delta)
        return delta
