"""Search figures (issue #16): queries over 1,000 retrospectives holding 100,000 timeline
events and 20,000 notes (p95 of the whole `services.search.search` call), and what the
index's triggers add to a 100,000-line CSV import (the same import with them dropped, in
the same run)."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from retrotui.models import Note, Retrospective, TimelineEvent, new_ids
from retrotui.services.search import search
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store, insert_rows

RETROS, EVENTS_PER, NOTES_PER = 1000, 100, 20
QUERIES = 200
COMMON = [
    "the",
    "a",
    "to",
    "of",
    "and",
    "in",
    "on",
    "was",
    "for",
    "with",
    "is",
    "at",
    "by",
    "after",
    "before",
    "then",
]
TECH = [
    "deploy",
    "rollback",
    "certificate",
    "database",
    "replica",
    "failover",
    "cache",
    "redis",
    "kafka",
    "queue",
    "latency",
    "timeout",
    "dns",
    "gateway",
    "loadbalancer",
    "config",
    "flag",
    "canary",
    "pager",
    "alert",
    "dashboard",
    "disk",
    "memory",
    "cpu",
    "quota",
    "throttle",
    "retry",
    "migration",
    "index",
    "schema",
    "backup",
    "restore",
    "vault",
    "token",
    "expired",
    "leader",
    "election",
    "partition",
    "network",
    "packet",
    "loss",
    "tls",
    "proxy",
    "ingress",
    "pod",
    "node",
    "cluster",
    "autoscaler",
    "cron",
    "batch",
    "pipeline",
    "consumer",
    "lag",
    "offset",
    "checkout",
    "payment",
]


def _text(rng: random.Random, words: int) -> str:
    vocab = [*COMMON, *COMMON, *TECH, *(f"svc{n}" for n in range(500))]
    return " ".join(rng.choice(vocab) for _ in range(words))


def build(path: Path) -> Store:
    store = Store.open(url_for_path(path))
    rng = random.Random(16)
    start = datetime(2025, 1, 1, tzinfo=UTC)
    retro_ids = new_ids(RETROS)
    now = datetime.now(UTC)
    retros = [
        {
            "id": rid,
            "created_at": now,
            "updated_at": now,
            "title": _text(rng, 6),
            "incident_ref": f"INC-{n}",
            "status": "published",
            "template": "standard",
            "summary": _text(rng, 40),
            "impact": _text(rng, 20),
            "current_stage": 2,
        }
        for n, rid in enumerate(retro_ids)
    ]
    events, notes = [], []
    for n, rid in enumerate(retro_ids):
        base = start + timedelta(days=n / 3)
        for e, eid in enumerate(new_ids(EVENTS_PER)):
            events.append(
                {
                    "id": eid,
                    "created_at": now,
                    "updated_at": now,
                    "retro_id": rid,
                    "position": e,
                    "time": base + timedelta(minutes=e),
                    "text": _text(rng, 10),
                    "kind": "note",
                    "actor": rng.choice(["pager", "Ana", "Ben", "deploy bot"]),
                    "source": "bench",
                    "key": False,
                }
            )
        for k, nid in enumerate(new_ids(NOTES_PER)):
            notes.append(
                {
                    "id": nid,
                    "created_at": now,
                    "updated_at": now,
                    "retro_id": rid,
                    "position": k,
                    "text": _text(rng, 15),
                    "kind": "observation",
                    "author": "Ana",
                }
            )
    with store.writing() as session:
        insert_rows(session, Retrospective, retros)
        insert_rows(session, TimelineEvent, events)
        insert_rows(session, Note, notes)
    return store


def queries(rng: random.Random) -> list[str]:
    shapes = [
        lambda: rng.choice(TECH),
        lambda: f"{rng.choice(TECH)} {rng.choice(TECH)}",
        lambda: f'"{rng.choice(TECH)} {rng.choice(TECH)}"',
        lambda: rng.choice(TECH)[:4] + "*",
        lambda: f"svc{rng.randrange(500)}",
        lambda: f"{rng.choice(TECH)} OR svc{rng.randrange(500)}",
        lambda: "the",
    ]
    return [rng.choice(shapes)() for _ in range(QUERIES)]


def figure_search() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        store = build(Path(tmp) / "search.db")
        rng = random.Random(7)
        asked = queries(rng)
        search(store, "warm up")
        samples = []
        for text in asked:
            begin = time.perf_counter()
            search(store, text)
            samples.append((time.perf_counter() - begin) * 1000)
        store.close()
    ordered = sorted(samples)
    worst = max(zip(samples, asked, strict=True))
    return {
        "retros": RETROS,
        "events": RETROS * EVENTS_PER,
        "notes": RETROS * NOTES_PER,
        "queries": QUERIES,
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(ordered[round(0.95 * (len(ordered) - 1))], 2),
        "max_ms": round(worst[0], 2),
        "slowest_query": worst[1],
        "goal": "p95 <= 50 ms",
    }


def figure_import_upkeep() -> dict[str, object]:
    """Best of 3 of the 100,000-line CSV import with the index kept (bulk indexing at the
    end of the import, store.search.bulk_indexing) and with the index's triggers dropped
    (nothing indexed)."""
    from imports import LINES, write_csv  # bench/ is sys.path[0]
    from retrotui.services.timeline_import import commit_timeline, preview_timeline

    def once(csv_path: Path, db_path: Path, *, index: bool) -> float:
        store = Store.open(url_for_path(db_path))
        if not index:
            with store.engine.begin() as conn:
                names = conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search%'"
                ).all()
                for (name,) in names:
                    conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
        begin = time.perf_counter()
        commit_timeline(store, preview_timeline(store, csv_path), title="bench")
        elapsed = time.perf_counter() - begin
        store.close()
        return elapsed

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        csv_path = folder / "timeline.csv"
        write_csv(csv_path)
        with_index, without = [], []
        for n in range(3):
            without.append(once(csv_path, folder / f"plain{n}.db", index=False))
            with_index.append(once(csv_path, folder / f"indexed{n}.db", index=True))
    best, floor = min(with_index), min(without)
    return {
        "lines": LINES,
        "with_index_s": [round(s, 3) for s in with_index],
        "without_index_s": [round(s, 3) for s in without],
        "added": f"{(best / floor - 1) * 100:.1f}%",
        "goal": "<= 20% added",
    }


if __name__ == "__main__":
    import json

    print(
        json.dumps({"search": figure_search(), "import_upkeep": figure_import_upkeep()}, indent=2)
    )
