"""Databases for the benchmarks: a big retrospective, a small one, many retrospectives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from retrotui.models import ActionItem, EventKind, Note, NoteKind, Retrospective, TimelineEvent
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store, insert_rows


def make_retro(store: Store, ref: str, events: int, notes: int, actions: int) -> str:
    """A retrospective of `events` timeline events (one a second), `notes` notes spread over
    them and `actions` action items; its id."""
    retro = store.add(Retrospective(title=f"Bench {ref}", incident_ref=ref, summary="s"))
    start = datetime(2026, 5, 14, tzinfo=UTC)
    with store.writing() as session:
        event_rows = [
            TimelineEvent(
                retro_id=retro.id,
                time=start + timedelta(seconds=n),
                position=n,
                text=f"Line {n} | with `code` and <b>",
                kind=EventKind.ACTION,
                actor="pager",
            )
            for n in range(events)
        ]
        insert_rows(session, TimelineEvent, [e.model_dump() for e in event_rows])
        insert_rows(
            session,
            Note,
            [
                Note(
                    retro_id=retro.id,
                    event_id=event_rows[n % events].id,
                    position=n,
                    text=f"Note {n} # not a heading",
                    kind=NoteKind.WENT_WRONG,
                ).model_dump()
                for n in range(notes)
            ],
        )
        insert_rows(
            session,
            ActionItem,
            [
                ActionItem(
                    retro_id=retro.id, position=n, title=f"Action {n}", owner="Team"
                ).model_dump()
                for n in range(actions)
            ],
        )
    return retro.id


def meeting_db(path: Path) -> tuple[str, str]:
    """A database with a 10,000-event retrospective (2,000 notes, 200 actions) and a
    10-event one; their ids. Both open on the timeline stage."""
    store = Store.open(url_for_path(path))
    try:
        big = make_retro(store, "BIG", 10_000, 2_000, 200)
        small = make_retro(store, "SMALL", 10, 2, 2)
        for retro_id in (big, small):
            store.update(Retrospective, retro_id, current_stage=2)
    finally:
        store.close()
    return big, small


def many_retros_db(path: Path, count: int) -> str:
    """A database of `count` retrospectives with a few actions each; the newest title."""
    store = Store.open(url_for_path(path))
    try:
        base = datetime(2026, 1, 1, tzinfo=UTC)
        retros = [
            Retrospective(
                title=f"Retro number {n:04d} about a thing",
                incident_ref=f"INC-{n:04d}",
                created_at=base + timedelta(hours=n),
                updated_at=base + timedelta(hours=n),
            )
            for n in range(count)
        ]
        with store.writing() as session:
            insert_rows(session, Retrospective, [r.model_dump() for r in retros])
            insert_rows(
                session,
                ActionItem,
                [
                    ActionItem(retro_id=r.id, position=0, title="Do it", owner="A").model_dump()
                    for r in retros[::3]
                ],
            )
    finally:
        store.close()
    return retros[-1].title


def rewind(path: Path) -> None:
    """Put every meeting back on its first event (where a fresh open starts)."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE retrospective SET current_event_id = NULL")
    conn.close()
