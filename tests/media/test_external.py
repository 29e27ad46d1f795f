"""JanusMediaBackend on a Janus it does not manage (``janus_url``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from teahouse.config import Settings, load_settings
from teahouse.errors import Unavailable
from teahouse.media.base import MediaServerState
from teahouse.media.janus_client import JanusClient
from teahouse.media.managed import JanusEndpoint, ManagedJanus
from teahouse.media.videoroom import create_media_backend
from tests.media.conftest import EventLog, Peers
from tests.media.test_videoroom import ROOM, listen, start_publishing

pytestmark = pytest.mark.netns


@pytest.fixture
async def someone_elses_janus(janus_settings: Settings) -> AsyncIterator[JanusEndpoint]:
    # A managed Janus stands in for one an operator runs: only its URL and secret
    # reach the backend under test.
    janus = ManagedJanus(janus_settings)
    await janus.start()
    try:
        yield await janus.endpoint()
    finally:
        await janus.close()


def external_settings(tmp_path: Path, endpoint: JanusEndpoint, secret: str) -> Settings:
    secret_file = tmp_path / "janus-secret"
    secret_file.write_text(secret + "\n")
    return load_settings(
        data_dir=tmp_path / "app",
        janus_url=endpoint.url,
        janus_api_secret_file=secret_file,
    )


async def room_exists(endpoint: JanusEndpoint, janus_room: int) -> bool:
    probe = await JanusClient.connect(endpoint.url, api_secret=endpoint.api_secret)
    try:
        await probe.create_session()
        handle = await probe.attach("janus.plugin.videoroom", lambda event: None)
        reply = await handle.message({"request": "exists", "room": janus_room})
        return bool(reply.data["exists"])
    finally:
        await probe.close()


async def test_external_janus_carries_audio_and_survives_a_dropped_connection(
    someone_elses_janus: JanusEndpoint, tmp_path: Path, events: EventLog, peers: Peers
) -> None:
    assert someone_elses_janus.api_secret is not None
    settings = external_settings(tmp_path, someone_elses_janus, someone_elses_janus.api_secret)
    backend = create_media_backend(settings)
    backend.set_event_handler(events)
    await backend.start()
    try:
        assert not (tmp_path / "app" / "janus").exists()  # nothing started locally
        await start_publishing(backend, events, peers, "alice", 440)
        listener = await listen(backend, peers, "bob", frozenset({"alice"}))
        await listener.wait_audio("0", seconds=0.5)
        assert listener.heard("0") == pytest.approx(440, abs=10)
        janus_room = backend._rooms[ROOM].janus_id  # Janus IDs never leave the backend

        await backend.session.client().drop()
        await events.wait_for(MediaServerState("down"))
        await events.wait_for(MediaServerState("restarted"))
        # Janus outlived our session; the room it still held was cleaned up.
        assert not await room_exists(someone_elses_janus, janus_room)

        await start_publishing(backend, events, peers, "carol", 660)
        listener = await listen(backend, peers, "dave", frozenset({"carol"}))
        await listener.wait_audio("0", seconds=0.5)
        assert listener.heard("0") == pytest.approx(660, abs=10)
    finally:
        await backend.close()


async def test_wrong_secret_is_a_clear_error(
    someone_elses_janus: JanusEndpoint, tmp_path: Path
) -> None:
    backend = create_media_backend(external_settings(tmp_path, someone_elses_janus, "wrong"))
    with pytest.raises(Unavailable, match="Unauthorized") as caught:
        await backend.start()
    assert someone_elses_janus.url in str(caught.value)
