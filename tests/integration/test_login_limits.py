"""Password guessing is slowed, and the limits cannot be turned against members.

Every client of these tests connects from 127.0.0.1, as every client does behind a
reverse proxy that the operator has not named in ``trusted_proxies``. The limiter's
clock is a fake one: waits are asserted by moving it, never by waiting.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.support.fake_media import FakeMedia
from tests.support.server import PASSWORD, LiveServer, free_port, run_server, server_settings

WRONG = "not the password"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(server: LiveServer) -> Clock:
    fake = Clock()
    server.services.attempts.clock = fake
    return fake


async def sign_up(server: LiveServer, browser: httpx.AsyncClient, username: str) -> None:
    """``username`` signs up in ``browser`` (which keeps its cookies) and logs out."""
    code = await server.invite_code()
    made = await browser.post(
        "/api/signup", json={"code": code, "username": username, "password": PASSWORD}
    )
    assert made.status_code == 201, made.text
    assert (await browser.post("/api/logout")).status_code == 204


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


async def test_failed_log_ins_from_one_address_do_not_lock_out_everyone(
    server: LiveServer, clock: Clock
) -> None:
    async with server.client() as bob, server.client() as attacker:
        await sign_up(server, bob, "bob")
        for i in range(50):
            await log_in(attacker, f"member{i}", WRONG)
        # Bob, in the browser he has logged in with before, gets in at once.
        back = await log_in(bob, "bob")
        assert back.status_code == 200, back.text


async def test_wrong_guesses_do_not_lock_out_the_members_right_password(
    server: LiveServer, clock: Clock
) -> None:
    async with server.client() as ada, server.client() as attacker:
        await sign_up(server, ada, "ada")
        for _ in range(10):
            await log_in(attacker, "ada", WRONG)
        # The guesser is held up, and while it waits even the right password tells
        # it nothing...
        held = await log_in(attacker, "ada")
        assert refusal(held) == (429, "too_many_attempts")
        assert int(held.headers["retry-after"]) > 0
        assert "set-cookie" not in held.headers
        # ...while Ada, in her own browser, gets in at once.
        back = await log_in(ada, "ada")
        assert back.status_code == 200, back.text


async def test_deleting_the_account_is_no_password_oracle(server: LiveServer, clock: Clock) -> None:
    ada = await server.member("ada")
    async with ada.http() as http:
        for _ in range(5):
            wrong = await http.request("DELETE", "/api/me", json={"password": WRONG})
            assert refusal(wrong) == (401, "bad_credentials")
        held = await http.request("DELETE", "/api/me", json={"password": WRONG})
        assert refusal(held) == (429, "too_many_attempts")
        assert held.headers["retry-after"] == "1"
        # While it waits, the right password is not checked either.
        right = await http.request("DELETE", "/api/me", json={"password": PASSWORD})
        assert refusal(right) == (429, "too_many_attempts")
        assert (await http.get("/api/me")).status_code == 200
        clock.now += 1
        gone = await http.request("DELETE", "/api/me", json={"password": PASSWORD})
        assert gone.status_code == 204


async def test_without_trusted_proxies_x_forwarded_for_is_ignored(
    server: LiveServer, clock: Clock
) -> None:
    # Behind a proxy that passes the header on, a guesser could name a fresh
    # address with every request and never meet the address's limit; unless the
    # operator trusts a proxy, the header names nobody and the connection counts.
    async with server.client() as attacker:
        answers = [
            refusal(await log_in(attacker, f"member{i}", WRONG, x_forwarded_for=f"198.51.100.{i}"))
            for i in range(51)
        ]
    assert (429, "too_many_attempts") in answers
    assert answers == [(401, "bad_credentials")] * 20 + [(429, "too_many_attempts")] * 31


async def test_the_wait_grows_with_each_failure_and_never_locks(
    server: LiveServer, clock: Clock
) -> None:
    async with server.client() as ada, server.client() as guesser:
        await sign_up(server, ada, "ada")
        for _ in range(5):  # a few typos cost nothing
            assert refusal(await log_in(guesser, "ada", WRONG)) == (401, "bad_credentials")
        waits = []
        for _ in range(5):
            held = await log_in(guesser, "ada", WRONG)
            assert refusal(held) == (429, "too_many_attempts")
            # Asking again while waiting changes nothing.
            assert (await log_in(guesser, "ada", WRONG)).headers["retry-after"] == (
                held.headers["retry-after"]
            )
            waits.append(int(held.headers["retry-after"]))
            clock.now += waits[-1]
            assert refusal(await log_in(guesser, "ada", WRONG)) == (401, "bad_credentials")
        assert waits == [1, 2, 4, 8, 16]
        # The cap: a quarter of an hour, however long the guessing goes on.
        for _ in range(12):
            clock.now += int((await log_in(guesser, "ada", WRONG)).headers["retry-after"])
            await log_in(guesser, "ada", WRONG)
        held = await log_in(guesser, "ada", WRONG)
        assert int(held.headers["retry-after"]) == 15 * 60
        # A wait ends, and then the right password works even in a new browser.
        clock.now += 15 * 60
        async with server.client() as elsewhere:
            assert (await log_in(elsewhere, "ada")).status_code == 200


async def test_a_live_session_proves_the_member(server: LiveServer, clock: Clock) -> None:
    # A browser with a session but no device cookie (one logged in before device
    # cookies existed, say) is the member's too.
    ada = await server.member("ada")
    async with server.client() as attacker:
        for _ in range(10):
            await log_in(attacker, "ada", WRONG)
    async with ada.http() as http:
        assert (await log_in(http, "ada")).status_code == 200
    # Another member's session proves nothing about Ada.
    bob = await server.member("bob")
    async with bob.http() as http:
        assert refusal(await log_in(http, "ada")) == (429, "too_many_attempts")


async def test_deleting_and_logging_in_share_the_limits(server: LiveServer, clock: Clock) -> None:
    ada = await server.member("ada")
    async with ada.http() as http:
        for _ in range(5):
            await http.request("DELETE", "/api/me", json={"password": WRONG})
        # The same browser's log-in waits too: one budget for every password check.
        assert refusal(await log_in(http, "ada")) == (429, "too_many_attempts")


async def test_a_new_browser_at_a_crowded_address_waits_but_gets_in(
    server: LiveServer, clock: Clock
) -> None:
    async with server.client() as carol, server.client() as attacker:
        await sign_up(server, carol, "carol")
        for i in range(50):
            await log_in(attacker, f"member{i}", WRONG)
    async with server.client() as new_browser:
        held = await log_in(new_browser, "carol")
        assert refusal(held) == (429, "too_many_attempts")
        clock.now += int(held.headers["retry-after"])
        assert (await log_in(new_browser, "carol")).status_code == 200


async def test_device_cookies_are_the_members_own(server: LiveServer, clock: Clock) -> None:
    async with server.client() as ada, server.client() as mallory:
        await sign_up(server, ada, "ada")
        await sign_up(server, mallory, "mallory")
        # Mallory's own browser proves nothing about Ada, nor does a forged cookie.
        name = server.settings.device_cookie_name
        forged = ada.cookies[name][:-4] + "AAAA"
        for _ in range(5):
            await log_in(mallory, "ada", WRONG)
        assert refusal(await log_in(mallory, "ada")) == (429, "too_many_attempts")
        async with server.client() as forger:
            forger.cookies.set(name, forged)
            assert refusal(await log_in(forger, "ada")) == (429, "too_many_attempts")
        assert (await log_in(ada, "ada")).status_code == 200


async def test_the_device_cookie_outlives_log_out_but_not_the_account(
    server: LiveServer, clock: Clock
) -> None:
    name = server.settings.device_cookie_name
    async with server.client() as ada:
        await sign_up(server, ada, "ada")
        device = ada.cookies[name]
        assert (await log_in(ada, "ada")).status_code == 200
        assert ada.cookies[name] == device  # the same device, renewed
        gone = await ada.request("DELETE", "/api/me", json={"password": PASSWORD})
        assert gone.status_code == 204
        assert name not in ada.cookies


async def test_over_https_the_device_cookie_is_host_only_and_secure(tmp_path: Path) -> None:
    port = free_port()
    settings = server_settings(tmp_path, None, port, public_url=f"https://127.0.0.1:{port}")
    async with run_server(settings, FakeMedia()) as server, server.client() as http:
        code = await server.invite_code()
        made = await http.post(
            "/api/signup", json={"code": code, "username": "ada", "password": PASSWORD}
        )
    cookies = [v for k, v in made.headers.multi_items() if k == "set-cookie"]
    device = next(c for c in cookies if c.startswith("__Host-teahouse_device="))
    for flag in ("HttpOnly", "Secure", "Path=/", "SameSite=strict"):
        assert flag.lower() in device.lower()
    assert "domain" not in device.lower()


@pytest.fixture
async def behind_proxy(tmp_path: Path) -> AsyncIterator[tuple[LiveServer, Clock]]:
    """A server that trusts the proxy at 127.0.0.1, where every test client is."""
    settings = server_settings(tmp_path, None, free_port(), trusted_proxies=["127.0.0.1"])
    async with run_server(settings, FakeMedia()) as server:
        clock = Clock()
        server.services.attempts.clock = clock
        yield server, clock


async def test_behind_a_trusted_proxy_each_client_counts_alone(
    behind_proxy: tuple[LiveServer, Clock],
) -> None:
    server, _ = behind_proxy
    attacker = {"x_forwarded_for": "203.0.113.9"}
    async with server.client() as http:
        await sign_up(server, http, "carol")
        http.cookies.clear()  # a new browser
        for i in range(50):
            await log_in(http, f"member{i}", WRONG, **attacker)
        assert refusal(await log_in(http, "member0", WRONG, **attacker)) == (
            429,
            "too_many_attempts",
        )
        # What the attacker writes into the header itself does not help: the proxy
        # appends the address it was reached from, and that one counts.
        spoofed = {"x_forwarded_for": "198.51.100.7, 203.0.113.9"}
        assert refusal(await log_in(http, "member0", WRONG, **spoofed))[0] == 429
        # Carol, behind the same proxy from her own address, is not held up.
        ok = await log_in(http, "carol", x_forwarded_for="198.51.100.7")
        assert ok.status_code == 200, ok.text


async def test_an_ignored_x_forwarded_for_is_reported_once_without_an_address(
    server: LiveServer, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    async with server.client() as http:
        for i in range(3):
            await log_in(http, "ada", WRONG, x_forwarded_for=f"198.51.100.{i}")
    warnings = [r for r in caplog.records if "X-Forwarded-For" in r.getMessage()]
    assert len(warnings) == 1
    assert "TEAHOUSE_TRUSTED_PROXIES" in warnings[0].getMessage()
    assert not any("198.51.100" in r.getMessage() for r in caplog.records)
