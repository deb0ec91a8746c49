"""Time from launch to a usable first screen: retrotui against the smallest Textual app.

Each run is a fresh process (imports included), headless, ending as soon as the screen a
user would act on is up: for retrotui the home screen with its list loaded from the
database. Rounds alternate the two so that machine noise hits both alike.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 7

BASELINE = """
from textual.app import App
from textual.widgets import Static

class Smallest(App):
    def compose(self):
        yield Static("ready")
    def on_mount(self):
        self.call_after_refresh(self.exit)

Smallest().run(headless=True)
"""

RETROTUI = """
import sys
from datetime import date
from retrotui.ui.app import make_app
from retrotui.ui.screens.home import HomeScreen

app = make_app(sys.argv[1], today=date(2026, 11, 24), remember=False)

async def until_home(pilot):
    while not (isinstance(app.screen, HomeScreen) and app.screen.loaded):
        await pilot.pause(0.005)
    await app.action_quit()

app.run(headless=True, auto_pilot=until_home)
"""


def _time(code: str, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True)
    return time.perf_counter() - start


def figure_startup() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        subprocess.run(
            [sys.executable, "-m", "retrotui", "--db", db, "demo", "--no-open"],
            check=True,
            capture_output=True,
        )
        baseline: list[float] = []
        ours: list[float] = []
        for _ in range(ROUNDS):
            baseline.append(_time(BASELINE))
            ours.append(_time(RETROTUI, db))
    base_ms = statistics.median(baseline) * 1000
    ours_ms = statistics.median(ours) * 1000
    return {
        "median_ms": round(ours_ms, 1),
        "baseline": {
            "name": "smallest Textual app, exit when ready",
            "median_ms": round(base_ms, 1),
        },
        "ratio_median": round(ours_ms / base_ms, 2),
        "rounds": ROUNDS,
        "note": "home screen with the demo database loaded; posting is 4.8x, harlequin 4.2x",
    }
