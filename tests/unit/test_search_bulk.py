"""A bulk timeline import indexes its rows at the end (store.search.bulk_indexing) and
search then finds exactly what the per-row triggers would have made findable."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from retrotui.models import Retrospective, TimelineEvent, new_ids
from retrotui.services.search import search
from retrotui.services.timeline_import import commit_timeline, preview_timeline
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store, insert_rows
from retrotui.store.search import bulk_indexing

QUERIES = ["deploy", "rollback cache", '"cache miss"', "roll*", "pager OR gateway", "line 7"]
WORDS = ["deploy", "rollback", "cache", "miss", "gateway", "pager", "line", "ok"]


def _events(retro_id: str, count: int) -> list[dict[str, object]]:
    start = datetime(2026, 5, 14, 7, tzinfo=UTC)
    return [
        {
            "id": event_id,
            "retro_id": retro_id,
            "position": n,
            "time": start + timedelta(seconds=n),
            "text": f"line {n} {WORDS[n % 8]} {WORDS[(n * 3) % 8]} {WORDS[(n * 5) % 7]}",
            "kind": "note",
            "actor": "pager" if n % 5 == 0 else "Ana",
            "created_at": start,
            "updated_at": start,
            "source": "manual",
            "key": False,
        }
        for n, event_id in enumerate(new_ids(count))
    ]


def _fill(path: Path, events: list[dict[str, object]], *, bulk: bool) -> Store:
    store = Store.open(url_for_path(path))
    store.add(Retrospective(id="r1", title="Gateway deploy went wrong"))
    with store.writing() as session:
        if bulk:
            with bulk_indexing(session.connection(), "timeline_event"):
                insert_rows(session, TimelineEvent, events)
        else:
            insert_rows(session, TimelineEvent, events)
    return store


def _index(store: Store) -> list[tuple[object, ...]]:
    with store.engine.connect() as conn:
        conn.exec_driver_sql("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')")
        return list(conn.exec_driver_sql("SELECT * FROM search_doc ORDER BY id").all())


def test_bulk_indexing_gives_the_same_index_and_results(tmp_path: Path) -> None:
    events = _events("r1", 3000)
    triggered = _fill(tmp_path / "rows.db", events, bulk=False)
    bulk = _fill(tmp_path / "bulk.db", events, bulk=True)
    try:
        assert _index(bulk) == _index(triggered)
        for query in QUERIES:
            assert search(bulk, query, limit=50) == search(triggered, query, limit=50), query
            assert search(bulk, query)
    finally:
        triggered.close()
        bulk.close()


def test_edits_after_a_bulk_import_still_reach_the_index(tmp_path: Path) -> None:
    store = _fill(tmp_path / "bulk.db", _events("r1", 20), bulk=True)
    try:
        later = store.add(
            TimelineEvent(retro_id="r1", time=datetime.now(UTC), text="zebra stampede")
        )
        assert [r.record_id for r in search(store, "zebra")] == [later.id]
        store.update(TimelineEvent, later.id, text="okapi")
        assert search(store, "zebra") == [] and len(search(store, "okapi")) == 1
        _index(store)
    finally:
        store.close()


def test_a_failed_bulk_import_leaves_the_index_and_its_triggers(tmp_path: Path) -> None:
    store = _fill(tmp_path / "t.db", [], bulk=False)
    try:
        with (
            pytest.raises(RuntimeError),
            store.writing() as session,
            bulk_indexing(session.connection(), "timeline_event"),
        ):
            insert_rows(session, TimelineEvent, _events("r1", 10))
            raise RuntimeError("disk gone")
        assert search(store, "line") == []
        store.add(TimelineEvent(retro_id="r1", time=datetime.now(UTC), text="line kept"))
        assert len(search(store, "line")) == 1
    finally:
        store.close()


def test_a_csv_import_is_searchable_at_once(tmp_path: Path) -> None:
    """The user's way: `retrotui import timeline.csv`, then search it."""
    path = tmp_path / "timeline.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["time", "text", "actor"])
        for n in range(2000):
            writer.writerow([f"2026-05-14T07:{n // 60 % 60:02d}:{n % 60:02d}Z", f"step {n}", "bot"])
        writer.writerow(["2026-05-14T09:00:00Z", "Certificate expired on the gateway", "Ana"])
    store = Store.open(url_for_path(tmp_path / "t.db"))
    try:
        result = commit_timeline(store, preview_timeline(store, path), title="Imported")
        (hit,) = search(store, "certificate gateway")
        assert hit.retro_id == result.retro_id and hit.kind == "event"
        assert len(search(store, "step", limit=500)) == 500
        _index(store)
    finally:
        store.close()


def test_the_import_cache_is_given_back(tmp_path: Path) -> None:
    """The bigger page cache of a bulk import is for that import only: the connection goes
    back to the pool with its own setting."""
    store = Store.open(url_for_path(tmp_path / "t.db"))
    try:
        with store.engine.connect() as conn:
            before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
        path = tmp_path / "timeline.csv"
        path.write_text("time,text\n2026-05-14T07:00:00Z,one\n2026-05-14T07:00:01Z,two\n")
        commit_timeline(store, preview_timeline(store, path), title="Imported")
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == before
    finally:
        store.close()
