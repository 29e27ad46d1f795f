"""Screens that follow the truth, and failures a person can understand, in real Chromium.

Ada (a browser whose fake microphone plays 440 Hz) starts a room; Bob (a browser at
660 Hz) listens and hears her. Ada keeps the audience list open while Cy and Dee (two
sockets) join and leave: it follows them. Bob comes on stage and Ada moves him back to
the audience: no error reaches Ada's screen (it used to say "there is no subscription
offer to answer"). Ada's microphone is unplugged (its track ends): her screen shows it
as not live, Bob's shows her not publishing, one tap brings it back and Bob hears her
again. Then Bob's notifications: a ping into a room that has ended says so and offers
no "Join"; the club invitations he accepted and declined show what became of them,
also after a reload. Settings' calendar section works on the second visit too.
Screenshots at phone width and at 1280x800 go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import asyncio
import contextlib

import pytest
from playwright.async_api import Browser, Page, expect

from tests.e2e.test_browser_story import PHONE, SCREENSHOTS, browsers, hears, phone
from tests.e2e.test_moderation_story import open_sheet_of
from tests.e2e.test_social_story import drain, log_in, named
from tests.support import social
from tests.support.page_state import until_state
from tests.support.server import LiveServer, Member

pytestmark = pytest.mark.netns
__all__ = ["browsers"]  # the fixture, used by name

DESKTOP = {"width": 1280, "height": 800}
MIC_ENDED = (
    "Your microphone stopped: it was unplugged, or its permission was taken back. "
    "Tap the microphone to turn it on again."
)

# Every error toast the page shows, from the moment this runs (the list is read later).
WATCH_ERRORS_JS = """() => {
  window.__errorToasts = [];
  new MutationObserver(() => {
    for (const el of document.querySelectorAll('.toast--error')) {
      if (!el.dataset.seen) { el.dataset.seen = '1'; window.__errorToasts.push(el.textContent); }
    }
  }).observe(document.body, {childList: true, subtree: true});
}"""

# What unplugging the microphone does to the page: the track ends and says so.
# (track.stop() alone fires no `ended`: only the browser's own end of a track does.)
UNPLUG_JS = """() => {
  const track = window.teahouse.microphone();
  if (!track) return false;
  track.stop();
  track.dispatchEvent(new Event('ended'));
  return true;
}"""


async def shots(page: Page, name: str) -> None:
    """``name``-phone.png at the phone's width and ``name``-desktop.png at 1280x800."""
    await page.screenshot(path=SCREENSHOTS / f"{name}-phone.png", animations="disabled")
    await page.set_viewport_size(DESKTOP)
    await page.wait_for_timeout(150)
    await page.screenshot(path=SCREENSHOTS / f"{name}-desktop.png", animations="disabled")
    await page.set_viewport_size(PHONE)


async def listed(page: Page, *usernames: str) -> None:
    """The open audience list shows exactly these members."""
    members = page.get_by_test_id("audience-member")
    await expect(members).to_have_count(len(usernames), timeout=10_000)
    found = await members.evaluate_all("els => els.map(e => e.dataset.user)")
    assert sorted(found) == sorted(usernames)


async def leave(member: Member) -> None:
    await member.send({"type": "leave"})


