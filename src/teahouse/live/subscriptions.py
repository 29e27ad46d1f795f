"""Listening kept in line with publishing: each member of a live room subscribes, on
the media server, to everyone on the stage whose audio flows (except themselves)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from teahouse.live.room import LiveRoom
from teahouse.media.base import MediaBackend
from teahouse.realtime.server_messages import SubscribeOfferMessage, encode

log = logging.getLogger(__name__)

SUBSCRIBE_CONCURRENCY = 16
# A member whose subscription failed (the media server hiccuped) is tried again after
# 0.5, 1, 2, 4 and 8 s; then the failure stands until the publishers change again.
RETRY_FIRST = 0.5
RETRIES = 5


async def sync_subscriptions(
    room: LiveRoom,
    media: MediaBackend,
    still_live: Callable[[], bool],
    retry_later: Callable[[str, float], None],
) -> None:
    """Work through the room's pending resyncs (everyone, or some newcomers) until
    none are left; new ones asked for meanwhile are picked up by the loop. A member
    whose subscription fails is handed to ``retry_later`` with a growing delay."""
    while (room.resync_everyone or room.resync) and still_live():
        if room.resync_everyone:
            targets = set(room.clients)
        else:  # a few newcomers: no need to copy a big room's member list
            targets = {uid for uid in room.resync if uid in room.clients}
        room.resync_everyone = False
        room.resync = set()
        live = media.live_publishers(room.info.id) & room.state.on_stage()
        # Janus answers each subscription in about a millisecond; asking for them a
        # few at a time keeps a big room's listeners from queueing one by one.
        gate = asyncio.Semaphore(SUBSCRIBE_CONCURRENCY)
        order = list(targets)
        outcomes = await asyncio.gather(*(_sync_one(room, media, uid, live, gate) for uid in order))
        for uid, ok in zip(order, outcomes, strict=True):
            if ok:
                room.subscribe_failures.pop(uid, None)
                continue
            failures = room.subscribe_failures[uid] = room.subscribe_failures.get(uid, 0) + 1
            if failures <= RETRIES:
                retry_later(uid, RETRY_FIRST * 2 ** (failures - 1))


async def _sync_one(
    room: LiveRoom, media: MediaBackend, uid: str, live: frozenset[str], gate: asyncio.Semaphore
) -> bool:
    """Bring one member's listening in line; False if the media server failed it."""
    client = room.clients.get(uid)
    if client is None:
        return True
    async with gate:
        try:
            offer = await media.subscribe(room.info.id, uid, live - {uid})
        except Exception:  # one member's failure must not stall everyone else's
            log.exception("subscription of %s in %s failed", uid, room.info.id)
            return False
    if offer is not None and room.clients.get(uid) is client:
        client.send(encode(SubscribeOfferMessage(sdp=offer)))
    return True
