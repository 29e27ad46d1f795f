"""A moderator's mute is enforced at Janus, not only in the muted member's browser.

The speaker here is an aiortc peer that never looks at its muted flag: it sends its
tone from the moment it publishes to the end. What the listener decodes from that
speaker's track is what the room hears. After the `ok` of a `mute` (or of a
`move_to_audience`) nothing loud may arrive from it later than 300 ms; after an
unmute the tone comes back (so silence cannot come from a broken connection).
"""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.media.conftest import Peers, record_timing
from tests.support.peers import SubscriberPeer
from tests.support.server import LiveServer, Member, eventually
from tests.support.signalling import listen, speak, start_room

pytestmark = pytest.mark.netns

ACK_TO_SILENCE = 0.3  # seconds: the task's bound
WATCH = 1.5  # seconds of listening after each acknowledgement


async def silent_after(
    ears: SubscriberPeer, mid: str, label: str, actor: Member, action: dict[str, object]
) -> None:
    """Send ``action`` as ``actor``; once it is acknowledged, ``mid`` goes quiet
    within ACK_TO_SILENCE and stays quiet for WATCH."""
    assert (await actor.request(action))["type"] == "ok"
    acked = time.monotonic()
    await asyncio.sleep(WATCH)
    loud = ears.tracks[mid].loud_frames_since(acked)
    last = max(loud, default=acked) - acked
    record_timing(f"{label}: ack to the last loud frame", last)
    assert last <= ACK_TO_SILENCE, (
        f"{label}: the tone still arrived {last * 1000:.0f} ms after the ok"
    )
    assert not ears.tracks[mid].loud_frames_since(acked + ACK_TO_SILENCE)


async def test_a_speaker_who_ignores_the_flag_is_silenced_at_janus(
    app: LiveServer, peers: Peers
) -> None:
    ada, bob, cy = [await app.member(n) for n in ("ada", "bob", "cy")]
    room = await start_room(app, ada)
    assert (await speak(ada, peers.publisher(440)))["type"] == "ok"  # she opened it: live
    ears = peers.subscriber()
    await bob.connect()
    await bob.join(room)
    await listen(bob, ears)
    ada_mid = await ears.wait_for_tone(440, within=15)

    # Cy's raised hand is taken: she arrives on the stage muted, and her client
    # publishes its tone anyway. Bob is offered her stream and hears nothing from it.
    await cy.connect()
    await cy.join(room)
    await cy.request({"type": "hand", "raised": True})
    await ada.upsert(cy.id, hand_raised=True)
    assert (await ada.request({"type": "invite_to_speak", "user_id": cy.id}))["type"] == "ok"
    assert (await cy.upsert(cy.id, role="speaker"))["muted"] is True
    assert (await speak(cy, peers.publisher(660)))["type"] == "ok"
    await listen(bob, ears)
    await eventually(lambda: set(ears.tracks) - {ada_mid}, timeout=10)
    [cy_mid] = set(ears.tracks) - {ada_mid}
    await asyncio.sleep(WATCH)
    assert not ears.tracks[cy_mid].loud_frames_since(0.0), "heard a speaker who arrived muted"
    assert ears.heard(ada_mid) == pytest.approx(440, abs=10)

    # She unmutes: heard. A moderator mutes her: silent, though she keeps sending.
    assert (await cy.request({"type": "mute", "muted": False}))["type"] == "ok"
    assert await ears.wait_for_tone(660, within=10) == cy_mid
    mute = {"type": "mute", "muted": True, "user_id": cy.id}
    await silent_after(ears, cy_mid, "moderator's mute", ada, mute)
    assert ears.heard(ada_mid) == pytest.approx(440, abs=10)  # the room goes on

    # She may unmute herself (as in Clubhouse): the tone comes back.
    assert (await cy.request({"type": "mute", "muted": False}))["type"] == "ok"
    unmuted = time.monotonic()
    await eventually(lambda: ears.tracks[cy_mid].loud_frames_since(unmuted), timeout=10)
    assert ears.heard(cy_mid) == pytest.approx(660, abs=10)

    # Moved to the audience: her publisher is gone at Janus before the ok.
    move = {"type": "move_to_audience", "user_id": cy.id}
    await silent_after(ears, cy_mid, "move to the audience", ada, move)
    assert cy.id not in app.services.media.live_publishers(room)
    for member in (ada, bob, cy):
        await member.close()
