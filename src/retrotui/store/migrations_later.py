"""Migrations from 10 on (store/migrations.py holds 1 to 9 and the runner): each a
numbered function, appended to LATER_MIGRATIONS in order. Tables are defined here as
they were at the time, never from the models."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from retrotui.store.migration_columns import record_columns


def migration_10_retro_tombstones(conn: sa.Connection) -> None:
    """Deleted retrospectives are remembered, so an older copy does not bring one back."""
    sa.Table(
        "retro_tombstone",
        sa.MetaData(),
        *record_columns(),
        sa.Column("title", sa.String, nullable=False),
    ).create(conn)


def migration_11_pg_search_index(conn: sa.Connection) -> None:
    """PostgreSQL's own full-text search: a GIN index on the `tsvector` of each searchable
    table (store/search_pg.py). SQLite has its FTS5 index since migration 8."""
    if conn.dialect.name == "postgresql":
        from retrotui.store.search_pg import create_pg_index

        create_pg_index(conn)


def migration_12_change_log(conn: sa.Connection) -> None:
    """The change feed's log and the triggers that write it (store/changes.py)."""
    from retrotui.store.changes import create_change_log

    create_change_log(conn)


def migration_13_pg_search_words(conn: sa.Connection) -> None:
    """PostgreSQL's search indexes on words split at punctuation, as SQLite's are: a host
    name, address or path is found by any of its words (store/search_pg.py)."""
    if conn.dialect.name == "postgresql":
        from retrotui.store.search_pg import rebuild_pg_index

        rebuild_pg_index(conn)


LATER_MIGRATIONS: tuple[Callable[[sa.Connection], list[str] | None], ...] = (
    migration_10_retro_tombstones,
    migration_11_pg_search_index,
    migration_12_change_log,
    migration_13_pg_search_words,
)
