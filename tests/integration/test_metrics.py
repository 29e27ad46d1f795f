"""Metrics and health (docs/OPERATIONS.md, "Metrics and health"): a real server's
metrics listener scraped after real actions, and /healthz and /readyz as a load
balancer sees them, with the database or the media server down."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from teahouse.admin.reports import OPEN_PER_HOUR
from teahouse.ops.logs import log_handler
from tests.support.fake_media import FakeMedia
from tests.support.metrics import Scrape, scrape
from tests.support.server import LiveServer, free_port, run_server, server_settings

DURATION = "teahouse_http_request_duration_seconds_count"


@pytest.fixture
async def metered(tmp_path: Path, media: FakeMedia) -> AsyncIterator[LiveServer]:
    """A real server (media faked) with its metrics listener on a port of its own."""
    settings = server_settings(tmp_path, None, free_port(), metrics_port=free_port())
    async with run_server(settings, media) as live:
        yield live


def grew(after: Scrape, before: Scrape, name: str, **labels: str) -> float:
    return after.value(name, **labels) - before.value(name, **labels)


async def scraped_until(server: LiveServer, name: str, value: float) -> Scrape:
    """Scrape until ``name`` reads ``value`` (for effects that follow a socket's close)."""
    async with asyncio.timeout(10):
        while (found := await scrape(server)).value(name) != value:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    return found


async def test_a_room_its_people_their_messages_and_requests_are_counted(
    metered: LiveServer,
) -> None:
    server = metered
    before = await scrape(server)
    assert before.value("teahouse_live_rooms") == 0
    ada, bob = [await server.member(name) for name in ("ada", "bob")]
    async with ada.http() as http:
        room = (await http.post("/api/rooms", json={"title": "Tea"})).json()["id"]
        assert (await http.get(f"/api/rooms/{room}")).status_code == 200
        assert (await http.get("/api/rooms/nonexistent")).status_code == 404
    await ada.connect()
    await ada.join(room)
    await bob.connect()
    await bob.join(room)
    # Ada speaks and Bob is set up to hear her: one stream for one listener.
    assert (await ada.request({"type": "publish", "sdp": "v=0\r\n"}))["type"] == "ok"
    await bob.recv("subscribe_offer")
    for _ in range(5):
        await bob.send({"type": "ping"})
        await bob.recv("pong")
    await bob.send("not json")
    assert (await bob.recv("error"))["code"] == "malformed_message"

    after = await scrape(server)
    assert after.value("teahouse_live_rooms") == 1
    assert after.value("teahouse_members_connected") == 2
    assert after.value("teahouse_websockets_open") == 2
    assert after.value("teahouse_room_participants", place="stage") == 1
    assert after.value("teahouse_room_participants", place="audience") == 1
    assert after.value("teahouse_listener_streams") == 1
    received = "teahouse_websocket_messages_received_total"
    assert grew(after, before, received, type="join") == 2
    assert grew(after, before, received, type="publish") == 1
    assert grew(after, before, received, type="ping") == 5
    assert grew(after, before, received, type="invalid") == 1
    # At least: two welcomes, two snapshots, five pongs, the publish's answer and ok,
    # the offer, the error; deltas besides.
    sent = "teahouse_websocket_messages_sent_total"
    assert grew(after, before, sent) >= 13
    assert after.value("teahouse_dependency_up", dependency="database") == 1
    assert after.value("teahouse_dependency_up", dependency="media") == 1

    # Requests are timed by route template and status, never by raw path.
    assert grew(after, before, DURATION, method="POST", route="/api/signup", status="201") == 2
    assert grew(after, before, DURATION, method="POST", route="/api/rooms", status="201") == 1
    one_room = {"method": "GET", "route": "/api/rooms/{room_id}"}
    assert grew(after, before, DURATION, **one_room, status="200") == 1
    assert grew(after, before, DURATION, **one_room, status="404") == 1
    for private in (room, "nonexistent", ada.id, bob.id, "ada", "Tea"):
        assert private not in after.text

    # Bob goes: the gauges follow at the next scrape, with nothing to keep in step.
    await bob.close()
    gone = await scraped_until(server, "teahouse_members_connected", 1)
    assert gone.value("teahouse_room_participants", place="stage") == 1
    assert gone.value("teahouse_listener_streams") == 0


async def test_rate_limit_refusals_are_counted_by_limit(metered: LiveServer) -> None:
    server = metered
    ada, bob = [await server.member(name) for name in ("ada", "bob")]
    before = await scrape(server)
    async with ada.http() as http:
        for _ in range(OPEN_PER_HOUR):
            ok = await http.post("/api/reports", json={"user_id": bob.id, "reason": "spam"})
            assert ok.status_code == 201
        refused = await http.post("/api/reports", json={"user_id": bob.id, "reason": "spam"})
    assert refused.status_code == 429
    after = await scrape(server)
    assert grew(after, before, "teahouse_rate_limited_total", limit="too_many_reports") == 1


async def test_the_metrics_are_not_on_the_public_port(metered: LiveServer) -> None:
    async with httpx.AsyncClient(base_url=metered.url) as http:
        public = await http.get("/metrics")
    assert "teahouse_live_rooms" not in public.text
    assert "teahouse_live_rooms" in (await scrape(metered)).text
    port = metered.settings.metrics_port
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
        assert (await http.get("/")).status_code == 404
        assert (await http.get("/api/me")).status_code == 404


async def test_health_answers_without_a_session_and_says_only_up_or_down(
    server: LiveServer,
) -> None:
    async with httpx.AsyncClient(base_url=server.url) as http:  # no cookie, no Origin
        live = await http.get("/healthz")
        ready = await http.get("/readyz")
    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "up", "media": "up"}}
    for response in (live, ready):
        assert response.headers["cache-control"] == "no-store"
        assert len(response.headers["x-request-id"]) == 16


