"""The social story in real Chromium: follow someone, see their live room rise to the
top of the hallway with its reason, get a ping and join from the notification.

Ada, Bob and Cy are members; Bob is a real browser (logged in through /login), the
others talk to the server over HTTP and the WebSocket. Cy's room is bigger, so Bob's
hallway first shows it on top, with no reason line (its reason is "Live now": three
people are not "Popular", and the heading says it already). Bob
follows Ada on her profile; Ada's room then comes first with "Ada is speaking". Ada
pings Bob into her room; Bob joins from the notification. Phone-width screenshots go
to test-artifacts/screenshots/.
"""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from playwright.async_api import Browser, Page, expect

from tests.e2e.test_browser_story import PHONE, SCREENSHOTS
from tests.support import social
from tests.support.page_state import until_page, until_state
from tests.support.server import PASSWORD, LiveServer, Member, eventually

pytestmark = pytest.mark.netns


async def named(app: LiveServer, username: str, display_name: str) -> Member:
    member = await app.member(username)
    async with member.http() as http:
        response = await http.patch("/api/me/profile", json={"display_name": display_name})
        assert response.status_code == 200, response.text
    return member


async def drain(members: list[Member]) -> None:
    """Keep reading the members' sockets so the server never sees a slow consumer."""

    async def read(member: Member) -> None:
        with contextlib.suppress(Exception):
            async for _ in member.ws:
                pass

    await asyncio.gather(*(read(m) for m in members))


async def log_in(page: Page, username: str) -> None:
    await page.goto("/login")
    await expect(page.get_by_test_id("login-form")).to_be_visible()
    await page.get_by_test_id("login-username").fill(username)
    await page.get_by_test_id("login-password").fill(PASSWORD)
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("start-room")).to_be_visible()


async def test_follow_see_the_room_rise_get_pinged_and_join(
    app: LiveServer, browser: Browser
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ada = await named(app, "ada", "Ada")
    bob = await named(app, "bob", "Bob")
    cy = await named(app, "cy", "Cy")
    listeners = [await named(app, name, name.title()) for name in ("dee", "eli")]

    # Ada follows Bob (so she may ping him anywhere), before Bob is watching.
    async with ada.http() as http:
        assert (await http.post("/api/users/bob/follow")).status_code == 204

    # Cy's room is the bigger one; Ada's has only her.
    cys_room = await social.open_room(cy, "Cy's big table")
    await social.enter(cys_room, *listeners)
    adas_room = await social.open_room(ada, "Ada's corner")
    sockets = asyncio.create_task(drain([ada, cy, *listeners]))

    context = await browser.new_context(
        viewport=PHONE, device_scale_factor=2, has_touch=True, base_url=app.url
    )
    page = await context.new_page()
    page.set_default_timeout(20_000)
    try:
        await log_in(page, "bob")
        cards = page.get_by_test_id("room-card")
        await expect(cards).to_have_count(2)
        await expect(cards.first).to_have_attribute("data-room-id", cys_room)
        # No reason line: "Live now" (kind "live") would repeat the heading above.
        await expect(cards.first.get_by_test_id("hallway-room-reason")).to_have_count(0)

        # Bob follows Ada on her profile page.
        await page.goto("/u/ada")
        await expect(page.get_by_test_id("profile")).to_have_attribute("data-user", "ada")
        await page.get_by_test_id("follow-button").click()
        await expect(page.get_by_test_id("unfollow-button")).to_be_visible()

        # Back in the hallway, Ada's room is on top with its reason.
        await page.goto("/")
        await expect(cards.first).to_have_attribute("data-room-id", adas_room, timeout=10_000)
        reason = cards.first.get_by_test_id("hallway-room-reason")
        await expect(reason).to_contain_text("Ada is speaking")  # after her avatar
        await expect(reason).to_have_attribute("data-kind", "following_speaking")
        await expect(cards.nth(1)).to_have_attribute("data-room-id", cys_room)
        await page.screenshot(path=SCREENSHOTS / "hallway-following.png")

        # Ada pings Bob into her room; the notification arrives live on his page.
        await until_page(page, "window.teahouse.socketStatus() === 'open'")
        async with ada.http() as http:
            response = await http.post(f"/api/rooms/{adas_room}/ping", json={"username": "bob"})
            assert response.status_code == 204, response.text
        toast = page.locator('[data-testid="toast"][data-kind="ping"]')
        await expect(toast).to_be_visible()
        await expect(toast).to_contain_text("Ada pinged you into Ada's corner")
        await expect(page.get_by_test_id("bell")).not_to_have_attribute("data-unread", "0")
        await page.screenshot(path=SCREENSHOTS / "notification.png", animations="disabled")

        # He joins from the notification and lands in Ada's room.
        await toast.get_by_test_id("notification-join").click()
        await expect(page.get_by_test_id("room-title")).to_have_text("Ada's corner")
        assert page.url.endswith(f"/room/{adas_room}")
        # Protocol 2: a plain listener is counted, not listed among the participants.
        await expect(page.get_by_test_id("room-listener-count")).to_have_attribute(
            "data-count", "1"
        )
        await until_state(
            page, "s.phase === 'live' && s.me?.role === 'listener' && !s.inVisibleSet"
        )
        await expect(page.get_by_test_id("raise-hand")).to_be_enabled()
        live = app.services.stage.live(adas_room)
        assert live is not None
        await eventually(lambda: bob.id in live.state.participants, timeout=10)
    finally:
        await context.close()
        social.hang_up(ada, cy, *listeners)
        sockets.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sockets
