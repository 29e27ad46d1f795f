"""Drive the built client against dev/mock_server.py in headless Chromium.

    .venv/bin/python frontend/dev/mock_server.py --port 8000 --tone-room &
    .venv/bin/python frontend/dev/check.py [--base URL] [--out test-artifacts/shots]

Walks invite -> sign-up -> hallway -> tone room (asserts a ~440 Hz tone arrives),
then a two-person room: raise hand, invite to speak, accept, publish (fake mic),
and the other side hears it. Takes 390x844 screenshots along the way.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import urllib.request
from pathlib import Path

from playwright.async_api import Page, async_playwright

ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
]

DOMINANT_JS = """
async () => {
  const streams = window.teahouse.audioStreams();
  if (!streams.length) return {streams: 0};
  const ctx = new AudioContext();
  await ctx.resume();
  const an = ctx.createAnalyser();
  an.fftSize = 8192;
  for (const s of streams) ctx.createMediaStreamSource(s).connect(an);
  await new Promise(r => setTimeout(r, 1500));
  const bins = new Float32Array(an.frequencyBinCount);
  an.getFloatFrequencyData(bins);
  let best = 0;
  for (let i = 1; i < bins.length; i++) if (bins[i] > bins[best]) best = i;
  const hz = best * ctx.sampleRate / an.fftSize;
  await ctx.close();
  return {streams: streams.length, hz, db: bins[best]};
}
"""


def post(base: str, path: str, body: dict) -> None:
    req = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.urlopen(req).read()


async def shot(page: Page, out: Path, name: str) -> None:
    await page.wait_for_timeout(350)
    await page.screenshot(path=str(out / f"{name}.png"))
    print("screenshot", name)


async def login(page: Page, base: str, user: str) -> None:
    await page.goto(base + "/login")
    await page.get_by_test_id("login-username").fill(user)
    await page.get_by_test_id("login-password").fill("password123")
    await page.get_by_test_id("login-submit").click()
    await page.get_by_test_id("start-room").wait_for()


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8000")
    ap.add_argument("--out", default="test-artifacts/shots")
    args = ap.parse_args()
    base, out = args.base, Path(args.out)
    out.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        vp = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2}

        # ---- invite errors and sign-up ----
        ctx = await browser.new_context(**vp)
        page = await ctx.new_page()
        page.on("console", lambda m: m.type in ("error", "warning") and print("console:", m.text))
        page.on("pageerror", lambda e: print("PAGEERROR:", e))
        for code, expect in (
            ("used-code-01", "invite_used"),
            ("old-code-001", "invite_expired"),
            ("nope-nope-nope", "invite_unknown"),
            ("x", "invite_malformed"),
        ):
            await page.goto(f"{base}/invite#{code}")
            err = page.get_by_test_id("invite-error")
            await err.wait_for()
            assert await err.get_attribute("data-code") == expect, (
                code,
                await err.get_attribute("data-code"),
            )
        await shot(page, out, "invite-used")
        await page.goto(f"{base}/invite#welcome-0001")
        await page.get_by_test_id("signup-username").wait_for()
        await shot(page, out, "invite-signup")
        name = "dora" + secrets.token_hex(2)
        await page.get_by_test_id("signup-username").fill(name)
        await page.get_by_test_id("signup-display-name").fill("Dora Maar")
        await page.get_by_test_id("signup-password").fill("short")
        await page.get_by_test_id("signup-submit").click()
        await shot(page, out, "invite-signup-error")
        await page.get_by_test_id("signup-password").fill("a long enough password")
        await page.get_by_test_id("signup-submit").click()
        await page.get_by_test_id("start-room").wait_for()
        await page.get_by_test_id("room-card").first.wait_for()
        await shot(page, out, "hallway")

        # ---- tone room: listening ----
        await page.get_by_test_id("room-card").first.click()
        await page.get_by_test_id("participant").first.wait_for()
        await page.wait_for_function(
            "() => window.teahouse.audioStreams().length > 0", timeout=15000
        )
        res = await page.evaluate(DOMINANT_JS)
        print("tone room:", res)
        assert res["streams"] >= 1, res
        assert abs(res["hz"] - 440) < 15, res
        await page.get_by_test_id("raise-hand").click()
        await page.wait_for_selector("[data-testid=raise-hand][data-raised=true]")
        await page.wait_for_selector(
            "[data-testid=participant][data-user=tonebot][data-speaking=true]", timeout=6000
        )
        await shot(page, out, "room-listener")
        await page.get_by_test_id("leave-room").click()
        await page.get_by_test_id("start-room").wait_for()

        # ---- invitations page ----
        await page.goto(base + "/invites")
        await page.get_by_test_id("create-invite").click()
        await page.get_by_test_id("invite-link").wait_for()
        await shot(page, out, "invites")

        # ---- two-person room: hand, invite, accept, publish, hear ----
        await page.goto(base + "/")
        await page.get_by_test_id("start-room").click()
        await page.get_by_test_id("room-title-input").fill("Surrealism and breakfast")
        await shot(page, out, "start-room")
        await page.get_by_test_id("create-room").click()
        await page.wait_for_url("**/room/*")
        room_id = page.url.rsplit("/", 1)[1]
        await page.locator(
            f"[data-testid=participant][data-user={name}][data-role=moderator]"
        ).wait_for()
        # the moderator publishes (fake mic) as soon as on stage
        await page.wait_for_function(
            "() => window.teahouse.state().publishState === 'live'", timeout=15000
        )

        ctx2 = await browser.new_context(**vp)
        page2 = await ctx2.new_page()
        page2.on("pageerror", lambda e: print("PAGEERROR2:", e))
        await login(page2, base, "ada")
        await page2.goto(f"{base}/room/{room_id}")
        await page2.get_by_test_id("raise-hand").click()
        # the listener hears the moderator's fake microphone
        await page2.wait_for_function(
            "() => window.teahouse.audioStreams().length > 0", timeout=15000
        )
        print("listener hears moderator:", await page2.evaluate(DOMINANT_JS))

        # a few more listeners for the picture
        for u in ("bob", "cy"):
            post(base, "/_mock/as", {"user": u, "room": room_id})
        post(base, "/_mock/as", {"user": "bob", "room": room_id, "type": "hand", "raised": True})

        inv = page.locator("[data-testid=hand-queue-invite][data-user=ada]")
        await inv.wait_for()
        await shot(page, out, "room-moderator-hands")
        # invite ada who has a raised hand: straight to the stage
        await inv.click()
        await page2.locator(
            "[data-testid=participant][data-user=ada][data-role=speaker]"
        ).wait_for()
        await page2.wait_for_function(
            "() => window.teahouse.state().publishState === 'live'", timeout=15000
        )
        # ada is muted on arrival (mock rule); unmute
        await page2.get_by_test_id("mute").click()
        await page2.wait_for_selector("[data-testid=mute][data-muted=false]")
        await page.wait_for_function(
            "() => window.teahouse.audioStreams().length > 0", timeout=15000
        )
        print("moderator hears ada:", await page.evaluate(DOMINANT_JS))
        await shot(page2, out, "room-speaker")

        # invite cy (no hand): cy gets an invitation; drive cy via the mock. Ada moves to audience.
        await page.locator("[data-testid=participant][data-user=ada]").click()
        await page.get_by_test_id("sheet-move-to-audience").click()
        await page2.locator(
            "[data-testid=participant][data-user=ada][data-role=listener]"
        ).wait_for()
        await page2.wait_for_function("() => window.teahouse.state().publishState === 'off'")
        # now invite ada without a raised hand -> prompt
        await page.locator("[data-testid=participant][data-user=ada]").click()
        await page.get_by_test_id("sheet-invite-to-speak").click()
        await page2.get_by_test_id("accept-speak").wait_for()
        await shot(page2, out, "room-invited")
        await page2.get_by_test_id("accept-speak").click()
        await page2.locator(
            "[data-testid=participant][data-user=ada][data-role=speaker]"
        ).wait_for()

        # gap -> resync
        post(base, "/_mock/skip_version", {"room": room_id})
        await page.wait_for_timeout(800)
        print(
            "after gap:",
            await page.evaluate(
                "() => ({v: window.teahouse.state().version, r: window.teahouse.state().resyncing})"
            ),
        )

        # media down / restarted
        post(base, "/_mock/media_status", {"state": "down"})
        await page.get_by_test_id("banner-media-down").wait_for()
        await shot(page, out, "room-media-down")
        post(base, "/_mock/media_status", {"state": "restarted"})
        await page.get_by_test_id("banner-media-down").wait_for(state="detached")
        await page.wait_for_function(
            "() => window.teahouse.state().publishState === 'live'", timeout=15000
        )
        await page2.wait_for_function(
            "() => window.teahouse.state().publishState === 'live'", timeout=15000
        )
        print("republished after restart")

        # socket drop -> reconnect and resume
        post(base, "/_mock/drop_sockets", {})
        await page.get_by_test_id("banner-reconnecting").wait_for()
        await page.get_by_test_id("banner-reconnecting").wait_for(state="detached", timeout=15000)
        await page.wait_for_function("() => !window.teahouse.state().resyncing", timeout=8000)
        print("after reconnect:", await page.evaluate("() => window.teahouse.state().phase"))

        # a refused action shows a toast: a speaker tries to move the moderator
        await page2.evaluate("() => 0")
        await page2.locator(f"[data-testid=participant][data-user={name}]").click()
        await page2.get_by_test_id("participant-sheet").wait_for()
        await shot(page2, out, "room-sheet-speaker")
        await page2.keyboard.press("Escape")

        # autoplay blocked: make play() refuse until a click, like Safari/Firefox without a gesture
        c3 = await browser.new_context(**vp)
        await c3.add_init_script("""
          (() => {
            const real = HTMLMediaElement.prototype.play;
            let unlocked = false;
            addEventListener('click', () => { unlocked = true; }, true);
            HTMLMediaElement.prototype.play = function () {
              if (!unlocked) return Promise.reject(new DOMException('blocked', 'NotAllowedError'));
              return real.call(this);
            };
          })();
        """)
        p3 = await c3.new_page()
        await login(p3, base, "bob")
        await p3.goto(f"{base}/room/{room_id}")
        await p3.get_by_test_id("enable-audio").wait_for(timeout=10000)
        await shot(p3, out, "room-autoplay-blocked")
        await p3.get_by_test_id("enable-audio").click()
        await p3.get_by_test_id("enable-audio").wait_for(state="detached", timeout=5000)
        print("autoplay fallback: OK", await p3.evaluate(DOMINANT_JS))
        await c3.close()

        # desktop view
        await page.set_viewport_size({"width": 1280, "height": 860})
        await shot(page, out, "room-desktop")
        await page.set_viewport_size({"width": 390, "height": 844})

        # moderator leaves -> room ends for ada
        await page.get_by_test_id("leave-room").click()
        await page2.get_by_test_id("room-ended").wait_for()
        await shot(page2, out, "room-ended")
        await page2.get_by_test_id("start-room").wait_for(timeout=8000)

        await page.goto(f"{base}/u/{name}")
        await page.get_by_test_id("nominated-by").wait_for()
        await shot(page, out, "profile")
        await browser.close()
    print("ALL OK")


if __name__ == "__main__":
    asyncio.run(main())
