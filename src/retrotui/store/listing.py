"""The list of retrospectives (home screen, `retrotui list`) as light rows.

For a SQLite file the list is read with the sqlite3 module alone, before (or without)
importing SQLAlchemy, SQLModel and the models: that import costs several times the read,
and the list is what a user waits for first. Other databases, and SQLite files that need
a migration or are not plainly ours, go through the Store (`Store.retro_list`), which
gives the same rows. This module imports nothing of the SQL stack.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

# The store's own constants, repeated so this module needs no SQLAlchemy; a unit test
# checks they agree with store.engine, store.migrations and models.ActionStatus.
APPLICATION_ID = 0x52545549
SCHEMA_VERSION = 13
OPEN_STATUSES = ("open", "in_progress")
T = TypeVar("T")

COLUMNS = (
    "id",
    "title",
    "incident_ref",
    "severity",
    "status",
    "template",
    "created_at",
    "updated_at",
    "started_at",
)
# Newest first; the same statement the Store runs through SQLAlchemy for other databases.
LIST_SQL = (
    "SELECT "
    + ", ".join(f"r.{name}" for name in COLUMNS)
    + ", coalesce(o.n, 0) FROM retrospective AS r LEFT OUTER JOIN ("
    "SELECT retro_id, count(*) AS n FROM action_item WHERE status IN (?, ?) GROUP BY retro_id"
    ") AS o ON o.retro_id = r.id ORDER BY r.created_at DESC"
)


@dataclass(frozen=True, slots=True)
class RetroListRow:
    """One retrospective as the lists show it, with its number of open action items."""

    id: str
    title: str
    incident_ref: str | None
    severity: str | None
    status: str
    template: str
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    open_actions: int

    @property
    def short_id(self) -> str:
        return self.id[:8]


def _instant(text: str | None) -> datetime | None:
    """A stored naive-UTC instant ("2026-05-14 09:12:00.000000") as an aware datetime."""
    return None if text is None else datetime.fromisoformat(text + "+00:00")


def rows_from(records: Iterable[Sequence[object]]) -> list[RetroListRow]:
    """Rows from LIST_SQL's result, dates still as the text SQLite keeps them in."""
    rows = []
    for record in records:
        values = list(record)
        for index in (6, 7, 8):
            value = values[index]
            values[index] = _instant(value) if isinstance(value, str) else value
        values[9] = int(values[9])  # type: ignore[call-overload]
        rows.append(RetroListRow(*values))  # type: ignore[arg-type]
    return rows


def read_sqlite_list(path: Path) -> list[RetroListRow] | None:
    """The list straight from a retrotui SQLite file, or None when the Store must do it
    (no such file, not ours, a schema to migrate, any trouble reading): read-only, so a
    file that is then refused is left untouched."""
    return read_sqlite(path, lambda conn: rows_from(conn.execute(LIST_SQL, OPEN_STATUSES)))


def read_sqlite(path: Path, read: Callable[[sqlite3.Connection], T]) -> T | None:
    """`read(connection)` on a retrotui SQLite file at the current schema, opened
    read-only with sqlite3 alone; None when the Store must do it instead (see above)."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        (app_id,) = conn.execute("PRAGMA application_id").fetchone()
        version = conn.execute(
            "SELECT value FROM retrotui_meta WHERE key = 'schema_version'"
        ).fetchone()
        if app_id != APPLICATION_ID or version is None or int(version[0]) != SCHEMA_VERSION:
            return None
        return read(conn)
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        conn.close()


def database_file(value: str | None) -> Path | None:
    """The SQLite file behind a --db value (None: the default location), or None when the
    value is a URL: only plain paths take the fast way."""
    import os

    from retrotui.config import DB_ENV, default_db_path

    value = value or os.environ.get(DB_ENV) or ""
    if not value:
        return default_db_path()
    if "://" in value:
        return None
    return Path(value).expanduser().absolute()