async def test_screens_follow_the_truth(app: LiveServer, browsers: dict[int, Browser]) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    ada_member = await named(app, "ada", "Ada")
    await named(app, "bob", "Bob")
    cy, dee, eve = [await named(app, n, n.title()) for n in ("cy", "dee", "eve")]

    ada = await phone(browsers[440], app)
    bob = await phone(browsers[660], app)
    sockets: asyncio.Task[None] | None = None
    try:
        await log_in(ada, "ada")
        await ada.get_by_test_id("start-room").click()
        await ada.get_by_test_id("room-title-input").fill("Truth tea")
        await ada.get_by_test_id("create-room").click()
        await expect(ada.get_by_test_id("room-title")).to_have_text("Truth tea")
        room_id = ada.url.rsplit("/", 1)[1]
        await ada.evaluate(WATCH_ERRORS_JS)

        await log_in(bob, "bob")
        await bob.goto(f"/room/{room_id}")
        await expect(bob.get_by_test_id("room-title")).to_have_text("Truth tea")
        await hears(bob, 440)

        # -- the audience list follows people coming and going ----------------------
        count = ada.get_by_test_id("room-listener-count")
        await expect(count).to_have_attribute("data-count", "1")
        await ada.get_by_test_id("audience-show").click()
        await listed(ada, "bob")
        await social.enter(room_id, cy, dee)
        sockets = asyncio.create_task(drain([cy, dee]))
        await expect(count).to_have_attribute("data-count", "3")
        await listed(ada, "bob", "cy", "dee")
        await shots(ada, "screens-audience-joined")
        await leave(cy)
        await leave(dee)
        await expect(count).to_have_attribute("data-count", "1")
        await listed(ada, "bob")
        await expect(ada.get_by_test_id("audience-list")).not_to_contain_text(
            "No one else is listening"
        )
        await shots(ada, "screens-audience-left")

        # -- moving someone to the audience shows the moderator no internal message --
        await bob.get_by_test_id("raise-hand").click()
        entry = ada.locator('[data-testid="hand-queue-entry"][data-user="bob"]')
        await entry.get_by_test_id("hand-queue-invite").click()
        await until_state(bob, "s.me.role === 'speaker' && s.publishState === 'live'", 20_000)
        await bob.get_by_test_id("stage-prompt-unmute").click()  # he arrives muted
        await hears(ada, 660)
        await open_sheet_of(ada, "bob")
        await ada.get_by_test_id("sheet-move-to-audience").click()
        await until_state(bob, "s.me.role === 'listener' && !s.inVisibleSet")
        await ada.wait_for_timeout(3000)  # the media server's offers settle
        assert await ada.evaluate("window.__errorToasts") == []
        await expect(ada.get_by_test_id("toast")).to_have_count(0)
        await shots(ada, "screens-moved-to-audience")

        # -- an unplugged microphone: not live, one tap back, heard again ------------
        await hears(bob, 440)
        assert await ada.evaluate(UNPLUG_JS) is True
        mic = ada.get_by_test_id("mute")
        await expect(mic).to_have_attribute("data-publish-state", "failed")
        await expect(mic).to_have_attribute("aria-label", "Microphone off: turn it on again")
        await expect(ada.get_by_test_id("banner-mic-error")).to_contain_text("microphone stopped")
        await until_state(
            bob, "s.participants.some(p => p.user.username === 'ada' && !p.publishing)"
        )
        await shots(ada, "screens-microphone-ended")
        await mic.click()  # the one tap
        await expect(mic).to_have_attribute("data-publish-state", "live", timeout=20_000)
        await expect(ada.get_by_test_id("banner-mic-error")).to_have_count(0)
        await until_state(
            bob, "s.participants.some(p => p.user.username === 'ada' && p.publishing)"
        )
        await hears(bob, 440)
        # The one error shown all along: the microphone's, in words for people.
        assert await ada.evaluate("window.__errorToasts") == [MIC_ENDED]

        # -- a ping into a room that has ended since --------------------------------
        short_room = await social.open_room(eve, "Short room")
        async with eve.http() as http:
            response = await http.post(f"/api/rooms/{short_room}/ping", json={"username": "bob"})
            assert response.status_code == 204, response.text
        await expect(bob.get_by_test_id("toast").filter(has_text="Short room")).to_be_visible()
        assert (await eve.request({"type": "end_room"}))["type"] == "ok"

        # -- club invitations, answered ----------------------------------------------
        async with ada_member.http() as http:
            clubs = {}
            for name in ("Night owls", "Early birds"):
                made = await http.post("/api/clubs", json={"name": name})
                assert made.status_code == 201, made.text
                clubs[name] = made.json()["id"]
                invited = await http.post(
                    f"/api/clubs/{clubs[name]}/invites", json={"username": "bob"}
                )
                assert invited.status_code == 204, invited.text

        await bob.get_by_test_id("leave-room").click()
        await bob.goto("/notifications")
        ping = bob.locator('[data-testid="notification-item"][data-kind="ping"]')
        await expect(ping).to_contain_text("Short room")
        await expect(ping.get_by_test_id("notification-ended")).to_have_text("This room has ended")
        await expect(ping.get_by_test_id("notification-join")).to_have_count(0)

        invites = bob.locator('[data-testid="notification-item"][data-kind="club_invite"]')
        owls = invites.filter(has_text="Night owls")
        birds = invites.filter(has_text="Early birds")
        await owls.get_by_test_id("notification-accept").click()
        await expect(owls.get_by_test_id("club-invite-answer")).to_have_text("Joined")
        await birds.get_by_test_id("notification-decline").click()
        await expect(birds.get_by_test_id("club-invite-answer")).to_have_text("Declined")
        await bob.reload()
        await expect(owls.get_by_test_id("club-invite-answer")).to_have_text("Joined")
        await expect(birds.get_by_test_id("club-invite-answer")).to_have_text("No longer open")
        await expect(invites.get_by_test_id("notification-accept")).to_have_count(0)
        await expect(invites.get_by_test_id("notification-decline")).to_have_count(0)
        await shots(bob, "screens-notifications")
        async with ada_member.http() as http:
            members = (await http.get(f"/api/clubs/{clubs['Night owls']}/members")).json()
        assert "bob" in {m["user"]["username"] for m in members["members"]}

        # -- Settings' calendar, first and second visit ---------------------------------
        await bob.goto("/settings")
        await expect(bob.get_by_test_id("calendar-url")).to_be_visible()
        first_url = await bob.get_by_test_id("calendar-url").input_value()
        await bob.goto("/")
        await bob.goto("/settings")
        calendar = bob.get_by_test_id("calendar-section")
        await expect(calendar.get_by_test_id("calendar-made")).to_be_visible()
        await expect(calendar.locator(".form-error")).to_have_count(0)
        await calendar.scroll_into_view_if_needed()
        await shots(bob, "screens-calendar-second-visit")
        await bob.get_by_test_id("calendar-rotate").click()
        await bob.get_by_test_id("calendar-rotate-confirm").click()
        await expect(bob.get_by_test_id("calendar-url")).to_be_visible()
        assert await bob.get_by_test_id("calendar-url").input_value() != first_url
    finally:
        if sockets is not None:
            sockets.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sockets
        for member in (cy, dee, eve):
            await member.close()
