"""Migrations from the first schema on each engine (SQLite and PostgreSQL): a database made
by schema 1 and filled with records opens with the current code, every record intact."""

from __future__ import annotations

import warnings
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from retrotui.services.retros import load_bundle
from retrotui.store.migrations import SCHEMA_VERSION, migrate_to, read_schema_version
from retrotui.store.repository import Store

SCHEMA_1_TABLES = ("retrospective", "participant", "timeline_event", "note", "why", "action_item")
APPLICATION_ID = 0x52545549  # "RTUI": what retrotui 0.1.0 gave its SQLite files
T0 = datetime(2025, 3, 1, 9, 30)  # naive UTC, as the database holds instants

# Columns whose values must be one of the app's choices (stored as text).
CHOICES = {
    ("retrospective", "severity"): ["SEV1", "SEV3", None],
    ("retrospective", "status"): ["draft", "in_review", "published"],
    ("participant", "role"): ["moderator", "note_taker", "observer"],
    ("timeline_event", "kind"): ["trigger", "detection", "mitigation"],
    ("note", "kind"): ["went_well", "went_wrong", "question"],
    ("action_item", "priority"): ["high", "medium", "low"],
    ("action_item", "status"): ["open", "done", "in_progress"],
}


def _value(table: str, column: sa.Column[Any], n: int, parents: dict[str, list[str]]) -> Any:
    """A value for one column of row `n`, made from its type (every column filled, the
    nullable ones left empty on some rows)."""
    name = column.name
    if name == "id":
        return f"{table}-{n}"
    if name == "retro_id":
        return parents["retrospective"][n % len(parents["retrospective"])]
    if name == "event_id":  # an event of the note's own retrospective, or none
        return parents["timeline_event"][n % 3] if n % 4 else None
    if (table, name) in CHOICES:
        choices = CHOICES[(table, name)]
        return choices[n % len(choices)]
    if column.nullable and n % 3 == 2:
        return None
    if name == "incident_ref":
        return f"INC-{100 + n}"
    if isinstance(column.type, sa.Boolean):
        return n % 2 == 0
    if isinstance(column.type, sa.DateTime):
        return T0 + timedelta(minutes=7 * n, microseconds=n)
    if isinstance(column.type, sa.Date):
        return date(2026, 6, 1 + n % 28)
    if isinstance(column.type, sa.Integer):
        return 120 * (n % 3) if name.endswith("_offset") else n
    if name == "doc_id":
        return f"doc-{table}-{n}"
    return f"{table}.{name} #{n}: ünïcode, 'quotes', | pipes, # hashes"


def _fill(conn: sa.Connection) -> None:
    """Records in every table of schema 1: three retrospectives, four of each kind inside."""
    md = sa.MetaData()
    md.reflect(conn, only=SCHEMA_1_TABLES)
    parents: dict[str, list[str]] = {}
    for name in SCHEMA_1_TABLES:
        table = md.tables[name]
        count = 3 if name == "retrospective" else 12
        rows = [{c.name: _value(name, c, n, parents) for c in table.columns} for n in range(count)]
        conn.execute(sa.insert(table), rows)
        parents[name] = [row["id"] for row in rows]


def _rows(url: str, columns: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """Every row of the schema-1 tables, as another program reads them (only `columns` of
    each table when given), in id order."""
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.connect() as conn:
            md = sa.MetaData()
            with warnings.catch_warnings():
                # Reflection skips the expression index on incident refs (migration 9).
                warnings.filterwarnings(
                    "ignore", "Skipped unsupported reflection", sa.exc.SAWarning
                )
                md.reflect(conn, only=SCHEMA_1_TABLES)
            found: dict[str, Any] = {}
            for name in SCHEMA_1_TABLES:
                table = md.tables[name]
                names = columns[name] if columns else [c.name for c in table.columns]
                query = sa.select(*(table.c[n] for n in names)).order_by(table.c.id)
                found[name] = [tuple(row) for row in conn.execute(query)]
            return found
    finally:
        engine.dispose()


def _schema_1_database(url: str) -> None:
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            migrate_to(conn, 0, 1)
            _fill(conn)
        with engine.connect() as conn:
            assert read_schema_version(conn) == 1
    finally:
        engine.dispose()


def test_schema_1_database_migrates_with_every_record_intact(db_url: str) -> None:
    """A schema-1 database on this engine, filled with records, opens with the current code:
    it is at the current schema version and every record keeps every value it had."""
    _schema_1_database(db_url)
    before = _rows(db_url)
    assert sum(len(rows) for rows in before.values()) == 3 + 5 * 12
    store = Store.open(db_url)
    try:
        retros = {retro.id: retro for retro, _ in store.retrospectives()}
        assert sorted(retros) == ["retrospective-0", "retrospective-1", "retrospective-2"]
        for retro_id in retros:
            bundle = load_bundle(store, retro_id)
            assert len(bundle.events) == len(bundle.notes) == len(bundle.actions) == 4
            # Migration 3: the old whys are one chain, the last one the root cause.
            assert len(bundle.why_chains()) == 1 and len(bundle.whys) == 4
            assert [w.is_root_cause for w in bundle.whys] == [False, False, False, True]
    finally:
        store.close()

    assert _rows(db_url, _columns_of_schema_1()) == before
    engine = sa.create_engine(db_url, poolclass=sa.NullPool)
    with engine.connect() as conn:
        assert read_schema_version(conn) == SCHEMA_VERSION
    engine.dispose()


def test_each_migration_step_keeps_every_record(db_url: str) -> None:
    """Stopping after every migration (as users upgrading version by version do) keeps
    every record too, and the next open finishes the job."""
    _schema_1_database(db_url)
    before = _rows(db_url)
    engine = sa.create_engine(db_url, poolclass=sa.NullPool)
    try:
        for version in range(2, SCHEMA_VERSION + 1):
            with engine.begin() as conn:
                migrate_to(conn, version - 1, version)
            with engine.connect() as conn:
                assert read_schema_version(conn) == version
            assert _rows(db_url, _columns_of_schema_1()) == before, f"after {version}"
    finally:
        engine.dispose()


def _columns_of_schema_1() -> dict[str, list[str]]:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        migrate_to(conn, 0, 1)
        found = {
            name: [c["name"] for c in sa.inspect(conn).get_columns(name)]
            for name in SCHEMA_1_TABLES
        }
    engine.dispose()
    return found
