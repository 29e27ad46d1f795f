"""The contract between the room services and whatever carries the audio.

Services decide *who* may publish and *who* hears whom; a :class:`MediaBackend`
does the mechanics (Janus handles, SDP relay). Participants and rooms are named by
Teahouse's own random IDs; Janus's numeric IDs never leave the backend.

SDP is exchanged without trickle ICE: browsers and aiortc wait for ICE gathering to
finish and send complete offers/answers; Janus includes its candidates in the SDP it
returns.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal, Protocol


@dataclass(frozen=True, slots=True)
class FeedsChanged:
    """The set of live publishers in a room changed (a publisher is up or gone)."""

    room_id: str
    live_publishers: frozenset[str]


@dataclass(frozen=True, slots=True)
class Talking:
    """Janus's audio-level detector says a publisher started or stopped talking."""

    room_id: str
    participant_id: str
    talking: bool


@dataclass(frozen=True, slots=True)
class SubscriptionOffer:
    """Janus renegotiated a subscription (feeds added or removed) and offers new SDP."""

    room_id: str
    participant_id: str
    sdp: str


@dataclass(frozen=True, slots=True)
class MediaServerState:
    """The media server went away ("down") or came back empty ("restarted").

    After "restarted" every room, publisher and subscriber is gone on the Janus side;
    the services recreate rooms and ask clients to negotiate again.
    """

    state: Literal["down", "restarted"]


MediaEvent = FeedsChanged | Talking | SubscriptionOffer | MediaServerState
MediaEventHandler = Callable[[MediaEvent], Awaitable[None]]


class MediaBackend(Protocol):
    """What the services need from a media server."""

    def set_event_handler(self, handler: MediaEventHandler) -> None:
        """Register the one coroutine that receives every :data:`MediaEvent`."""

    async def start(self) -> None:
        """Connect (and, in managed mode, start Janus); return when it answers."""

    async def close(self) -> None:
        """Tear down every handle and session; stop a managed Janus."""

    async def ensure_room(self, room_id: str) -> None:
        """Create the audio-only room if the media server does not have it."""

    async def destroy_room(self, room_id: str) -> None:
        """Destroy the room and every handle in it; unknown rooms are ignored."""

    async def publish(
        self, room_id: str, participant_id: str, offer_sdp: str, *, muted: bool = False
    ) -> str:
        """Publish the participant's audio; returns Janus's SDP answer.

        Replaces an earlier publisher handle of the same participant. With ``muted``
        the media server drops their audio from the first packet (it is moderated
        before the answer is returned, so before any packet can arrive). Raises
        ``BadRequest("...", "invalid_sdp")`` for SDP Janus rejects and
        ``Unavailable`` when the media server is down.
        """

    async def unpublish(self, room_id: str, participant_id: str) -> None:
        """Stop the participant's publisher handle, if any."""

    async def set_muted(self, room_id: str, participant_id: str, muted: bool) -> None:
        """Make the media server drop (``muted``) or forward again the participant's
        published audio, whatever their client sends; return once it does. Without a
        publisher there is nothing to do: the next :meth:`publish` says ``muted``."""

    async def subscribe(
        self, room_id: str, participant_id: str, publishers: frozenset[str]
    ) -> str | None:
        """Make the participant's subscription exactly ``publishers``.

        Returns an SDP offer the client must answer (via :meth:`answer`) when the
        subscription was created or renegotiated, or None when nothing changed.
        An empty set tears the subscription down and returns None. Publishers not
        yet live are ignored (they arrive later through ``FeedsChanged``).
        """

    async def answer(self, room_id: str, participant_id: str, answer_sdp: str) -> None:
        """Complete the subscription negotiation with the client's SDP answer."""

    async def leave(self, room_id: str, participant_id: str) -> None:
        """Drop every handle of the participant in the room."""

    def live_publishers(self, room_id: str) -> frozenset[str]:
        """Participants whose published audio is flowing into Janus now."""

    async def check(self) -> None:
        """Return when the media server answers a request now; raise
        ``Unavailable`` when it does not (the readiness check)."""

    def listener_streams(self) -> int:
        """Audio streams the media server is set to forward to listeners now: one for
        each listener and each speaker they hear (the metrics)."""
