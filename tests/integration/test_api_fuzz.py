"""schemathesis over every operation of the OpenAPI document, against the live app on
each engine, as signed-up members: no answer is a server error, and every answer is
one the document declares (its status, its content type, its schema).

See docs/API.md "How the API is described and fuzzed" for what runs and how."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.support.api_fuzz import FUZZED_MODES, ApiFuzzer, Identities
from tests.support.fake_media import FakeMedia
from tests.support.server import LiveServer, free_port, run_server, server_settings


@pytest.fixture
async def server(database_url: str, tmp_path: Path, media: FakeMedia) -> AsyncIterator[LiveServer]:
    settings = server_settings(tmp_path, database_url, free_port())
    async with run_server(settings, media) as live:
        yield live


async def test_no_operation_answers_a_server_error_or_outside_its_schema(
    server: LiveServer,
) -> None:
    identities = await Identities.sign_up(server, asyncio.get_running_loop())
    # schemathesis calls the API synchronously: it runs in a thread while this loop
    # serves the requests.
    fuzzer = await asyncio.to_thread(ApiFuzzer, server, identities)
    report = await asyncio.to_thread(fuzzer.run, FUZZED_MODES)
    print(report.summary())
    assert report.failures == [], report.describe_failures()
    assert report.operations == fuzzer.operation_count() * len(FUZZED_MODES)
    # Authenticated throughout: the fuzzing members' sessions held (the operations that
    # end one ran on a throw-away member), so every operation was fuzzed past log-in.
    assert report.not_authenticated == 0, report.summary()
    assert await identities.still_logged_in()
