"""A note-taker's words survive the process being killed (SIGKILL, no chance to clean up)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from retrotui.demo import DEMO_ID
from retrotui.models import Note
from retrotui.services.retros import open_store

pytestmark = pytest.mark.tmux


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def _wait_for_screen(session: str, text: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while text not in _tmux("capture-pane", "-p", "-t", session):
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{text!r} never appeared:\n" + _tmux("capture-pane", "-p", "-t", session)
            )
        time.sleep(0.1)


def test_typed_note_survives_sigkill(tmp_path: Path) -> None:
    """Type a note, pause 0.6 s, kill -9 the app: the note is in the database."""
    db = tmp_path / "kill.db"
    session = f"retrotui-kill-{uuid.uuid4().hex[:8]}"
    command = f"{sys.executable} -m retrotui --db {db} demo"
    _tmux(
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "120",
        "-y",
        "40",
        "-e",
        f"HOME={tmp_path}",
        "-e",
        f"XDG_DATA_HOME={tmp_path / 'data'}",
        command,
    )
    try:
        _wait_for_screen(session, "/ 17")
        _tmux("send-keys", "-t", session, "a")
        _wait_for_screen(session, "enter: done")
        _tmux("send-keys", "-t", session, "-l", "Nobody owned the renewal job")
        time.sleep(0.6)
        pid = int(_tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())
        # The pane runs the app itself (not a shell in front of it), so this kills the app
        # before tmux can send it a hang-up that would let it save on the way out.
        assert b"retrotui" in Path(f"/proc/{pid}/cmdline").read_bytes()
        os.kill(pid, signal.SIGKILL)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    store = open_store(str(db))
    texts = [n.text for n in store.children(Note, DEMO_ID)]
    store.close()
    assert "Nobody owned the renewal job" in texts
