"""Waiting on a page's own state from a test, under the page's real CSP.

The app's Content-Security-Policy has no 'unsafe-eval', and Playwright's
``wait_for_function`` with a string re-evaluates it with eval when the first check
fails: the wait then dies of the CSP instead of waiting. So the condition is polled
from here, each check one ``evaluate`` of a function (which needs no eval).
"""

from __future__ import annotations

import asyncio

from playwright.async_api import Page


async def until_page(page: Page, expression: str, timeout: float = 10_000) -> None:
    """Wait until the JavaScript ``expression`` is truthy in ``page``."""
    check = f"() => !!({expression})"
    deadline = asyncio.get_running_loop().time() + timeout / 1000
    while not await page.evaluate(check):
        if asyncio.get_running_loop().time() > deadline:
            state = await page.evaluate("window.teahouse?.state()")
            raise AssertionError(f"never {expression}; state {state}")
        await page.wait_for_timeout(100)


async def until_state(page: Page, condition: str, timeout: float = 10_000) -> None:
    """Wait until ``condition`` holds of ``s = window.teahouse.state()``."""
    await until_page(
        page, f"(() => {{ const s = window.teahouse.state(); return {condition}; }})()", timeout
    )