async def readiness(server: LiveServer, status: int) -> httpx.Response:
    """``GET /readyz`` until it answers ``status`` (a result lives a second)."""
    async with httpx.AsyncClient(base_url=server.url) as http, asyncio.timeout(10):
        while (response := await http.get("/readyz")).status_code != status:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    return response


async def test_readiness_turns_false_while_the_media_server_is_down(
    metered: LiveServer, media: FakeMedia
) -> None:
    media.down = True
    down = await readiness(metered, 503)
    assert down.json() == {"status": "not_ready", "checks": {"database": "up", "media": "down"}}
    assert (await scrape(metered)).value("teahouse_dependency_up", dependency="media") == 0
    media.down = False
    assert (await readiness(metered, 200)).json()["status"] == "ready"
    assert (await scrape(metered)).value("teahouse_dependency_up", dependency="media") == 1


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_readiness_turns_false_while_the_database_is_down(
    database_url: str, tmp_path: Path, media: FakeMedia
) -> None:
    settings = server_settings(tmp_path, database_url, free_port(), metrics_port=free_port())
    url = make_url(database_url)
    async with run_server(settings, media) as server:
        assert (await readiness(server, 200)).json()["status"] == "ready"
        admin = await asyncpg.connect(
            host=url.host, port=url.port or 5432, user=url.username, database="postgres"
        )
        try:
            # The database stops taking connections and drops the ones it has.
            await admin.execute(f'ALTER DATABASE "{url.database}" ALLOW_CONNECTIONS false')
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
                url.database,
            )
            down = await readiness(server, 503)
            assert down.json() == {
                "status": "not_ready",
                "checks": {"database": "down", "media": "up"},
            }
            up = (await scrape(server)).value("teahouse_dependency_up", dependency="database")
            assert up == 0
        finally:
            await admin.execute(f'ALTER DATABASE "{url.database}" ALLOW_CONNECTIONS true')
            await admin.close()
        assert (await readiness(server, 200)).json()["status"] == "ready"


async def test_json_log_lines_carry_the_request_id_and_no_address(
    server: LiveServer, media: FakeMedia
) -> None:
    stream = io.StringIO()
    handler = log_handler("json", stream)
    root = logging.getLogger()
    root.addHandler(handler)
    media.down = True  # the readiness check logs why it failed, inside the request
    try:
        async with httpx.AsyncClient(base_url=server.url) as http:
            response = await http.get("/readyz")
    finally:
        root.removeHandler(handler)
    assert response.status_code == 503
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    [line] = [line for line in lines if line["message"].startswith("health check of media")]
    assert line["request_id"] == response.headers["x-request-id"]
    assert set(line) == {"time", "level", "logger", "message", "request_id"}
    assert line["level"] == "WARNING" and line["logger"] == "teahouse.ops.health"
    assert "127.0.0.1" not in stream.getvalue()
