"""The store: every edit durable at once, settings that keep data safe, two processes."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from retrotui.models import ActionItem, Note, Retrospective, TimelineEvent
from retrotui.store import errors
from retrotui.store.repository import Store


def _raw(url: str, sql: str, **params: object) -> list[sa.Row[tuple[object, ...]]]:
    """Run SQL on a connection of its own, as another program would, and commit."""
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.begin() as conn:
            result = conn.execute(sa.text(sql), params)
            return list(result) if result.returns_rows else []
    finally:
        engine.dispose()


def _raw_count(url: str, table: str) -> int:
    return int(_raw(url, f"SELECT count(*) FROM {table}")[0][0])


def test_each_edit_is_visible_to_another_connection_at_once(store: Store, db_url: str) -> None:
    """A write is committed before the call returns: a second reader sees it."""
    retro = store.add(Retrospective(title="Outage"))
    assert _raw_count(db_url, "retrospective") == 1
    store.update(Retrospective, retro.id, summary="DNS broke")
    assert _raw(db_url, "SELECT summary FROM retrospective")[0][0] == "DNS broke"


def test_safety_pragmas_are_on(sqlite_store: Store) -> None:
    """WAL, synchronous=FULL, foreign keys and a busy timeout on every connection."""
    with sqlite_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_times_come_back_aware_and_in_utc(store: Store) -> None:
    """An instant stored with an offset reads back as the same instant, aware."""
    retro = store.add(Retrospective(title="t"))
    local = datetime.fromisoformat("2026-05-14T09:12:00+02:00")
    event = store.add(TimelineEvent(retro_id=retro.id, time=local, time_offset=120, text="x"))
    (loaded,) = store.children(TimelineEvent, retro.id)
    assert loaded.id == event.id
    assert loaded.time == local
    assert loaded.time.tzinfo is UTC


def test_times_written_by_other_tools_still_read_back(store: Store, db_url: str) -> None:
    """Stored text in any ISO form (another tool, a hand fix in sqlite3) reads back as the
    instant it names, aware, not only the exact form retrotui writes."""
    retro = store.add(Retrospective(title="t"))
    precise = datetime(2026, 5, 14, 7, 12, 30, 123456, tzinfo=UTC)
    event = store.add(TimelineEvent(retro_id=retro.id, time=precise, text="x"))
    (loaded,) = store.children(TimelineEvent, retro.id)
    assert loaded.time == precise
    _raw(db_url, "UPDATE timeline_event SET time = '2026-05-14 07:12:30' WHERE id = :i", i=event.id)
    (loaded,) = store.children(TimelineEvent, retro.id)
    assert loaded.time == datetime(2026, 5, 14, 7, 12, 30, tzinfo=UTC)
    assert loaded.time.tzinfo is UTC


def test_events_at_the_same_instant_keep_entry_order(store: Store) -> None:
    """Ties in time are ordered as they were entered."""
    retro = store.add(Retrospective(title="t"))
    same = datetime(2026, 1, 1, tzinfo=UTC)
    for text in ("first", "second", "third"):
        store.add(TimelineEvent(retro_id=retro.id, time=same, text=text))
    store.add(TimelineEvent(retro_id=retro.id, time=datetime(2025, 1, 1, tzinfo=UTC), text="0"))
    assert [e.text for e in store.children(TimelineEvent, retro.id)] == [
        "0",
        "first",
        "second",
        "third",
    ]


def test_deleting_a_retrospective_deletes_what_it_holds(store: Store, db_url: str) -> None:
    """No orphans: foreign keys cascade."""
    retro = store.add(Retrospective(title="t"))
    event = store.add(TimelineEvent(retro_id=retro.id, time=datetime.now(UTC), text="e"))
    store.add(Note(retro_id=retro.id, event_id=event.id, text="n"))
    store.add(ActionItem(retro_id=retro.id, title="a"))
    store.delete(Retrospective, retro.id)
    for table in ("timeline_event", "note", "action_item"):
        assert _raw_count(db_url, table) == 0


def test_deleting_an_event_keeps_its_notes(store: Store) -> None:
    """A note outlives the event it pointed at (it is detached, not lost)."""
    retro = store.add(Retrospective(title="t"))
    event = store.add(TimelineEvent(retro_id=retro.id, time=datetime.now(UTC), text="e"))
    note = store.add(Note(retro_id=retro.id, event_id=event.id, text="keep me"))
    store.delete(TimelineEvent, event.id)
    assert store.get(Note, note.id).event_id is None


def test_unknown_record_is_a_clear_error(store: Store) -> None:
    """Updating something that is gone names what was missing."""
    with pytest.raises(errors.NotFoundError, match="No action item"):
        store.update(ActionItem, "nope", title="x")


def _hammer(url: str, label: str, count: int, queue: multiprocessing.Queue[str]) -> None:
    try:
        worker = Store.open(url)
        (retro,) = [r for r, _ in worker.retrospectives()]
        for n in range(count):
            worker.add(TimelineEvent(retro_id=retro.id, time=datetime.now(UTC), text=f"{label}{n}"))
            worker.children(TimelineEvent, retro.id)[-1:]  # interleave reads with writes
        queue.put("ok")
    except Exception as exc:  # reported to the parent, which fails the test
        queue.put(f"{type(exc).__name__}: {exc}")


def test_two_processes_write_at_once_without_locking_errors(store: Store, db_url: str) -> None:
    """Moderator and note-taker on one file never see 'database is locked'."""
    retro = store.add(Retrospective(title="shared"))
    ctx = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[str] = ctx.Queue()
    procs = [ctx.Process(target=_hammer, args=(db_url, x, 150, queue)) for x in "ab"]
    for proc in procs:
        proc.start()
    results = [queue.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)
    assert results == ["ok", "ok"]
    assert len(store.children(TimelineEvent, retro.id)) == 300


def test_bulk_ids_are_distinct_version_4_uuids() -> None:
    """Ids made in bulk for imports are real, distinct random UUIDs."""
    import uuid

    from retrotui.models import new_ids

    ids = new_ids(2000)
    assert len(set(ids)) == 2000
    assert all(uuid.UUID(value).version == 4 and str(uuid.UUID(value)) == value for value in ids)
