"""A real `retrotui serve` process on a free port, for the process and browser tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from retrotui.demo import DEMO_ID


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def http_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


@dataclass
class Served:
    process: subprocess.Popen[str]
    link: str
    banner: str  # what it printed before the link
    db: Path
    port: int

    def stop(self) -> tuple[int, str, str]:
        """Ctrl-C, as a moderator ends the meeting; exit status, the rest of stdout, stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=30)
        return self.process.returncode, out, err


ServeFactory = Callable[..., Served]


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[ServeFactory]:
    """Start `retrotui serve` on the demo database; wait until it prints its link."""
    started: list[Served] = []
    db = tmp_path / "meeting.db"
    subprocess.run(
        [sys.executable, "-m", "retrotui", "--db", str(db), "demo", "--no-open"],
        check=True,
        capture_output=True,
        timeout=120,
    )

    def start(*args: str, ref: str | None = DEMO_ID) -> Served:
        port = free_port()
        command = [sys.executable, "-m", "retrotui", "--db", str(db), "serve"]
        command += [*([ref] if ref else []), "--port", str(port), *args]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "COLUMNS": "200"},
        )
        assert process.stdout is not None
        link, banner = "", ""
        deadline = time.monotonic() + 60
        while not link and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            if line.startswith("http://"):
                link = line.strip()
            else:
                banner += line
        assert link, f"serve printed no link: {process.communicate(timeout=10)}"
        served = Served(process, link, banner, db, port)
        started.append(served)
        return served

    yield start
    for served in started:
        if served.process.poll() is None:
            served.process.kill()
            served.process.wait()
