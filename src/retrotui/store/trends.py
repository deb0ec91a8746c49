"""What `retrotui trends` reads: every retrospective's milestones, factors and action items,
and the first timeline event of each milestone kind, as plain rows.

Four statements in one read transaction, written in SQL both engines run as they are
(named parameters, no dialect functions). A SQLite file at the current schema is read with
the sqlite3 module alone, like the home list (store/listing.py): importing SQLAlchemy would
cost more than the whole read. Every other database goes through the Store's engine.
This module imports nothing of the SQL stack until it needs the Store.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from retrotui.core.trends import Action
from retrotui.store.listing import read_sqlite

if TYPE_CHECKING:
    from retrotui.store.repository import Store

# The event kinds that stand in for a missing milestone (core.metrics.MILESTONE_KINDS);
# a unit test checks they agree.
MILESTONE_EVENT_KINDS = {
    "started_at": "trigger",
    "detected_at": "detection",
    "mitigated_at": "mitigation",
    "resolved_at": "resolution",
}

RETROS_SQL = (
    "SELECT id, title, incident_ref, severity, created_at, started_at, started_at_offset, "
    "detected_at, mitigated_at, resolved_at FROM retrospective"
)
# In position order; each retrospective's factors keep it as they are gathered per retro.
FACTORS_SQL = "SELECT retro_id, name FROM retro_label WHERE kind = :kind ORDER BY position"
ACTIONS_SQL = "SELECT id, retro_id, title, status, due FROM action_item"
# Only the four kinds, their earliest time, and only for retrospectives missing a
# milestone (the others never look at their events): the timeline is by far the biggest
# table.
EVENTS_SQL = (
    "SELECT retro_id, kind, min(time) FROM timeline_event "
    "WHERE kind IN (:k1, :k2, :k3, :k4) AND retro_id IN (SELECT id FROM retrospective "
    "WHERE started_at IS NULL OR detected_at IS NULL OR mitigated_at IS NULL "
    "OR resolved_at IS NULL) GROUP BY retro_id, kind"
)
_PARAMS: dict[str, Any] = {
    f"k{n}": kind for n, kind in enumerate(MILESTONE_EVENT_KINDS.values(), start=1)
}


class RetroRow(NamedTuple):
    id: str
    title: str
    incident_ref: str | None
    severity: str | None
    created_at: datetime
    started_at: datetime | None
    started_at_offset: int | None
    detected_at: datetime | None
    mitigated_at: datetime | None
    resolved_at: datetime | None


class TrendRows(NamedTuple):
    retros: list[RetroRow]
    factors: dict[str, list[str]]  # retro id -> factor ids
    actions: list[Action]
    # retro id -> {milestone attribute ("detected_at"...) -> its first event's time}
    first_events: dict[str, dict[str, datetime]]


def _instant(value: object) -> datetime | None:
    """A stored instant as an aware UTC datetime: SQLite keeps naive-UTC text, a
    PostgreSQL driver gives datetimes."""
    if value is None:
        return None
    if isinstance(value, str):  # "2026-05-14 09:12:00.000000", naive UTC
        return datetime.fromisoformat(value + "+00:00")
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    raise TypeError(f"not an instant: {value!r}")


def _day(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


Execute = Any  # (sql, params) -> iterable of rows
_UNSEEN = date.min


def collect(execute: Execute) -> TrendRows:
    """The four reads, through `execute(sql, params)` of either driver."""
    rows = TrendRows([], {}, [], {})
    for r in execute(RETROS_SQL, {}):
        rows.retros.append(
            RetroRow(
                str(r[0]),
                str(r[1]),
                r[2],
                r[3],
                _instant(r[4]) or datetime.min.replace(tzinfo=UTC),
                _instant(r[5]),
                None if r[6] is None else int(r[6]),
                _instant(r[7]),
                _instant(r[8]),
                _instant(r[9]),
            )
        )
    for retro_id, name in execute(FACTORS_SQL, {"kind": "factor"}):
        rows.factors.setdefault(str(retro_id), []).append(str(name))
    # Text columns come back as str from both drivers; the due date as text (SQLite,
    # parsed once per distinct day) or a date.
    days: dict[object, date | None] = {None: None}
    actions = rows.actions
    for action_id, retro_id, title, status, due in execute(ACTIONS_SQL, {}):
        day = days.get(due, _UNSEEN)
        if day is _UNSEEN:
            day = days[due] = _day(due)
        actions.append(Action(action_id, retro_id, title, status, day))
    attribute = {kind: name for name, kind in MILESTONE_EVENT_KINDS.items()}
    for retro_id, kind, first in execute(EVENTS_SQL, _PARAMS):
        instant = _instant(first)
        if instant is not None:
            rows.first_events.setdefault(str(retro_id), {})[attribute[str(kind)]] = instant
    return rows


def read_sqlite_trends(path: Path) -> TrendRows | None:
    """The rows straight from a retrotui SQLite file, or None when the Store must read
    them (see store.listing.read_sqlite)."""

    def read(conn: sqlite3.Connection) -> TrendRows:
        conn.execute("BEGIN")  # one snapshot for the four statements
        try:
            return collect(conn.execute)
        finally:
            conn.rollback()

    return read_sqlite(path, read)


def read_trends(store: Store) -> TrendRows:
    """The same rows through the Store's engine (PostgreSQL, or a file to migrate)."""
    import sqlalchemy as sa

    from retrotui.store.engine import translate_db_error

    try:
        with store.engine.connect() as conn:
            if conn.dialect.name == "postgresql":  # one snapshot for the four statements
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():

                def execute(sql: str, params: dict[str, Any]) -> Iterable[Sequence[Any]]:
                    return conn.execute(sa.text(sql), params).all()

                return collect(execute)
    except sa.exc.DBAPIError as exc:
        raise translate_db_error(exc, store.url) from exc
