"""Log-in limits count the client's address, which only a trusted proxy may name."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.support.fake_media import FakeMedia
from tests.support.server import PASSWORD, LiveServer, free_port, run_server, server_settings

WRONG = "not the password"


async def log_in(
    browser: httpx.AsyncClient, username: str, password: str = PASSWORD, **headers: str
) -> httpx.Response:
    return await browser.post(
        "/api/login",
        json={"username": username, "password": password},
        headers={name.replace("_", "-"): value for name, value in headers.items()},
    )


def refusal(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


async def test_without_trusted_proxies_x_forwarded_for_is_ignored(server: LiveServer) -> None:
    # Behind a proxy that passes the header on, a guesser could name a fresh
    # address with every request and never meet the address's limit; unless the
    # operator trusts a proxy, the header names nobody and the connection counts.
    async with server.client() as attacker:
        answers = [
            refusal(await log_in(attacker, f"member{i}", WRONG, x_forwarded_for=f"198.51.100.{i}"))
            for i in range(51)
        ]
    assert answers[50] == (429, "too_many_attempts")


async def test_an_ignored_x_forwarded_for_is_reported_once_without_an_address(
    server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    async with server.client() as http:
        for i in range(3):
            await log_in(http, "ada", WRONG, x_forwarded_for=f"198.51.100.{i}")
    warnings = [r for r in caplog.records if "X-Forwarded-For" in r.getMessage()]
    assert len(warnings) == 1
    assert "TEAHOUSE_TRUSTED_PROXIES" in warnings[0].getMessage()
    assert not any("198.51.100" in r.getMessage() for r in caplog.records)


@pytest.fixture
async def behind_proxy(tmp_path: Path) -> AsyncIterator[LiveServer]:
    """A server that trusts the proxy at 127.0.0.1, where every test client is."""
    settings = server_settings(tmp_path, None, free_port(), trusted_proxies=["127.0.0.1"])
    async with run_server(settings, FakeMedia()) as server:
        yield server


async def test_behind_a_trusted_proxy_each_client_counts_alone(behind_proxy: LiveServer) -> None:
    server = behind_proxy
    await server.member("carol")
    attacker = {"x_forwarded_for": "203.0.113.9"}
    async with server.client() as http:
        for i in range(50):
            await log_in(http, f"member{i}", WRONG, **attacker)
        assert refusal(await log_in(http, "member0", WRONG, **attacker))[0] == 429
        # What the attacker writes into the header itself does not help: the proxy
        # appends the address it was reached from, and that one counts.
        spoofed = {"x_forwarded_for": "198.51.100.7, 203.0.113.9"}
        assert refusal(await log_in(http, "member0", WRONG, **spoofed))[0] == 429
        # Carol, behind the same proxy from her own address, is not held up.
        ok = await log_in(http, "carol", x_forwarded_for="198.51.100.7")
        assert ok.status_code == 200, ok.text
