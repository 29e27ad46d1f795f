"""Listeners hear speakers: aiortc peers negotiating through the app's own
WebSocket signalling, audio carried by the managed Janus, checked by frequency."""

from __future__ import annotations

import os
import signal

import pytest

from teahouse.media.managed import ManagedJanus
from tests.media.conftest import Peers
from tests.support.server import LiveServer, eventually
from tests.support.signalling import listen, speak, start_room

pytestmark = pytest.mark.netns


async def test_listeners_hear_speakers_and_a_listener_cannot_publish(
    app: LiveServer, peers: Peers
) -> None:
    ada, bob, cy = [await app.member(n) for n in ("ada", "bob", "cy")]
    room = await start_room(app, ada)
    assert (await speak(ada, peers.publisher(440)))["type"] == "ok"

    bob_ears = peers.subscriber()
    await bob.connect()
    await bob.join(room)
    await listen(bob, bob_ears)
    mid = await bob_ears.wait_for_tone(440, within=15)
    assert bob_ears.heard(mid) == pytest.approx(440, abs=10)

    # Bob is a listener: his attempt to publish is refused by the app...
    refused = await speak(bob, peers.publisher(880))
    assert refused["code"] == "not_speaker"
    assert bob.id not in app.services.media.live_publishers(room)
    # ...and a newcomer hears Ada alone: one track, at 440 Hz.
    cy_ears = peers.subscriber()
    await cy.connect()
    await cy.join(room)
    await listen(cy, cy_ears)
    cy_mid = await cy_ears.wait_for_tone(440, within=15)
    assert list(cy_ears.tracks) == [cy_mid]

    # Bob raises his hand, Ada invites him up, he speaks at 660 Hz: Ada hears him,
    # and Cy hears both speakers on separate tracks.
    await bob.request({"type": "hand", "raised": True})
    await ada.upsert(bob.id, hand_raised=True)
    await ada.request({"type": "invite_to_speak", "user_id": bob.id})
    await bob.upsert(bob.id, role="speaker", muted=True)  # nobody is live without saying so
    assert (await bob.request({"type": "mute", "muted": False}))["type"] == "ok"
    ada_ears = peers.subscriber()
    assert (await speak(bob, peers.publisher(660)))["type"] == "ok"
    await listen(ada, ada_ears)
    ada_mid = await ada_ears.wait_for_tone(660, within=15)
    assert ada_ears.heard(ada_mid) == pytest.approx(660, abs=10)
    await listen(cy, cy_ears)
    await cy_ears.wait_for_tone(660, within=15)
    assert cy_ears.heard(cy_mid) == pytest.approx(440, abs=10)
    await ada.upsert(bob.id, publishing=True)
    for member in (ada, bob, cy):
        await member.close()


async def test_killing_janus_mid_room_keeps_the_room_and_recovers(
    app: LiveServer, peers: Peers
) -> None:
    ada, bob = await app.member("ada"), await app.member("bob")
    room = await start_room(app, ada)
    assert (await speak(ada, peers.publisher(440)))["type"] == "ok"
    await bob.connect()
    await bob.join(room)
    await listen(bob, peers.subscriber())
    await bob.request({"type": "hand", "raised": True})
    state = app.services.stage.live(room).state  # type: ignore[union-attr]
    await eventually(lambda: state.participants[bob.id].hand_raised)
    roles = {uid: (p.role, p.hand_raised) for uid, p in state.participants.items()}

    source = app.services.media.session.source  # type: ignore[attr-defined]
    assert isinstance(source, ManagedJanus)
    assert source.pid is not None
    os.kill(source.pid, signal.SIGKILL)

    for member in (ada, bob):
        assert (await member.recv("media_status", timeout=10))["state"] == "down"
        assert (await member.recv("media_status", timeout=20))["state"] == "restarted"
    # The room, its people, their roles and hands are all still there.
    assert app.services.stage.live(room) is not None
    assert {uid: (p.role, p.hand_raised) for uid, p in state.participants.items()} == roles
    assert (await bob.request({"type": "ping"}))["type"] == "ok"

    # And media recovers: Ada publishes again, Bob is offered her audio and hears it.
    ears = peers.subscriber()
    assert (await speak(ada, peers.publisher(550)))["type"] == "ok"
    await listen(bob, ears)
    mid = await ears.wait_for_tone(550, within=15)
    assert ears.heard(mid) == pytest.approx(550, abs=10)
    for member in (ada, bob):
        await member.close()
