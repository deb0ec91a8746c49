"""Migrations keep every record: an old database opens with the current code intact."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

import sqlalchemy as sa

from retrotui.models import SQLModel, Why, WhyChain
from retrotui.services.retros import load_bundle
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


def _expression_indexes(path: Path) -> list[tuple[str, str]]:
    """Indexes on expressions (which SQLAlchemy cannot reflect), with their SQL."""
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'").fetchall()
    return sorted((name, sql) for name, sql in rows if sql and "lower(" in sql.lower())


def _schema(path: Path) -> dict[str, tuple[object, ...]]:
    """Tables with their indexes and foreign keys, as SQLAlchemy reads them back."""
    inspector = sa.inspect(sa.create_engine(url_for_path(path)))
    with warnings.catch_warnings():
        # Reflection skips expression indexes with a warning: _expression_indexes has them.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
        return _reflected(inspector)


def _reflected(inspector: sa.Inspector) -> dict[str, tuple[object, ...]]:
    return {
        name: (
            sorted((i["name"], tuple(i["column_names"])) for i in inspector.get_indexes(name)),
            sorted(
                (
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    fk["options"].get("ondelete"),
                )
                for fk in inspector.get_foreign_keys(name)
            ),
        )
        for name in inspector.get_table_names()
    }


def test_migrated_indexes_and_foreign_keys_match_a_new_database(tmp_path: Path) -> None:
    """A migrated database and a new one have the same tables, indexes and foreign keys."""
    _restore_v1(tmp_path / "old.db")
    for name in ("old.db", "new.db"):
        Store.open(url_for_path(tmp_path / name)).close()
    migrated = _schema(tmp_path / "old.db")
    assert migrated == _schema(tmp_path / "new.db")
    assert _expression_indexes(tmp_path / "old.db") == _expression_indexes(tmp_path / "new.db")
    assert [n for n, _ in _expression_indexes(tmp_path / "new.db")] == [
        "uq_retrospective_incident_ref"
    ]
    model_tables = {t.name: t for t in SQLModel.metadata.sorted_tables}
    for name, table in model_tables.items():
        indexes = sorted((i.name, tuple(c.name for c in i.columns)) for i in table.indexes)
        assert migrated[name][0] == indexes, name


def test_schema_v1_whys_move_into_one_chain_per_retrospective(tmp_path: Path) -> None:
    """Old whys become one chain whose problem is the summary; the last is the root cause."""
    path = tmp_path / "old.db"
    _restore_v1(path)
    store = Store.open(url_for_path(path))
    for retro, _ in store.retrospectives():
        whys = store.children(Why, retro.id)
        chains = store.children(WhyChain, retro.id)
        if not whys:
            assert chains == []
            continue
        assert [c.problem for c in chains] == [retro.summary]
        assert {w.chain_id for w in whys} == {chains[0].id}
        assert [w.is_root_cause for w in whys] == [False] * (len(whys) - 1) + [True]
        assert retro.current_stage == 2
    demo = load_bundle(store, "de3ade30-0000-4000-8000-000000000001")
    assert len(demo.chains) == 1 and len(demo.chains[0].whys) == 5
    store.close()
