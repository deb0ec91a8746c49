"""Many users of one database at once, on each engine: first use, and writers adding
records to one retrospective side by side."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

from retrotui.models import Note, Retrospective, TimelineEvent
from retrotui.store.errors import DatabaseBusyError
from retrotui.store.migrations import SCHEMA_VERSION, read_schema_version
from retrotui.store.repository import Store


def _all_at_once(count: int, work: Callable[[int], None]) -> list[str]:
    """Run `work(i)` in `count` threads released together; the failures, as text."""
    start = threading.Barrier(count)
    failures: list[str] = []

    def run(index: int) -> None:
        try:
            start.wait(timeout=60)
            work(index)
        except Exception as exc:
            failures.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return failures


def _patiently(write: Callable[[], object]) -> None:
    """Retry a write that found the database busy past the timeout, as the app's autosave
    does: on a loaded machine SQLite's busy handler can starve one writer for a while."""
    for _ in range(20):
        try:
            write()
            return
        except DatabaseBusyError:
            continue
    write()


def test_twenty_first_users_at_once_all_get_the_schema(db_url: str) -> None:
    """Twenty processes opening an empty database at the same moment: the first creates
    the schema and the others wait for it; nobody fails."""

    def first_use(index: int) -> None:
        store = Store.open(db_url)
        try:
            store.add(Retrospective(title=f"user {index}"))
        finally:
            store.close()

    assert _all_at_once(20, first_use) == []
    store = Store.open(db_url)
    try:
        assert len(store.retrospectives()) == 20
        with store.engine.connect() as conn:
            assert read_schema_version(conn) == SCHEMA_VERSION
    finally:
        store.close()


def test_concurrent_writers_lose_nothing_and_share_no_position(db_url: str) -> None:
    """Four people adding notes to one retrospective at once: every note is kept, and
    each has a position of its own (entry order stays a total order)."""
    writers, per_writer = 4, 100
    setup = Store.open(db_url)
    retro = setup.add(Retrospective(title="shared"))

    def write(index: int) -> None:
        store = Store.open(db_url)
        try:
            for n in range(per_writer):
                _patiently(lambda n=n: store.add(Note(retro_id=retro.id, text=f"{index}-{n}")))
        finally:
            store.close()

    try:
        assert _all_at_once(writers, write) == []
        notes = setup.children(Note, retro.id)
        assert len(notes) == writers * per_writer
        assert {n.text for n in notes} == {f"{i}-{n}" for i in range(writers) for n in range(100)}
        duplicates = {p: c for p, c in Counter(n.position for n in notes).items() if c > 1}
        assert duplicates == {}
        # Each writer's own notes stay in the order that writer entered them.
        for index in range(writers):
            mine = [int(n.text.split("-")[1]) for n in notes if n.text.startswith(f"{index}-")]
            assert mine == sorted(mine)
    finally:
        setup.close()


def test_concurrent_bulk_adds_share_no_position(db_url: str) -> None:
    """Several records added in one transaction (a pasted list) next to single adds."""
    setup = Store.open(db_url)
    retro = setup.add(Retrospective(title="shared"))
    now = datetime.now(UTC)

    def write(index: int) -> None:
        store = Store.open(db_url)
        try:
            for n in range(20):
                batch = [
                    TimelineEvent(retro_id=retro.id, time=now, text=f"{index}-{n}-{k}")
                    for k in range(3)
                ]
                _patiently(lambda batch=batch: store.add_all(batch))
        finally:
            store.close()

    try:
        assert _all_at_once(3, write) == []
        events = setup.children(TimelineEvent, retro.id)
        assert len(events) == 3 * 20 * 3
        assert len({e.position for e in events}) == len(events)
    finally:
        setup.close()
