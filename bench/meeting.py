"""The meeting screen at 10,000 events, in a real terminal (bench/terminal.py: tmux at
120x40 through a control-mode client), against the smallest Textual app in the same runs.

- key `n` -> screen: from sending the key to tmux until "Event k / N" is drawn; at 10,000
  and at 10 events; baseline: a key that updates one Static ("count k").
- RSS after 200 steps at 10,000 events against RSS when the meeting was first drawn.
- note saved -> shown: enter in the note composer (which saves the note at once) until the
  note is drawn under the event card; at 10,000 and at 10 events.
- idle CPU of the meeting screen at 10,000 events while another process adds a note every
  200 ms, against the same screen with no writer.

Rounds alternate the programs so that machine noise hits them alike. Keys are sent at a
moderator's varying pace (a held key, a quick tap, a pause past the position save).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from data import meeting_db, rewind
from terminal import Terminal, cpu_share_pct, retried, rss_kib

ROUNDS = 5
STEPS = 200
PACE = (0.02, 0.08, 0.35)  # seconds between a frame and the next key, in turn
IDLE_SECONDS = 6.0

SMALLEST = """
from textual.app import App
from textual.widgets import Static

class Smallest(App):
    count = 0
    def compose(self):
        yield Static("count 0")
    def on_key(self, event):
        if event.key in ("n", "p"):
            self.count += 1
            self.query_one(Static).update(f"count {self.count}")

Smallest().run()
"""

WRITER = """
import sys, time
from retrotui.services.meeting import add_note
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store
from pathlib import Path

store = Store.open(url_for_path(Path(sys.argv[1])))
print("ready", flush=True)
end = time.monotonic() + float(sys.argv[3])
n = 0
while time.monotonic() < end:
    add_note(store, sys.argv[2], text=f"writer note {n}")
    n += 1
    time.sleep(0.2)
"""


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(samples_ms: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(samples_ms), 1),
        "p99_ms": round(percentile(samples_ms, 0.99), 1),
        "samples": len(samples_ms),
    }


def throwaway_env(folder: Path) -> dict[str, str]:
    """Settings, state and data of a throw-away user, so nobody's own files are touched."""
    return {
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_DATA_HOME": str(folder / "data"),
        "XDG_STATE_HOME": str(folder / "state"),
        # Compiled modules go to the run's folder, not into the source tree.
        "PYTHONPYCACHEPREFIX": str(folder / "pycache"),
        "TERM": "tmux-256color",
        "COLORTERM": "truecolor",
    }


def _retrotui(db: Path, ref: str) -> list[str]:
    return [sys.executable, "-m", "retrotui", "--db", str(db), "open", ref]


def _step(term: Terminal, steps: int, count: int, label: Callable[[int], str]) -> list[float]:
    """Press n (or p, to walk back from the last event) `steps` times; ms for each frame.
    `label(k)` is the text drawn when the cursor is on event k (1-based)."""
    samples, position, direction = [], 1, 1
    for n in range(steps):
        if count > 1 and not 1 <= position + direction <= count:
            direction = -direction
        position += direction if count > 1 else 0
        sent = term.press("n" if direction > 0 else "p")
        samples.append(term.wait_for(label(position), sent) * 1000)
        time.sleep(PACE[n % len(PACE)])
    return samples


def _meeting_round(
    term: Terminal, db: Path, ref: str, count: int, steps: int = STEPS
) -> dict[str, list[float]]:
    def label(k: int) -> str:
        return f"Event {k} / {count}"

    rewind(db)
    term.wait_for(label(1), term.launch(_retrotui(db, ref)), timeout=60)
    time.sleep(1.0)  # let the first load settle
    pid = term.app_pid()
    rss_before = rss_kib(pid)
    stepped = _step(term, steps, count, label)
    time.sleep(1.5)  # a poll and a position save
    rss_after = rss_kib(pid)
    # A note: open the composer, type, enter; time until it is drawn under the card.
    term.press("a")
    term.wait_for("Note on this event", time.perf_counter() - 0.001)
    marker = f"zq{time.monotonic_ns() % 100000}x"
    typed = time.perf_counter()
    term.type_text(marker)
    term.wait_for(marker, typed)  # in the composer
    time.sleep(0.1)
    sent = term.press("Enter")
    saved = term.wait_for(f"observation  {marker}", sent) * 1000
    return {"steps": stepped, "rss_growth": [rss_after / rss_before - 1], "note": [saved]}


