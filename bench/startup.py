"""Time from launch to a usable first screen, in a real terminal (bench/terminal.py: tmux
at 120x40), for 200 and 1,000 retrospectives.

Each run is a fresh process, imports included, timed from `respawn-pane` until the newest
retrospective's title is drawn. Baselines from the same rounds: the smallest Textual app
(until "ready" is drawn) and the floor of the design, a Textual app with a DataTable
filled from the same database with sqlite3. Rounds alternate the programs so that machine
noise hits them alike. Also: `retrotui list` against a Python + sqlite3 script printing
the same rows, as whole processes.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from data import many_retros_db
from meeting import throwaway_env
from terminal import Terminal

ROUNDS = 5
SIZES = (200, 1000)

SMALLEST = """
from textual.app import App
from textual.widgets import Static

class Smallest(App):
    def compose(self):
        yield Static("ready")

Smallest().run()
"""

FLOOR = """
import sqlite3, sys
from textual.app import App
from textual.widgets import DataTable

class Floor(App):
    def compose(self):
        yield DataTable()
    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("Incident", "Sev", "Status", "Date", "Open", "Title")
        conn = sqlite3.connect(sys.argv[1])
        for ref, sev, status, created, title in conn.execute(
            "SELECT incident_ref, severity, status, created_at, title FROM retrospective "
            "ORDER BY created_at DESC"
        ):
            table.add_row(ref, sev or "-", status, created[:10], "0", title)

Floor().run()
"""

# The rows `retrotui list` prints, the plainest way Python can.
LIST_SCRIPT = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute(
    "SELECT r.id, r.incident_ref, r.severity, r.status, coalesce(o.n, 0), r.title "
    "FROM retrospective r LEFT JOIN (SELECT retro_id, count(*) n FROM action_item "
    "WHERE status IN ('open', 'in_progress') GROUP BY retro_id) o ON o.retro_id = r.id "
    "ORDER BY r.created_at DESC"
).fetchall()
for row in rows:
    print(row[0][:8], row[1] or "-", row[2] or "-", row[3], row[4], row[5], sep="  ")
"""


def _launch(term: Terminal, argv: list[str], marker: str) -> float:
    return term.wait_for(marker, term.launch(argv), timeout=60) * 1000


def _process_ms(argv: list[str], folder: Path) -> float:
    """A whole process, with bytecode caching on as for an installed retrotui."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    start = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, env=env)
    return (time.perf_counter() - start) * 1000


def figure_startup() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        smallest, floor = folder / "smallest.py", folder / "floor.py"
        smallest.write_text(SMALLEST, encoding="utf-8")
        floor.write_text(FLOOR, encoding="utf-8")
        dbs = {size: folder / f"retros-{size}.db" for size in SIZES}
        newest = {size: many_retros_db(dbs[size], size) for size in SIZES}
        times: dict[str, list[float]] = {}
        python = sys.executable
        with Terminal("retrotui-bench-start", throwaway_env(folder)) as term:
            for _ in range(ROUNDS):
                times.setdefault("smallest", []).append(
                    _launch(term, [python, str(smallest)], "ready")
                )
                for size in SIZES:
                    db = str(dbs[size])
                    times.setdefault(f"floor_{size}", []).append(
                        _launch(term, [python, str(floor), db], newest[size])
                    )
                    times.setdefault(f"retrotui_{size}", []).append(
                        _launch(term, [python, "-m", "retrotui", "--db", db], newest[size])
                    )
                db = str(dbs[1000])
                times.setdefault("list_sqlite3", []).append(
                    _process_ms([python, "-c", LIST_SCRIPT, db], folder)
                )
                times.setdefault("list_retrotui", []).append(
                    _process_ms([python, "-m", "retrotui", "--db", db, "list"], folder)
                )
    med = {name: statistics.median(values) for name, values in times.items()}
    result: dict[str, object] = {}
    for size in SIZES:
        result[f"cold_start_home_{size}_retros"] = {
            "median_ms": round(med[f"retrotui_{size}"], 1),
            "baseline": {"name": "smallest Textual app", "median_ms": round(med["smallest"], 1)},
            "floor": {
                "name": "Textual + DataTable + sqlite3 list",
                "median_ms": round(med[f"floor_{size}"], 1),
            },
            "ratio_median": round(med[f"retrotui_{size}"] / med["smallest"], 2),
            "goal": "<= 2.5x the smallest app",
        }
    result["list_1000_retros"] = {
        "median_ms": round(med["list_retrotui"], 1),
        "baseline": {"name": "Python + sqlite3 script", "median_ms": round(med["list_sqlite3"], 1)},
        "ratio_median": round(med["list_retrotui"] / med["list_sqlite3"], 2),
        "goal": "<= 3x",
    }
    result["rounds"] = ROUNDS
    return result


if __name__ == "__main__":
    import json

    json.dump(figure_startup(), sys.stdout, indent=2)
    print()
