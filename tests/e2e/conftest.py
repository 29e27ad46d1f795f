"""Whole-product tests: the real server, managed Janus, aiortc peers and Chromium,
all inside the media network namespace (run through scripts/netns-exec)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from teahouse.config import Settings
from tests.media.conftest import _media_netns, peers  # noqa: F401 (fixtures)
from tests.support.fake_media import FakeMedia
from tests.support.netns import NETNS_ADDRESS
from tests.support.server import LiveServer, free_port, run_server, server_settings


@pytest.fixture
def app_settings(tmp_path: Path) -> Settings:
    return server_settings(
        tmp_path,
        None,
        free_port(),
        janus_ice_enforce_list=NETNS_ADDRESS,
        janus_rtp_ports="32000-32999",
    )


@pytest.fixture
async def app(app_settings: Settings) -> AsyncIterator[LiveServer]:
    """The whole app with its own managed Janus, as `teahouse serve` runs it."""
    async with run_server(app_settings, None) as live:
        yield live


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[LiveServer]:
    """The app with its media faked: for stories about screens, not sound."""
    async with run_server(server_settings(tmp_path, None, free_port()), FakeMedia()) as live:
        yield live


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, with a fake microphone and no prompts (CHROMIUM_ARGS)."""
    from tests.e2e.test_browser_story import CHROMIUM_ARGS

    async with async_playwright() as pw:
        launched = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield launched
        await launched.close()
