"""Through a network that blocks UDP: the listener hears the speaker through a real
coturn over TLS on 443, and without TURN the same network gets no audio at all.

Both browsers sit in a client namespace whose only neighbour is the TURN host, which
does not forward packets (tests/support/relay_topology.py); Janus and the app are in
this namespace. coturn runs with a configuration made from docs/deploy/turnserver.conf
(TLS only, a certificate from a CA made now), and the members choose "Relay only" in
Settings. A third member whose browser gets no TURN servers is the control: its
connection to Janus fails, which proves there is no direct path to hide behind.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import subprocess
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, WebSocket, async_playwright, expect

from tests.e2e.test_browser_story import CHROMIUM_ARGS, HEARD_JS, hears, tone_wav
from tests.support.relay_topology import (
    CLIENT_ADDRESS,
    MEDIA_ADDRESS,
    TURN_CLIENT_SIDE,
    TURN_MEDIA_SIDE,
    RelayTopology,
    derived_coturn_config,
    listening_socket_in,
    make_tls_certificate,
    relay_topology,
)
from tests.support.server import LiveServer, Member, free_port, run_server, server_settings

pytestmark = pytest.mark.netns

DEPLOYED_CONFIG = Path(__file__).resolve().parents[2] / "docs" / "deploy" / "turnserver.conf"
TURN_URL = f"turns:{TURN_CLIENT_SIDE}:443?transport=tcp"


@dataclass(frozen=True)
class Coturn:
    secret_file: Path
    log: Path
    ca: Path


@pytest.fixture
def topology() -> Iterator[RelayTopology]:
    with relay_topology() as made:
        yield made


def listening(topology: RelayTopology, port: int) -> bool:
    listed = subprocess.run(
        topology.command_in(topology.turn, "ss", "-Hltn", f"sport = :{port}"),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return bool(listed.strip())


@pytest.fixture
def coturn(topology: RelayTopology, tmp_path: Path) -> Iterator[Coturn]:
    """Debian's turnserver in the TURN namespace, as docs/deploy/turnserver.conf has it
    but for the addresses, the test's own secret and certificate, and TLS alone."""
    tls = tmp_path / "tls"
    tls.mkdir()
    ca, cert, key = make_tls_certificate(tls, TURN_CLIENT_SIDE)
    secret = secrets.token_urlsafe(32)
    secret_file = tmp_path / "turn-secret"
    secret_file.write_text(secret + "\n")
    log = tmp_path / "turn.log"
    config = tmp_path / "turnserver.conf"
    config.write_text(
        derived_coturn_config(
            DEPLOYED_CONFIG.read_text(),
            {
                "static-auth-secret": [secret],
                "listening-ip": [TURN_CLIENT_SIDE],
                "relay-ip": [TURN_MEDIA_SIDE],
                "allowed-peer-ip": [MEDIA_ADDRESS],
                "cert": [str(cert)],
                "pkey": [str(key)],
                # Only TLS on 443: what a network that passes nothing but HTTPS leaves.
                "no-udp": [""],
                "no-tcp": [""],
                # Read below for the allocations (the deployed file keeps no log).
                "log-file": [str(log)],
                "pidfile": [str(tmp_path / "turnserver.pid")],
                # verbose: coturn writes each allocation and its username only then.
                "verbose": [""],
            },
        )
    )
    process = subprocess.Popen(
        topology.command_in(topology.turn, "turnserver", "-c", str(config)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while not listening(topology, 443):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"coturn did not listen on 443: {log_text(log)}")
            time.sleep(0.1)
        yield Coturn(secret_file, log, ca)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def log_text(log: Path) -> str:
    return log.read_text(errors="replace") if log.exists() else "(no log)"


@pytest.fixture
async def relayed_app(
    topology: RelayTopology, coturn: Coturn, tmp_path: Path
) -> AsyncIterator[LiveServer]:
    """The app with its managed Janus on this namespace's side of the TURN host,
    answering browsers on 127.0.0.1 of the client namespace too."""
    port = free_port()
    in_client = listening_socket_in(topology.netns_path(topology.client), "127.0.0.1", port)
    settings = server_settings(
        tmp_path / "app",
        None,
        port,
        janus_ice_enforce_list=MEDIA_ADDRESS,
        janus_rtp_ports="33000-33999",
        turn_urls=[TURN_URL],
        turn_secret_file=coturn.secret_file,
    )
    async with run_server(settings, None, also_on=[in_client]) as live:
        yield live


def trusting_home(directory: Path, ca: Path) -> Path:
    """A home whose NSS database (where Chromium on Linux reads the certificates its
    user trusts) trusts ``ca``: the browser checks the TURN server's certificate."""
    nssdb = directory / ".pki" / "nssdb"
    nssdb.mkdir(parents=True)
    database = f"sql:{nssdb}"
    subprocess.run(["certutil", "-N", "-d", database, "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", database, "-t", "C,,", "-n", "Teahouse test CA", "-i", str(ca)],
        check=True,
    )
    return directory


@pytest.fixture
async def client_browsers(
    topology: RelayTopology, coturn: Coturn, tmp_path: Path
) -> AsyncIterator[dict[str, Browser]]:
    """Chromium started in the client namespace: a speaker (440 Hz) and a listener."""
    home = trusting_home(tmp_path / "home", coturn.ca)
    wrapper = tmp_path / "chromium-in-client-netns"
    command = " ".join(topology.command_in(topology.client, "/usr/bin/chromium"))
    wrapper.write_text(f'#!/bin/sh\nHOME={home} exec {command} "$@"\n')
    wrapper.chmod(0o755)
    async with async_playwright() as pw:
        launched = {}
        for role, tone in (("speaker", 440), ("listener", 660)):
            wav = tone_wav(tmp_path / f"{role}.wav", tone)
            launched[role] = await pw.chromium.launch(
                executable_path=str(wrapper),
                args=[*CHROMIUM_ARGS, f"--use-file-for-fake-audio-capture={wav}"],
            )
        yield launched
        for browser in launched.values():
            await browser.close()


async def page_of(browser: Browser, app: LiveServer, member: Member) -> Page:
    context = await browser.new_context(base_url=app.url)
    await context.add_cookies(
        [{"name": app.settings.session_cookie_name, "value": member.token, "url": app.url}]
    )
    page = await context.new_page()
    page.set_default_timeout(20_000)
    return page


async def choose_relay_only(page: Page) -> None:
    await page.goto("/settings")
    toggle = page.get_by_test_id("relay-only-toggle")
    await expect(toggle).to_have_attribute("data-on", "false")
    await toggle.click()
    await expect(toggle).to_have_attribute("data-on", "true")


def sdp_sent(page: Page) -> list[str]:
    """Every SDP the page sends the server from now on (publish and subscribe answers):
    what Janus learns of the browser's addresses."""
    sent: list[str] = []

    def on_socket(socket: WebSocket) -> None:
        def on_frame(payload: str | bytes) -> None:
            message = json.loads(payload)
            if "sdp" in message:
                sent.append(message["sdp"])

        socket.on("framesent", on_frame)

    page.on("websocket", on_socket)
    return sent


async def selected_candidates(page: Page, connections: int) -> list[dict[str, str]]:
    """The selected pair of each of the page's audio connections, once all have one."""
    found: list[dict[str, str]] = []
    for _ in range(100):
        found = await page.evaluate("window.teahouse.selectedCandidateTypes()")
        if len(found) >= connections:
            return found
        await page.wait_for_timeout(100)
    raise AssertionError(f"expected {connections} connected pairs, found {found}")


async def test_a_listener_hears_the_speaker_through_turn_over_tls_and_not_without_it(
    topology: RelayTopology,
    coturn: Coturn,
    relayed_app: LiveServer,
    client_browsers: dict[str, Browser],
) -> None:
    app = relayed_app
    assert not topology.forwards(topology.turn)
    ada, bob, cy = [await app.member(name) for name in ("ada", "bob", "cy")]
    async with ada.http() as http:
        room = (await http.post("/api/rooms", json={"title": "Behind the wall"})).json()["id"]

    speaker = await page_of(client_browsers["speaker"], app, ada)
    listener = await page_of(client_browsers["listener"], app, bob)
    await choose_relay_only(speaker)
    await choose_relay_only(listener)
    # The control: the same network, a browser the server gives no TURN servers.
    control = await page_of(client_browsers["listener"], app, cy)
    no_turn = {"ice_servers": [], "expires_at": None}
    await control.route("**/api/ice-servers", lambda route: route.fulfill(json=no_turn))

    spoken, heard = sdp_sent(speaker), sdp_sent(listener)
    await speaker.goto(f"/room/{room}")
    await expect(speaker.get_by_test_id("mute")).to_be_visible()
    await asyncio.gather(listener.goto(f"/room/{room}"), control.goto(f"/room/{room}"))

    # Bob hears Ada, and both her microphone and his ears go through the relay.
    await hears(listener, 440, within=20)
    for page in (speaker, listener):
        for pair in await selected_candidates(page, 1):
            assert pair["local"] == "relay", pair
    # Relay only: what reached Janus names the relay's address, never the browsers'.
    assert spoken and heard
    for sdp in spoken + heard:
        assert "typ relay" in sdp and TURN_MEDIA_SIDE in sdp, sdp
        assert "typ host" not in sdp and CLIENT_ADDRESS not in sdp, sdp
    # coturn allocated a relay for each, with a Teahouse credential, toward Janus alone;
    # and the usernames it logs name nobody.
    log = log_text(coturn.log)
    assert log.count("ALLOCATE processed, success") >= 2, log
    assert f"peer {MEDIA_ADDRESS} lifetime updated" in log, log
    for member in (ada, bob, cy):
        assert member.id not in log

    # Without TURN, Cy's browser finds no way to Janus: its connection fails, silent.
    await expect(
        control.get_by_test_id("toast").filter(has_text="audio connection failed")
    ).to_be_visible(timeout=40_000)
    readings = await control.evaluate(HEARD_JS)
    assert not any(abs(r["hz"] - 440) <= 10 and r["db"] > -70 for r in readings), readings
    assert await control.evaluate("window.teahouse.selectedCandidateTypes()") == []
