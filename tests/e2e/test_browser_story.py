"""The whole story in real Chromium: two members, two browsers, two fake microphones.

Ada signs up with the first invitation, starts a room and invites Bob; Bob signs up
with her link, joins and hears Ada (440 Hz); he raises his hand, Ada brings him on
stage (muted, with the "unmute to talk" prompt; he unmutes), and Ada hears Bob
(660 Hz). Frequencies are read in each page with a WebAudio
AnalyserNode on the audio the page actually received. Phone-width screenshots of the
hallway and the room go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import time
import wave
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest
from playwright.async_api import Browser, Page, async_playwright, expect

from tests.support.server import PASSWORD, LiveServer

pytestmark = pytest.mark.netns

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]

# Reads the dominant frequency of each received stream with an AnalyserNode.
HEARD_JS = """async () => {
  const streams = window.teahouse.audioStreams();
  const ctx = window.__ctx ??= new AudioContext();
  const out = [];
  for (const stream of streams) {
    if (!stream.getAudioTracks().length) continue;
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 8192;
    ctx.createMediaStreamSource(stream).connect(analyser);
    await new Promise((r) => setTimeout(r, 400));
    const bins = new Float32Array(analyser.frequencyBinCount);
    analyser.getFloatFrequencyData(bins);
    let best = 1;
    for (let i = 2; i < bins.length; i++) if (bins[i] > bins[best]) best = i;
    out.push({hz: best * ctx.sampleRate / analyser.fftSize, db: bins[best]});
  }
  return out;
}"""


def tone_wav(path: Path, frequency: float) -> Path:
    rate = 48000
    samples = 0.4 * np.sin(2 * np.pi * frequency * np.arange(rate * 30) / rate)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((samples * 32767).astype(np.int16).tobytes())
    return path


@pytest.fixture
async def browsers(tmp_path: Path) -> AsyncIterator[dict[int, Browser]]:
    """One Chromium per fake microphone tone (the capture file is a browser flag)."""
    async with async_playwright() as pw:
        launched = {}
        for hz in (440, 660):
            launched[hz] = await pw.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    *CHROMIUM_ARGS,
                    f"--use-file-for-fake-audio-capture={tone_wav(tmp_path / f'{hz}.wav', hz)}",
                ],
            )
        yield launched
        for browser in launched.values():
            await browser.close()


async def phone(browser: Browser, app: LiveServer) -> Page:
    context = await browser.new_context(
        viewport=PHONE, device_scale_factor=2, has_touch=True, base_url=app.url
    )
    page = await context.new_page()
    page.set_default_timeout(20_000)
    return page


async def hears(page: Page, frequency: float, tolerance: float = 10, within: float = 20) -> None:
    """Wait until one of the page's received streams is dominated by ``frequency``."""
    readings: list[dict[str, float]] = []
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        readings = await page.evaluate(HEARD_JS)
        if any(abs(r["hz"] - frequency) <= tolerance and r["db"] > -70 for r in readings):
            return
        await page.wait_for_timeout(200)
    raise AssertionError(f"never heard {frequency} Hz within {within} s; last readings {readings}")


async def sign_up(page: Page, link: str, username: str, display_name: str) -> None:
    await page.goto(link)
    form = page.get_by_test_id("signup-form")
    await expect(form).to_be_visible()
    await page.get_by_test_id("signup-username").fill(username)
    await page.get_by_test_id("signup-display-name").fill(display_name)
    await page.get_by_test_id("signup-password").fill(PASSWORD)
    await page.get_by_test_id("signup-submit").click()
    await expect(page.get_by_test_id("start-room")).to_be_visible()


async def test_the_whole_story_in_two_browsers(
    app: LiveServer, browsers: dict[int, Browser]
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    first = await app.services.accounts.create_bootstrap_invite()
    assert first is not None
    ada = await phone(browsers[440], app)
    await sign_up(ada, first.url, "ada", "Ada Lovelace")

    # Ada starts a room and lands on its stage as the moderator.
    await ada.get_by_test_id("start-room").click()
    await ada.get_by_test_id("room-title-input").fill("Tea at dawn")
    await ada.get_by_test_id("create-room").click()
    await expect(ada.get_by_test_id("room-title")).to_have_text("Tea at dawn")
    room_path = ada.url.removeprefix(app.url)

    # Ada makes an invitation link for Bob.
    invites = await phone(browsers[440], app)
    await invites.context.add_cookies(await ada.context.cookies())
    await invites.goto("/invites")
    await invites.get_by_test_id("create-invite").click()
    link = await invites.get_by_test_id("invite-link").input_value()
    assert link.startswith(app.url + "/invite#")
    await invites.close()

    # Bob signs up with it, sees Ada's room in the hallway and joins it.
    bob = await phone(browsers[660], app)
    await sign_up(bob, link, "bob", "Bob")
    card = bob.get_by_test_id("room-card").filter(has_text="Tea at dawn")
    await expect(card).to_be_visible()
    await bob.screenshot(path=SCREENSHOTS / "hallway.png")
    await card.click()
    await expect(bob.get_by_test_id("room-title")).to_have_text("Tea at dawn")
    assert bob.url.endswith(room_path)

    # Bob hears Ada's microphone.
    await hears(bob, 440)

    # Bob raises his hand; Ada sees it in her queue and brings him up.
    await bob.get_by_test_id("raise-hand").click()
    entry = ada.get_by_test_id("hand-queue-entry").filter(has_text="Bob")
    await expect(entry).to_be_visible()
    await ada.screenshot(path=SCREENSHOTS / "room-moderator-hand-queue.png")
    await entry.get_by_test_id("hand-queue-invite").click()
    await expect(bob.get_by_test_id("mute")).to_be_visible()

    # Nobody is live without saying so: Bob arrives muted, and a live region tells
    # him (screen readers announce it); the mute button points at it.
    prompt = bob.get_by_role("status").filter(has_text="You're on stage and muted. Unmute to talk.")
    await expect(prompt).to_be_visible()
    await expect(bob.get_by_test_id("mute")).to_have_attribute("data-muted", "true")
    await expect(bob.get_by_test_id("mute")).to_have_attribute("aria-describedby", "stage-prompt")
    await bob.screenshot(path=SCREENSHOTS / "room-arrived-muted.png")
    await bob.set_viewport_size(DESKTOP)
    await expect(prompt).to_be_visible()
    await bob.screenshot(path=SCREENSHOTS / "room-arrived-muted-desktop.png")
    await bob.set_viewport_size(PHONE)
    await bob.get_by_test_id("stage-prompt-unmute").click()
    await expect(bob.get_by_test_id("mute")).to_have_attribute("data-muted", "false")
    await expect(bob.get_by_test_id("stage-prompt")).to_have_count(0)

    # Ada hears Bob.
    await hears(ada, 660)
    await bob.screenshot(path=SCREENSHOTS / "room.png")
    stage = ada.get_by_test_id("stage")
    await expect(stage.get_by_test_id("participant")).to_have_count(2)
