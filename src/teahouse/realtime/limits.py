"""How fast a member may send: rate limits on every client message, per socket and
per member, as token buckets (docs/SECURITY.md, "Message rate limits on the
WebSocket").

Each client message type belongs to one :class:`Kind`, by what it costs the server
and the room: a ``ping`` is answered to its sender alone; a stage change reaches
every socket in the room; ``join`` reads the database and ``publish`` waits on the
media server. Each kind has a :class:`Limit` (a burst, refilled at a steady rate)
per member, shared by all the member's sockets and kept when they close, so neither
more tabs nor reconnecting buys more. Every frame, read or not, also counts against
its socket and its member, and a socket that goes on sending what it is refused
(more refusals than :data:`REFUSALS` allows) is closed.

The buckets are plain arithmetic on the time they are given: the socket session
(``api/socket.py``) asks its :class:`SocketGate`, which asks :class:`MemberBudgets`;
the Stage asks :func:`room_limit` for a room's budget for its audience's changes.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel

from teahouse.errors import ErrorCode, TooManyRequests
from teahouse.realtime.client_messages import (
    AcceptSpeak,
    Audience,
    ClientMessage,
    DeclineSpeak,
    EndRoom,
    Hand,
    InviteToSpeak,
    Join,
    Leave,
    MakeModerator,
    MoveToAudience,
    Mute,
    Ping,
    Publish,
    RemoveFromRoom,
    RemoveModerator,
    SetHands,
    SubscribeAnswer,
    Unpublish,
)

Clock = Callable[[], float]


class Kind(StrEnum):
    """What a client message costs, and so which budget it draws on."""

    FRAME = "frame"  # every frame, before it is read
    PING = "ping"  # answered to the sender alone
    MEMBERSHIP = "membership"  # reads the database, sends a snapshot
    OWN = "own"  # one's own hand, answer or mute: a delta to the whole room
    MODERATION = "moderation"  # a moderator's action: a delta to the whole room
    MEDIA = "media"  # waits on the media server
    ANSWER = "answer"  # completes a negotiation the server started
    AUDIENCE = "audience"  # a page of the audience, to the sender alone


@dataclass(frozen=True, slots=True)
class Limit:
    """A token bucket's shape: ``burst`` at once, refilled at ``per_second``."""

    burst: float
    per_second: float

    def scaled(self, factor: float) -> Limit:
        return Limit(self.burst * factor, self.per_second * factor)


# Per member, all sockets together (docs/SECURITY.md has the same table).
MEMBER_LIMITS: Mapping[Kind, Limit] = {
    Kind.FRAME: Limit(120, 40),
    Kind.PING: Limit(20, 2),
    Kind.MEMBERSHIP: Limit(10, 1),
    Kind.OWN: Limit(10, 1),
    Kind.MODERATION: Limit(30, 2),
    Kind.MEDIA: Limit(10, 1),
    Kind.ANSWER: Limit(30, 5),
    Kind.AUDIENCE: Limit(20, 5),
}
# Per socket: every frame it sends, and the refusals it may be sent before it is
# closed for going on regardless (close code 4429).
SOCKET_FRAMES = Limit(60, 20)
REFUSALS = Limit(60, 20)

_KINDS: Mapping[type[BaseModel], Kind] = {
    Ping: Kind.PING,
    Join: Kind.MEMBERSHIP,
    Leave: Kind.MEMBERSHIP,
    Hand: Kind.OWN,
    AcceptSpeak: Kind.OWN,
    DeclineSpeak: Kind.OWN,
    InviteToSpeak: Kind.MODERATION,
    MakeModerator: Kind.MODERATION,
    RemoveModerator: Kind.MODERATION,
    RemoveFromRoom: Kind.MODERATION,
    EndRoom: Kind.MODERATION,
    SetHands: Kind.MODERATION,
    Publish: Kind.MEDIA,
    Unpublish: Kind.MEDIA,
    SubscribeAnswer: Kind.ANSWER,
    Audience: Kind.AUDIENCE,
}


def kind_of(message: ClientMessage, sender_id: str) -> Kind:
    """The budget a message draws on. Muting or moving someone else is moderation;
    muting yourself or stepping down is your own change."""
    if isinstance(message, Mute | MoveToAudience):
        return Kind.OWN if message.user_id in (None, sender_id) else Kind.MODERATION
    return _KINDS[type(message)]


class TokenBucket:
    """``burst`` tokens, refilled at ``per_second``; a message takes one. The limit is
    given on every call, so a bucket whose shape changes (a room's, as it grows) is
    still one bucket."""

    __slots__ = ("_stamp", "_tokens")

    def __init__(self, limit: Limit, now: float) -> None:
        self._tokens = limit.burst
        self._stamp = now

    def wait(self, limit: Limit, now: float) -> float:
        """Seconds until a token is there (0: one is there now); takes nothing."""
        self._tokens = min(
            limit.burst, self._tokens + max(0.0, now - self._stamp) * limit.per_second
        )
        self._stamp = max(self._stamp, now)
        return 0.0 if self._tokens >= 1 else (1 - self._tokens) / limit.per_second

    def spend(self) -> None:
        self._tokens -= 1

    def take(self, limit: Limit, now: float) -> float:
        """Take a token if there is one; the wait otherwise (nothing taken)."""
        wait = self.wait(limit, now)
        if wait == 0.0:
            self.spend()
        return wait

    def full(self, limit: Limit, now: float) -> bool:
        """Whether the bucket has refilled to its burst (forgetting it changes nothing)."""
        return self._tokens + max(0.0, now - self._stamp) * limit.per_second >= limit.burst


