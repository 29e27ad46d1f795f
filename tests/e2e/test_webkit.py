"""The web client in WebKit, Safari's engine (WebKitGTK driven through WebDriver on a
virtual screen): sign up with an invitation, start a room, and a second member logs
in, finds it in the hallway and joins it. Audio is left to the Chromium test: this
machine has no sound device for WebKit to capture from."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import time
from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as visible
from selenium.webdriver.support.ui import WebDriverWait
from selenium.webdriver.webkitgtk.service import Service as WebKitGTKService

from tests.support.server import PASSWORD, LiveServer

pytestmark = pytest.mark.netns

MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """A virtual screen: WebKitGTK's WebDriver needs one."""
    name = ":93"
    xvfb = subprocess.Popen(
        ["Xvfb", name, "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    try:
        yield name
    finally:
        xvfb.terminate()
        xvfb.wait(10)


@contextlib.contextmanager
def webkit(display: str) -> Iterator[WebDriver]:
    options = webdriver.WebKitGTKOptions()
    options.binary_location = MINIBROWSER
    options.add_argument("--automation")
    # Its own session: WebKitWebDriver signals its whole process group on the way out,
    # which would otherwise take pytest with it.
    service = WebKitGTKService(
        popen_kw={"start_new_session": True}, env={**os.environ, "DISPLAY": display}
    )
    driver = webdriver.WebKitGTK(options=options, service=service)
    driver.set_window_size(390, 844)
    try:
        yield driver
    finally:
        driver.quit()


def by_test_id(driver: WebDriver, test_id: str, *, click: bool = False) -> WebElement:
    wait = WebDriverWait(driver, 20)
    locator = (By.CSS_SELECTOR, f"[data-testid={test_id}]")
    if click:
        return wait.until(visible.element_to_be_clickable(locator))
    return wait.until(visible.visibility_of_element_located(locator))


def browse(app_url: str, invite_url: str, display: str) -> dict[str, object]:
    """The two members' WebKit sessions; returns Bob's room state as the page sees it.

    Runs in a worker thread: WebDriver calls block, and the server answering the
    browser lives on the test's event loop.
    """
    with webkit(display) as ada:
        ada.get(invite_url)
        by_test_id(ada, "signup-username").send_keys("ada")
        by_test_id(ada, "signup-password").send_keys(PASSWORD)
        by_test_id(ada, "signup-submit").click()
        by_test_id(ada, "start-room", click=True).click()
        by_test_id(ada, "room-title-input").send_keys("Tea in WebKit")
        by_test_id(ada, "create-room").click()
        assert by_test_id(ada, "room-title").text == "Tea in WebKit"
        assert ada.execute_script("return window.teahouse.state().me")["role"] == "moderator"

        with webkit(display) as bob:
            bob.get(app_url + "/login")
            by_test_id(bob, "login-username").send_keys("bob")
            by_test_id(bob, "login-password").send_keys(PASSWORD)
            by_test_id(bob, "login-submit").click()
            by_test_id(bob, "room-card", click=True).click()
            assert by_test_id(bob, "room-title").text == "Tea in WebKit"
            state: dict[str, object] = bob.execute_script("return window.teahouse.state()")
            return state


async def test_sign_up_start_a_room_and_join_it_in_webkit(app: LiveServer, display: str) -> None:
    first = await app.services.accounts.create_bootstrap_invite()
    assert first is not None
    bob = await app.member("bob")
    state = await asyncio.to_thread(browse, app.url, first.url, display)
    assert state["me"]["role"] == "listener"  # type: ignore[index]
    # Ada is on the stage; Bob, a plain listener, is counted rather than listed.
    usernames = {p["user"]["username"] for p in state["participants"]}  # type: ignore[attr-defined]
    assert usernames == {"ada"}
    assert state["listeners"] == 1
    live = app.services.stage.live(str(state["roomId"]))
    assert live is not None
    assert bob.id in live.state.participants
