"""The VideoRoom requests the backend sends, one coroutine each: what the body holds
and what a good reply looks like, so :mod:`teahouse.media.videoroom` reads as the
state it keeps and when, not as JSON."""

from __future__ import annotations

import secrets
from typing import Any

from teahouse.errors import BadRequest, ErrorCode
from teahouse.media.janus_client import JanusError, JanusHandle, PluginReply
from teahouse.media.videoroom_state import PublisherState, RoomState, random_janus_id

NO_SUCH_FEED = 428
NO_SUCH_ROOM = 426
ROOM_EXISTS = 427

#: Room settings. Talking is decided over 25 packets (0.5 s of Opus at 20 ms) whose
#: average level is above -40 dBov: ordinary speech, not a quiet room's hiss.
ROOM_OPTIONS: dict[str, Any] = {
    "is_private": True,
    "publishers": 10_000,  # the services decide who speaks, not Janus
    "audiocodec": "opus",
    "opus_fec": True,
    "audiolevel_ext": True,
    "audiolevel_event": True,
    "audio_active_packets": 25,
    "audio_level_average": 40,
    "notify_joining": False,
    "videoorient_ext": False,
    "playoutdelay_ext": False,
    "permanent": False,
}


async def create_room(admin: JanusHandle, room_id: str, taken: set[int]) -> RoomState:
    """A new private VideoRoom room with a random ID and secret."""
    secret = secrets.token_urlsafe(24)
    while True:
        janus_id = random_janus_id(taken)
        body = {"request": "create", "room": janus_id, "secret": secret, **ROOM_OPTIONS}
        try:
            await admin.message(body)
        except JanusError as exc:
            if exc.code != ROOM_EXISTS:  # someone else's room: draw again
                raise
            continue
        return RoomState(room_id=room_id, janus_id=janus_id, secret=secret)


async def destroy_room(admin: JanusHandle, janus_id: int, secret: str) -> None:
    """Destroy a VideoRoom room; one already gone counts as destroyed."""
    try:
        await admin.message({"request": "destroy", "room": janus_id, "secret": secret})
    except JanusError as exc:
        if exc.code != NO_SUCH_ROOM:
            raise


async def join_and_publish(
    handle: JanusHandle, room: RoomState, pub: PublisherState, offer_sdp: str
) -> PluginReply:
    """Join ``room`` as ``pub``'s feed and publish ``offer_sdp``: the reply holds the
    answer (checked to be one)."""
    await handle.message(
        {"request": "join", "ptype": "publisher", "room": room.janus_id, "id": pub.feed_id}
    )
    reply = await handle.message(
        {"request": "publish", "audiocodec": "opus"}, {"type": "offer", "sdp": offer_sdp}
    )
    if reply.jsep is None or reply.jsep.get("type") != "answer":
        raise BadRequest("the media server did not answer the offer", ErrorCode.INVALID_SDP)
    return reply


async def join_subscriber(handle: JanusHandle, room: RoomState, feeds: set[int]) -> str:
    """Join ``room`` as a multistream subscriber to ``feeds``: Janus's offer."""
    reply = await handle.message(
        {
            "request": "join",
            "ptype": "subscriber",
            "room": room.janus_id,
            "streams": [{"feed": feed} for feed in sorted(feeds)],
        }
    )
    if reply.jsep is None:
        raise JanusError(0, "VideoRoom joined a subscriber without an offer")
    return str(reply.jsep["sdp"])


async def update_subscription(handle: JanusHandle, add: set[int], remove: set[int]) -> str | None:
    """Add and remove feeds of a subscription: Janus's new offer, or None when it
    postponed the change ("updating": an earlier offer is still unanswered)."""
    body: dict[str, Any] = {"request": "update"}
    if add:
        body["subscribe"] = [{"feed": feed} for feed in sorted(add)]
    if remove:
        body["unsubscribe"] = [{"feed": feed} for feed in sorted(remove)]
    reply = await handle.message(body)
    return None if reply.jsep is None else str(reply.jsep["sdp"])
