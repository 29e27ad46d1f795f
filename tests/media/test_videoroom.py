"""JanusMediaBackend against a real managed Janus, with aiortc peers that hear tones."""

from __future__ import annotations

import asyncio
import time

import pytest

from teahouse.errors import BadRequest, Conflict, ErrorCode
from teahouse.media.base import FeedsChanged, SubscriptionOffer, Talking
from teahouse.media.videoroom import JanusMediaBackend
from tests.media.conftest import EventLog, Peers, record_timing
from tests.support.peers import PublisherPeer, SubscriberPeer

pytestmark = pytest.mark.netns

ROOM = "room-1"


async def start_publishing(
    backend: JanusMediaBackend,
    events: EventLog,
    peers: Peers,
    who: str,
    frequency: float,
    *,
    muted: bool = False,
) -> PublisherPeer:
    """Publish a tone and wait until the backend reports the publisher live."""
    peer = peers.publisher(frequency)
    offer = await peer.offer()
    started = time.monotonic()
    answer = await backend.publish(ROOM, who, offer, muted=muted)
    record_timing("publish: backend.publish() round trip", time.monotonic() - started)
    await peer.accept(answer)
    await peer.wait_connected()
    record_timing("publish: offer sent to connected", time.monotonic() - started)
    await events.wait_for(lambda e: isinstance(e, FeedsChanged) and who in e.live_publishers)
    return peer


async def listen(
    backend: JanusMediaBackend, peers: Peers, who: str, publishers: frozenset[str]
) -> SubscriberPeer:
    """Subscribe ``who`` to ``publishers`` and complete the negotiation."""
    peer = peers.subscriber()
    offer = await backend.subscribe(ROOM, who, publishers)
    assert offer is not None
    await backend.answer(ROOM, who, await peer.answer(offer))
    return peer


async def test_listener_hears_the_speaker(
    backend: JanusMediaBackend, events: EventLog, peers: Peers
) -> None:
    await backend.ensure_room(ROOM)
    await start_publishing(backend, events, peers, "alice", 440)
    assert backend.live_publishers(ROOM) == {"alice"}

    started = time.monotonic()
    listener = await listen(backend, peers, "bob", frozenset({"alice"}))
    track = await listener.wait_audio("0", seconds=1.0)
    assert track.first_frame_at is not None
    record_timing("subscribe: request to first decoded frame", track.first_frame_at - started)

    assert listener.heard("0") == pytest.approx(440, abs=10)
    # A loud, steady tone is speech as far as the level detector knows.
    await events.wait_for(Talking(ROOM, "alice", True))

    await backend.unpublish(ROOM, "alice")
    await events.wait_for(FeedsChanged(ROOM, frozenset()))
    await events.wait_for(Talking(ROOM, "alice", False))
    assert backend.live_publishers(ROOM) == frozenset()


async def test_listener_hears_two_speakers_on_separate_tracks(
    backend: JanusMediaBackend, events: EventLog, peers: Peers
) -> None:
    await start_publishing(backend, events, peers, "alice", 440)
    await start_publishing(backend, events, peers, "carol", 660)
    listener = await listen(backend, peers, "bob", frozenset({"alice", "carol"}))

    await listener.wait_audio("0", seconds=1.0)
    await listener.wait_audio("1", seconds=1.0)
    heard = sorted(listener.heard(mid) for mid in ("0", "1"))
    assert heard == [pytest.approx(440, abs=10), pytest.approx(660, abs=10)]


async def test_subscription_follows_the_speakers(
    backend: JanusMediaBackend, events: EventLog, peers: Peers
) -> None:
    await start_publishing(backend, events, peers, "alice", 440)
    await start_publishing(backend, events, peers, "carol", 660)
    listener = await listen(backend, peers, "bob", frozenset({"alice"}))
    await listener.wait_audio("0", seconds=0.5)
    assert listener.heard("0") == pytest.approx(440, abs=10)
    # Nothing changed, nothing to negotiate.
    assert await backend.subscribe(ROOM, "bob", frozenset({"alice"})) is None

    first_ufrag = ice_ufrag(listener.pc.remoteDescription.sdp)
    offer = await backend.subscribe(ROOM, "bob", frozenset({"alice", "carol"}))
    assert offer is not None
    # A renegotiation keeps the ICE credentials: clients renegotiate the same connection.
    assert ice_ufrag(offer) == first_ufrag
    await backend.answer(ROOM, "bob", await listener.answer(offer))
    await listener.wait_audio("1", seconds=1.0)
    assert listener.heard("1") == pytest.approx(660, abs=10)
    assert listener.heard("0") == pytest.approx(440, abs=10)

    # A speaker who leaves: Janus drops the stream and offers new SDP on its own.
    await backend.leave(ROOM, "alice")
    await events.wait_for(FeedsChanged(ROOM, frozenset({"carol"})))
    renegotiated = await events.wait_for(
        lambda e: isinstance(e, SubscriptionOffer) and e.participant_id == "bob"
    )
    assert isinstance(renegotiated, SubscriptionOffer)
    await backend.answer(ROOM, "bob", await listener.answer(renegotiated.sdp))
    heard_so_far = sum(f.size for f in listener.tracks["1"].frames) / 48000
    await listener.wait_audio("1", seconds=heard_so_far + 0.5)
    assert listener.heard("1") == pytest.approx(660, abs=10)
    # What the services would ask now changes nothing on the Janus side.
    assert await backend.subscribe(ROOM, "bob", frozenset({"carol"})) is None

    # An empty set ends the subscription; the next one is a new handle with new ICE
    # credentials, which clients recognise and answer on a fresh connection.
    # (Janus changes the o= session id even when renegotiating, so that is no guide.)
    assert await backend.subscribe(ROOM, "bob", frozenset()) is None
    fresh = await backend.subscribe(ROOM, "bob", frozenset({"carol"}))
    assert fresh is not None
    assert ice_ufrag(fresh) != first_ufrag


