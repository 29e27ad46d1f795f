"""A desktop that is not a phone, in real Chromium with the real server and Janus.

Ada, at 1280x800, starts a room with a description; Cy (a socket) has another room
open. Bob, at desktop width too, sees both descriptions on the hallway's cards (two
lines at most), opens Ada's room and finds the hallway as a column beside it (Ada's
room marked as the one he is in), the description under the title, and the audience
as a grid of avatars across the room's width. Ada moderates with the hand queue in a
side panel: Bob's raised hand shows there. She changes the description and Bob's
screen shows the new one at once. Fay, on a phone, sees the phone's layout: the
hallway's cards in one column (the new description on Ada's), no hallway column in
the room, the description under the title, and the audience as a list of rows. Bob
moves on to Cy's room from the column beside the room, and Fay's count drops.
Landmarks come in reading order: the hallway, the room, the moderator's panel.
Screenshots go to test-artifacts/screenshots/ (desktop-*.png, phone-*.png).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from tests.e2e.test_browser_story import PHONE, SCREENSHOTS
from tests.e2e.test_social_story import drain, log_in, named
from tests.support import social
from tests.support.page_state import until_state
from tests.support.server import LiveServer, Member

pytestmark = pytest.mark.netns

DESKTOP = {"width": 1280, "height": 800}
ABOUT = "Oolong first, then whatever comes up. Newcomers welcome: say hello on stage."
CHANGED = "Green teas only from here: sencha, gyokuro, and how to brew them."
QUIET = "A small table by the window for slow talk."

# The landmarks of the page in document (reading and tab) order, with their names.
LANDMARKS_JS = """() => [...document.querySelectorAll('nav, main, aside')].map(
  (el) => `${el.tagName.toLowerCase()}:${el.getAttribute('aria-label') ?? ''}`)"""


async def page_at(browser: Browser, app: LiveServer, viewport: dict[str, int]) -> Page:
    context = await browser.new_context(
        viewport=viewport,  # type: ignore[arg-type]
        device_scale_factor=2 if viewport == PHONE else 1,
        has_touch=viewport == PHONE,
        base_url=app.url,
    )
    page = await context.new_page()
    page.set_default_timeout(20_000)
    return page


async def shot(page: Page, name: str) -> None:
    await page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")
    await page.screenshot(path=SCREENSHOTS / f"{name}.png", animations="disabled")


async def style(page: Page, selector: str, prop: str) -> str:
    value: str = await page.locator(selector).first.evaluate(
        f"(el) => getComputedStyle(el).getPropertyValue({prop!r})"
    )
    return value


async def columns(page: Page, selector: str) -> int:
    """How many columns a CSS grid has as laid out (its computed track list)."""
    tracks = await style(page, selector, "grid-template-columns")
    return len(tracks.split()) if tracks and tracks != "none" else 0


async def cy_room(cy: Member) -> str:
    async with cy.http() as http:
        response = await http.post(
            "/api/rooms", json={"title": "Quiet corner", "description": QUIET}
        )
        assert response.status_code == 201, response.text
        room_id: str = response.json()["id"]
    await social.enter(room_id, cy)
    return room_id


async def test_a_desktop_uses_the_width_and_a_phone_stays_a_phone(
    app: LiveServer, browser: Browser
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await named(app, "ada", "Ada")
    await named(app, "bob", "Bob")
    await named(app, "fay", "Fay")
    cy, dee, eve, gus = [await named(app, n, n.title()) for n in ("cy", "dee", "eve", "gus")]
    quiet_id = await cy_room(cy)
    sockets: asyncio.Task[Any] | None = None

    ada = await page_at(browser, app, DESKTOP)
    bob = await page_at(browser, app, DESKTOP)
    fay = await page_at(browser, app, PHONE)
    try:
        # -- Ada starts a room with a description from the start-room sheet ----------
        await log_in(ada, "ada")
        await ada.get_by_test_id("start-room").click()
        await ada.get_by_test_id("room-title-input").fill("Desktop tea")
        await ada.get_by_test_id("room-description-input").fill(ABOUT)
        await shot(ada, "desktop-start-room")
        await ada.get_by_test_id("create-room").click()
        await expect(ada.get_by_test_id("room-title")).to_have_text("Desktop tea")
        await expect(ada.get_by_test_id("room-description")).to_have_text(ABOUT)
        room_id = ada.url.rsplit("/", 1)[1]
        await until_state(ada, "s.me && s.me.role === 'moderator'")
        # Listeners for the grid: three sockets, and Bob.
        await social.enter(room_id, dee, eve, gus)
        sockets = asyncio.create_task(drain([cy, dee, eve, gus]))

        # -- Bob's hallway at desktop width: cards side by side, descriptions clamped -
        await log_in(bob, "bob")
        card = bob.locator(f'[data-testid="room-card"][data-room-id="{room_id}"]')
        await expect(card.get_by_test_id("room-card-description")).to_have_text(ABOUT)
        quiet_card = bob.locator(f'[data-testid="room-card"][data-room-id="{quiet_id}"]')
        await expect(quiet_card.get_by_test_id("room-card-description")).to_have_text(QUIET)
        assert (
            await style(bob, '[data-testid="room-card-description"]', "-webkit-line-clamp") == "2"
        )
        assert await columns(bob, ".room-list") >= 2
        await shot(bob, "desktop-hallway")

        # -- Bob opens Ada's room: the hallway beside it, the audience as a grid ------
        await card.click()
        await expect(bob.get_by_test_id("room-title")).to_have_text("Desktop tea")
        await expect(bob.get_by_test_id("room-description")).to_have_text(ABOUT)
        layout = bob.get_by_test_id("room-layout")
        await expect(layout).to_have_attribute("data-layout", "desktop")
        column = bob.get_by_test_id("hallway-column")
        await expect(column).to_be_visible()
        here = column.locator(f'[data-room-id="{room_id}"]')
        await expect(here).to_have_attribute("aria-current", "page")
        await expect(column.locator(f'[data-room-id="{quiet_id}"]')).to_contain_text("Quiet corner")
        # Beside, not above: the column's right edge is left of the room's card.
        column_box, room_box = (
            await column.bounding_box(),
            await bob.get_by_test_id("room").bounding_box(),
        )
        assert column_box and room_box and column_box["x"] + column_box["width"] <= room_box["x"]
        assert abs(column_box["y"] - room_box["y"]) < 120, (column_box, room_box)
        # The audience is a grid that loaded by itself and spans the room's width.
        audience = bob.get_by_test_id("audience-list")
        await expect(audience).to_have_attribute("data-layout", "grid")
        await expect(bob.get_by_test_id("audience-member")).to_have_count(4)
        assert await style(bob, '[data-testid="audience-list"] ul', "display") == "grid"
        assert await columns(bob, '[data-testid="audience-list"] ul') >= 5
        await expect(bob.get_by_test_id("audience-show")).to_have_count(0)
        assert await bob.evaluate(LANDMARKS_JS) == ["nav:Hallway", "main:"]
        await shot(bob, "desktop-hallway-room")
        await bob.get_by_test_id("room").screenshot(
            path=SCREENSHOTS / "desktop-audience-grid.png", animations="disabled"
        )

        # -- Ada moderates from the side panel: Bob's hand is in her queue -------------
        side = ada.get_by_test_id("room-side")
        await expect(side).to_be_visible()
        await expect(side).to_contain_text("No raised hands right now.")
        await bob.get_by_test_id("raise-hand").click()
        entry = side.locator('[data-testid="hand-queue-entry"][data-user="bob"]')
        await expect(entry).to_be_visible()
        side_box, ada_room = (
            await side.bounding_box(),
            await ada.get_by_test_id("room").bounding_box(),
        )
        assert side_box and ada_room and side_box["x"] >= ada_room["x"] + ada_room["width"]
        assert await ada.evaluate(LANDMARKS_JS) == [
            "nav:Hallway",
            "main:",
            "aside:Moderator panel",
        ]
        await shot(ada, "desktop-moderator-side-panel")

        # -- Ada changes the description; Bob's screen follows at once ----------------
        await ada.get_by_test_id("room-menu").click()
        await ada.get_by_test_id("room-description-edit").click()
        field = ada.get_by_test_id("room-description-input")
        await expect(field).to_have_value(ABOUT)
        await field.fill(CHANGED)
        await ada.get_by_test_id("room-description-save").click()
        await expect(ada.get_by_test_id("room-description-dialog")).to_have_count(0)
        await expect(ada.get_by_test_id("room-description")).to_have_text(CHANGED)
        await expect(bob.get_by_test_id("room-description")).to_have_text(CHANGED)

        # -- Fay on a phone: one column, the audience as rows --------------------------
        await log_in(fay, "fay")
        fay_card = fay.locator(f'[data-testid="room-card"][data-room-id="{room_id}"]')
        await expect(fay_card.get_by_test_id("room-card-description")).to_have_text(CHANGED)
        assert await columns(fay, ".room-list") == 0  # a column of cards, not a grid
        await shot(fay, "phone-hallway-description")
        await fay.get_by_test_id("start-room").click()
        await expect(fay.get_by_test_id("room-description-input")).to_be_visible()
        await shot(fay, "phone-start-room")
        await fay.keyboard.press("Escape")
        await expect(fay.get_by_test_id("start-room-dialog")).to_have_count(0)
        await fay_card.click()
        await expect(fay.get_by_test_id("room-title")).to_have_text("Desktop tea")
        await expect(fay.get_by_test_id("room-description")).to_have_text(CHANGED)
        await expect(fay.get_by_test_id("room-layout")).to_have_attribute("data-layout", "phone")
        await expect(fay.get_by_test_id("hallway-column")).to_have_count(0)
        await expect(fay.get_by_test_id("room-side")).to_have_count(0)
        await fay.get_by_test_id("audience-show").click()
        await expect(fay.get_by_test_id("audience-list")).to_have_attribute("data-layout", "list")
        await expect(fay.get_by_test_id("audience-member")).to_have_count(5)
        assert await style(fay, '[data-testid="audience-list"] ul', "display") == "block"
        assert await fay.evaluate(LANDMARKS_JS) == ["main:"]
        await shot(fay, "phone-room-description")

        # -- Bob moves on to Cy's room from the column beside the room ----------------
        await bob.get_by_test_id("hallway-column").locator(f'[data-room-id="{quiet_id}"]').click()
        await expect(bob.get_by_test_id("room-title")).to_have_text("Quiet corner")
        await expect(bob.get_by_test_id("room-description")).to_have_text(QUIET)
        await until_state(bob, f"s.roomId === '{quiet_id}' && s.phase === 'live'")
        # He left Ada's room on the way: Fay's count drops from 5 to 4.
        await expect(fay.get_by_test_id("room-listener-count")).to_have_attribute("data-count", "4")
    finally:
        if sockets is not None:
            sockets.cancel()
        for page in (ada, bob, fay):
            await page.context.close()
