"""An event's second chance in real Chromium, at phone and desktop width: Ada starts
her event from its page and Bob, its co-host, is told it is starting; she ends the
room, and the event page says its room has ended and offers "Start it again" and
"Cancel this event"; she starts it again, ends it again, and cancels it. Media is
faked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.async_api import Browser, Page, expect

from tests.e2e.test_browser_story import PHONE, SCREENSHOTS
from tests.e2e.test_moderation_story import room_menu
from tests.e2e.test_password_story import DESKTOP, log_in, settled
from tests.support.server import PASSWORD, LiveServer

pytestmark = pytest.mark.netns


async def end_the_room(page: Page) -> None:
    await room_menu(page)
    await page.get_by_test_id("room-end").click()
    await page.get_by_test_id("end-room-confirm").click()
    await expect(page.get_by_test_id("room-ended")).to_be_visible()


@pytest.mark.parametrize("width", ["phone", "desktop"])
async def test_an_event_whose_room_ended_starts_again_or_is_cancelled(
    site: LiveServer, browser: Browser, width: str
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    viewport = PHONE if width == "phone" else DESKTOP
    ada = await site.member("ada")
    await site.member("bob")
    starts_at = (datetime.now(UTC) + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%MZ")
    async with ada.http() as http:
        made = await http.post(
            "/api/events",
            json={
                "title": "Sunday tea",
                "starts_at": starts_at,
                "time_zone": "Europe/Berlin",
                "cohosts": ["bob"],
            },
        )
        assert made.status_code == 201, made.text
        event_id = made.json()["id"]

    options = {"viewport": viewport, "base_url": site.settings.public_url}
    contexts = [await browser.new_context(**options) for _ in range(2)]  # type: ignore[arg-type]
    host, cohost = [await c.new_page() for c in contexts]
    for page in (host, cohost):
        page.set_default_timeout(20_000)
    try:
        await log_in(host, "ada", PASSWORD)
        await log_in(cohost, "bob", PASSWORD)
        await host.goto(f"/event/{event_id}")
        await host.get_by_test_id("event-start").click()
        await expect(host.get_by_test_id("room-title")).to_have_text("Sunday tea")
        room_url = host.url

        # Bob, a co-host, is told it is starting, with a way in.
        toast = cohost.get_by_test_id("toast").filter(has_text="Sunday tea is starting")
        await expect(toast).to_be_visible()
        await expect(toast.get_by_test_id("notification-join")).to_be_visible()

        await end_the_room(host)
        await host.goto(f"/event/{event_id}")
        event = host.get_by_test_id("event")
        await expect(event).to_have_attribute("data-room-ended", "true")
        await expect(host.get_by_test_id("event-room-ended")).to_have_text(
            "This event's room has ended. You can start it again, or cancel the event."
        )
        await expect(host.get_by_test_id("event-join")).to_have_count(0)
        await expect(host.get_by_test_id("event-cancel")).to_be_visible()
        await settled(host)
        await host.screenshot(path=SCREENSHOTS / f"event-room-ended-{width}.png", full_page=True)

        # Bob's notification no longer offers to join a room that has ended.
        await cohost.goto("/notifications")
        starting = cohost.locator('[data-testid="notification-item"][data-kind="event_starting"]')
        await expect(starting.get_by_test_id("notification-ended")).to_be_visible()
        await expect(starting.get_by_test_id("notification-join")).to_have_count(0)

        again = host.get_by_test_id("event-start")
        await expect(again).to_have_text("Start it again")
        await again.click()
        await expect(host.get_by_test_id("room-title")).to_have_text("Sunday tea")
        assert host.url != room_url  # a new room

        await end_the_room(host)
        await host.goto(f"/event/{event_id}")
        await host.get_by_test_id("event-cancel").click()
        await host.get_by_test_id("event-cancel-confirm").click()
        await expect(host.get_by_test_id("event-cancelled")).to_be_visible()
        await expect(host.get_by_test_id("event-room-ended")).to_have_count(0)
        await expect(host.get_by_test_id("event-start")).to_have_count(0)
    finally:
        for context in contexts:
            await context.close()
