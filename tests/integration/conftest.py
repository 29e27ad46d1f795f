from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.fake_media import FakeMedia
from tests.support.server import LiveServer, free_port, run_server, server_settings


@pytest.fixture
def media() -> FakeMedia:
    return FakeMedia()


@pytest.fixture
async def server(tmp_path: Path, media: FakeMedia) -> AsyncIterator[LiveServer]:
    """A real server on SQLite, with the media layer faked (these tests are about
    the layers above it; tests/media and tests/e2e use real Janus)."""
    settings = server_settings(tmp_path, None, free_port())
    async with run_server(settings, media) as live:
        yield live


@pytest.fixture
async def server_on_both(
    database_url: str, tmp_path: Path, media: FakeMedia
) -> AsyncIterator[LiveServer]:
    """A real server (media faked) on SQLite and on PostgreSQL."""
    settings = server_settings(tmp_path, database_url, free_port())
    async with run_server(settings, media) as live:
        yield live
