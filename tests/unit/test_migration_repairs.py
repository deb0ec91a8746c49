"""Old databases with records the schema no longer allows still migrate, keeping every
record and saying what changed; a database that is refused is not changed at all."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from retrotui.models import Note, Retrospective, Why
from retrotui.store import errors, migrations
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store

FIXTURES = Path(__file__).parent.parent / "fixtures"
RECOVERED_TITLE = "Recovered records (their retrospective was missing)"
GONE = "0dd0dd00-0000-4000-8000-00000000dead"


def _schema_1(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.executescript((FIXTURES / "schema-v1.sql").read_text())


def _add_orphans(path: Path) -> None:
    """Rows whose retrospective was deleted while foreign keys were off."""
    conn = sqlite3.connect(path)
    stamp = "2026-11-24 11:53:51.000000"
    conn.execute(
        "INSERT INTO why (id, created_at, updated_at, retro_id, position, answer, question)"
        " VALUES ('why-orphan', ?, ?, ?, 0, 'Nobody owned it', NULL)",
        (stamp, stamp, GONE),
    )
    conn.execute(
        "INSERT INTO note (id, created_at, updated_at, retro_id, position, text, kind,"
        " event_id, author) VALUES ('note-orphan', ?, ?, ?, 0, 'kept words', 'observation',"
        " 'no-such-event', 'Ann')",
        (stamp, stamp, GONE),
    )
    conn.commit()
    conn.close()


def test_orphan_rows_of_a_schema_1_database_are_kept_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _schema_1(path)
    _add_orphans(path)
    store = Store.open(url_for_path(path))
    try:
        recovered = store.get(Retrospective, GONE)
        assert recovered.title == RECOVERED_TITLE
        assert [w.answer for w in store.children(Why, GONE)] == ["Nobody owned it"]
        notes = store.children(Note, GONE)
        assert [(n.text, n.event_id) for n in notes] == [("kept words", None)]
        said = " ".join(store.notices)
        assert "1 note, 1 why level belonged to a retrospective that no longer exists" in said
        assert RECOVERED_TITLE in said and "without that link" in said
    finally:
        store.close()
    # Once migrated, nothing more to say.
    again = Store.open(url_for_path(path))
    assert again.notices == []
    again.close()


def test_duplicate_incident_refs_are_renamed_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _schema_1(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE retrospective SET incident_ref = 'INC-9'")
    conn.commit()
    conn.close()
    store = Store.open(url_for_path(path))
    refs = sorted(r.incident_ref or "" for r, _ in store.retrospectives())
    assert refs == ["INC-9", "INC-9 (2)"]
    assert store.notices == [
        "Incident ref 'INC-9' was used by 2 retrospectives; refs are unique now, so the "
        "later ones are 'INC-9 (2)'."
    ]
    store.close()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_migration_that_fails_leaves_the_file_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not even the journal mode (bytes 18-19 of the header) changes."""
    folder = tmp_path / "db"
    folder.mkdir()
    path = folder / "old.db"
    _schema_1(path)
    before = _snapshot(folder)
    assert before["old.db"][18:20] == b"\x01\x01"  # rollback journal, as the fixture makes

    def broken(conn: sa.Connection) -> None:
        conn.exec_driver_sql("UPDATE retrospective SET title = 'half done'")
        conn.exec_driver_sql("SELECT simulated_failure_in_a_migration_step()")

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS[:-1], broken))
    with pytest.raises(errors.StoreError, match="simulated_failure"):
        Store.open(url_for_path(path))
    assert _snapshot(folder) == before


def test_a_bad_schema_version_is_refused_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    folder.mkdir()
    path = folder / "odd.db"
    Store.open(url_for_path(path)).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE retrotui_meta SET value = '4b' WHERE key = 'schema_version'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = _snapshot(folder)
    with pytest.raises(errors.NotRetrotuiDatabaseError, match="'4b', which is not a number"):
        Store.open(url_for_path(path))
    assert _snapshot(folder) == before
