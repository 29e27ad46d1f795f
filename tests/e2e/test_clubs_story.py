"""Clubs and weekly events in real Chromium, at phone and desktop width: Sam asks to
join Ada's club, Ada is notified, accepts from her notifications and Sam is in; Ada
schedules a weekly event from the form, the event page says "Every Monday at 19:00",
she starts its room and ends it, and the page shows the next Monday. Each screenshot
is taken at phone width and at 1280x800 (``shots``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser, Page, expect

from tests.e2e.test_browser_story import PHONE, SCREENSHOTS
from tests.e2e.test_screens_story import shots
from tests.e2e.test_social_story import log_in
from tests.support.server import LiveServer

pytestmark = pytest.mark.netns

BERLIN = ZoneInfo("Europe/Berlin")


def next_monday() -> date:
    today = datetime.now(BERLIN).date()
    return today + timedelta(days=7 - today.weekday())  # never today: it must be ahead


async def berlin_page(browser: Browser, app: LiveServer) -> Page:
    """A phone in Berlin that writes times the British way (19:00, not 7:00 PM)."""
    context = await browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        has_touch=True,
        base_url=app.url,
        timezone_id="Europe/Berlin",
        locale="en-GB",
    )
    page = await context.new_page()
    page.set_default_timeout(20_000)
    return page


async def api_get(page: Page, path: str) -> Any:
    return await page.evaluate(f"fetch('/api{path}').then((r) => r.json())")


async def test_ask_to_join_and_a_weekly_event(app: LiveServer, browser: Browser) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ada_member = await app.member("ada")
    await app.member("sam")
    founder = await app.services.accounts.user_by_username("ada")
    club_id = (await app.services.clubs.create(founder, "Night Owls", "Late talks."))["id"]
    assert ada_member.id == founder.id
    ada, sam = await berlin_page(browser, app), await berlin_page(browser, app)
    try:
        await log_in(ada, "ada")  # on the hallway, her socket open for notifications
        await log_in(sam, "sam")

        # Sam asks to join; the page says so, and offers to withdraw.
        await sam.goto(f"/c/{club_id}")
        await expect(sam.get_by_test_id("club")).to_have_attribute("data-role", "none")
        await sam.get_by_test_id("club-ask").click()
        requested = sam.get_by_test_id("club-requested")
        await expect(requested).to_contain_text("Requested")
        await expect(sam.get_by_test_id("club-withdraw")).to_be_visible()
        await expect(sam.get_by_test_id("club-ask")).to_have_count(0)
        await shots(sam, "club-request-sent")
        # He takes it back, and asks again.
        await sam.get_by_test_id("club-withdraw").click()
        await expect(sam.get_by_test_id("club-ask")).to_be_visible()
        await sam.get_by_test_id("club-ask").click()
        await expect(sam.get_by_test_id("club-requested")).to_be_visible()

        # Ada is told at once, and accepts from her notifications; the first request
        # says it was withdrawn, with nothing to answer.
        toast = ada.get_by_test_id("toast").filter(has_text="asked to join Night Owls")
        await expect(toast.first).to_be_visible()
        await ada.goto("/notifications")
        asked = ada.locator('[data-testid="notification-item"][data-kind="club_request"]')
        await expect(asked).to_have_count(2)
        request, withdrawn = asked.nth(0), asked.nth(1)  # newest first
        await expect(withdrawn.get_by_test_id("club-request-answer")).to_have_text("Withdrawn")
        await expect(withdrawn.get_by_test_id("notification-accept")).to_have_count(0)
        await expect(request).to_contain_text("sam asked to join Night Owls")
        await request.get_by_test_id("notification-accept").click()
        answer = request.get_by_test_id("club-request-answer")
        await expect(answer).to_have_attribute("data-answer", "accepted")
        await expect(answer).to_have_text("Accepted")
        await expect(request.get_by_test_id("notification-accept")).to_have_count(0)
        await shots(ada, "club-request-accepted")

        # Sam is in, and told so.
        await sam.goto(f"/c/{club_id}")
        await expect(sam.get_by_test_id("club")).to_have_attribute("data-role", "member")
        await expect(sam.get_by_test_id("club-leave")).to_be_visible()
        await expect(sam.get_by_test_id("club-requested")).to_have_count(0)
        await sam.goto("/notifications")
        accepted = sam.locator(
            '[data-testid="notification-item"][data-kind="club_request_accepted"]'
        )
        await expect(accepted).to_contain_text("You're now a member of Night Owls")

        # Ada schedules a weekly event from the form: Mondays at 19:00 in Berlin.
        monday = next_monday()
        await ada.goto(f"/events/new?club={club_id}")
        await ada.get_by_test_id("event-title-input").fill("Monday night owls")
        await ada.get_by_test_id("event-starts-at").fill(f"{monday.isoformat()}T19:00")
        await ada.get_by_test_id("event-weekly").check()
        await expect(ada.get_by_test_id("event-weekly-hint")).to_contain_text(
            "Every Monday at 19:00"
        )
        await ada.get_by_test_id("event-create").click()
        repeats = ada.get_by_test_id("event-repeats")
        await expect(repeats).to_have_text("Every Monday at 19:00")
        event_id = await ada.get_by_test_id("event").get_attribute("data-event-id")
        assert event_id
        first = await api_get(ada, f"/events/{event_id}")
        assert first["repeats"] == "weekly" and first["time_zone"] == "Europe/Berlin"
        assert datetime.fromisoformat(first["starts_at"]).astimezone(BERLIN) == datetime(
            monday.year, monday.month, monday.day, 19, tzinfo=BERLIN
        )
        await shots(ada, "event-weekly")

        # She starts its room, and ends it: the page shows the next Monday.
        await ada.get_by_test_id("event-start").click()
        await expect(ada.get_by_test_id("room-menu")).to_be_visible()
        await ada.get_by_test_id("room-menu").click()
        await ada.get_by_test_id("room-end").click()
        await ada.get_by_test_id("end-room-confirm").click()
        await expect(ada.get_by_test_id("room-ended")).to_be_visible()
        await ada.goto(f"/event/{event_id}")
        await expect(ada.get_by_test_id("event")).to_have_attribute("data-started", "false")
        following = monday + timedelta(days=7)
        when = ada.get_by_test_id("event")
        await expect(when).to_contain_text(f"{following.day} {following.strftime('%B')}")
        await expect(repeats).to_have_text("Every Monday at 19:00")
        await expect(ada.get_by_test_id("event-start")).to_be_visible()
        after = await api_get(ada, f"/events/{event_id}")
        assert datetime.fromisoformat(after["starts_at"]).astimezone(BERLIN) == datetime(
            following.year, following.month, following.day, 19, tzinfo=BERLIN
        )
        assert after["room_id"] is None
        await shots(ada, "event-ended")

        # She stops the series: the next Monday still happens, and nothing after it.
        await ada.get_by_test_id("event-stop-repeating").click()
        await ada.get_by_test_id("event-stop-confirm").click()
        await expect(ada.get_by_test_id("event-repeats")).to_have_count(0)
        await expect(ada.get_by_test_id("event-cancel")).to_have_text("Cancel this event")
        stopped = await api_get(ada, f"/events/{event_id}")
        assert (stopped["repeats"], stopped["starts_at"]) == (None, after["starts_at"])
    finally:
        for page in (ada, sam):
            await page.context.close()