async def test_garbage_sdp_is_a_bad_request(
    backend: JanusMediaBackend, events: EventLog, peers: Peers
) -> None:
    await backend.ensure_room(ROOM)
    not_sdp = "hello"
    no_ice = (
        "v=0\r\no=- 1 1 IN IP4 127.0.0.2\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
    )
    with_video = (await peers.publisher(440).offer()) + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"
    for bad in (not_sdp, no_ice, with_video):
        with pytest.raises(BadRequest) as caught:
            await backend.publish(ROOM, "mallory", bad)
        assert caught.value.code == "invalid_sdp"
    assert backend.live_publishers(ROOM) == frozenset()

    # The refused attempts left nothing behind: a real offer still works.
    await start_publishing(backend, events, peers, "mallory", 440)


async def test_speaker_rotation_reuses_the_subscription(
    backend: JanusMediaBackend, events: EventLog, peers: Peers
) -> None:
    await start_publishing(backend, events, peers, "alice", 440)
    listener = await listen(backend, peers, "bob", frozenset({"alice"}))
    await listener.wait_audio("0", seconds=0.5)

    # The only speaker leaves: Janus offers SDP with the stream switched off.
    await backend.unpublish(ROOM, "alice")
    gone = await events.wait_for(lambda e: isinstance(e, SubscriptionOffer))
    assert isinstance(gone, SubscriptionOffer)
    await backend.answer(ROOM, "bob", await listener.answer(gone.sdp))

    # A new speaker: the same handle (same PeerConnection) carries her, and Janus
    # recycles the idle m-line rather than adding one.
    await start_publishing(backend, events, peers, "carol", 660)
    offer = await backend.subscribe(ROOM, "bob", frozenset({"carol"}))
    assert offer is not None
    await backend.answer(ROOM, "bob", await listener.answer(offer))
    assert await listener.wait_for_tone(660) == "0"


async def test_changes_while_an_offer_is_unanswered_arrive_as_one_later_offer(
    backend: JanusMediaBackend, events: EventLog, peers: Peers
) -> None:
    await start_publishing(backend, events, peers, "alice", 440)
    await start_publishing(backend, events, peers, "carol", 660)
    listener = peers.subscriber()
    first = await backend.subscribe(ROOM, "bob", frozenset({"alice"}))
    assert first is not None
    # Janus postpones the update until the first offer is answered.
    assert await backend.subscribe(ROOM, "bob", frozenset({"alice", "carol"})) is None
    await backend.answer(ROOM, "bob", await listener.answer(first))
    later = await events.wait_for(lambda e: isinstance(e, SubscriptionOffer))
    assert isinstance(later, SubscriptionOffer)
    await backend.answer(ROOM, "bob", await listener.answer(later.sdp))
    await listener.wait_audio("0", seconds=0.5)
    await listener.wait_audio("1", seconds=0.5)
    assert sorted(listener.heard(mid) for mid in ("0", "1")) == [
        pytest.approx(440, abs=10),
        pytest.approx(660, abs=10),
    ]


async def test_unsubscribing_keeps_the_peer_connection(
    backend: JanusMediaBackend, events: EventLog, peers: Peers
) -> None:
    await start_publishing(backend, events, peers, "alice", 440)
    listener = await listen(backend, peers, "bob", frozenset({"alice"}))
    await listener.wait_audio("0", seconds=0.5)

    # Only a speaker who is not live yet: alice's stream goes, the handle stays.
    offer = await backend.subscribe(ROOM, "bob", frozenset({"carol"}))
    assert offer is not None
    assert "a=inactive" in offer
    await backend.answer(ROOM, "bob", await listener.answer(offer))

    await start_publishing(backend, events, peers, "carol", 660)
    offer = await backend.subscribe(ROOM, "bob", frozenset({"carol"}))
    assert offer is not None
    await backend.answer(ROOM, "bob", await listener.answer(offer))
    assert await listener.wait_for_tone(660) in listener.tracks


