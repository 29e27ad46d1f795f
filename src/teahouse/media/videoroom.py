"""The :class:`~teahouse.media.base.MediaBackend` on Janus's VideoRoom plugin.

One Janus session; per Teahouse room one private, audio-only VideoRoom room with a
random numeric ID and secret; per publishing participant one publisher handle; per
listening participant one multistream subscriber handle whose streams follow the
set of publishers the services ask for.

What Janus does that shapes this module (Janus 1.1.2, observed):

- a feed can be subscribed to only after its publisher's ``webrtcup``; before, the
  join fails with 428 "No such feed". So a publisher counts as live from
  ``webrtcup`` until ``hangup``/``unpublished``/``leaving``/``detached``;
- when a live publisher goes away, Janus removes its streams from every
  subscription by itself and sends each subscriber an ``updated`` event with a new
  offer (no transaction): that becomes a :class:`SubscriptionOffer`;
- while a subscriber's offer is unanswered, ``update`` is answered with
  ``updating`` and no SDP: Janus sends the combined offer (again as an event) after
  the ``start`` with the answer arrives;
- ``talking``/``stopped-talking`` go to every publisher handle in the room,
  including the talker's own: each publisher handle reports only its own feed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from teahouse.config import Settings
from teahouse.errors import Conflict, ErrorCode, Unavailable
from teahouse.media.base import FeedsChanged, MediaEventHandler, SubscriptionOffer, Talking
from teahouse.media.dispatch import EventDispatcher
from teahouse.media.janus_client import (
    JanusClientError,
    JanusError,
    JanusEvent,
    JanusHandle,
)
from teahouse.media.janus_session import (
    VIDEOROOM,
    EndpointSource,
    ExternalJanus,
    JanusSession,
    translate_errors,
)
from teahouse.media.managed import ManagedJanus
from teahouse.media.moderation import moderate, published_audio_mids
from teahouse.media.sdp import check_answer, check_audio_offer
from teahouse.media.videoroom_requests import (
    NO_SUCH_FEED,
    create_room,
    destroy_room,
    join_and_publish,
    join_subscriber,
    update_subscription,
)
from teahouse.media.videoroom_state import (
    KeyedLocks,
    PublisherState,
    RoomState,
    SubscriberState,
    random_janus_id,
)

logger = logging.getLogger(__name__)

# A Janus that takes longer than this to say who it is counts as not ready.
CHECK_TIMEOUT = 2.0


class JanusMediaBackend:
    """MediaBackend on Janus VideoRoom.

    How it reads the contract where :mod:`teahouse.media.base` leaves room:

    - ``publish``/``subscribe`` create the Janus room when it is missing (e.g.
      right after a restart), so ``ensure_room`` is an optimisation, not a must;
    - a subscription is one handle, hence one client PeerConnection, from the first
      offer until ``subscribe(..., frozenset())``, ``leave``, ``destroy_room``, a
      "restarted", or the client's own PeerConnection failing. While it lasts every
      offer (returned or sent as :class:`SubscriptionOffer`) renegotiates that same
      PeerConnection; the first offer after it ended needs a new one. Asking for
      publishers none of whom is live keeps the handle (its m-lines go inactive);
    - ``subscribe`` returns None also when Janus postponed the change because an
      earlier offer is unanswered: the combined offer follows as a
      :class:`SubscriptionOffer` once that answer arrives;
    - events reach the handler one at a time, in order; the handler may call back
      into the backend but must not wait for a later event.
    """

    def __init__(self, source: EndpointSource) -> None:
        self._session = JanusSession(source, on_down=self._forget_all, on_up=self._cleanup)
        self._rooms: dict[str, RoomState] = {}
        self._orphans: list[tuple[int, str]] = []  # rooms of a lost connection
        self._locks = KeyedLocks()
        self._events = EventDispatcher()
        self._emit = self._events.emit
        self._background: set[asyncio.Task[None]] = set()

    # -- lifecycle -------------------------------------------------------------

    def set_event_handler(self, handler: MediaEventHandler) -> None:
        self._events.handler = handler

    async def start(self) -> None:
        self._events.start()
        self._session.set_state_listener(self._emit)
        try:
            await self._session.start()
        except BaseException:
            await self.close()  # never leave a managed Janus running behind an error
            raise

    async def close(self) -> None:
        for room in list(self._rooms.values()):
            with contextlib.suppress(JanusClientError, Unavailable):
                await self._destroy(room)
        self._rooms.clear()
        await self._session.close()
        for task in list(self._background):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self._events.close()

    @property
    def session(self) -> JanusSession:
        """The connection to Janus (tests use it to reach the managed process)."""
        return self._session

    # -- rooms ------------------------------------------------------------------

    async def ensure_room(self, room_id: str) -> None:
        await self._room(room_id)

    async def destroy_room(self, room_id: str) -> None:
        async with self._locks.hold(("room", room_id)):
            room = self._rooms.pop(room_id, None)
            if room is None:
                return
            with translate_errors():
                await self._destroy(room)
            if room.reported_live:
                self._emit(FeedsChanged(room_id, frozenset()))

    def live_publishers(self, room_id: str) -> frozenset[str]:
        room = self._rooms.get(room_id)
        return room.reported_live if room is not None else frozenset()

    # -- for the operator ---------------------------------------------------------

    async def check(self) -> None:
        # `info` needs no session and touches no room: a round trip and nothing else.
        with translate_errors():
            await self._session.client().request({"janus": "info"}, reply_timeout=CHECK_TIMEOUT)

    def listener_streams(self) -> int:
        return sum(
            len(sub.feeds) for room in self._rooms.values() for sub in room.subscribers.values()
        )

    async def _room(self, room_id: str) -> RoomState:
        async with self._locks.hold(("room", room_id)):
            room = self._rooms.get(room_id)
            if room is not None:
                return room
            taken = {r.janus_id for r in self._rooms.values()}
            with translate_errors():
                room = await create_room(self._session.admin(), room_id, taken)
            self._rooms[room_id] = room
            return room

    async def _destroy(self, room: RoomState) -> None:
        handles = [p.handle for p in room.publishers.values()]
        handles += [s.handle for s in room.subscribers.values()]
        room.publishers.clear()
        room.subscribers.clear()
        for handle in handles:
            await self._detach(handle)
        await destroy_room(self._session.admin(), room.janus_id, room.secret)

    # -- publishing -------------------------------------------------------------

    async def publish(
        self, room_id: str, participant_id: str, offer_sdp: str, *, muted: bool = False
    ) -> str:
        check_audio_offer(offer_sdp)
        async with self._locks.hold(("participant", room_id, participant_id)):
            room = await self._room(room_id)
            old = room.publishers.pop(participant_id, None)
            if old is not None:
                self._publisher_gone(room, old)
                await self._detach(old.handle)
            client = self._session.client()
            pub: PublisherState | None = None

            def on_event(event: JanusEvent) -> None:
                if pub is not None:
                    self._on_publisher_event(room, pub, event)

            with translate_errors():
                handle = await client.attach(VIDEOROOM, on_event)
            pub = PublisherState(participant_id, random_janus_id(room.feed_ids()), handle)
            room.publishers[participant_id] = pub
            try:
                with translate_errors(sdp=True):
                    reply = await join_and_publish(handle, room, pub, offer_sdp)
                pub.audio_mids = published_audio_mids(reply.data, offer_sdp)
                if muted:  # before the answer leaves, so before any packet arrives
                    with translate_errors():
                        await moderate(self._session.admin(), room, pub, True)
            except BaseException:
                if room.publishers.get(participant_id) is pub:
                    del room.publishers[participant_id]
                await self._detach(handle)
                raise
            assert reply.jsep is not None  # join_and_publish checked it is an answer
            return str(reply.jsep["sdp"])

    async def unpublish(self, room_id: str, participant_id: str) -> None:
        async with self._locks.hold(("participant", room_id, participant_id)):
            await self._unpublish(room_id, participant_id)

    async def set_muted(self, room_id: str, participant_id: str, muted: bool) -> None:
        async with self._locks.hold(("participant", room_id, participant_id)):
            room = self._rooms.get(room_id)
            pub = room.publishers.get(participant_id) if room is not None else None
            if room is None or pub is None or pub.moderated == muted:
                return
            with translate_errors():
                await moderate(self._session.admin(), room, pub, muted)
            if not muted and pub.talking:  # Janus measured nothing while moderated, and
                self._emit(Talking(room_id, participant_id, True))  # won't say it again

    async def _unpublish(self, room_id: str, participant_id: str) -> None:
        room = self._rooms.get(room_id)
        pub = room.publishers.pop(participant_id, None) if room is not None else None
        if room is not None and pub is not None:
            self._publisher_gone(room, pub)
            await self._detach(pub.handle)

    def _on_publisher_event(self, room: RoomState, pub: PublisherState, event: JanusEvent) -> None:
        if self._is_current(room) and room.publishers.get(pub.participant_id) is pub:
            for media_event in room.publisher_event(pub, event):
                self._emit(media_event)

    def _publisher_gone(self, room: RoomState, pub: PublisherState) -> None:
        for media_event in room.publisher_gone(pub):
            self._emit(media_event)

    # -- subscribing ------------------------------------------------------------

    async def subscribe(
        self, room_id: str, participant_id: str, publishers: frozenset[str]
    ) -> str | None:
        async with self._locks.hold(("participant", room_id, participant_id)):
            if not publishers:
                await self._drop_subscriber(room_id, participant_id)
                return None
            room = await self._room(room_id)
            # A publisher can vanish between our look and Janus's (428): look again.
            for attempt in range(3):
                try:
                    with translate_errors():
                        return await self._subscribe(room, participant_id, publishers)
                except JanusError as exc:
                    if exc.code != NO_SUCH_FEED or attempt == 2:
                        raise
                    await asyncio.sleep(0.05)
            raise AssertionError("unreachable")

    async def _subscribe(
        self, room: RoomState, participant_id: str, publishers: frozenset[str]
    ) -> str | None:
        live = room.live_feeds()
        target = {live[p] for p in publishers if p in live}
        sub = room.subscribers.get(participant_id)
        if sub is None:
            if not target:
                return None  # nobody to hear yet; FeedsChanged will bring them
            return await self._new_subscriber(room, participant_id, target)
        room.prune_subscriptions()
        add, remove = target - sub.feeds, sub.feeds - target
        if not add and not remove:
            return None
        offer = await update_subscription(sub.handle, add, remove)
        sub.feeds = set(target)
        if offer is None:
            # "updating": our previous offer is unanswered; Janus sends one offer
            # covering everything after the answer (a SubscriptionOffer event).
            return None
        sub.awaiting_answer = True
        return offer

    async def _new_subscriber(self, room: RoomState, participant_id: str, feeds: set[int]) -> str:
        sub: SubscriberState | None = None

        def on_event(event: JanusEvent) -> None:
            if sub is not None:
                self._on_subscriber_event(room, sub, event)

        handle = await self._session.client().attach(VIDEOROOM, on_event)
        sub = SubscriberState(participant_id, handle, set(feeds), awaiting_answer=True)
        room.subscribers[participant_id] = sub
        room.withdrawn_offers.discard(participant_id)
        try:
            return await join_subscriber(handle, room, feeds)
        except BaseException:
            if room.subscribers.get(participant_id) is sub:
                del room.subscribers[participant_id]
            await self._detach(handle)
            raise

    async def answer(self, room_id: str, participant_id: str, answer_sdp: str) -> None:
        check_answer(answer_sdp)
        async with self._locks.hold(("participant", room_id, participant_id)):
            room = self._rooms.get(room_id)
            sub = room.subscribers.get(participant_id) if room is not None else None
            if sub is None:
                if room is not None and participant_id in room.withdrawn_offers:
                    # Janus offered (a speaker left) just before the stage emptied and
                    # we dropped the subscription: the member answered in good faith.
                    room.withdrawn_offers.discard(participant_id)
                    return
                raise Conflict("there is no subscription offer to answer", ErrorCode.WRONG_STATE)
            with translate_errors(sdp=True):
                await sub.handle.message(
                    {"request": "start"}, {"type": "answer", "sdp": answer_sdp}
                )
            sub.awaiting_answer = False

    def _on_subscriber_event(
        self, room: RoomState, sub: SubscriberState, event: JanusEvent
    ) -> None:
        if not self._is_current(room) or room.subscribers.get(sub.participant_id) is not sub:
            return
        if event.kind == "event" and event.jsep is not None and event.jsep.get("type") == "offer":
            sub.awaiting_answer = True
            self._emit(SubscriptionOffer(room.room_id, sub.participant_id, str(event.jsep["sdp"])))
        elif event.kind in ("hangup", "detached"):
            # The listener's PeerConnection is gone (closed, ICE failed): a later
            # subscribe() starts afresh on a new handle.
            del room.subscribers[sub.participant_id]
            if event.kind == "hangup":
                self._spawn(self._detach(sub.handle))

    async def _drop_subscriber(self, room_id: str, participant_id: str) -> None:
        room = self._rooms.get(room_id)
        sub = room.subscribers.pop(participant_id, None) if room is not None else None
        if sub is not None:
            if room is not None and sub.awaiting_answer:
                room.withdrawn_offers.add(participant_id)
            await self._detach(sub.handle)

    async def leave(self, room_id: str, participant_id: str) -> None:
        async with self._locks.hold(("participant", room_id, participant_id)):
            await self._unpublish(room_id, participant_id)
            await self._drop_subscriber(room_id, participant_id)
            if room := self._rooms.get(room_id):
                room.withdrawn_offers.discard(participant_id)  # gone: no answer to wait for

    # -- connection state ------------------------------------------------------

    def _forget_all(self) -> None:
        """The connection is gone and with it every handle: forget Janus-side state."""
        self._orphans += [(r.janus_id, r.secret) for r in self._rooms.values()]
        self._rooms.clear()

    async def _cleanup(self) -> None:
        """After reconnecting: destroy the rooms a surviving Janus may still hold."""
        orphans, self._orphans = self._orphans, []
        for janus_id, secret in orphans:
            with contextlib.suppress(JanusClientError):
                await destroy_room(self._session.admin(), janus_id, secret)

    def _is_current(self, room: RoomState) -> bool:
        return self._rooms.get(room.room_id) is room

    async def _detach(self, handle: JanusHandle) -> None:
        # Best effort: a handle on a lost connection is already gone on Janus's side.
        with contextlib.suppress(JanusClientError):
            await handle.detach()

    def _spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self._background.add(task)
        task.add_done_callback(self._background.discard)


def create_media_backend(settings: Settings) -> JanusMediaBackend:
    """A backend on an external Janus (``janus_url``) or one Teahouse manages."""
    source: EndpointSource
    if settings.janus_url:
        source = ExternalJanus(settings.janus_url, settings.janus_api_secret())
    else:
        source = ManagedJanus(settings)
    return JanusMediaBackend(source)
