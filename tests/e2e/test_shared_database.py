"""Another process reading the database never costs the app a committed edit.

Closing any descriptor of a file drops every POSIX lock the process holds on it. When the
app's process opened the database file a second time with a plain open() (the pre-flight
header read, run again by the app after `retrotui open REF` had opened the store), its
connection's lock was gone: the next process to close the database believed it was the
last one, checkpointed and deleted the -wal and -shm files, and every later commit of the
app went to a deleted file and vanished with a kill -9.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from retrotui.demo import DEMO_ID

WRITER = """
import sys
from retrotui.models import Retrospective
from retrotui.services.retros import open_store

first = open_store(sys.argv[1])  # what a command opens before starting the app
second = open_store(sys.argv[1])  # and the app, or anything else, opening it again
for line in sys.stdin:
    title = line.strip()
    second.add(Retrospective(title=title))
    print("committed", title, flush=True)
"""


def _read_titles(db: Path) -> list[str]:
    """What another process sees: a plain SQLite read, opened and closed."""
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("SELECT title FROM retrospective")]
    finally:
        conn.close()


def _side_files(db: Path) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if p.name.startswith(db.name + "-"))


def test_a_reader_does_not_remove_the_wal_of_a_running_writer(tmp_path: Path) -> None:
    """Process A writes and keeps its connection; process B reads and closes; A commits
    again and is killed: the side files stayed, and both commits are in the database."""
    db = tmp_path / "shared.db"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdin is not None and writer.stdout is not None
    try:
        writer.stdin.write("before the reader\n")
        writer.stdin.flush()
        assert writer.stdout.readline().strip() == "committed before the reader"

        assert _read_titles(db) == ["before the reader"]
        assert _side_files(db) == ["shared.db-shm", "shared.db-wal"]

        writer.stdin.write("after the reader\n")
        writer.stdin.flush()
        assert writer.stdout.readline().strip() == "committed after the reader"
    finally:
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    assert sorted(_read_titles(db)) == ["after the reader", "before the reader"]


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=True).stdout


def _wait_for(what: str, check: object, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} never happened")
        time.sleep(0.1)


def _notes(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [row[0] for row in conn.execute("SELECT text FROM note WHERE text LIKE 'HS %'")]
    finally:
        conn.close()


@pytest.mark.tmux
@pytest.mark.parametrize("command", [["open", "INC-4711"], ["demo"]], ids=["open", "demo"])
def test_notes_typed_around_a_reader_survive_sigkill(tmp_path: Path, command: list[str]) -> None:
    """As a user would: open the app, add a note, read the database from another process,
    add a second note, kill -9 the app: both notes are in the database."""
    db = tmp_path / "meeting.db"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    base = [sys.executable, "-m", "retrotui", "--db", str(db)]
    subprocess.run([*base, "demo", "--no-open"], check=True, capture_output=True, env=env)
    session = f"retrotui-shared-{uuid.uuid4().hex[:8]}"
    _tmux(
        *("new-session", "-d", "-s", session, "-x", "120", "-y", "40"),
        *("-e", f"HOME={tmp_path}", "-e", f"XDG_DATA_HOME={tmp_path / 'data'}"),
        " ".join([*base, *command]),
    )
    try:

        def screen() -> str:
            return _tmux("capture-pane", "-p", "-t", session)

        def add_note(text: str) -> None:
            _tmux("send-keys", "-t", session, "a")
            _wait_for("the note editor", lambda: "enter: done" in screen())
            _tmux("send-keys", "-t", session, "-l", text)
            _tmux("send-keys", "-t", session, "Enter")
            _wait_for(f"{text!r} in the database", lambda: text in _notes(db))
            # Enter closes the editor; the next `a` must not land while it is still open.
            _wait_for("the note editor closing", lambda: "enter: done" not in screen())

        _wait_for("the timeline", lambda: "/ 17" in screen())
        add_note("HS first")  # _notes() is the other process reading the database
        assert _side_files(db) == ["meeting.db-shm", "meeting.db-wal"]
        add_note("HS second")
        pid = int(_tmux("display-message", "-p", "-t", session, "#{pane_pid}").strip())
        assert b"retrotui" in Path(f"/proc/{pid}/cmdline").read_bytes()
        os.kill(pid, signal.SIGKILL)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    conn = sqlite3.connect(db)
    texts = [row[0] for row in conn.execute("SELECT text FROM note WHERE retro_id = ?", [DEMO_ID])]
    conn.close()
    assert "HS first" in texts and "HS second" in texts
