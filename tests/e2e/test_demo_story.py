"""The demo tells the truth, in real Chromium: after `teahouse demo seed` and a start,
Nadia (a demo member who follows the demo rooms' people and is in one of their clubs)
sees a newcomer's real room of one on top of her hallway (no reason line), and every demo
room below it with its "demo" badge, none of them "Popular". Screenshots at phone
width and at 1280x800 go to test-artifacts/screenshots/ (`demo-hallway`).
"""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import Browser, expect

from teahouse.config import Settings
from teahouse.demo import rooms as demo_rooms
from tests.e2e.test_browser_story import PHONE, SCREENSHOTS
from tests.e2e.test_screens_story import shots
from tests.e2e.test_social_story import drain
from tests.support import social
from tests.support.demo import seeded_instance
from tests.support.server import run_server

pytestmark = pytest.mark.netns

DEMO_PASSWORD = "demo password 123"


async def test_a_real_room_of_one_is_above_the_demo_rooms(
    app_settings: Settings, browser: Browser
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await seeded_instance(app_settings, DEMO_PASSWORD)

    async with run_server(app_settings, None) as app:
        newcomer = await app.member("newcomer")
        real = await social.open_room(newcomer, "Just me, testing the microphone")
        sockets = asyncio.create_task(drain([newcomer]))
        context = await browser.new_context(
            viewport=PHONE, device_scale_factor=2, has_touch=True, base_url=app.url
        )
        page = await context.new_page()
        page.set_default_timeout(20_000)
        try:
            await page.goto("/login")
            await page.get_by_test_id("login-username").fill("nadia")
            await page.get_by_test_id("login-password").fill(DEMO_PASSWORD)
            await page.get_by_test_id("login-submit").click()
            cards = page.get_by_test_id("room-card")
            await expect(cards).to_have_count(1 + len(demo_rooms.ROOMS))
            await expect(cards.first).to_have_attribute("data-room-id", real)
            # No reason line on it: "Live now" would repeat the heading above.
            await expect(cards.first.get_by_test_id("hallway-room-reason")).to_have_count(0)
            await expect(cards.first.get_by_test_id("demo-badge")).to_have_count(0)
            for n in range(1, 1 + len(demo_rooms.ROOMS)):
                card = cards.nth(n)
                await expect(card.get_by_test_id("demo-badge")).to_be_visible()
                reason = card.get_by_test_id("hallway-room-reason")
                await expect(reason).not_to_have_attribute("data-kind", "popular")
            await shots(page, "demo-hallway")
        finally:
            await context.close()
            sockets.cancel()
            await newcomer.close()
