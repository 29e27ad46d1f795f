"""Fixtures for media tests: a managed Janus in a temporary data dir, a backend on it.

Every test here is marked ``netns`` and must run through ``scripts/netns-exec``;
outside the namespace it fails with the command to use (a skipped media test would
let a broken media layer through).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from teahouse.config import Settings, load_settings
from teahouse.media.base import MediaEvent
from teahouse.media.videoroom import JanusMediaBackend, create_media_backend
from tests.support.netns import (
    NETNS_ADDRESS,
    NOT_IN_NETNS,
    aiortc_uses_netns_address,
    in_media_netns,
)
from tests.support.peers import PublisherPeer, SubscriberPeer

#: Figures tests measured, printed at the end of the run (label -> milliseconds).
TIMINGS: dict[str, list[float]] = {}


def record_timing(label: str, seconds: float) -> None:
    TIMINGS.setdefault(label, []).append(seconds * 1000)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not TIMINGS:
        return
    terminalreporter.section("media timings (ms)")
    for label, values in TIMINGS.items():
        shown = ", ".join(f"{v:.0f}" for v in values)
        terminalreporter.write_line(f"{label}: {shown}")


@pytest.fixture(autouse=True)
def _media_netns(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("netns") is None:
        yield
        return
    if not in_media_netns():
        pytest.fail(NOT_IN_NETNS, pytrace=False)
    with aiortc_uses_netns_address():
        yield


class EventLog:
    """Every MediaEvent the backend emitted, with a way to wait for one."""

    def __init__(self) -> None:
        self.events: list[MediaEvent] = []
        self._changed = asyncio.Event()

    async def __call__(self, event: MediaEvent) -> None:
        self.events.append(event)
        self._changed.set()

    async def wait_for(
        self, match: MediaEvent | Callable[[MediaEvent], bool], within: float = 10.0
    ) -> MediaEvent:
        """The first event (already seen or future) equal to / matching ``match``."""
        test = match if callable(match) else (lambda event: event == match)
        seen = 0
        async with asyncio.timeout(within):
            while True:
                for event in self.events[seen:]:
                    if test(event):
                        return event
                seen = len(self.events)
                self._changed.clear()
                await self._changed.wait()


@pytest.fixture
def janus_settings(tmp_path: Path) -> Settings:
    return load_settings(
        data_dir=tmp_path,
        janus_ice_enforce_list=NETNS_ADDRESS,
        janus_debug_level=4,
        janus_rtp_ports="30000-30999",
    )


@pytest.fixture
def events() -> EventLog:
    return EventLog()


@pytest.fixture
async def backend(janus_settings: Settings, events: EventLog) -> AsyncIterator[JanusMediaBackend]:
    media = create_media_backend(janus_settings)
    media.set_event_handler(events)
    started = time.monotonic()
    await media.start()
    record_timing("managed Janus start to first answer", time.monotonic() - started)
    try:
        yield media
    finally:
        await media.close()


class Peers:
    """Makes aiortc peers and closes every one of them when the test ends.

    An unclosed peer leaks UDP sockets, which the warnings-as-errors run reports.
    """

    def __init__(self) -> None:
        self._all: list[PublisherPeer | SubscriberPeer] = []

    def publisher(self, frequency: float) -> PublisherPeer:
        peer = PublisherPeer(frequency)
        self._all.append(peer)
        return peer

    def subscriber(self, *, count_only: bool = False, dtls_server: bool = True) -> SubscriberPeer:
        peer = SubscriberPeer(count_only=count_only, dtls_server=dtls_server)
        self._all.append(peer)
        return peer

    async def close(self) -> None:
        for peer in self._all:
            await peer.close()


@pytest.fixture
async def peers() -> AsyncIterator[Peers]:
    made = Peers()
    try:
        yield made
    finally:
        await made.close()
