"""Media steered by the stage: who publishes, who hears whom, and what the media
server reports back.

The Stage decides *who* may speak; :class:`MediaSteering` makes the media server
agree. Publishing is checked against the stage (and undone when the role changed
while the media server answered); listening is kept in line with publishing
(subscriptions.py), with retries for a member whose subscription failed; and the
media server's events (publishers up or gone, talking, renegotiation offers, the
server failing or coming back) become deltas and messages. Media calls are slow and
remote: none happens under a room's lock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

from teahouse.live.background import Background, quietly
from teahouse.live.room import Client, LiveRoom, LiveRooms
from teahouse.live.subscriptions import sync_subscriptions
from teahouse.media.base import (
    FeedsChanged,
    MediaBackend,
    MediaEvent,
    MediaServerState,
    SubscriptionOffer,
    Talking,
)
from teahouse.media.videoroom_state import KeyedLocks
from teahouse.realtime.server_messages import MediaStatusMessage, SubscribeOfferMessage, encode


class MediaSteering:
    """Publishing, listening and the media server's events, for every live room."""

    def __init__(self, media: MediaBackend, live: LiveRooms, background: Background) -> None:
        self._media = media
        self._live = live
        self._background = background
        # One per member whose mute is being applied or who is publishing.
        self._locks = KeyedLocks()
        media.set_event_handler(self.on_media_event)

    # -- a room's media, from opening to end ------------------------------------------

    async def open(self, room_id: str) -> None:
        await self._media.ensure_room(room_id)

    def stop(self, room: LiveRoom) -> None:
        """The room ended: its listening needs no more work."""
        if room.subscription_task:
            room.subscription_task.cancel()

    async def destroy(self, room_id: str) -> None:
        """Destroy the ended room on the media server (which may be down)."""
        await quietly(self._media.destroy_room(room_id))

    async def leave(self, room_id: str, uid: str) -> None:
        """Drop every handle of someone who left (or whose socket closed)."""
        await quietly(self._media.leave(room_id, uid))

    async def left_stage(self, room: LiveRoom, uids: Iterable[str]) -> None:
        """They are no longer on the stage: their publishing stops, and everyone's
        listening follows."""
        gone = list(uids)
        for uid in gone:
            await quietly(self._media.unpublish(room.info.id, uid))
        if gone:
            self.refresh(room)

    # -- the member's own media -----------------------------------------------------

    async def publish(self, client: Client, offer_sdp: str) -> str:
        """Publish the client's audio, muted at the media server if the member is;
        the media server's SDP answer."""
        room = self._live.of(client)
        uid = client.user.id
        room.state.require_on_stage(uid)
        # The mute flag is read and applied under the member's media lock, as in
        # enforce_mutes: whichever comes second applies the newer flag.
        async with self._locks.hold((room.info.id, uid)):
            muted = room.state.participants[uid].muted
            answer = await self._media.publish(room.info.id, uid, offer_sdp, muted=muted)
        # The role may have changed while Janus was answering: re-check, and undo.
        if uid not in room.state.on_stage():
            await quietly(self._media.unpublish(room.info.id, uid))
            room.state.require_on_stage(uid)
        return answer

    async def enforce_mutes(self, room: LiveRoom, uids: Iterable[str]) -> None:
        """Make the media server drop (or forward again) the audio of these members as
        their muted flag now says; return once it does. The flag is read under the
        member's media lock, so racing mutes and unmutes end as the state ends."""
        for uid in uids:
            async with self._locks.hold((room.info.id, uid)):
                p = room.state.participants.get(uid)
                if p is not None and p.role.on_stage:
                    await quietly(self._media.set_muted(room.info.id, uid, p.muted))

    async def unpublish(self, client: Client) -> None:
        room = self._live.of(client)
        await self._media.unpublish(room.info.id, client.user.id)

    async def subscribe_answer(self, client: Client, answer_sdp: str) -> None:
        room = self._live.of(client)
        await self._media.answer(room.info.id, client.user.id, answer_sdp)

    # -- listening kept in line -------------------------------------------------------

    def refresh(self, room: LiveRoom, only: str | None = None) -> None:
        """Bring listening in line with who publishes: for one member (a newcomer) or
        for everyone (the publishers changed). Coalesced into one running task."""
        if only is None:
            room.resync_everyone = True
        else:
            room.resync.add(only)
        if room.subscription_task is None or room.subscription_task.done():
            still_live = lambda: room.info.id in self._live  # noqa: E731
            room.subscription_task = self._background.spawn(
                sync_subscriptions(room, self._media, still_live, self._retry_later(room))
            )

    def _retry_later(self, room: LiveRoom) -> Callable[[str, float], None]:
        def retry(uid: str, delay: float) -> None:
            self._background.later(delay, self._retry, room.info.id, uid)

        return retry

    def _retry(self, room_id: str, uid: str) -> None:
        room = self._live.get(room_id)
        if room is not None and uid in room.clients:
            self.refresh(room, only=uid)

    # -- what the media server reports --------------------------------------------------

    async def on_media_event(self, event: MediaEvent) -> None:
        match event:
            case FeedsChanged(room_id=room_id, live_publishers=live):
                if room := self._live.get(room_id):
                    async with room.lock:
                        room.publish(room.state.set_publishing(live))
                    self.refresh(room)
            case Talking(room_id=room_id, participant_id=uid, talking=talking):
                if room := self._live.get(room_id):
                    room.talking(uid, talking)
            case SubscriptionOffer(room_id=room_id, participant_id=uid, sdp=sdp):
                room = self._live.get(room_id)
                if room and (client := room.clients.get(uid)):
                    client.send(encode(SubscribeOfferMessage(sdp=sdp)))
            case MediaServerState(state=state):
                await self._media_server_changed(state)

    async def _media_server_changed(self, state: Literal["down", "restarted"]) -> None:
        for room in self._live:
            if state == "restarted":
                await quietly(self._media.ensure_room(room.info.id))
            async with room.lock:
                room.publish(room.state.set_publishing(frozenset()))
                room.broadcast(MediaStatusMessage(state=state))
