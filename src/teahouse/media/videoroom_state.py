"""What :class:`~teahouse.media.videoroom.JanusMediaBackend` remembers about Janus.

Plain bookkeeping, no I/O: one :class:`RoomState` per Teahouse room holding the
Janus room ID and secret, one :class:`PublisherState` per publishing participant
(its handle and random feed ID) and one :class:`SubscriberState` per listening
participant (its handle and the feeds it asked for). Janus's numeric IDs live here
and nowhere else.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Hashable
from dataclasses import dataclass, field

from teahouse.media.base import FeedsChanged, MediaEvent, Talking
from teahouse.media.janus_client import JanusEvent, JanusHandle

# JavaScript and JSON tooling lose precision above 2**53; Janus takes any uint64.
_MAX_JANUS_ID = 2**53 - 1


def random_janus_id(taken: set[int] | frozenset[int] = frozenset()) -> int:
    """A random ID in 1..2**53-1 that is not in ``taken``."""
    while True:
        value = secrets.randbelow(_MAX_JANUS_ID) + 1
        if value not in taken:
            return value


@dataclass(eq=False)
class PublisherState:
    """One publisher handle: joined to the room as ``feed_id``."""

    participant_id: str
    feed_id: int
    handle: JanusHandle
    live: bool = False  # between webrtcup and hangup/unpublish/detach
    talking: bool = False
    #: The mids of its audio streams, as Janus names them (for ``moderate``).
    audio_mids: tuple[str, ...] = ()
    #: Janus drops its audio (VideoRoom ``moderate``): the participant is muted.
    moderated: bool = False


@dataclass(eq=False)
class SubscriberState:
    """One multistream subscriber handle.

    ``feeds`` is what Janus will deliver once every request sent so far is applied:
    requests are cumulative even when Janus postpones the renegotiation.
    """

    participant_id: str
    handle: JanusHandle
    feeds: set[int] = field(default_factory=set)
    awaiting_answer: bool = False


@dataclass(eq=False)
class RoomState:
    """A Teahouse room and the VideoRoom room that carries its audio."""

    room_id: str
    janus_id: int
    secret: str
    publishers: dict[str, PublisherState] = field(default_factory=dict)
    subscribers: dict[str, SubscriberState] = field(default_factory=dict)
    #: Live publishers as last reported through FeedsChanged.
    reported_live: frozenset[str] = frozenset()
    #: Members whose subscription was dropped while an offer to them was out: the
    #: answer they send may still arrive, and is nothing to start (not an error).
    withdrawn_offers: set[str] = field(default_factory=set)

    def live_feeds(self) -> dict[str, int]:
        """Participant -> feed ID of every publisher whose media is up."""
        return {p: pub.feed_id for p, pub in self.publishers.items() if pub.live}

    def live(self) -> frozenset[str]:
        return frozenset(p for p, pub in self.publishers.items() if pub.live)

    def feed_ids(self) -> set[int]:
        return {pub.feed_id for pub in self.publishers.values()}

    def publisher_event(self, pub: PublisherState, event: JanusEvent) -> list[MediaEvent]:
        """Apply a Janus event of ``pub``'s handle; return what the services must hear.

        Live from ``webrtcup`` (or media flowing) until ``hangup``, ``detached``,
        or our feed ``unpublished``/``leaving``. "media receiving: false" (no packet
        for a second) is not an end, since a speaker may stop sending for a while, but
        it does end talking: Janus's level detector needs packets to say "stopped".
        Talking events name the feed they are about; every publisher handle gets
        everybody's.
        """
        data = event.data
        if event.kind == "webrtcup" or (event.kind == "media" and data.get("receiving") is True):
            if not pub.live:
                pub.live = True
                return self._live_events()
        elif event.kind == "media" and data.get("receiving") is False:
            if pub.talking:
                pub.talking = False
                return [Talking(self.room_id, pub.participant_id, False)]
        elif event.kind in ("hangup", "detached"):
            return self.publisher_gone(pub)
        elif event.kind == "event":
            kind = data.get("videoroom")
            if kind in ("talking", "stopped-talking") and data.get("id") == pub.feed_id:
                talking = kind == "talking"
                if talking != pub.talking and pub.live:
                    pub.talking = talking
                    return [Talking(self.room_id, pub.participant_id, talking)]
            elif pub.feed_id in (data.get("unpublished"), data.get("leaving")):
                return self.publisher_gone(pub)
        return []

    def publisher_gone(self, pub: PublisherState) -> list[MediaEvent]:
        """``pub`` stopped (or was replaced); it was talking, it is not any more."""
        events: list[MediaEvent] = []
        if pub.talking:
            pub.talking = False
            events.append(Talking(self.room_id, pub.participant_id, False))
        if pub.live:
            pub.live = False
            events += self._live_events()
        return events

    def _live_events(self) -> list[MediaEvent]:
        """The one place that derives the live set; reports it only on change."""
        self.prune_subscriptions()
        live = self.live()
        if live == self.reported_live:
            return []
        self.reported_live = live
        return [FeedsChanged(self.room_id, live)]

    def prune_subscriptions(self) -> None:
        """Forget subscribed feeds that are no longer live.

        Janus drops the streams of a publisher that goes away from every
        subscription by itself (and offers the subscriber new SDP), so there is
        nothing to send for them.
        """
        live = set(self.live_feeds().values())
        for sub in self.subscribers.values():
            sub.feeds &= live


class KeyedLocks:
    """One asyncio lock per key, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)