def smallest_app_round(term: Terminal, folder: Path, steps: int) -> dict[str, list[float]]:
    """The baseline: the smallest Textual app's key -> frame, `steps` times at the same
    pace as the meeting's steps, and its RSS growth over them."""
    script = folder / "smallest.py"  # a file: a terminal command is one line
    script.write_text(SMALLEST, encoding="utf-8")
    term.wait_for("count 0", term.launch([sys.executable, str(script)]), timeout=60)
    time.sleep(0.5)
    pid = term.app_pid()
    rss_before = rss_kib(pid)
    samples = []
    for n in range(steps):
        sent = term.press("n")
        samples.append(term.wait_for(f"count {n + 1}", sent) * 1000)
        time.sleep(PACE[n % len(PACE)])
    return {"steps": samples, "rss_growth": [rss_kib(pid) / rss_before - 1]}


def _idle_cpu(term: Terminal, db: Path, ref: str, retro_id: str, writer: bool) -> float:
    """Share of one core the meeting screen uses over IDLE_SECONDS."""
    term.wait_for("Event ", term.launch(_retrotui(db, ref)), timeout=60)
    time.sleep(1.5)
    pid = term.app_pid()
    process = None
    if writer:
        code = [sys.executable, "-c", WRITER, str(db), retro_id, str(IDLE_SECONDS + 1)]
        process = subprocess.Popen(code, stdout=subprocess.PIPE, text=True)
        assert process.stdout is not None
        process.stdout.readline()  # imports done, writing from now on
    [share] = cpu_share_pct([pid], IDLE_SECONDS)
    if process is not None:
        process.wait(timeout=30)
    return share


def figure_meeting() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "meeting.db"
        big_id, _small_id = meeting_db(db)
        results: dict[str, dict[str, list[float]]] = {"base": {}, "big": {}, "small": {}}
        idle: dict[str, list[float]] = {"quiet": [], "writer": []}
        with Terminal("retrotui-bench", throwaway_env(folder)) as term:
            for _ in range(ROUNDS):
                for name, run in (
                    ("base", lambda: smallest_app_round(term, folder, STEPS)),
                    ("big", lambda: _meeting_round(term, db, "BIG", 10_000)),
                    ("small", lambda: _meeting_round(term, db, "SMALL", 10)),
                ):
                    for key, values in retried(run, [term]).items():
                        results[name].setdefault(key, []).extend(values)
                for key, has_writer in (("quiet", False), ("writer", True)):
                    idle[key].append(
                        retried(lambda w=has_writer: _idle_cpu(term, db, "BIG", big_id, w), [term])
                    )
            term.command("send-keys -t bench q")
    base, big, small = results["base"], results["big"], results["small"]
    return {
        "key_n_10k_events": {
            **summary(big["steps"]),
            "baseline": {"name": "smallest app, key updates a Static", **summary(base["steps"])},
            "goal": "median <= 10 ms, p99 <= 33 ms",
        },
        "key_n_10_events": {**summary(small["steps"]), "goal": "median <= 10 ms"},
        "rss_growth_200_steps_10k_pct": {
            "median": round(statistics.median(big["rss_growth"]) * 100, 1),
            "baseline_smallest_app": round(statistics.median(base["rss_growth"]) * 100, 1),
            "goal": "<= 10%",
        },
        "note_saved_to_shown_10k_ms": {
            "median": round(statistics.median(big["note"]), 1),
            "baseline_10_events": round(statistics.median(small["note"]), 1),
            "goal": "<= 50 ms",
        },
        "idle_cpu_10k_with_writer_pct": {
            "median": round(statistics.median(idle["writer"]), 1),
            "baseline_no_writer": round(statistics.median(idle["quiet"]), 1),
            "goal": "<= 5% of a core",
        },
        "rounds": ROUNDS,
        "steps_per_round": STEPS,
    }


def figure_note() -> dict[str, object]:
    """The note figure alone (no stepping first): enter in the composer until the note is
    drawn under the card, at 10,000 and at 10 events; a quicker check than the whole set."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "meeting.db"
        meeting_db(db)
        notes: dict[str, list[float]] = {"big": [], "small": []}
        with Terminal("retrotui-bench", throwaway_env(folder)) as term:
            for _ in range(ROUNDS * 2):
                for name, ref, count in (("big", "BIG", 10_000), ("small", "SMALL", 10)):
                    note_only = retried(
                        lambda r=ref, c=count: _meeting_round(term, db, r, c, 0), [term]
                    )
                    notes[name].extend(note_only["note"])
            term.command("send-keys -t bench q")
    return {
        "note_saved_to_shown_10k_ms": {
            "median": round(statistics.median(notes["big"]), 1),
            "max": round(max(notes["big"]), 1),
            "baseline_10_events": round(statistics.median(notes["small"]), 1),
            "samples": len(notes["big"]),
            "goal": "<= 50 ms",
        },
    }


if __name__ == "__main__":
    import json

    json.dump(figure_meeting(), sys.stdout, indent=2)
    print()
