"""Muting enforced by Janus: VideoRoom's ``moderate`` request, which makes Janus
drop a publisher's packets whatever its client sends.

A muted speaker's own client turns its microphone off, but a client may ignore the
flag (a bug, or on purpose). So the services' muted flag is applied at Janus too:
``moderate`` with ``mute: true`` for each audio stream of the publisher, and
``mute: false`` to forward it again. Janus 1.1.2, as read in its VideoRoom plugin:

- it is a synchronous request (answered ``success`` at once) and takes effect on
  the next packet: Janus checks the stream's flag for every packet it relays;
- it names the publisher's feed and one stream by its ``mid``, so the mids come from
  the ``streams`` of the publish reply (or the offer's ``a=mid`` lines);
- the flag belongs to the publisher's streams, so a new publisher handle (a
  republish) starts unmoderated: it is moderated again before its answer is
  returned, so before any of its packets can arrive;
- while moderated, a stream's audio level is not measured: no talking events.
"""

from __future__ import annotations

from typing import Any

from teahouse.media.janus_client import JanusHandle, JsonObject
from teahouse.media.sdp import audio_mids
from teahouse.media.videoroom_state import PublisherState, RoomState


def published_audio_mids(reply: JsonObject, offer_sdp: str) -> tuple[str, ...]:
    """The mids of the audio streams Janus took from a publish (its reply's
    ``streams``), or else those of the offer."""
    streams: Any = reply.get("streams")
    if isinstance(streams, list):
        mids = [
            str(s["mid"])
            for s in streams
            if isinstance(s, dict) and s.get("type") == "audio" and s.get("mid") is not None
        ]
        if mids:
            return tuple(mids)
    return tuple(audio_mids(offer_sdp))


async def moderate(admin: JanusHandle, room: RoomState, pub: PublisherState, muted: bool) -> None:
    """Have Janus drop (or forward again) every audio stream of ``pub``."""
    for mid in pub.audio_mids:
        await admin.message(
            {
                "request": "moderate",
                "secret": room.secret,
                "room": room.janus_id,
                "id": pub.feed_id,
                "mid": mid,
                "mute": muted,
            }
        )
    pub.moderated = muted
