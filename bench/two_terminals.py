"""Two terminals in one meeting on a 10,000-event retrospective (issue #12), each a real
program in its own tmux server at 120x40 (bench/terminal.py), against the smallest Textual
app in the same runs.

- note across terminals: Enter in Ana's note composer until the note is drawn in Ben's
  terminal (Ben follows Ana, so he shows the same event and its notes);
- follower follows: Ana's `n` until Ben draws "Event k / 10000";
- step latency while the other types: Ana steps while Ben types a note steadily (a
  character every 0.15 s, so his autosave commits every ~0.3 s), then the other way round;
  baseline: the smallest app's key -> frame;
- idle CPU of each meeting screen while both sit in the meeting (heartbeats going on).

Rounds alternate the programs so that machine noise hits them alike; a round whose tmux
server died under load is run again (`terminal.retried`).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from data import meeting_db, rewind
from meeting import PACE, smallest_app_round, summary, throwaway_env
from terminal import Terminal, cpu_share_pct, retried

ROUNDS = 5
FOLLOW_STEPS = 20
NOTES = 4
TYPED_STEPS = 60
IDLE_SECONDS = 6.0
EVENTS = 10_000


def _open(term: Terminal, db: Path, name: str) -> None:
    argv = [sys.executable, "-m", "retrotui", "--as", name, "--db", str(db), "open", "BIG"]
    term.wait_for(f"Event 1 / {EVENTS}", term.launch(argv), timeout=90)


def _label(k: int) -> str:
    return f"Event {k} / {EVENTS}"


def _type_steadily(term: Terminal, stop: threading.Event) -> None:
    term.wait_for("Note on this event", term.press("a"))
    n = 0
    while not stop.is_set():
        term.type_text("abcdefghij"[n % 10])
        n += 1
        time.sleep(0.15)
    term.press("Escape")


def _steps_while_typing(stepper: Terminal, typist: Terminal | None, start: int) -> list[float]:
    """`stepper` steps forward TYPED_STEPS times from event `start` while `typist` types
    (if any)."""
    stop = threading.Event()
    typing = threading.Thread(target=_type_steadily, args=(typist, stop), daemon=True)
    if typist is not None:
        typing.start()
        time.sleep(0.5)
    samples = []
    try:
        for n in range(TYPED_STEPS):
            sent = stepper.press("n")
            samples.append(stepper.wait_for(_label(start + n + 1), sent) * 1000)
            time.sleep(PACE[n % len(PACE)])
    finally:
        stop.set()
        if typist is not None:
            typing.join(timeout=10)
    return samples


def _meeting_round(ana: Terminal, ben: Terminal, db: Path) -> dict[str, list[float]]:
    rewind(db)
    _open(ana, db, "Ana")
    _open(ben, db, "Ben")
    ben.wait_for("following Ana", time.perf_counter() - 5, timeout=30)
    time.sleep(1.0)
    out: dict[str, list[float]] = {"follow": [], "note": []}
    position = 1
    for n in range(FOLLOW_STEPS):
        ben.drain()
        sent = ana.press("n")
        position += 1
        out["follow"].append(ben.wait_for(_label(position), sent) * 1000)
        time.sleep(0.3 + 0.1 * (n % 3))
    time.sleep(0.5)
    for _ in range(NOTES):
        # Each note on an event of its own: an event's notes scroll under the card, and a
        # note below the fold is never drawn.
        position += 1
        ben.wait_for(_label(position), ana.press("n"))
        time.sleep(0.3)
        ana.press("a")
        ana.wait_for("Note on this event", time.perf_counter() - 0.001)
        marker = f"zq{time.monotonic_ns() % 1000000}x"
        ana.type_text(marker)
        ana.wait_for(marker, time.perf_counter() - 0.001)
        time.sleep(0.1)
        ben.drain()
        sent = ana.press("Enter")
        out["note"].append(ben.wait_for(marker, sent) * 1000)
        time.sleep(0.5)
    time.sleep(0.5)
    # Idle: both in the meeting, nobody touching a key.
    idle_ana, idle_ben = cpu_share_pct([ana.app_pid(), ben.app_pid()], IDLE_SECONDS)
    out["idle_ana"], out["idle_ben"] = [idle_ana], [idle_ben]
    # Ana steps alone (same-run reference); then while Ben types; then Ben (browsing on
    # his own) steps while Ana types.
    out["ana_alone"] = _steps_while_typing(ana, None, position)
    position += TYPED_STEPS
    out["ana_steps"] = _steps_while_typing(ana, ben, position)
    time.sleep(0.5)
    out["ben_steps"] = _steps_while_typing(ben, ana, position + TYPED_STEPS)
    return out


def figure_two_terminals() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "meeting.db"
        meeting_db(db)
        big: dict[str, list[float]] = {}
        base: dict[str, list[float]] = {}
        env = throwaway_env(folder)
        with Terminal("retrotui-bench-ana", env) as ana, Terminal("retrotui-bench-ben", env) as ben:
            for _ in range(ROUNDS):
                baseline = retried(lambda: smallest_app_round(ana, folder, TYPED_STEPS), [ana])
                for key, values in baseline.items():
                    base.setdefault(key, []).extend(values)
                result = retried(lambda: _meeting_round(ana, ben, db), [ana, ben])
                for key, values in result.items():
                    big.setdefault(key, []).extend(values)
                for term in (ana, ben):
                    term.command("respawn-pane -k -t bench 'exec sleep 600'")
            restarts = ana.restarts + ben.restarts
    return {
        "note_across_terminals_ms": {**summary(big["note"]), "goal": "median <= 500 ms, max 1 s"},
        "follower_follows_step_ms": {
            **summary(big["follow"]),
            "goal": "median <= 500 ms, max 1 s",
        },
        "step_while_other_types_ms": {
            "ana_steps_alone": summary(big["ana_alone"]),
            "ana_steps_ben_types": summary(big["ana_steps"]),
            "ben_steps_ana_types": summary(big["ben_steps"]),
            "baseline": {"name": "smallest app, key updates a Static", **summary(base["steps"])},
            "goal": "median <= 10 ms, p99 <= 33 ms",
        },
        "idle_cpu_pct": {
            "ana_driver": round(statistics.median(big["idle_ana"]), 1),
            "ben_follower": round(statistics.median(big["idle_ben"]), 1),
            "goal": "<= 2% of a core",
        },
        "rounds": ROUNDS,
        "tmux_restarts": restarts,
    }


if __name__ == "__main__":
    import json

    json.dump(figure_two_terminals(), sys.stdout, indent=2)
    print()
