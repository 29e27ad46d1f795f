"""The operator's side in pieces: health checks (coalesced, cached, timed out), log
lines, request metrics' labels, the counters the socket keeps, and the settings of
the metrics listener."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY
from pydantic import ValidationError

from teahouse.api.socket import SocketSession
from teahouse.app import create_app
from teahouse.config import load_settings
from teahouse.domain.room_changes import UserRef
from teahouse.errors import CloseCode, ErrorCode, TooManyRequests
from teahouse.ops.health import Health
from teahouse.ops.logs import REQUEST_ID, log_handler
from teahouse.realtime.limits import MemberBudgets

# -- health -----------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_a_flood_of_checks_costs_one_round_and_a_result_lives_max_age() -> None:
    calls = 0
    release = asyncio.Event()

    async def database() -> None:
        nonlocal calls
        calls += 1
        await release.wait()

    clock = Clock()
    health = Health({"database": database}, max_age=1.0, clock=clock)
    waiting = [asyncio.ensure_future(health.check()) for _ in range(50)]
    await asyncio.sleep(0)
    release.set()
    results = await asyncio.gather(*waiting)
    assert calls == 1 and all(r is results[0] for r in results) and results[0].ready
    clock.now += 0.5
    assert await health.check() is results[0] and calls == 1  # still fresh
    clock.now += 0.5
    assert await health.check() is not results[0] and calls == 2


async def test_a_check_that_fails_or_hangs_is_down_and_the_others_still_count() -> None:
    async def fine() -> None:
        return None

    async def broken() -> None:
        raise OSError("connection refused")

    async def hung() -> None:
        await asyncio.Event().wait()

    health = Health({"database": fine, "media": broken, "redis": hung}, timeout=0.01)
    readiness = await health.check()
    assert not readiness.ready
    assert {name: o.up for name, o in readiness.outcomes.items()} == {
        "database": True,
        "media": False,
        "redis": False,
    }
    assert health.last is readiness


# -- logs -------------------------------------------------------------------------------


def record(message: str, **extra: Any) -> logging.LogRecord:
    return logging.LogRecord("teahouse.x", logging.INFO, __file__, 1, message, (), None, **extra)


def test_log_lines_name_the_request_in_text_and_in_json() -> None:
    for log_format in ("text", "json"):
        stream = io.StringIO()
        handler = log_handler(log_format, stream)
        token = REQUEST_ID.set("0123456789abcdef")
        try:
            handler.handle(record("room opened"))
        finally:
            REQUEST_ID.reset(token)
        handler.handle(record("outside any request"))
        inside, outside = stream.getvalue().splitlines()
        if log_format == "text":
            assert "[0123456789abcdef]: room opened" in inside and "[-]" in outside
        else:
            assert json.loads(inside)["request_id"] == "0123456789abcdef"
            assert "request_id" not in json.loads(outside)


def test_a_json_line_carries_its_traceback_and_nothing_extra() -> None:
    stream = io.StringIO()
    handler = log_handler("json", stream)
    try:
        raise ValueError("boom")
    except ValueError:
        failed = logging.LogRecord(
            "teahouse.x",
            logging.ERROR,
            __file__,
            1,
            "it failed",
            (),
            exc_info=__import__("sys").exc_info(),
        )
    failed.client = "203.0.113.9"  # an attribute some code might attach: never written
    handler.handle(failed)
    line = json.loads(stream.getvalue())
    assert set(line) == {"time", "level", "logger", "message", "exception"}
    assert "ValueError: boom" in line["exception"] and "203.0.113.9" not in stream.getvalue()


# -- request metrics ----------------------------------------------------------------------


def requests_seen(method: str, route: str, status: str) -> float:
    labels = {"method": method, "route": route, "status": status}
    return REGISTRY.get_sample_value("teahouse_http_request_duration_seconds_count", labels) or 0


async def test_requests_are_labelled_by_route_template_even_when_refused_before_routing() -> None:
    app = create_app(load_settings())  # no lifespan: these requests need no services
    transport = httpx.ASGITransport(app=app)
    admit = "/api/rooms/{room_id}/admit"
    before = (requests_seen("POST", admit, "403"), requests_seen("other", "/{path:path}", "405"))
    async with httpx.AsyncClient(transport=transport, base_url="http://teahouse") as http:
        foreign = await http.post("/api/rooms/r1/admit", headers={"origin": "https://evil.example"})
        brewed = await http.request("BREW", "/coffee", headers={"origin": "http://127.0.0.1:8000"})
    assert foreign.json()["error"]["code"] == "origin_forbidden"
    assert foreign.headers["x-request-id"] != brewed.headers["x-request-id"]
    after = (requests_seen("POST", admit, "403"), requests_seen("other", "/{path:path}", "405"))
    assert (after[0] - before[0], after[1] - before[1]) == (1, 1)


# -- the socket's counters ----------------------------------------------------------------


class RefusingRouter:
    """A router whose every room message is refused by a rate limit."""

    def register(self, socket: object) -> None:
        return None

    async def perform(self, client: object, message: object) -> None:
        raise TooManyRequests("Slow down.", ErrorCode.TOO_MANY_ATTEMPTS, retry_after=1)


def counter(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0


def session(send_queue: int = 8) -> SocketSession:
    user = UserRef("u1", "ada", "Ada")
    return SocketSession(
        object(),
        user,
        RefusingRouter(),
        65536,
        budgets=MemberBudgets(),
        send_queue=send_queue,  # type: ignore[arg-type]
    )


def test_a_client_dropped_for_falling_behind_is_counted() -> None:
    socket = session(send_queue=8)
    before = counter("teahouse_websocket_queue_drops_total")
    for n in range(9):  # nothing reads: the ninth does not fit
        socket.send(f'{{"type": "pong", "n": {n}}}')
    assert socket.close_code == CloseCode.TOO_SLOW
    assert counter("teahouse_websocket_queue_drops_total") - before == 1


async def test_a_rate_limited_message_is_counted_by_its_code() -> None:
    socket = session()
    limit = {"limit": "too_many_attempts"}
    before = counter("teahouse_rate_limited_total", **limit)
    hands = counter("teahouse_websocket_messages_received_total", type="hand")
    await socket.handle_frame('{"type": "hand", "raised": true}')
    assert counter("teahouse_rate_limited_total", **limit) - before == 1
    assert counter("teahouse_websocket_messages_received_total", type="hand") - hands == 1


# -- settings -----------------------------------------------------------------------------


def test_the_metrics_listener_is_off_by_default_and_never_on_the_apps_port() -> None:
    assert load_settings().metrics_port is None
    with pytest.raises(ValidationError) as error:
        load_settings(port=8000, metrics_port=8000)
    assert error.value.errors()[0]["loc"] == ("metrics_port",)
    assert load_settings(metrics_port=9464).metrics_host == "127.0.0.1"
