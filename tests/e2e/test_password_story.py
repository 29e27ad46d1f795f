"""Passwords and invitations in real Chromium, at phone and desktop width: Sam changes
his password in Settings; an admin makes him a reset link on the Admin page, Sam uses
it, sets a new password and logs in; at zero invitations left his invitations page
shows the disabled button and why, and the admin gives him more; a report Sam files
reaches the admin as a notification. Media is faked."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import update

from teahouse.store.models import User
from tests.e2e.test_browser_story import PHONE, SCREENSHOTS
from tests.support.server import PASSWORD, LiveServer

pytestmark = pytest.mark.netns

DESKTOP = {"width": 1280, "height": 800}
CHANGED = "my changed passphrase"
RESET = "a brand new passphrase"


async def log_in(page: Page, username: str, password: str) -> None:
    await page.goto("/login")
    await page.get_by_test_id("login-username").fill(username)
    await page.get_by_test_id("login-password").fill(password)
    await page.get_by_test_id("login-submit").click()
    await expect(page.get_by_test_id("start-room")).to_be_visible()


async def settled(page: Page) -> None:
    """Every animation on the page has finished (a sheet fades in), for a screenshot."""
    await page.evaluate("Promise.all(document.getAnimations().map((a) => a.finished))")


async def me_status(page: Page) -> int:
    status: int = await page.evaluate("fetch('/api/me').then((r) => r.status)")
    return status


@pytest.mark.parametrize("width", ["phone", "desktop"])
async def test_change_reset_and_more_invitations(
    site: LiveServer, browser: Browser, width: str
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    viewport = PHONE if width == "phone" else DESKTOP

    def shot(name: str) -> Path:
        return SCREENSHOTS / f"{name}-{width}.png"

    await site.member("root")  # the first member: the admin
    await site.member("sam")
    bob = await site.member("bob")
    options = {"viewport": viewport, "base_url": site.settings.public_url}
    sam_context = await browser.new_context(**options)  # type: ignore[arg-type]
    admin_context = await browser.new_context(**options)  # type: ignore[arg-type]
    sam, admin = await sam_context.new_page(), await admin_context.new_page()
    for page in (sam, admin):
        page.set_default_timeout(20_000)
    try:
        # Sam changes his password in Settings; a wrong current one changes nothing.
        await log_in(sam, "sam", PASSWORD)
        await sam.goto("/settings")
        await sam.get_by_test_id("password-current").fill("not my password")
        await sam.get_by_test_id("password-new").fill(CHANGED)
        await sam.get_by_test_id("password-submit").click()
        error = sam.get_by_test_id("password-error")
        await expect(error).to_have_attribute("data-code", "bad_credentials")
        await expect(error).to_contain_text("isn't your current password")
        await sam.get_by_test_id("password-current").fill(PASSWORD)
        await sam.get_by_test_id("password-section").scroll_into_view_if_needed()
        await sam.screenshot(path=shot("settings-password"))
        await sam.get_by_test_id("password-submit").click()
        await expect(sam.get_by_test_id("toast").first).to_contain_text("Password changed")
        assert await me_status(sam) == 200  # this session stays

        # He forgot it anyway: the admin makes him a reset link.
        await log_in(admin, "root", PASSWORD)
        await admin.goto("/admin")
        row = admin.get_by_test_id("admin-member").filter(has_text="@sam")
        await row.get_by_test_id("admin-reset-link-button").click()
        await admin.get_by_test_id("admin-reset-make").click()
        url_box = admin.get_by_test_id("admin-reset-url")
        await expect(url_box).to_be_visible()
        await settled(admin)
        await admin.screenshot(path=shot("admin-reset-link"))
        url = await url_box.input_value()
        assert url.startswith(f"{site.settings.public_url}/reset#")
        await admin.get_by_test_id("admin-reset-close").click()

        # Sam opens it, sets a new password, is logged out, and logs in with it.
        await sam.goto(url)
        await expect(sam.get_by_test_id("reset-for")).to_contain_text("@sam")
        await sam.get_by_test_id("reset-password").fill(RESET)
        await sam.get_by_test_id("reset-password-again").fill(RESET)
        await sam.screenshot(path=shot("reset-page"))
        await sam.get_by_test_id("reset-submit").click()
        await expect(sam.get_by_test_id("login-form")).to_be_visible()
        assert await me_status(sam) == 401
        await log_in(sam, "sam", RESET)
        # The link worked once.
        await sam.goto(url)
        await expect(sam.get_by_test_id("reset-error")).to_have_attribute(
            "data-code", "reset_link_used"
        )

        # At zero invitations left: the button is disabled, and says why.
        async with site.services.db.sessions.begin() as s:
            await s.execute(update(User).where(User.username == "sam").values(invites_left=0))
        await sam.goto("/invites")
        create = sam.get_by_test_id("create-invite")
        await expect(create).to_be_disabled()
        await expect(sam.get_by_test_id("invite-disabled-reason")).to_contain_text(
            "An admin of this Teahouse can give you more"
        )
        await sam.screenshot(path=shot("invites-none-left"))

        # The admin gives him two more.
        await admin.goto("/admin")
        row = admin.get_by_test_id("admin-member").filter(has_text="@sam")
        await row.get_by_test_id("admin-give-invites-button").click()
        await admin.get_by_test_id("admin-give-count").fill("2")
        await settled(admin)
        await admin.screenshot(path=shot("admin-give-invites"))
        await admin.get_by_test_id("admin-give-confirm").click()
        await expect(row.get_by_test_id("admin-give-invites-button")).to_contain_text("(2)")
        await sam.reload()
        await expect(sam.get_by_test_id("invites-left")).to_contain_text("2 invitations")
        await expect(create).to_be_enabled()
        await create.click()
        await expect(sam.get_by_test_id("invite-link")).to_be_visible()

        # Sam reports Bob: the admin hears of it at once, worded by the client.
        filed = await sam.evaluate(
            """(id) => fetch('/api/reports', {method: 'POST',
                 headers: {'content-type': 'application/json'},
                 body: JSON.stringify({user_id: id, reason: 'spam'})}).then((r) => r.status)""",
            bob.id,
        )
        assert filed == 201
        toast = admin.locator("[data-testid=toast][data-kind=report_filed]")
        await expect(toast).to_contain_text("New report: Spam")
        await admin.goto("/notifications")
        item = admin.locator("[data-testid=notification-item][data-kind=report_filed]")
        await expect(item).to_contain_text("New report: Spam")
        await admin.screenshot(path=shot("admin-report-notification"))
        await item.locator("a").first.click()
        await expect(admin.get_by_test_id("admin-page")).to_be_visible()
        assert "tab=reports" in admin.url
    finally:
        await sam_context.close()
        await admin_context.close()
