"""Import figure: a 100,000-line timeline CSV through `preview_timeline` + `commit_timeline`
(parse, duplicate check, one transaction of Core inserts), against a same-run baseline of
raw sqlite3 `executemany` of the same rows with the same pragmas."""

from __future__ import annotations

import csv
import sqlite3
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from retrotui.services.timeline_import import commit_timeline, preview_timeline
from retrotui.store.engine import BUSY_TIMEOUT_MS, url_for_path
from retrotui.store.repository import Store

LINES = 100_000
ROUNDS = 3


def write_csv(path: Path) -> None:
    start = datetime(2026, 5, 14, 7, 0, tzinfo=UTC)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["time", "text", "kind", "actor", "key"])
        for n in range(LINES):
            when = (start + timedelta(seconds=n)).isoformat().replace("+00:00", "Z")
            writer.writerow([when, f"Log line {n}: p99 {n % 997} ms", "note", "pager", ""])


def retrotui_import(csv_path: Path, db_path: Path) -> float:
    store = Store.open(url_for_path(db_path))
    begin = time.perf_counter()
    preview = preview_timeline(store, csv_path)
    commit_timeline(store, preview, title="bench")
    elapsed = time.perf_counter() - begin
    store.close()
    return elapsed


def raw_import(csv_path: Path, db_path: Path) -> float:
    """The floor: read the CSV and executemany into a plain table, one transaction."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    for pragma in (
        f"busy_timeout = {BUSY_TIMEOUT_MS}",
        "journal_mode = WAL",
        "synchronous = FULL",
    ):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute(
        "CREATE TABLE timeline_event (id TEXT PRIMARY KEY, retro_id TEXT, position INT, "
        "time TEXT, text TEXT, kind TEXT, actor TEXT, key INT)"
    )
    begin = time.perf_counter()
    with csv_path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = [
            (str(uuid.uuid4()), "r", n, when, text, kind, actor, key == "true")
            for n, (when, text, kind, actor, key) in enumerate(reader)
        ]
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO timeline_event VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - begin
    conn.close()
    return elapsed


def figure_csv_import() -> dict[str, object]:
    """Seconds to import a 100,000-line CSV timeline, against raw sqlite3 executemany."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "timeline.csv"
        write_csv(csv_path)
        ours: list[float] = []
        raw: list[float] = []
        for round_no in range(ROUNDS):
            raw.append(raw_import(csv_path, folder / f"raw{round_no}.db"))
            ours.append(retrotui_import(csv_path, folder / f"ours{round_no}.db"))
    best, floor = min(ours), min(raw)
    return {
        "lines": LINES,
        "best_s": round(best, 3),
        "runs_s": [round(s, 3) for s in ours],
        "baseline": {"name": "raw sqlite3 csv.reader + executemany", "best_s": round(floor, 3)},
        "ratio": round(best / floor, 2),
        "goal": "<= 3 s",
    }
