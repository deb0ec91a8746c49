"""Export figures: a retrospective of 10,000 events, 2,000 notes and 200 actions.

- the export function (`services.export.markdown_export`) on the bundle loaded from the
  database, against the same call on a 10-event retrospective;
- the whole `retrotui export` process, against the same command on the 10-event one.
Budget (issue #5): ≤ 200 ms for the function, process ≤ 1.5x the small one.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from data import make_retro
from retrotui.services.export import markdown_export
from retrotui.services.retros import load_bundle
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store

ROUNDS = 5


def _median_ms(action: object, rounds: int = ROUNDS) -> float:
    samples = []
    for _ in range(rounds):
        begin = time.perf_counter()
        action()  # type: ignore[operator]
        samples.append(time.perf_counter() - begin)
    return statistics.median(samples) * 1000


def figure_export() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "export.db"
        store = Store.open(url_for_path(db))
        big = make_retro(store, "BIG", 10_000, 2_000, 200)
        small = make_retro(store, "SMALL", 10, 2, 2)
        big_bundle, small_bundle = load_bundle(store, big), load_bundle(store, small)
        store.close()
        function_big = _median_ms(lambda: markdown_export(big_bundle))
        function_small = _median_ms(lambda: markdown_export(small_bundle))

        def run(ref: str) -> None:
            subprocess.run(
                [sys.executable, "-m", "retrotui", "--db", str(db), "export", ref],
                check=True,
                capture_output=True,
            )

        process_big: list[float] = []
        process_small: list[float] = []
        for _ in range(ROUNDS):  # alternate so machine noise hits both alike
            process_big.append(_median_ms(lambda: run("BIG"), 1))
            process_small.append(_median_ms(lambda: run("SMALL"), 1))
    big_ms, small_ms = statistics.median(process_big), statistics.median(process_small)
    return {
        "function_ms": round(function_big, 1),
        "function_baseline_10_events_ms": round(function_small, 2),
        "process_ms": round(big_ms, 1),
        "baseline": {
            "name": "retrotui export of a 10-event retrospective",
            "median_ms": round(small_ms, 1),
        },
        "process_ratio": round(big_ms / small_ms, 2),
        "goal": "function <= 200 ms; process <= 1.5x the 10-event export",
    }
