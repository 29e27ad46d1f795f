"""Served over TLS as in production: Debian's nginx runs docs/deploy/nginx.conf with a
certificate from a CA made here, in front of a real `teahouse serve` whose public URL
is https; real Chromium, trusting that CA through its NSS database, goes through the
story over HTTPS. Ada signs up by invitation and gets a `__Host-` Secure session
cookie, every response through the proxy carries HSTS, the room's WebSocket upgrades
through nginx, and Bob, signed up with Ada's invitation and listening, hears Ada's
microphone (440 Hz). nginx writes no
access log: nothing on the proxy holds a member's address either.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import (
    Browser,
    BrowserContext,
    Response,
    WebSocket,
    async_playwright,
    expect,
)

from tests.e2e.test_browser_story import CHROMIUM_ARGS, PHONE, hears, sign_up, tone_wav
from tests.support.netns import NETNS_ADDRESS
from tests.support.serve_process import TEAHOUSE, ServeProcess, serve_env, teahouse_serve
from tests.support.server import free_port
from tests.support.tls_proxy import (
    Certificates,
    Proxy,
    make_certificates,
    nginx,
    tls_browser_args,
    trust_authority,
)

pytestmark = pytest.mark.netns

HSTS = "max-age=63072000"


@pytest.fixture
def certificates(tmp_path: Path) -> Certificates:
    return make_certificates(tmp_path / "tls")


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[ServeProcess, dict[str, str]]]:
    """`teahouse serve` as docs/deploy/teahouse.service runs it behind the proxy,
    and the settings its CLI needs to reach the same instance."""
    https_port = free_port()
    settings = {
        "public_url": f"https://tea.example.org:{https_port}",
        "trusted_proxies": '["127.0.0.1"]',
        "janus_ice_enforce_list": NETNS_ADDRESS,
        "janus_rtp_ports": "33000-33999",
    }
    async with teahouse_serve(tmp_path / "data", **settings) as server:
        yield server, settings
        # As `systemctl stop` ends it (docs/deploy/teahouse.service): SIGTERM, and
        # an exit that systemd counts as clean (uvicorn re-raises the signal).
        assert await server.stop(signal.SIGTERM) == -signal.SIGTERM, "".join(server.output)


@pytest.fixture
async def proxy(
    tmp_path: Path,
    certificates: Certificates,
    served: tuple[ServeProcess, dict[str, str]],
) -> AsyncIterator[Proxy]:
    server, settings = served
    https_port = int(settings["public_url"].rsplit(":", 1)[1])
    upstream = int(server.url.rsplit(":", 1)[1])
    prefix = tmp_path / "nginx"
    async with nginx(prefix, certificates, https_port, free_port(), upstream) as running:
        yield running


@pytest.fixture
async def browser(tmp_path: Path, certificates: Certificates) -> AsyncIterator[Browser]:
    """Chromium whose NSS database trusts the test CA, with Ada's 440 Hz microphone."""
    home = tmp_path / "home"
    trust_authority(home, certificates.authority)
    async with async_playwright() as pw:
        launched = await pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                *CHROMIUM_ARGS,
                *tls_browser_args(),
                f"--use-file-for-fake-audio-capture={tone_wav(tmp_path / '440.wav', 440)}",
            ],
            env={**os.environ, "HOME": str(home)},
        )
        yield launched
        await launched.close()


