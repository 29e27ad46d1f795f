"""Passkeys in real Chromium, with its virtual authenticator (the DevTools protocol's
``WebAuthn`` domain): Ada adds a passkey in Settings, logs out, logs in with it and no
password, then removes it, and it logs her in no more.

The authenticator is a platform one that holds discoverable credentials and verifies
the user (as a phone's or a laptop's screen lock does), and answers without a click.
The instance is served as ``http://localhost``: browsers take no IP address as a
relying party id. Media is faked; this story has no audio.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, CDPSession, Page, expect
from sqlalchemy import select

from teahouse.store.models import Passkey
from tests.e2e.test_browser_story import PHONE, SCREENSHOTS
from tests.support.fake_media import FakeMedia
from tests.support.server import PASSWORD, LiveServer, free_port, run_server, server_settings

pytestmark = pytest.mark.netns


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[LiveServer]:
    port = free_port()
    settings = server_settings(tmp_path, None, port, public_url=f"http://localhost:{port}")
    async with run_server(settings, FakeMedia()) as live:
        yield live


async def virtual_authenticator(page: Page) -> tuple[CDPSession, str]:
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("WebAuthn.enable", {"enableUI": False})
    added = await cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, str(added["authenticatorId"])


async def credentials(cdp: CDPSession, authenticator: str) -> list[dict[str, Any]]:
    found = await cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    return list(found["credentials"])


async def log_out(page: Page) -> None:
    await page.goto("/settings")
    await page.get_by_test_id("settings-logout").click()
    await expect(page.get_by_test_id("login-form")).to_be_visible()


async def test_add_a_passkey_log_in_with_it_and_remove_it(
    site: LiveServer, browser: Browser
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ada = await site.member("ada")
    context = await browser.new_context(
        viewport=PHONE, device_scale_factor=2, has_touch=True, base_url=site.settings.public_url
    )
    page = await context.new_page()
    page.set_default_timeout(20_000)
    cdp, authenticator = await virtual_authenticator(page)
    try:
        # Logged in with her password, Ada adds a passkey in Settings.
        await page.goto("/login")
        await page.get_by_test_id("login-username").fill("ada")
        await page.get_by_test_id("login-password").fill(PASSWORD)
        await page.get_by_test_id("login-submit").click()
        await expect(page.get_by_test_id("start-room")).to_be_visible()
        await page.goto("/settings")
        section = page.get_by_test_id("passkeys")
        await expect(section).to_contain_text("You have no passkeys yet.")
        await page.get_by_test_id("passkey-add").click()
        await page.get_by_test_id("passkey-name-input").fill("Ada's phone")
        await page.get_by_test_id("passkey-password").fill(PASSWORD)
        await page.screenshot(path=SCREENSHOTS / "passkey-add.png")
        await page.get_by_test_id("passkey-create").click()
        row = page.get_by_test_id("passkey-row")
        await expect(row).to_have_count(1)
        await expect(row.get_by_test_id("passkey-name")).to_have_text("Ada's phone")
        await page.screenshot(path=SCREENSHOTS / "settings-passkeys.png")

        # The authenticator holds one discoverable credential for this instance, for Ada.
        [held] = await credentials(cdp, authenticator)
        assert held["isResidentCredential"] and held["rpId"] == "localhost"
        assert base64.b64decode(held["userHandle"]) == ada.id.encode()
        async with site.services.db.sessions() as s:
            [stored] = list(await s.scalars(select(Passkey)))
        assert stored.user_id == ada.id and stored.name == "Ada's phone"
        assert base64.b64decode(held["credentialId"]) == stored.credential_id

        # Logged out, she logs in with the passkey: no username, no password.
        await log_out(page)
        await page.screenshot(path=SCREENSHOTS / "login-passkey.png")
        await page.get_by_test_id("login-passkey").click()
        await expect(page.get_by_test_id("start-room")).to_be_visible()
        me = await page.evaluate("fetch('/api/me').then((r) => r.json())")
        assert me["username"] == "ada"
        [used] = await credentials(cdp, authenticator)
        async with site.services.db.sessions() as s:
            sign_count = await s.scalar(select(Passkey.sign_count))
        assert sign_count == used["signCount"] > held["signCount"]

        # She removes it; the device still offers it, and it logs her in no more.
        await page.goto("/settings")
        await page.get_by_test_id("passkey-remove").click()
        await page.get_by_test_id("passkey-remove-confirm").click()
        await expect(page.get_by_test_id("passkey-row")).to_have_count(0)
        await log_out(page)
        await page.get_by_test_id("login-passkey").click()
        await expect(page.get_by_test_id("login-error")).to_contain_text(
            "That passkey isn't on an account here"
        )
        async with site.services.db.sessions() as s:
            assert list(await s.scalars(select(Passkey))) == []
    finally:
        await context.close()
