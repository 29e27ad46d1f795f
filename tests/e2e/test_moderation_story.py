"""Moderation in real Chromium, over room protocol 2.

Ada (a browser) starts an open room; Bob (a browser) and two more members (sockets)
listen. Bob is a plain listener: not in `participants`, only in the audience count and
in the audience pages Ada asks for. Bob raises his hand, Ada invites him to speak,
makes him a moderator, Bob steps down, Ada mutes him (he unmutes himself), moves him
back to the audience and turns hand-raising off (Bob's "Raise hand" is disabled with
a reason). Ada finds Bob in the audience list and removes him: he sees why, and
joining again is refused with `removed_from_room`. Ada ends the room. Everything is
asserted through the DOM and `window.teahouse.state()`; phone-width screenshots go to
test-artifacts/screenshots/.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from tests.e2e.test_browser_story import SCREENSHOTS, phone
from tests.e2e.test_social_story import drain, log_in, named
from tests.support import social
from tests.support.page_state import until_state
from tests.support.server import LiveServer

pytestmark = pytest.mark.netns


async def state(page: Page) -> dict[str, Any]:
    found: dict[str, Any] = await page.evaluate("window.teahouse.state()")
    return found


async def shot(page: Page, name: str) -> None:
    await page.screenshot(path=SCREENSHOTS / name, animations="disabled")


async def open_sheet_of(page: Page, username: str) -> None:
    await page.locator(f'[data-testid="participant"][data-user="{username}"]').click()
    await expect(page.get_by_test_id("participant-sheet")).to_be_visible()


async def room_menu(page: Page) -> None:
    await page.get_by_test_id("room-menu").click()
    await expect(page.get_by_test_id("room-menu-sheet")).to_be_visible()


async def test_a_moderator_uses_every_tool(app: LiveServer, browser: Browser) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await named(app, "ada", "Ada")
    await named(app, "bob", "Bob")
    others = [await named(app, name, name.title()) for name in ("cy", "dee")]

    ada = await phone(browser, app)
    bob = await phone(browser, app)
    sockets: asyncio.Task[None] | None = None
    try:
        # Ada starts an open room; the sheet offers every kind of room.
        await log_in(ada, "ada")
        await ada.get_by_test_id("start-room").click()
        for kind in ("open", "social", "closed"):
            await expect(ada.get_by_test_id(f"room-visibility-{kind}")).to_be_visible()
        await expect(ada.get_by_test_id("room-visibility-social")).to_contain_text(
            "People the moderators follow"
        )
        await ada.get_by_test_id("room-title-input").fill("Moderated tea")
        await shot(ada, "start-room-visibility.png")
        await ada.get_by_test_id("create-room").click()
        await expect(ada.get_by_test_id("room-title")).to_have_text("Moderated tea")
        room_id = ada.url.rsplit("/", 1)[1]
        await until_state(ada, "s.me && s.me.role === 'moderator' && s.settings.hands === true")

        # Bob and two socket members listen. Bob is a plain listener: counted, not listed.
        await log_in(bob, "bob")
        await bob.goto(f"/room/{room_id}")
        await expect(bob.get_by_test_id("room-title")).to_have_text("Moderated tea")
        await social.enter(room_id, *others)
        sockets = asyncio.create_task(drain(others))
        await expect(bob.get_by_test_id("room-listener-count")).to_have_attribute("data-count", "3")
        await expect(bob.get_by_test_id("room-listener-count")).to_have_text("3 listening")
        s = await state(bob)
        assert s["phase"] == "live" and s["listeners"] == 3
        assert s["me"]["role"] == "listener" and s["inVisibleSet"] is False
        assert all(p["role"] != "listener" for p in s["participants"])
        await expect(bob.locator('[data-testid="participant"][data-user="bob"]')).to_have_count(0)

        # Ada pages through the audience on request.
        await expect(ada.get_by_test_id("room-listener-count")).to_have_attribute("data-count", "3")
        await ada.get_by_test_id("audience-show").click()
        await expect(ada.get_by_test_id("audience-member")).to_have_count(3)
        await until_state(ada, "s.audience.opened && s.audience.users.length === 3")

        # Bob raises his hand; Ada's queue shows it and she invites him up.
        await bob.get_by_test_id("raise-hand").click()
        await expect(bob.get_by_test_id("raise-hand")).to_have_attribute("data-raised", "true")
        await until_state(bob, "s.inVisibleSet && s.me.hand_raised")
        entry = ada.locator('[data-testid="hand-queue-entry"][data-user="bob"]')
        await expect(entry).to_be_visible()
        await shot(ada, "moderation-hand-queue.png")
        await entry.get_by_test_id("hand-queue-invite").click()
        await expect(bob.get_by_test_id("mute")).to_be_visible()
        await until_state(bob, "s.me.role === 'speaker' && s.me.muted")
        # He arrives muted, is prompted (not told a moderator muted him), and unmutes.
        await expect(bob.get_by_test_id("stage-prompt")).to_be_visible()
        await bob.get_by_test_id("mute").click()
        await until_state(bob, "s.me.muted === false")
        await expect(bob.get_by_test_id("stage-prompt")).to_have_count(0)
        bob_tile = ada.locator('[data-testid="participant"][data-user="bob"]')
        await expect(bob_tile).to_have_attribute("data-role", "speaker")
        await expect(ada.get_by_test_id("audience-member").filter(has_text="Bob")).to_have_count(0)

        # Ada makes Bob a moderator.
        await open_sheet_of(ada, "bob")
        await shot(ada, "moderation-participant-sheet.png")
        await ada.get_by_test_id("sheet-make-moderator").click()
        await expect(bob_tile).to_have_attribute("data-role", "moderator")
        await until_state(bob, "s.me.role === 'moderator'")
        await expect(
            bob.get_by_test_id("toast").filter(has_text="You're a moderator now")
        ).to_be_visible()

        # Bob steps down again from his own sheet.
        await open_sheet_of(bob, "bob")
        await bob.get_by_test_id("sheet-step-down").click()
        await expect(bob_tile).to_have_attribute("data-role", "speaker")
        await until_state(bob, "s.me.role === 'speaker'")

        # Ada mutes Bob: he sees it, and only he can unmute.
        await open_sheet_of(ada, "bob")
        await ada.get_by_test_id("sheet-mute").click()
        await expect(bob.get_by_test_id("mute")).to_have_attribute("data-muted", "true")
        await until_state(bob, "s.me.muted === true")
        await expect(
            bob.get_by_test_id("toast").filter(has_text="A moderator muted you")
        ).to_be_visible()
        await expect(bob_tile).to_have_attribute("data-muted", "true")
        await expect(bob.get_by_test_id("stage-prompt")).to_have_count(0)  # only on arrival
        await shot(bob, "moderation-muted-by-moderator.png")
        await open_sheet_of(ada, "bob")
        await expect(ada.get_by_test_id("sheet-muted-note")).to_be_visible()
        await expect(ada.get_by_test_id("sheet-mute")).to_have_count(0)
        await ada.keyboard.press("Escape")
        await expect(ada.get_by_test_id("participant-sheet")).to_have_count(0)
        await bob.get_by_test_id("mute").click()
        await expect(bob.get_by_test_id("mute")).to_have_attribute("data-muted", "false")
        await until_state(bob, "s.me.muted === false")
        await expect(bob_tile).to_have_attribute("data-muted", "false")

        # Ada moves Bob back to the audience and turns hand-raising off.
        await open_sheet_of(ada, "bob")
        await ada.get_by_test_id("sheet-move-to-audience").click()
        await expect(bob.get_by_test_id("raise-hand")).to_be_visible()
        await until_state(bob, "s.me.role === 'listener' && !s.inVisibleSet")
        await room_menu(ada)
        toggle = ada.get_by_test_id("room-hands-toggle")
        await expect(toggle).to_have_attribute("data-on", "true")
        await toggle.click()
        await expect(toggle).to_have_attribute("data-on", "false")
        await expect(toggle).to_have_attribute("aria-checked", "false")
        await shot(ada, "moderation-room-menu.png")
        await ada.keyboard.press("Escape")
        await until_state(bob, "s.settings.hands === false")
        await expect(bob.get_by_test_id("raise-hand")).to_be_disabled()
        await expect(bob.get_by_test_id("hands-off-note")).to_have_text(
            "The moderators turned off hand-raising"
        )
        await expect(bob.get_by_test_id("hands-off-badge")).to_be_visible()
        await shot(bob, "moderation-hands-off-listener.png")

        # The moderation log has what Ada did, newest first.
        await room_menu(ada)
        await ada.get_by_test_id("room-audit-open").click()
        log = ada.get_by_test_id("audit-log")
        await expect(log).to_be_visible()
        entries = log.locator('[data-testid="audit-entry"]')
        await expect(entries.first).to_have_attribute("data-action", "set_hands")
        actions = await entries.evaluate_all("els => els.map(e => e.dataset.action)")
        assert {"invite_to_speak", "make_moderator", "mute", "set_hands"} <= set(actions), actions
        await shot(ada, "moderation-log.png")
        await ada.keyboard.press("Escape")

        # Ada finds Bob in the audience list and removes him.
        await ada.get_by_test_id("audience-hide").click()
        await ada.get_by_test_id("audience-show").click()
        listed_bob = ada.locator('[data-testid="audience-member"][data-user="bob"]')
        await expect(listed_bob).to_be_visible()
        await listed_bob.click()
        await expect(ada.get_by_test_id("participant-sheet")).to_contain_text("Listener")
        await ada.get_by_test_id("sheet-remove-from-room").click()
        await expect(ada.get_by_test_id("remove-dialog")).to_be_visible()
        await shot(ada, "moderation-remove-confirm.png")
        await ada.get_by_test_id("remove-confirm").click()
        await expect(ada.get_by_test_id("remove-dialog")).to_have_count(0)
        await expect(listed_bob).to_have_count(0)

        removed = bob.get_by_test_id("room-removed")
        await expect(removed).to_be_visible()
        await expect(removed).to_contain_text("A moderator removed you from this room")
        await until_state(bob, "s.phase === 'removed'")
        await shot(bob, "moderation-removed.png")
        await expect(ada.get_by_test_id("room-listener-count")).to_have_attribute("data-count", "2")

        # He can't come back while the room lives.
        await bob.goto(f"/room/{room_id}")
        refused = bob.get_by_test_id("room-error")
        await expect(refused).to_have_attribute("data-code", "removed_from_room")
        await expect(refused).to_contain_text("A moderator removed you from this room")
        await until_state(bob, "s.phase === 'failed' && s.problem.code === 'removed_from_room'")

        # Ada ends the room for everyone.
        await room_menu(ada)
        await ada.get_by_test_id("room-end").click()
        await expect(ada.get_by_test_id("end-room-dialog")).to_be_visible()
        await ada.get_by_test_id("end-room-confirm").click()
        ended = ada.get_by_test_id("room-ended")
        await expect(ended).to_have_attribute("data-reason", "ended_by_moderator")
        await expect(ended).to_contain_text("A moderator ended the room.")
        assert app.services.stage.live(room_id) is None
    finally:
        await ada.context.close()
        await bob.context.close()
        social.hang_up(*(m for m in others if m.ws is not None))
        if sockets is not None:
            sockets.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sockets


async def test_a_closed_room_lets_people_in_by_name_and_by_link(
    app: LiveServer, browser: Browser
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await named(app, "ada", "Ada")
    await named(app, "bob", "Bob")
    cy = await named(app, "cy", "Cy")

    ada = await phone(browser, app)
    bob = await phone(browser, app)
    try:
        await log_in(ada, "ada")
        await ada.get_by_test_id("start-room").click()
        await ada.get_by_test_id("room-title-input").fill("Back room")
        await ada.get_by_test_id("room-visibility-closed").click()
        await ada.get_by_test_id("create-room").click()
        await expect(ada.get_by_test_id("room-title")).to_have_text("Back room")
        room_id = ada.url.rsplit("/", 1)[1]
        await until_state(
            ada, "s.room && s.room.visibility === 'closed' && s.me.role === 'moderator'"
        )

        # Cy may not come in until Ada lets him in by name.
        await cy.connect()
        refused = await cy.request({"type": "join", "room": room_id})
        assert refused["type"] == "error" and refused["code"] == "room_not_found"
        await room_menu(ada)
        await ada.get_by_test_id("room-admit").click()
        await ada.get_by_test_id("admit-username").fill("@Cy")
        await ada.get_by_test_id("admit-submit").click()
        await expect(ada.get_by_test_id("toast").filter(has_text="@cy can join")).to_be_visible()
        await ada.keyboard.press("Escape")
        assert (await cy.join(room_id))["type"] == "snapshot"
        await expect(ada.get_by_test_id("room-listener-count")).to_have_attribute("data-count", "1")

        # Bob comes in through a room link: the code is presented, then he joins.
        await room_menu(ada)
        await ada.get_by_test_id("room-copy-link").click()
        url_input = ada.get_by_test_id("room-link-url")
        await expect(url_input).to_have_value(re.compile(rf"/room/{room_id}#link=.+"))
        link = await url_input.input_value()
        await shot(ada, "moderation-room-link.png")
        await ada.keyboard.press("Escape")

        await log_in(bob, "bob")
        await bob.goto(f"/room/{room_id}")
        await expect(bob.get_by_test_id("room-error")).to_have_attribute(
            "data-code", "room_not_found"
        )
        await bob.goto(link)
        await expect(bob.get_by_test_id("room-title")).to_have_text("Back room")
        assert "#" not in bob.url and bob.url.endswith(f"/room/{room_id}")
        await until_state(bob, "s.phase === 'live' && s.me.role === 'listener'")
        await expect(ada.get_by_test_id("room-listener-count")).to_have_attribute("data-count", "2")
    finally:
        await ada.context.close()
        await bob.context.close()
        if cy.ws is not None:
            social.hang_up(cy)
