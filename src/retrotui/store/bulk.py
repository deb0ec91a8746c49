"""Bulk inserts with SQLAlchemy Core inside a session's or connection's transaction (the
Store re-exports them: `from retrotui.store.repository import insert_rows`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from retrotui.models import Record
from retrotui.store import lengths


def insert_rows(session: Session, model: type[Record], rows: Sequence[dict[str, Any]]) -> None:
    """Bulk insert with SQLAlchemy Core inside the session's transaction: one executemany,
    no ORM unit of work (21x faster than add_all for 10,000 rows; bench/imports.py)."""
    table: sa.Table = model.__table__  # type: ignore[attr-defined]
    insert_table_rows(session.connection(), table, rows)


def insert_table_rows(conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
    """`insert_rows` for a table, on a connection inside its transaction."""
    if not rows:
        return
    lengths.check_rows(table, rows)
    if conn.dialect.name != "sqlite":
        conn.execute(sa.insert(table), rows)
        return
    # On SQLite, SQLAlchemy's per-value parameter processing costs more than the insert
    # itself (bench/imports.py): hand the driver ready-made tuples through one
    # executemany instead. Datetimes are rendered once per distinct value in the exact text
    # format SQLAlchemy's SQLite DateTime stores, so reads and comparisons see no
    # difference; dates as ISO text, enums as their plain string value.
    # The columns the rows give (server defaults fill the rest, as in a Core insert).
    present = [c for c in table.columns if c.name in rows[0]]
    columns = [c.name for c in present]
    converters = [_sqlite_converter(c.type) for c in present]
    placeholders = ", ".join("?" for _ in columns)
    names = ", ".join(f'"{name}"' for name in columns)
    conn.exec_driver_sql(
        f'INSERT INTO "{table.name}" ({names}) VALUES ({placeholders})',
        [
            tuple(convert(row.get(name)) for name, convert in zip(columns, converters, strict=True))
            for row in rows
        ],
    )


def _sqlite_converter(column_type: sa.types.TypeEngine[Any]) -> Any:
    """How one column's Python value becomes what SQLAlchemy would have stored in SQLite."""
    from datetime import UTC, datetime

    from retrotui.models import UTCDateTime

    if isinstance(column_type, UTCDateTime):
        rendered: dict[datetime, str] = {}

        def instant(value: datetime | None) -> str | None:
            if value is None:
                return None
            text = rendered.get(value)
            if text is None:
                naive = value.astimezone(UTC).replace(tzinfo=None)
                text = rendered[value] = naive.isoformat(sep=" ", timespec="microseconds")
            return text

        return instant
    if isinstance(column_type, sa.Date):
        return lambda value: None if value is None else value.isoformat()
    if isinstance(column_type, sa.Boolean):
        return lambda value: None if value is None else int(bool(value))
    if isinstance(column_type, sa.String):
        return lambda value: None if value is None else str(value)
    return lambda value: value


# Pages of cache for a bulk import on SQLite (negative: KiB), instead of the default 2 MB:
# the random ids of 100,000 new rows spread their index entries over more pages than that,
# and every page pushed out mid-transaction is written twice.
BULK_CACHE_KIB = 65536


@contextmanager
def roomy_cache(conn: sa.Connection) -> Iterator[None]:
    """A bigger page cache on this connection for the block (a bulk insert), then the
    connection's own setting again; nothing elsewhere than SQLite."""
    if conn.dialect.name != "sqlite":
        yield
        return
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        # A failed connection's error is on its way already; the pool drops it.
        with suppress(sa.exc.DBAPIError):
            conn.exec_driver_sql(f"PRAGMA cache_size = {int(before or -2000)}")
