"""Benchmarks: `make bench` prints one JSON object of figures.

Every figure comes with a baseline measured in the same run on the same machine, because
the machines are shared and noisy: compare ratios, not absolute times. Medians and p99s.
Never part of the test run.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from retrotui.models import Note, Retrospective
from retrotui.store.engine import BUSY_TIMEOUT_MS, url_for_path
from retrotui.store.repository import Store

EDITS = 1000


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _summary(samples_s: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples_s]
    return {"median_ms": round(statistics.median(ms), 4), "p99_ms": round(_percentile(ms, 0.99), 4)}


def _time_each(action: Callable[[int], None], count: int) -> list[float]:
    samples = []
    for n in range(count):
        start = time.perf_counter()
        action(n)
        samples.append(time.perf_counter() - start)
    return samples


def bench_store_edit(folder: Path) -> list[float]:
    """One note edit through the Store: the path every keystroke-debounced save takes."""
    store = Store.open(url_for_path(folder / "store.db"))
    retro = store.add(Retrospective(title="bench"))
    note = store.add(Note(retro_id=retro.id, text=""))
    samples = _time_each(lambda n: store.update(Note, note.id, text=f"edit {n}"), EDITS)
    store.close()
    return samples


def bench_raw_edit(folder: Path) -> list[float]:
    """The same edit as one raw sqlite3 UPDATE + COMMIT with the same pragmas."""
    conn = sqlite3.connect(folder / "raw.db", isolation_level=None)
    for pragma in (
        f"busy_timeout = {BUSY_TIMEOUT_MS}",
        "foreign_keys = ON",
        "journal_mode = WAL",
        "synchronous = FULL",
    ):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("CREATE TABLE note (id TEXT PRIMARY KEY, text TEXT, updated_at TEXT)")
    conn.execute("INSERT INTO note VALUES ('n', '', '')")

    def edit(n: int) -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "UPDATE note SET text = ?, updated_at = datetime('now') WHERE id = 'n'", (f"e{n}",)
        )
        conn.execute("COMMIT")

    samples = _time_each(edit, EDITS)
    conn.close()
    return samples


def figure_store_edit() -> dict[str, object]:
    """Latency of one committed edit through the Store, against raw sqlite3."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # Interleave the two in rounds so that noise from other machine users hits both.
        store_samples: list[float] = []
        raw_samples: list[float] = []
        for round_no in range(3):
            sub = folder / str(round_no)
            sub.mkdir()
            raw_samples += bench_raw_edit(sub)
            store_samples += bench_store_edit(sub)
    store, raw = _summary(store_samples), _summary(raw_samples)
    return {
        **store,
        "baseline": {"name": "raw sqlite3 UPDATE+COMMIT, same pragmas", **raw},
        "ratio_median": round(store["median_ms"] / raw["median_ms"], 2),
        "ratio_p99": round(store["p99_ms"] / raw["p99_ms"], 2),
        "edits": EDITS * 3,
        "goal": "p99 <= 2.5 ms and median ratio <= 4x raw",
    }


# name -> function returning one figure (a dict that includes its own baseline).
# Add a benchmark by writing bench/<area>.py and listing its figure function here.
FIGURES: dict[str, Callable[[], dict[str, object]]] = {
    "store_edit_commit": figure_store_edit,
    "csv_import_100k": __import__("imports").figure_csv_import,  # bench/ is sys.path[0]
    "startup_to_home": __import__("startup").figure_startup,
    "export_10k_events": __import__("export").figure_export,
    "search_1000_retros": __import__("search").figure_search,
    "search_index_import_upkeep": __import__("search").figure_import_upkeep,
    "trends_1000_retros": __import__("trends").figure_trends,
    "meeting_10k_events": __import__("meeting").figure_meeting,
    "note_saved_to_shown": __import__("meeting").figure_note,
    "two_terminals_10k_events": __import__("two_terminals").figure_two_terminals,
    "pg_edit_commit": __import__("postgres").figure_pg_edit,
    "concurrent_writers_4x500": __import__("postgres").figure_concurrent_writers,
    "copy_100_retros_to_pg": __import__("postgres").figure_copy,
}


def main(argv: list[str]) -> int:
    """`bench/run.py [NAME ...]` runs the named figures, or all of them."""
    chosen = argv or list(FIGURES)
    unknown = [name for name in chosen if name not in FIGURES]
    if unknown:
        print(
            f"unknown figure(s): {', '.join(unknown)}; known: {', '.join(FIGURES)}", file=sys.stderr
        )
        return 2
    json.dump({name: FIGURES[name]() for name in chosen}, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
