"""Whole-product tests: the real server, managed Janus, aiortc peers and Chromium,
all inside the media network namespace (run through scripts/netns-exec)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from teahouse.config import Settings
from tests.media.conftest import _media_netns, peers  # noqa: F401 (fixtures)
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
