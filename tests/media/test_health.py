"""What the operator's checks see of a real managed Janus: its answer to the
readiness check (a round trip, not a flag) and the listener streams it carries."""

from __future__ import annotations

import os
import signal

import pytest

from teahouse.errors import Unavailable
from teahouse.media.base import MediaServerState
from teahouse.media.managed import ManagedJanus
from teahouse.media.videoroom import JanusMediaBackend
from tests.media.conftest import EventLog, Peers
from tests.media.test_videoroom import ROOM, listen, start_publishing

pytestmark = pytest.mark.netns


async def test_listener_streams_count_each_listener_and_speaker_heard(
    backend: JanusMediaBackend, events: EventLog, peers: Peers
) -> None:
    await backend.check()
    assert backend.listener_streams() == 0
    await start_publishing(backend, events, peers, "alice", 440)
    await start_publishing(backend, events, peers, "carol", 660)
    bob = await listen(backend, peers, "bob", frozenset({"alice", "carol"}))
    await listen(backend, peers, "dan", frozenset({"alice"}))
    await bob.wait_audio("1", seconds=0.5)  # Janus really forwards what it counts
    assert backend.listener_streams() == 3
    await backend.leave(ROOM, "bob")
    assert backend.listener_streams() == 1


async def test_a_janus_that_stops_answering_or_dies_is_not_ready(
    backend: JanusMediaBackend, events: EventLog
) -> None:
    source = backend.session.source
    assert isinstance(source, ManagedJanus) and source.pid is not None
    await backend.check()
    # Stopped, not dead: the connection stays open and only the round trip tells.
    os.kill(source.pid, signal.SIGSTOP)
    try:
        with pytest.raises(Unavailable):
            await backend.check()
    finally:
        os.kill(source.pid, signal.SIGCONT)
    await backend.check()
    os.kill(source.pid, signal.SIGKILL)
    await events.wait_for(MediaServerState("down"), within=5)
    with pytest.raises(Unavailable):
        await backend.check()
    await events.wait_for(MediaServerState("restarted"), within=15)
    await backend.check()
