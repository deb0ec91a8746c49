"""A note-taker's words survive the process being killed (SIGKILL, no chance to clean up)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from retrotui.demo import DEMO_ID, ensure_demo
from retrotui.models import Note
from retrotui.services.retros import open_store

pytestmark = pytest.mark.tmux

# The README's promise: a crash loses nothing typed more than this long before it.
PROMISE_SECONDS = 0.5


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


@contextmanager
def _note_composer(tmp_path: Path, db: Path) -> Iterator[str]:
    """The demo in a real terminal (tmux), the note composer open on its first event."""
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
        yield session
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def _kill_app(session: str) -> None:
    pid = int(_tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())
    # The pane runs the app itself (not a shell in front of it), so this kills the app
    # before tmux can send it a hang-up that would let it save on the way out.
    assert b"retrotui" in Path(f"/proc/{pid}/cmdline").read_bytes()
    os.kill(pid, signal.SIGKILL)


def _note_texts(db: Path) -> list[str]:
    store = open_store(str(db))
    texts = [n.text for n in store.children(Note, DEMO_ID)]
    store.close()
    return texts


def test_typed_note_survives_sigkill(tmp_path: Path) -> None:
    """Type a note, pause 0.6 s, kill -9 the app: the note is in the database."""
    db = tmp_path / "kill.db"
    with _note_composer(tmp_path, db) as session:
        _tmux("send-keys", "-t", session, "-l", "Nobody owned the renewal job")
        time.sleep(0.6)
        _kill_app(session)
    assert "Nobody owned the renewal job" in _note_texts(db)


def kill_while_typing(tmp_path: Path, *, seconds: float = 7.0, gap: float = 0.15) -> dict[str, int]:
    """Type one character every `gap` seconds for `seconds`, then kill -9 the app without a
    pause. How many characters were typed, are in the database, and are missing although
    they were typed more than PROMISE_SECONDS before the kill."""
    db = tmp_path / "typing.db"
    store = open_store(str(db))
    ensure_demo(store, date.today())
    store.close()
    # Read before the app starts: nothing else opens the database while it runs.
    before = set(_note_texts(db))
    alphabet = "abcdefghijklmnopqrstuvwxyz"
    sent: list[tuple[float, str]] = []
    with _note_composer(tmp_path, db) as session:
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            char = alphabet[len(sent) % len(alphabet)]
            _tmux("send-keys", "-t", session, "-l", char)
            sent.append((time.monotonic(), char))
            time.sleep(gap)
        killed_at = time.monotonic()
        _kill_app(session)
    typed = "".join(char for _, char in sent)
    added = [text for text in _note_texts(db) if text not in before]
    saved = added[0] if added else ""
    assert typed.startswith(saved), (typed, saved)
    promised = sum(1 for at, _ in sent if at < killed_at - PROMISE_SECONDS)
    return {
        "typed": len(typed),
        "saved": len(saved),
        "lost_promised": max(0, promised - len(saved)),
    }


def test_steady_typing_survives_sigkill(tmp_path: Path) -> None:
    """One character every 0.15 s for 7 s, then kill -9 mid-word: everything typed more
    than 0.5 s before the kill is in the database (the debounce alone, waiting for a pause
    that never comes, saved none of it)."""
    figures = kill_while_typing(tmp_path)
    assert figures["lost_promised"] == 0, figures