async def test_a_speaker_who_stops_sending_stops_talking(
    backend: JanusMediaBackend, events: EventLog, peers: Peers
) -> None:
    speaker = await start_publishing(backend, events, peers, "alice", 440)
    live_at = time.monotonic()
    await events.wait_for(Talking(ROOM, "alice", True))
    record_timing("talking detected after live", time.monotonic() - live_at)

    speaker.track.stop()  # no more packets, and no "stopped-talking" from Janus
    stopped_at = time.monotonic()
    await events.wait_for(Talking(ROOM, "alice", False), within=5)
    record_timing("not talking after packets stop", time.monotonic() - stopped_at)
    # Silence is not leaving: the feed stays until the services end it.
    assert backend.live_publishers(ROOM) == {"alice"}


def ice_ufrag(sdp: str) -> str:
    """The ICE username fragment of an SDP (RFC 8839 §5.4): new handle, new value."""
    return next(line for line in sdp.splitlines() if line.startswith("a=ice-ufrag:"))


async def test_an_answer_to_an_offer_withdrawn_as_the_stage_emptied_is_no_error(
    backend: JanusMediaBackend, events: EventLog, peers: Peers
) -> None:
    """A moderator moves the only other speaker to the audience: Janus offers the
    moderator new SDP without that stream, and the stage the moderator hears empties,
    so the subscription is dropped before the moderator's answer arrives. That answer
    was sent in good faith: it is taken quietly, not refused with wrong_state."""
    await start_publishing(backend, events, peers, "alice", 440)
    listener = await listen(backend, peers, "bob", frozenset({"alice"}))
    await listener.wait_audio("0", seconds=0.5)

    await backend.unpublish(ROOM, "alice")
    offered = await events.wait_for(
        lambda e: isinstance(e, SubscriptionOffer) and e.participant_id == "bob"
    )
    assert isinstance(offered, SubscriptionOffer)
    answer = await listener.answer(offered.sdp)  # the member's answer is on its way...
    assert await backend.subscribe(ROOM, "bob", frozenset()) is None  # nobody left to hear
    await backend.answer(ROOM, "bob", answer)  # ...and arrives after the drop

    # Only that one answer: a second one answers nothing anybody offered.
    with pytest.raises(Conflict) as refused:
        await backend.answer(ROOM, "bob", answer)
    assert refused.value.code == ErrorCode.WRONG_STATE

    # Listening starts afresh when someone is on the stage again.
    await start_publishing(backend, events, peers, "carol", 660)
    fresh = peers.subscriber()
    offer = await backend.subscribe(ROOM, "bob", frozenset({"carol"}))
    assert offer is not None
    await backend.answer(ROOM, "bob", await fresh.answer(offer))
    assert await fresh.wait_for_tone(660) in fresh.tracks


async def quiet_since(listener: SubscriberPeer, since: float, watch: float = 1.0) -> bool:
    """Whether nothing loud arrived on "0" after ``since`` (listening ``watch`` s)."""
    await asyncio.sleep(watch)
    track = listener.tracks.get("0")
    return track is None or not track.loud_frames_since(since)


async def test_a_muted_publisher_is_dropped_at_janus_whatever_it_sends(
    backend: JanusMediaBackend, events: EventLog, peers: Peers
) -> None:
    # Published muted: Janus drops it from the first packet, though the peer sends.
    await start_publishing(backend, events, peers, "alice", 440, muted=True)
    listener = await listen(backend, peers, "bob", frozenset({"alice"}))
    assert await quiet_since(listener, 0.0)
    await backend.set_muted(ROOM, "alice", False)
    assert await listener.wait_for_tone(440) == "0"
    await backend.set_muted(ROOM, "alice", True)
    assert await quiet_since(listener, time.monotonic() + 0.3)

    # A republish is a new publisher on Janus, which starts unmoderated: published
    # muted, it is moderated before its answer, so it is never heard.
    await start_publishing(backend, events, peers, "alice", 660, muted=True)
    gone = await events.wait_for(lambda e: isinstance(e, SubscriptionOffer))
    assert isinstance(gone, SubscriptionOffer)
    await backend.answer(ROOM, "bob", await listener.answer(gone.sdp))
    offer = await backend.subscribe(ROOM, "bob", frozenset({"alice"}))
    assert offer is not None
    await backend.answer(ROOM, "bob", await listener.answer(offer))
    republished = time.monotonic()
    assert await quiet_since(listener, republished)
    await backend.set_muted(ROOM, "alice", False)
    assert await listener.wait_for_tone(660) == "0"
