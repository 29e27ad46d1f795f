"""Renegotiation check: a listener keeps one receive PeerConnection while a second speaker
joins the stage; both speakers must arrive as separate one-track streams.

    .venv/bin/python frontend/dev/mock_server.py --port 8000 &
    .venv/bin/python frontend/dev/check_renegotiation.py
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from check import ARGS, DOMINANT_JS, login
from playwright.async_api import async_playwright

BASE = "http://127.0.0.1:8000"


async def main() -> None:
    async with async_playwright() as pw:
        b = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        p1 = await (await b.new_context()).new_page()
        await login(p1, BASE, "ada")
        await p1.get_by_test_id("start-room").click()
        await p1.get_by_test_id("room-title-input").fill("Renegotiation")
        await p1.get_by_test_id("create-room").click()
        await p1.wait_for_url("**/room/*")
        rid = p1.url.rsplit("/", 1)[1]

        p2 = await (await b.new_context()).new_page()
        warnings: list[str] = []
        p2.on("console", lambda m: "teahouse" in m.text and warnings.append(m.text))
        await login(p2, BASE, "bob")
        await p2.goto(f"{BASE}/room/{rid}")
        await p2.wait_for_function(
            "() => window.teahouse.audioStreams().length === 1", timeout=15000
        )

        p3 = await (await b.new_context()).new_page()
        await login(p3, BASE, "cy")
        await p3.goto(f"{BASE}/room/{rid}")
        await p3.get_by_test_id("raise-hand").click()
        await p1.locator("[data-testid=hand-queue-invite][data-user=cy]").click()
        await p3.wait_for_function(
            "() => window.teahouse.state().publishState === 'live'", timeout=15000
        )
        await p2.wait_for_function(
            "() => window.teahouse.audioStreams().length === 2", timeout=15000
        )
        print("listener hears two speakers:", await p2.evaluate(DOMINANT_JS))
        assert not warnings, warnings
        await b.close()
    print("OK")


if __name__ == "__main__":
    asyncio.run(main())
