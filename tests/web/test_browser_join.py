"""Joining from a browser, as a participant would: headless Chromium, the printed link."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from retrotui.demo import DEMO_ID
from retrotui.models import Note
from retrotui.services.retros import open_store
from retrotui.store.live_meeting import present
from retrotui.store.repository import all_rows
from tests.web.conftest import ServeFactory

pytestmark = [pytest.mark.browser, pytest.mark.tmux]

CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


@pytest.fixture
def browser() -> Iterator[Any]:
    """Debian's headless Chromium through its own chromedriver (nothing downloaded)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="retrotui-chromium-")
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,900",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_for(check: Callable[[], Any], what: str, timeout: float = 60.0) -> Any:
    """Poll a state (a row in the database) until it holds; no fixed sleeps."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.1)
    raise AssertionError(f"{what} never happened within {timeout:.0f} s")


def test_a_browser_participant_joins_and_their_note_is_saved(
    serve: ServeFactory, browser: Any
) -> None:
    """Open the link, type a name, and the participant is present in the meeting (the
    database every terminal reads); a note typed in the browser is in the database."""
    from selenium.webdriver.common.by import By

    served = serve()
    # The moderator, in a real terminal beside the browser: their header lists who is here.
    moderator = f"retrotui-web-{uuid.uuid4().hex[:8]}"
    command = f"{sys.executable} -m retrotui --db {served.db} open {DEMO_ID} --as Ana"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", moderator, "-x", "120", "-y", "40", command],
        check=True,
    )

    def moderator_screen() -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", moderator], capture_output=True, text=True
        ).stdout

    browser.get(served.link)
    name_box = browser.find_element(By.ID, "as")
    name_box.send_keys("Priya")
    browser.find_element(By.ID, "join").click()

    store = open_store(str(served.db))
    try:
        wait_for(
            lambda: any(a.name == "Priya" for a in present(store, DEMO_ID)),
            "Priya appearing in the presence list",
        )
        wait_for(
            lambda: "driving: Ana" in moderator_screen() and "Priya" in moderator_screen(),
            "Priya appearing on the moderator's screen, with Ana still driving",
        )
        keyboard = browser.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        keyboard.send_keys("2")  # the timeline stage
        keyboard.send_keys("a")  # a note on the current event
        # The composer is open (and focused) once the others see "Priya is typing".
        wait_for(
            lambda: any(a.name == "Priya" and a.typing for a in present(store, DEMO_ID)),
            "the note composer opening",
        )
        keyboard.send_keys("Typed in a browser tab")

        def saved() -> list[Note]:
            return [n for n in all_rows(store, Note) if n.text == "Typed in a browser tab"]

        note = wait_for(saved, "the browser's note reaching the database")[0]
        assert note.author == "Priya"
    finally:
        store.close()
        subprocess.run(["tmux", "kill-session", "-t", moderator], capture_output=True)
    code, _, err = served.stop()
    assert code == 0 and "Traceback" not in err
