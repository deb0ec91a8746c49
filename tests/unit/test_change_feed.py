"""The change feed on each engine: another process's change is read back as exactly the
records it touched, in one transaction, and nothing is read when nobody committed."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from retrotui.models import Note, TimelineEvent
from retrotui.services.changes import FeedUpdate, open_view, read_feed
from retrotui.services.meeting import add_event, add_note, update_event, update_note
from retrotui.services.retros import create_retrospective, delete_retrospective
from retrotui.store.changes import Change, Cursor
from retrotui.store.repository import Store

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def two(db_url: str) -> Iterator[tuple[Store, Store]]:
    mine, theirs = Store.open(db_url), Store.open(db_url)
    yield mine, theirs
    mine.close()
    theirs.close()


def _never(_change: Change) -> bool:
    return False


class Statements:
    """The SQL a store runs, as it runs it."""

    def __init__(self, store: Store) -> None:
        self.seen: list[str] = []
        self.before: Callable[[str], None] | None = None
        sa.event.listen(store.engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.seen.append(statement)
        if self.before is not None:
            self.before(statement)

    def reading(self, table: str) -> list[str]:
        return [s for s in self.seen if s.lstrip().upper().startswith("SELECT") and table in s]


def _records(update: FeedUpdate, table: str) -> dict[str, Any]:
    return update.records.get(table, {})


def test_another_process_change_is_read_as_the_records_it_touched(
    two: tuple[Store, Store],
) -> None:
    mine, theirs = two
    retro = create_retrospective(mine, "Feed")
    event = add_event(mine, retro.id, time=T0, text="first")
    _fields, cursor = open_view(mine, retro.id)
    statements = Statements(mine)

    note = add_note(theirs, retro.id, text="from the other terminal", event_id=event.id)
    update = read_feed(mine, retro.id, cursor, _never)

    assert list(_records(update, "note")) == [note.id]
    assert _records(update, "note")[note.id].text == "from the other terminal"
    assert "timeline_event" not in update.records  # the event itself was not touched
    assert not statements.reading("FROM timeline_event")

    update_note(theirs, note.id, text="edited")
    update_event(theirs, event.id, text="moved")
    later = read_feed(mine, retro.id, update.cursor, _never)
    assert _records(later, "note")[note.id].text == "edited"
    assert _records(later, "timeline_event")[event.id].text == "moved"
    assert read_feed(mine, retro.id, later.cursor, _never).empty


def test_a_record_this_view_saved_itself_is_not_read_back(two: tuple[Store, Store]) -> None:
    mine, _theirs = two
    retro = create_retrospective(mine, "Feed")
    _fields, cursor = open_view(mine, retro.id)
    note = add_note(mine, retro.id, text="mine")
    statements = Statements(mine)

    update = read_feed(mine, retro.id, cursor, lambda c: c.record_id == note.id)

    assert "note" not in update.records
    assert not statements.reading("FROM note")


def test_deletes_are_reported_and_a_deleted_retrospective_says_so(
    two: tuple[Store, Store],
) -> None:
    mine, theirs = two
    retro = create_retrospective(mine, "Feed")
    note = add_note(mine, retro.id, text="going")
    _fields, cursor = open_view(mine, retro.id)
    theirs.delete(Note, note.id)
    update = read_feed(mine, retro.id, cursor, _never)
    assert _records(update, "note") == {note.id: None}

    delete_retrospective(theirs, retro.id)
    gone = read_feed(mine, retro.id, update.cursor, _never)
    assert gone.records == {"retrospective": {retro.id: None}}


def test_a_view_never_reads_half_of_another_transaction(two: tuple[Store, Store]) -> None:
    """A change committed while the feed is reading is seen whole on the next read, never
    in part: the log and the records are read in one transaction."""
    mine, theirs = two
    retro = create_retrospective(mine, "Feed")
    event = add_event(mine, retro.id, time=T0, text="before")
    note = add_note(mine, retro.id, text="before", event_id=event.id)
    _fields, cursor = open_view(mine, retro.id)
    update_note(theirs, note.id, text="one")
    statements = Statements(mine)

    def commit_both(statement: str) -> None:
        # Just before the feed reads the note the log named, another process changes
        # the note and the event together, in one transaction.
        if "FROM note" in statement and statements.before is not None:
            statements.before = None
            done = threading.Thread(target=_change_both, args=(theirs, note.id, event.id))
            done.start()
            done.join()

    statements.before = commit_both
    update = read_feed(mine, retro.id, cursor, _never)

    assert _records(update, "note")[note.id].text == "one"
    assert "timeline_event" not in update.records
    after = read_feed(mine, retro.id, update.cursor, _never)
    assert _records(after, "note")[note.id].text == "two"
    assert _records(after, "timeline_event")[event.id].text == "two"


def _change_both(store: Store, note_id: str, event_id: str) -> None:
    with store.writing() as session:
        for model, record_id in ((Note, note_id), (TimelineEvent, event_id)):
            record = session.get(model, record_id)
            assert record is not None
            record.text = "two"
            session.add(record)


def test_on_sqlite_nothing_is_asked_while_nobody_commits(sqlite_store: Store) -> None:
    other = Store.open(sqlite_store.url)
    try:
        retro = create_retrospective(sqlite_store, "Feed")
        watch = sqlite_store.commit_watch
        assert watch.changed("view")  # the first look
        assert not watch.changed("view")
        add_note(other, retro.id, text="news")
        assert watch.changed("view")
        assert not watch.changed("view")
        add_note(sqlite_store, retro.id, text="mine, through another connection")
        assert watch.changed("view")
    finally:
        other.close()


def test_a_cursor_not_used_for_long_reads_everything_again(two: tuple[Store, Store]) -> None:
    mine, theirs = two
    retro = create_retrospective(mine, "Feed")
    add_note(theirs, retro.id, text="old news")
    _fields, cursor = open_view(mine, retro.id)
    old = Cursor(cursor.seq, cursor.snapshot, cursor.read_at - 7200)
    update = read_feed(mine, retro.id, old, _never)
    assert [n.text for n in update.whole["note"]] == ["old news"]  # type: ignore[attr-defined]


def test_on_postgresql_a_change_that_commits_late_is_not_missed(
    db_url: str, two: tuple[Store, Store]
) -> None:
    """Writers commit side by side: a change whose log row was numbered first but
    committed last still reaches a view that already read the later one."""
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite commits writers one at a time, in the order they number")
    mine, theirs = two
    retro = create_retrospective(mine, "Feed")
    _fields, cursor = open_view(mine, retro.id)
    third = Store.open(db_url)
    try:
        with third.writing() as session:
            slow = Note(retro_id=retro.id, text="numbered first, committed last")
            session.add(slow)
            session.flush()  # its log row (and seq) exists, uncommitted
            quick = add_note(theirs, retro.id, text="numbered second, committed first")
            first = read_feed(mine, retro.id, cursor, _never)
            assert list(_records(first, "note")) == [quick.id]
        second = read_feed(mine, retro.id, first.cursor, _never)
        assert list(_records(second, "note")) == [slow.id]
    finally:
        third.close()


@pytest.mark.parametrize("count", [3, 300])
def test_an_imported_timeline_reaches_the_feed(two: tuple[Store, Store], count: int) -> None:
    """A bulk import logs every event (in one statement on SQLite); a big one is read as
    the whole timeline, a small one as its events; later edits are logged as before."""
    from datetime import timedelta

    from retrotui.store.event_import import insert_events

    mine, theirs = two
    retro = create_retrospective(mine, "Feed")
    _fields, cursor = open_view(mine, retro.id)
    events = [
        {
            "time": T0 + timedelta(minutes=n),
            "text": f"imported {n}",
            "kind": "note",
            "actor": "",
            "key": False,
            "source": "csv",
        }
        for n in range(count)
    ]
    insert_events(theirs, events, retro_id=retro.id, title=None)
    update = read_feed(mine, retro.id, cursor, _never)
    if count > 200:
        read = update.whole["timeline_event"]
    else:
        read = list(_records(update, "timeline_event").values())
    assert sorted(e.text for e in read) == sorted(e["text"] for e in events)  # type: ignore[union-attr]
    later = add_event(theirs, retro.id, time=T0, text="typed after the import")
    after = read_feed(mine, retro.id, update.cursor, _never)
    assert list(_records(after, "timeline_event")) == [later.id]