def refusal(text: str, wait: float, code: ErrorCode = ErrorCode.RATE_LIMITED) -> TooManyRequests:
    """The error a message over a budget is answered with; ``retry_after`` in whole
    seconds, as HTTP's Retry-After."""
    seconds = max(1, math.ceil(wait))
    return TooManyRequests(f"{text}: try again in {seconds} s.", code, retry_after=seconds)


def room_limit(sockets: int, deliveries_per_second: float, send_queue: int) -> Limit:
    """A live room's budget for its audience's changes (hands, answers to
    invitations), each of which reaches every one of the room's ``sockets``: on
    average at most ``deliveries_per_second`` deliveries, two seconds' worth at once,
    and never at once more than a quarter of what a member's queue holds."""
    per_second = deliveries_per_second / max(1, sockets)
    return Limit(max(1.0, min(send_queue / 4, 2 * per_second)), per_second)


class MemberBudgets:
    """Every member's buckets, shared by their sockets and kept after the last one
    closes, so that reconnecting refills nothing. A member's buckets are forgotten
    once they are all full again, which is when forgetting them changes nothing."""

    SWEEP_EVERY = 60.0  # seconds between looks for members to forget

    def __init__(
        self,
        limits: Mapping[Kind, Limit] = MEMBER_LIMITS,
        clock: Clock = time.monotonic,
    ) -> None:
        self.limits = dict(limits)
        self.clock = clock
        self._buckets: dict[str, dict[Kind, TokenBucket]] = {}
        self._swept = clock()

    @classmethod
    def scaled(cls, factor: float, clock: Clock = time.monotonic) -> MemberBudgets:
        return cls({kind: limit.scaled(factor) for kind, limit in MEMBER_LIMITS.items()}, clock)

    def take(self, user_id: str, kind: Kind) -> float:
        """Take one of the member's tokens of this kind: 0, or the wait (nothing taken)."""
        now = self.clock()
        if now - self._swept >= self.SWEEP_EVERY:
            self._sweep(now)
        limit = self.limits[kind]
        buckets = self._buckets.setdefault(user_id, {})
        bucket = buckets.get(kind)
        if bucket is None:
            bucket = buckets[kind] = TokenBucket(limit, now)
        return bucket.take(limit, now)

    def __len__(self) -> int:
        """How many members' buckets are held."""
        return len(self._buckets)

    def _sweep(self, now: float) -> None:
        self._swept = now
        for user_id, buckets in list(self._buckets.items()):
            if all(bucket.full(self.limits[kind], now) for kind, bucket in buckets.items()):
                del self._buckets[user_id]


class SocketGate:
    """One socket's limits: its frames (and its member's), the member's budget for
    each kind of message, and its refusals. :meth:`frame` and :meth:`message` return
    the refusal to answer, if any; :meth:`refused` says whether the socket may stay
    open after one."""

    def __init__(
        self,
        budgets: MemberBudgets,
        user_id: str,
        frames: Limit = SOCKET_FRAMES,
        refusals: Limit = REFUSALS,
    ) -> None:
        now = budgets.clock()
        self._budgets = budgets
        self._user_id = user_id
        self._frame_limit = frames
        self._refusal_limit = refusals
        self._frames = TokenBucket(frames, now)
        self._refusals = TokenBucket(refusals, now)

    @classmethod
    def scaled(cls, budgets: MemberBudgets, user_id: str, factor: float) -> SocketGate:
        return cls(budgets, user_id, SOCKET_FRAMES.scaled(factor), REFUSALS.scaled(factor))

    def frame(self) -> TooManyRequests | None:
        """Any frame at all, before it is decoded: None, or the refusal to answer."""
        if wait := self._frames.take(self._frame_limit, self._budgets.clock()):
            return refusal("Too many messages on this connection", wait)
        if wait := self._budgets.take(self._user_id, Kind.FRAME):
            return refusal("Too many messages", wait)
        return None

    def message(self, message: ClientMessage) -> TooManyRequests | None:
        """A message that parsed, against its member's budget for its kind: None, or
        the refusal to answer."""
        if wait := self._budgets.take(self._user_id, kind_of(message, self._user_id)):
            return refusal(f"Too many `{message.type}` messages", wait)
        return None

    def refused(self) -> bool:
        """Count one refusal; False when the socket has had more than it may (close it)."""
        return self._refusals.take(self._refusal_limit, self._budgets.clock()) == 0.0


class MemberBucket:
    """One bucket per member for one thing they do outside the socket (avatar
    uploads), in memory like :class:`MemberBudgets` and forgotten the same way, once
    full again."""

    def __init__(self, limit: Limit, clock: Clock = time.monotonic) -> None:
        self.limit = limit
        self.clock = clock
        self._buckets: dict[str, TokenBucket] = {}
        self._swept = clock()

    def take(self, user_id: str) -> float:
        """Take one of the member's tokens: 0, or the wait (nothing taken)."""
        now = self.clock()
        if now - self._swept >= MemberBudgets.SWEEP_EVERY:
            self._swept = now
            for key, bucket in list(self._buckets.items()):
                if bucket.full(self.limit, now):
                    del self._buckets[key]
        bucket = self._buckets.setdefault(user_id, TokenBucket(self.limit, now))
        return bucket.take(self.limit, now)

    def __len__(self) -> int:
        return len(self._buckets)
