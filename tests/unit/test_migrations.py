"""Migrations keep every record: an old database opens with the current code intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa

from retrotui.models import SQLModel
from retrotui.store.engine import url_for_path
from retrotui.store.migrations import SCHEMA_VERSION
from retrotui.store.repository import Store

FIXTURES = Path(__file__).parent.parent / "fixtures"
TABLES = ("retrospective", "participant", "timeline_event", "note", "why", "action_item")


def _dump_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as conn:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


def _restore_v1(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.executescript((FIXTURES / "schema-v1.sql").read_text())


def test_schema_v1_database_opens_with_every_record_intact(tmp_path: Path) -> None:
    """Every row of a database made by the first schema is still there, unchanged."""
    path = tmp_path / "old.db"
    _restore_v1(path)
    before = _dump_rows(path)
    assert sum(len(rows) for rows in before.values()) > 30
    store = Store.open(url_for_path(path))
    assert {r.title for r, _ in store.retrospectives()} == {
        "Card payments failing: expired gateway certificate",
        "Queue backlog | <b>weird</b> # text",
    }
    store.close()
    after = _dump_rows(path)
    for table in TABLES:
        # Columns added by later migrations are appended; the original ones keep values.
        assert [row[: len(before[table][0])] for row in after[table]] == before[table]
    with sqlite3.connect(path) as conn:
        (version,) = conn.execute(
            "SELECT value FROM retrotui_meta WHERE key='schema_version'"
        ).fetchone()
    assert int(version) == SCHEMA_VERSION


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    """An old database, once migrated, has exactly the columns the code expects."""
    path = tmp_path / "old.db"
    _restore_v1(path)
    Store.open(url_for_path(path)).close()
    inspector = sa.inspect(sa.create_engine(url_for_path(path)))
    for table in SQLModel.metadata.sorted_tables:
        found = {c["name"]: c["nullable"] for c in inspector.get_columns(table.name)}
        expected = {c.name: c.nullable for c in table.columns}
        assert found == expected, table.name
