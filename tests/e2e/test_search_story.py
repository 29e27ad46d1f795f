"""Search for Chinese names in real Chromium, at phone and desktop width: Ada types one
character of a name and finds both members who have it, two characters and finds the
one whose name holds them side by side, a room title by two of its characters, and
two characters that are not side by side in any name find nothing. Media is faked."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, expect

from tests.e2e.test_browser_story import PHONE, SCREENSHOTS
from tests.support.server import PASSWORD, LiveServer

pytestmark = pytest.mark.netns

DESKTOP = {"width": 1280, "height": 800}


async def log_in(page: Page, username: str, password: str) -> None:
    await page.goto("/login")
    await page.get_by_test_id("login-username").fill(username)
    await page.get_by_test_id("login-password").fill(password)
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("start-room")).to_be_visible()


async def search(page: Page, query: str) -> None:
    """Type ``query`` into the search page; the results follow after its debounce."""
    await page.get_by_test_id("search-input").fill(query)


@pytest.mark.parametrize("width", ["phone", "desktop"])
async def test_a_chinese_name_found_by_one_character(
    site: LiveServer, browser: Browser, width: str
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await site.member("ada")
    names = {"chen": "陳威廉", "wei": "Ada 陳威", "lin": "林美"}
    for username, display in names.items():
        member = await site.member(username)
        async with member.http() as http:
            response = await http.patch("/api/me/profile", json={"display_name": display})
            assert response.status_code == 200, response.text
            if username == "chen":
                room = await http.post("/api/rooms", json={"title": "週五爵士之夜"})
                assert room.status_code == 201, room.text
    context = await browser.new_context(
        viewport=PHONE if width == "phone" else DESKTOP,  # type: ignore[arg-type]
        base_url=site.settings.public_url,
    )
    page = await context.new_page()
    page.set_default_timeout(20_000)
    try:
        await log_in(page, "ada", PASSWORD)
        await page.goto("/search")
        members = page.get_by_test_id("search-member")

        await search(page, "威")
        await expect(members).to_have_count(2)
        assert {await m.get_attribute("data-user") for m in await members.all()} == {
            "chen",
            "wei",
        }
        await expect(page.get_by_test_id("search-members")).to_contain_text("陳威廉")
        await page.screenshot(path=SCREENSHOTS / f"search-cjk-{width}.png")

        await search(page, "威廉")
        await expect(members).to_have_count(1)
        await expect(members.first).to_have_attribute("data-user", "chen")

        await search(page, "爵士")
        await expect(page.get_by_test_id("search-room")).to_contain_text("週五爵士之夜")

        await search(page, "陳廉")  # both in 陳威廉, but not side by side
        await expect(page.get_by_test_id("search-empty")).to_be_visible()
        await expect(members).to_have_count(0)
    finally:
        await context.close()
