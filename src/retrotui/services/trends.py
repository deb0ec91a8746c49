"""Trends across retrospectives (`retrotui trends`, the Trends screen): read, then compute.

The rows come from `store.trends` (sqlite3 alone for a SQLite file, so the command imports
no SQL stack; the Store otherwise); the arithmetic is `core.trends`. Time to detect,
mitigate and resolve follow `core.metrics`: a milestone, else the first timeline event of
its kind, measured from the start.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from retrotui.core.factors import default_taxonomy
from retrotui.core.times import with_offset
from retrotui.core.trends import Incident, Period, Trends, build_trends, durations
from retrotui.store.trends import TrendRows, read_sqlite_trends, read_trends

if TYPE_CHECKING:
    from retrotui.store.repository import Store


def incidents_from(rows: TrendRows) -> list[Incident]:
    incidents = []
    no_events: dict[str, datetime] = {}
    for r in rows.retros:
        first = rows.first_events.get(r.id, no_events)
        start = r.started_at or first.get("started_at")
        detect, mitigate, resolve = durations(
            start,
            r.detected_at or first.get("detected_at"),
            r.mitigated_at or first.get("mitigated_at"),
            r.resolved_at or first.get("resolved_at"),
        )
        if r.started_at is not None:
            day = with_offset(r.started_at, r.started_at_offset).date()
        else:
            day = (start or r.created_at).date()
        incidents.append(
            Incident(
                r.id,
                r.incident_ref or r.id[:8],
                r.title,
                r.severity,
                day,
                tuple(rows.factors.get(r.id, ())),
                detect,
                mitigate,
                resolve,
            )
        )
    return incidents


def compute_trends(
    rows: TrendRows, *, today: date, by: Period = "month", since: date | None = None
) -> Trends:
    taxonomy = default_taxonomy()
    return build_trends(
        incidents_from(rows),
        rows.actions,
        today=today,
        by=by,
        since=since,
        sort_name=taxonomy.name_of,
    )


def load_trends(
    store: Store, *, today: date, by: Period = "month", since: date | None = None
) -> Trends:
    """The trends of every retrospective in `store`."""
    return compute_trends(read_trends(store), today=today, by=by, since=since)


def quick_trends(
    path: Path, *, today: date, by: Period = "month", since: date | None = None
) -> Trends | None:
    """The trends straight from a SQLite file, or None when the Store must open it."""
    rows = read_sqlite_trends(path)
    return None if rows is None else compute_trends(rows, today=today, by=by, since=since)
