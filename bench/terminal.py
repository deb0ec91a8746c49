"""A real terminal for the benchmarks: one tmux server at 120x40 driven through a control-mode
client, so that key-to-screen times include everything a user waits for (the pty, the app's
event loop, its compositor, its write to the terminal).

How a time is taken: `send-keys` is written to tmux and the clock starts; tmux reports
every byte the app writes as a `%output` line, each time-stamped by a reader thread as it
arrives; the time is up when the app's output since the key contains the text the user
waits for (say "Event 124 / 10000"). Escape sequences are removed before looking, so the
text counts only once it is drawn, however the app's writes are split.
"""

from __future__ import annotations

import os
import queue
import re
import shlex
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

WIDTH, HEIGHT = 120, 40
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-B]|.)")
_OCTAL = re.compile(r"\\([0-7]{3})|\\\\")


def _unescape(data: str) -> str:
    """tmux control mode writes bytes below 32 and backslash as three-digit octal escapes."""
    raw = _OCTAL.sub(lambda m: chr(int(m.group(1), 8)) if m.group(1) else "\\", data)
    try:
        return raw.encode("latin-1").decode("utf-8", errors="replace")
    except UnicodeEncodeError:
        return raw


def visible(text: str) -> str:
    """What a chunk of terminal output draws: its characters, without escape sequences."""
    return _ESCAPES.sub("", text)


class TerminalDied(RuntimeError):
    """The tmux server went away under a measurement."""


def retried(run: Callable[[], T], terminals: Sequence[Terminal], tries: int = 3) -> T:
    """Run one measurement round; when a tmux server died under it (or a wait timed out
    because it did), bring the servers back and run the round again."""
    for attempt in range(tries):
        try:
            return run()
        except (TerminalDied, TimeoutError, BrokenPipeError, subprocess.CalledProcessError):
            if attempt == tries - 1:
                raise
            for term in terminals:
                if not term.alive:
                    term.reconnect()
    raise AssertionError("unreachable")


class Terminal:
    """A tmux server with one 120x40 window, controlled through `tmux -C`."""

    def __init__(self, name: str, env: dict[str, str] | None = None) -> None:
        self.socket = f"{name}-{os.getpid()}"
        self.env = env or {}
        self._lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.restarts = 0
        self._start_server()
        self.pid = 0

    def _start_server(self) -> None:
        self.proc = subprocess.Popen(
            ["tmux", "-f", "/dev/null", "-L", self.socket, "-C", "new-session", "-s", "bench"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="latin-1",
            bufsize=1,
        )
        self._reader = threading.Thread(target=self._read, args=(self.proc,), daemon=True)
        self._reader.start()
        self._send(f"refresh-client -C {WIDTH}x{HEIGHT}")
        self._send(f"resize-window -x {WIDTH} -y {HEIGHT}")
        self._send("set -g status off")
        self._send("set -g remain-on-exit on")

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def reconnect(self) -> None:
        """A new tmux server (and client) when the old one died (it does, under heavy load);
        the program in it is gone too: launch it again."""
        self.restarts += 1
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        if self.alive:
            self.proc.kill()
        self.proc.wait(timeout=10)
        self._start_server()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self._lines.put((time.perf_counter(), line.rstrip("\n")))

    def _send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def command(self, text: str) -> None:
        """Send a tmux command; a dead server is replaced first (the caller's wait for
        what the command should draw then fails, and the round is retried: `retried`)."""
        if not self.alive:
            self.reconnect()
        try:
            self._send(text)
        except (BrokenPipeError, OSError):
            self.reconnect()
            self._send(text)

    def drain(self) -> str:
        """Everything drawn since the last look, at once."""
        out: list[str] = []
        while True:
            try:
                _, line = self._lines.get_nowait()
            except queue.Empty:
                return "".join(out)
            if line.startswith("%output "):
                out.append(_unescape(line.split(" ", 2)[2] if line.count(" ") >= 2 else ""))

    def launch(self, argv: Sequence[str], cwd: Path | None = None) -> float:
        """Start a program in the window (replacing the previous one); the launch time."""
        # End the previous program first and let its last output arrive, so that none of
        # it is taken for the new program's.
        self.command("respawn-pane -k -t bench 'exec sleep 600'")
        time.sleep(0.3)
        self.drain()
        env = " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items())
        # Bytecode caching on, as for an installed retrotui (pip compiles at install): with
        # PYTHONDONTWRITEBYTECODE set, every launch would compile each of retrotui's
        # modules again, while the baselines import only precompiled site-packages.
        line = (
            f"cd {shlex.quote(str(cwd or Path.cwd()))} && "
            f"exec env -u PYTHONDONTWRITEBYTECODE {env} " + shlex.join(argv)
        )
        start = time.perf_counter()
        self.command(f"respawn-pane -k -t bench {shlex.quote(line)}")
        return start

    def wait_for(self, text: str, since: float, timeout: float = 30.0) -> float:
        """Seconds from `since` until `text` is drawn (searched in output after `since`)."""
        seen = ""
        deadline = time.perf_counter() + timeout
        while True:
            try:
                left = deadline - time.perf_counter()
                stamp, line = self._lines.get(timeout=max(0.0, min(1.0, left)))
            except queue.Empty:
                if not self.alive:
                    raise TerminalDied(f"tmux died while waiting for {text!r}") from None
                if time.perf_counter() < deadline:
                    continue
                raise TimeoutError(
                    f"{text!r} not drawn within {timeout} s; the screen:\n{self.screen()}"
                ) from None
            if not line.startswith("%output "):
                continue
            parts = line.split(" ", 2)
            # The raw tail: an escape sequence may be split between two chunks.
            seen = (seen + _unescape(parts[2] if len(parts) > 2 else ""))[-16000:]
            if text in visible(seen):
                return stamp - since

    def press(self, key: str) -> float:
        """Send one key (tmux key name); the moment it was sent."""
        self.drain()
        start = time.perf_counter()
        self.command(f"send-keys -t bench {key}")
        return start

    def type_text(self, text: str) -> None:
        self.command(f"send-keys -t bench -l {shlex.quote(text)}")

    def app_pid(self) -> int:
        """The process running in the window (launched with exec, so the app itself)."""
        out = subprocess.run(
            ["tmux", "-L", self.socket, "display", "-p", "-t", "bench", "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=True,
        )
        return int(out.stdout.strip())

    def screen(self) -> str:
        out = subprocess.run(
            ["tmux", "-L", self.socket, "capture-pane", "-p", "-t", "bench"],
            capture_output=True,
            text=True,
            check=True,
        )
        return out.stdout

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def rss_kib(pid: int) -> int:
    """Resident memory of a process, KiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_share_pct(pids: Sequence[int], seconds: float) -> list[float]:
    """Share of one core (percent) each process uses over the next `seconds`, in order:
    sampled side by side, so every process is measured over the same span."""
    before = [cpu_seconds(pid) for pid in pids]
    began = time.perf_counter()
    time.sleep(seconds)
    spent = time.perf_counter() - began
    return [(cpu_seconds(pid) - used) / spent * 100 for pid, used in zip(pids, before, strict=True)]
