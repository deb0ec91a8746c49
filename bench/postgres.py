"""PostgreSQL figures (issue #13): one committed edit, four concurrent writers, and
`retrotui copy` of 100 retrospectives from SQLite.

They need a server: run `RETROTUI_PG_FSYNC=on .ci/with-postgres make bench` (fsync on, so
commits are as durable as a real server's). Without $RETROTUI_TEST_PG_URL each figure says
it was skipped.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from retrotui.models import Note, Retrospective, TimelineEvent, new_ids
from retrotui.store.copying import copy_retrospectives
from retrotui.store.engine import url_for_path
from retrotui.store.errors import DatabaseBusyError
from retrotui.store.repository import Store, insert_rows

PG_URL_ENV = "RETROTUI_TEST_PG_URL"
EDITS = 1000


def _ms(samples: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return {"median_ms": round(statistics.median(ms), 3), "p99_ms": round(p99, 3)}


@contextmanager
def _database() -> Iterator[str | None]:
    """A fresh database on the server of $RETROTUI_TEST_PG_URL, dropped afterwards."""
    server = os.environ.get(PG_URL_ENV)
    if not server:
        yield None
        return
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    name = f"bench_{os.getpid()}_{time.monotonic_ns()}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


SKIPPED = {"skipped": f"${PG_URL_ENV} is not set (run through .ci/with-postgres)"}


def figure_pg_edit() -> dict[str, object]:
    """One committed note edit through the Store on PostgreSQL, against raw psycopg."""
    with _database() as url:
        if url is None:
            return SKIPPED
        import psycopg

        store = Store.open(url)
        retro = store.add(Retrospective(title="bench"))
        note = store.add(Note(retro_id=retro.id, text=""))
        raw = psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(False))
        raw.execute("CREATE TABLE raw_note (id text PRIMARY KEY, text text, updated_at timestamp)")
        raw.execute("INSERT INTO raw_note VALUES ('n', '', now())")
        raw.commit()
        store_s: list[float] = []
        raw_s: list[float] = []
        for n in range(EDITS):  # interleaved, so machine noise hits both
            start = time.perf_counter()
            store.update(Note, note.id, text=f"edit {n}")
            store_s.append(time.perf_counter() - start)
            start = time.perf_counter()
            raw.execute("UPDATE raw_note SET text = %s, updated_at = now() WHERE id = 'n'", [n])
            raw.commit()
            raw_s.append(time.perf_counter() - start)
        raw.close()
        store.close()
    mine, base = _ms(store_s), _ms(raw_s)
    return {
        **mine,
        "baseline": {"name": "raw psycopg UPDATE+COMMIT", **base},
        "edits": EDITS,
        "goal": "p99 <= 5 ms",
    }


def _writers(url: str, writers: int = 4, notes: int = 500) -> dict[str, object]:
    setup = Store.open(url)
    retro = setup.add(Retrospective(title="shared"))
    failures: list[str] = []
    retries = Counter[int]()
    gate = threading.Barrier(writers)

    def write(index: int) -> None:
        store = Store.open(url)
        gate.wait()
        try:
            for n in range(notes):
                while True:
                    try:
                        store.add(Note(retro_id=retro.id, text=f"{index}-{n}"))
                        break
                    except DatabaseBusyError:
                        retries[index] += 1  # the app's autosave retries these too
        except Exception as exc:
            failures.append(repr(exc))
        finally:
            store.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start
    stored = setup.children(Note, retro.id)
    setup.close()
    positions = Counter(n.position for n in stored)
    return {
        "written": writers * notes,
        "lost": writers * notes - len({n.text for n in stored}),
        "duplicate_positions": sum(c - 1 for c in positions.values() if c > 1),
        "busy_retries": sum(retries.values()),
        "failures": failures,
        "seconds": round(seconds, 2),
    }


def figure_concurrent_writers() -> dict[str, object]:
    """4 writers x 500 notes into one retrospective at once, on each engine."""
    with tempfile.TemporaryDirectory() as tmp:
        result: dict[str, object] = {"sqlite": _writers(url_for_path(Path(tmp) / "w.db"))}
    with _database() as url:
        result["postgresql"] = SKIPPED if url is None else _writers(url)
    result["goal"] = "0 lost, 0 duplicate positions on both engines"
    return result


def _fill(store: Store, retros: int = 100, events: int = 10_000) -> None:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    per = events // retros
    for r in range(retros):
        retro = store.add(Retrospective(title=f"retro {r}", incident_ref=f"INC-{r}"))
        ids = new_ids(per)
        rows = [
            {
                "id": ids[n],
                "doc_id": None,
                "created_at": base,
                "updated_at": base,
                "retro_id": retro.id,
                "position": n,
                "time": base + timedelta(minutes=n),
                "time_offset": 60,
                "text": f"event {n} of retro {r}: something happened to the service",
                "kind": "action",
                "actor": f"person {n % 7}",
                "source": "manual",
                "key": n % 10 == 0,
            }
            for n in range(per)
        ]
        with store.writing() as session:
            insert_rows(session, TimelineEvent, rows)


def _plain_insert(source: Store, destination: Store) -> None:
    """The floor for a copy: every row of both tables read and inserted, nothing compared."""
    tables = [Retrospective.__table__, TimelineEvent.__table__]  # type: ignore[attr-defined]
    with source.engine.connect() as src:
        rows = {t.name: [dict(r._mapping) for r in src.execute(sa.select(t))] for t in tables}
    with destination.writing() as session:
        for table in tables:
            session.connection().execute(sa.insert(table), rows[table.name])


def figure_copy() -> dict[str, object]:
    """`retrotui copy` of 100 retrospectives (10,000 events) from SQLite to PostgreSQL,
    then again (nothing to change)."""
    with _database() as url, tempfile.TemporaryDirectory() as tmp:
        if url is None:
            return SKIPPED
        source = Store.open(url_for_path(Path(tmp) / "laptop.db"))
        _fill(source)
        destination = Store.open(url)

        def timed(action: Callable[[], object]) -> float:
            start = time.perf_counter()
            action()
            return time.perf_counter() - start

        first = timed(lambda: copy_retrospectives(source, destination))
        second = timed(lambda: copy_retrospectives(source, destination))
        destination.close()
        with _database() as plain_url:
            assert plain_url is not None
            plain = Store.open(plain_url)
            baseline = timed(lambda: _plain_insert(source, plain))
            plain.close()
        source.close()
    return {
        "first_copy_s": round(first, 3),
        "second_copy_s": round(second, 3),
        "baseline": {
            "name": "the same rows read and bulk-inserted into an empty database, no merging",
            "seconds": round(baseline, 3),
        },
        "ratio_first_copy": round(first / baseline, 2),
        "retros": 100,
        "events": 10_000,
        "goal": "<= 5 s",
    }