async def invitation(data_dir: Path, settings: dict[str, str]) -> str:
    """A link from `teahouse invite create`, run as an operator would, beside serve."""
    process = await asyncio.create_subprocess_exec(
        str(TEAHOUSE),
        "invite",
        "create",
        env=serve_env(data_dir, 0, **settings),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode == 0, output.decode(errors="replace")
    return output.decode().strip().splitlines()[-1]


async def member_browser(browser: Browser, proxy: Proxy) -> BrowserContext:
    # ignore_https_errors stays False: the page loads only if the certificate holds.
    return await browser.new_context(viewport=PHONE, base_url=proxy.origin)


def keep_first_responses(
    context: BrowserContext, who: str, into: dict[tuple[str, str], Response]
) -> None:
    def keep(response: Response) -> None:
        into.setdefault((who, response.url), response)

    context.on("response", keep)


async def test_the_story_over_https_through_nginx(
    tmp_path: Path,
    served: tuple[ServeProcess, dict[str, str]],
    proxy: Proxy,
    browser: Browser,
) -> None:
    _, settings = served
    # The first response for each URL in each browser context: that one came over the
    # network (the contexts start empty). A later one may come from Chromium's HTTP
    # cache, which keeps no Strict-Transport-Security header.
    responses: dict[tuple[str, str], Response] = {}
    sockets: list[WebSocket] = []

    ada_context = await member_browser(browser, proxy)
    keep_first_responses(ada_context, "ada", responses)
    ada = await ada_context.new_page()
    ada.set_default_timeout(20_000)
    # Playwright cannot take a builtin method as a handler.
    ada.on("websocket", lambda socket: sockets.append(socket))

    # Ada signs up with the operator's invitation, over HTTPS through the proxy.
    link = await invitation(tmp_path / "data", settings)
    assert link.startswith(proxy.origin + "/invite#")
    await sign_up(ada, link, "ada", "Ada Lovelace")
    [session] = [c for c in await ada_context.cookies() if "session" in c["name"]]
    assert session["name"] == "__Host-teahouse_session"
    assert session["secure"] and session["httpOnly"] and session["path"] == "/"
    assert session["domain"] == "tea.example.org"  # host-only: no Domain attribute

    # Ada starts a room: the room's WebSocket upgrades through nginx.
    await ada.get_by_test_id("start-room").click()
    await ada.get_by_test_id("room-title-input").fill("Tea over TLS")
    await ada.get_by_test_id("create-room").click()
    await expect(ada.get_by_test_id("room-title")).to_have_text("Tea over TLS")
    assert sockets and all(s.url == f"wss://tea.example.org:{proxy.https_port}/ws" for s in sockets)
    room_path = ada.url.removeprefix(proxy.origin)

    # Ada makes Bob an invitation; he signs up with it, opens the room and hears Ada.
    invites = await ada_context.new_page()
    await invites.goto("/invites")
    await invites.get_by_test_id("create-invite").click()
    bob_link = await invites.get_by_test_id("invite-link").input_value()
    assert bob_link.startswith(proxy.origin + "/invite#")
    bob_context = await member_browser(browser, proxy)
    keep_first_responses(bob_context, "bob", responses)
    bob = await bob_context.new_page()
    bob.set_default_timeout(20_000)
    await sign_up(bob, bob_link, "bob", "Bob")
    await bob.goto(room_path)
    await expect(bob.get_by_test_id("room-title")).to_have_text("Tea over TLS")
    await hears(bob, 440)

    # Every response through the proxy, pages, scripts and API alike, carried HSTS.
    ours = [r for r in responses.values() if r.url.startswith(proxy.origin)]
    assert any("/api/signup" in r.url for r in ours)
    hsts = {r.url: (await r.all_headers()).get("strict-transport-security") for r in ours}
    missing = [url for url, header in hsts.items() if header != HSTS]
    assert not missing, missing
    # Plain http answers only certbot's challenges; everything else goes to HTTPS.
    challenge = proxy.prefix / "acme" / ".well-known" / "acme-challenge" / "token"
    challenge.parent.mkdir(parents=True)
    challenge.write_text("proof")
    headers = {"host": "tea.example.org"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{proxy.http_port}") as http:
        plain = await http.get("/room/abc?x=1", headers=headers)
        proof = await http.get("/.well-known/acme-challenge/token", headers=headers)
    assert plain.status_code == 301
    assert plain.headers["location"] == "https://tea.example.org/room/abc?x=1"
    assert (proof.status_code, proof.text) == (200, "proof")
    # The proxy kept no access log, so no line with a member's address.
    assert not proxy.access_log.exists() or proxy.access_log.stat().st_size == 0
    await ada_context.close()
    await bob_context.close()
