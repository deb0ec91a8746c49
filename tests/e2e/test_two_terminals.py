"""Two real terminals (tmux) on one database: one meeting. Ana drives, Ben follows her
steps, a note Ben types appears at Ana's with his name, the clock Ben pauses is paused at
Ana's, and killing Ben's terminal changes nothing at Ana's but the presence list."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path

import pytest

from retrotui.demo import ensure_demo
from retrotui.services.retros import open_store

pytestmark = pytest.mark.tmux

# The stage clock in the header, "⏸ 00:04/20:00" (the event list marks its row with ▶ too).
CLOCK = r"{} \d\d:\d\d/"


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def _screen(session: str) -> str:
    return _tmux("capture-pane", "-p", "-t", session)


def _wait(session: str, text: str, timeout: float = 30.0, gone: bool = False) -> str:
    """The screen once `text` (a regular expression) is on it (or, `gone`, is not)."""
    deadline = time.monotonic() + timeout
    while bool(re.search(text, _screen(session))) == gone:
        if time.monotonic() > deadline:
            state = "still there" if gone else "never appeared"
            raise AssertionError(f"{text!r} {state}:\n" + _screen(session))
        time.sleep(0.1)
    return _screen(session)


@contextmanager
def _terminal(tmp_path: Path, db: Path, name: str) -> Iterator[str]:
    session = f"retrotui-meeting-{name}-{uuid.uuid4().hex[:8]}"
    command = f"{sys.executable} -m retrotui --db {db} demo --as {name}"
    _tmux(
        *("new-session", "-d", "-s", session, "-x", "120", "-y", "40"),
        *("-e", f"HOME={tmp_path}", "-e", f"XDG_DATA_HOME={tmp_path / 'data'}"),
        *("-e", f"XDG_CONFIG_HOME={tmp_path / 'config'}", command),
    )
    try:
        yield session
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_two_terminals_one_meeting(tmp_path: Path) -> None:
    db = tmp_path / "meeting.db"
    store = open_store(str(db))
    ensure_demo(store, date.today())
    store.close()
    with ExitStack() as stack:
        ana = stack.enter_context(_terminal(tmp_path, db, "Ana"))
        _wait(ana, "driving: Ana")
        ben = stack.enter_context(_terminal(tmp_path, db, "Ben"))
        _wait(ben, "following Ana")
        _wait(ana, r"Ben \(note taker\)")
        # Ana steps to the second event (it has no notes yet); Ben's card follows.
        _tmux("send-keys", "-t", ana, "2")
        _tmux("send-keys", "-t", ana, "n")
        _wait(ana, "2 / 17")
        _wait(ben, "2 / 17")
        # Ben adds a note: Ana sees it, with his name.
        _tmux("send-keys", "-t", ben, "a")
        _wait(ben, "enter: done")
        _tmux("send-keys", "-t", ben, "-l", "Pager stayed quiet")
        _tmux("send-keys", "-t", ben, "Enter")
        screen = _wait(ana, "Pager stayed quiet")
        after = screen.split("Pager stayed quiet", 1)[1]
        # "— Ben" follows the text, on its line or (wrapped) on the next one.
        assert "Ben" in "\n".join(after.split("\n")[:2]), screen
        # Ana starts the clock, Ben pauses it: paused at both, at the same time.
        _tmux("send-keys", "-t", ana, "t")
        _wait(ben, CLOCK.format("▶"))
        _tmux("send-keys", "-t", ben, "t")
        screen = _wait(ana, CLOCK.format("⏸"))
        shown = re.findall(CLOCK.format("⏸"), screen)
        assert shown == re.findall(CLOCK.format("⏸"), _wait(ben, CLOCK.format("⏸")))
        # Ben's terminal is killed: Ana keeps driving, stage and clock as they were.
        pid = int(_tmux("display-message", "-p", "-t", ben, "#{pane_pid}").strip())
        os.kill(pid, signal.SIGKILL)
        screen = _wait(ana, r"Ben \(note taker\)", gone=True)
        assert "driving: Ana" in screen and "2 / 17" in screen
        assert re.findall(CLOCK.format("⏸"), screen) == shown
