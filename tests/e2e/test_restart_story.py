"""A restart, as the people in a room live it: Ada speaks in one Chromium, Bob listens
in another, and the operator restarts `teahouse serve` under them, once with SIGTERM
(an upgrade) and once with SIGKILL (a crash). Neither touches the page: both pages
reconnect on their own, the room is the same room, Ada is still on the stage, and Bob
hears her tone again (docs/OPERATIONS.md, "Restarts")."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from tests.e2e.test_browser_story import PHONE, browsers, hears
from tests.e2e.test_social_story import log_in
from tests.media.conftest import record_timing
from tests.support.netns import NETNS_ADDRESS
from tests.support.page_state import until_state
from tests.support.serve_process import ServeProcess, teahouse_serve
from tests.support.server import PASSWORD, free_port

pytestmark = pytest.mark.netns
__all__ = ["browsers"]  # the fixture, used by name

MEDIA = {"janus_ice_enforce_list": NETNS_ADDRESS, "janus_rtp_ports": "33000-33999"}


async def logged_in(browser: Browser, server: ServeProcess, username: str) -> Page:
    context = await browser.new_context(viewport=PHONE, base_url=server.url)
    page = await context.new_page()
    page.set_default_timeout(20_000)
    await log_in(page, username)
    return page


async def test_a_room_lives_through_a_restart_and_a_crash(
    tmp_path: Path, browsers: dict[int, Browser]
) -> None:
    port = free_port()
    async with teahouse_serve(tmp_path, port=port, **MEDIA) as server:
        await server.signup(await server.invite_code(), "ada")
        await server.signup(await server.invite_code(), "bob")
        ada = await logged_in(browsers[440], server, "ada")
        bob = await logged_in(browsers[660], server, "bob")
        async with server.client() as http:
            await http.post("/api/login", json={"username": "ada", "password": PASSWORD})
            room = (await http.post("/api/rooms", json={"title": "Tea after hours"})).json()["id"]
        await ada.goto(f"/room/{room}")
        await until_state(ada, "s.phase === 'live' && s.me?.role === 'moderator'")
        await bob.goto(f"/room/{room}")
        await until_state(bob, "s.phase === 'live'")
        await hears(bob, 440)

        for how in (signal.SIGTERM, signal.SIGKILL):
            if how == signal.SIGKILL:
                await ada.wait_for_timeout(1000)  # the last changes are saved
            stopped = time.monotonic()
            await server.stop(how)
            async with teahouse_serve(tmp_path, port=port, **MEDIA) as server:
                await until_state(bob, "s.phase === 'live'", timeout=20_000)
                await until_state(
                    ada, "s.phase === 'live' && s.me?.role === 'moderator'", timeout=20_000
                )
                resumed = time.monotonic()
                await hears(bob, 440, within=20)
                heard = time.monotonic()
                await expect(bob.get_by_test_id("room-title")).to_have_text("Tea after hours")
                name = how.name
                record_timing(f"browsers, {name}: stop to both pages live", resumed - stopped)
                record_timing(f"browsers, {name}: stop to the tone heard again", heard - stopped)
