"""The managed Janus: recovery after it dies, and clear errors when it cannot start."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import stat
import sys
import time
from pathlib import Path

import pytest

from teahouse.config import Settings, load_settings
from teahouse.media.base import MediaServerState
from teahouse.media.managed import JanusNotInstalled, JanusStartError, ManagedJanus
from teahouse.media.videoroom import JanusMediaBackend, create_media_backend
from tests.media.conftest import EventLog, Peers, record_timing
from tests.media.test_videoroom import ROOM, listen, start_publishing

pytestmark = pytest.mark.netns


async def test_backend_recovers_when_janus_is_killed(
    backend: JanusMediaBackend,
    events: EventLog,
    peers: Peers,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await backend.ensure_room(ROOM)
    await start_publishing(backend, events, peers, "alice", 440)
    source = backend.session.source
    assert isinstance(source, ManagedJanus)
    assert source.pid is not None

    killed_at = time.monotonic()
    os.kill(source.pid, signal.SIGKILL)
    await events.wait_for(MediaServerState("down"), within=5)
    await events.wait_for(MediaServerState("restarted"), within=15)
    record_timing("SIGKILL to restarted", time.monotonic() - killed_at)
    states = [e for e in events.events if isinstance(e, MediaServerState)]
    assert states == [MediaServerState("down"), MediaServerState("restarted")]
    # Everything Janus held is gone, and the backend knows it.
    assert backend.live_publishers(ROOM) == frozenset()

    await backend.ensure_room(ROOM)
    await start_publishing(backend, events, peers, "carol", 660)
    listener = await listen(backend, peers, "bob", frozenset({"carol"}))
    await listener.wait_audio("0", seconds=0.5)
    assert listener.heard("0") == pytest.approx(660, abs=10)
    # Logged errors about the death are expected; an escaped exception is not.
    escaped = [r for r in caplog.records if r.name == "asyncio" and r.levelno >= logging.ERROR]
    assert escaped == []


def executable(path: Path, script: str) -> str:
    path.write_text(script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


async def test_missing_binary_says_how_to_install_or_point_elsewhere(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path, janus_binary=str(tmp_path / "no-such-janus"))
    backend = create_media_backend(settings)
    with pytest.raises(JanusNotInstalled) as caught:
        await backend.start()
    await backend.close()
    message = str(caught.value)
    assert "apt-get install janus" in message
    assert "TEAHOUSE_JANUS_URL" in message


async def test_janus_that_will_not_start_reports_its_log(tmp_path: Path) -> None:
    binary = executable(tmp_path / "fake-janus", "#!/bin/sh\necho 'fatal: cannot bind'\nexit 3\n")
    settings: Settings = load_settings(data_dir=tmp_path / "data", janus_binary=binary)
    janus = ManagedJanus(settings, start_timeout=5)
    with pytest.raises(JanusStartError) as caught:
        await janus.start()
    await janus.close()
    assert "status 3" in str(caught.value)
    assert "fatal: cannot bind" in str(caught.value)


async def test_janus_left_behind_by_a_killed_app_is_stopped(janus_settings: Settings) -> None:
    # An app that starts Janus and then dies without a chance to stop it.
    app = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        APP_THAT_DIES,
        str(janus_settings.data_dir),
        stdout=asyncio.subprocess.PIPE,
    )
    assert app.stdout is not None
    async with asyncio.timeout(15):
        orphan = int(await app.stdout.readline())
    app.kill()
    await app.wait()
    assert running(orphan)

    janus = ManagedJanus(janus_settings)
    await janus.start()
    try:
        assert not running(orphan)
        assert janus.pid != orphan
    finally:
        await janus.close()


def running(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


APP_THAT_DIES = """
import asyncio, sys
from pathlib import Path
from teahouse.config import load_settings
from teahouse.media.managed import ManagedJanus

async def main():
    janus = ManagedJanus(load_settings(data_dir=Path(sys.argv[1])))
    await janus.start()
    print(janus.pid, flush=True)
    await asyncio.sleep(60)

asyncio.run(main())
"""
