"""What a search result needs besides the hit itself, read in the same connection as the
hits: the retrospective's title and ref, the event a note is on, and an event's number in
its timeline."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from retrotui.core.search_query import Query
from retrotui.models import Note, Retrospective, TimelineEvent
from retrotui.store.repository import Store
from retrotui.store.search import Hit, engine_for


@dataclass(frozen=True)
class HitsInContext:
    hits: list[Hit]
    retros: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (title, ref)
    note_events: dict[str, str] = field(default_factory=dict)  # note id -> event id
    event_numbers: dict[str, int] = field(default_factory=dict)  # event id -> number


def find_hits(store: Store, query: Query, limit: int) -> HitsInContext:
    """The best `limit` hits for `query`, best first, with their context."""
    with store.engine.connect() as conn:
        hits = engine_for(conn).search(conn, query, limit)
        return HitsInContext(
            hits=hits,
            retros=_retros(conn, {hit.retro_id for hit in hits}),
            note_events=_note_events(conn, [hit.record_id for hit in hits if hit.kind == "note"]),
            event_numbers=_event_numbers(
                conn, [hit.record_id for hit in hits if hit.kind == "event"]
            ),
        )


def _retros(conn: sa.Connection, ids: set[str]) -> dict[str, tuple[str, str]]:
    if not ids:
        return {}
    table = Retrospective.__table__  # type: ignore[attr-defined]
    rows = conn.execute(
        sa.select(table.c.id, table.c.title, table.c.incident_ref).where(table.c.id.in_(ids))
    )
    return {rid: (title, ref or rid[:8]) for rid, title, ref in rows}


def _note_events(conn: sa.Connection, note_ids: list[str]) -> dict[str, str]:
    if not note_ids:
        return {}
    table = Note.__table__  # type: ignore[attr-defined]
    rows = conn.execute(
        sa.select(table.c.id, table.c.event_id).where(
            table.c.id.in_(note_ids), table.c.event_id.is_not(None)
        )
    )
    return {note_id: event_id for note_id, event_id in rows}


def _event_numbers(conn: sa.Connection, event_ids: list[str]) -> dict[str, int]:
    """Each event's number in its timeline (time order, ties in entry order), as the
    meeting and the export number them; one query for all of them."""
    if not event_ids:
        return {}
    e = TimelineEvent.__table__.alias("e")  # type: ignore[attr-defined]
    x = TimelineEvent.__table__.alias("x")  # type: ignore[attr-defined]
    before = sa.or_(
        x.c.time < e.c.time,
        sa.and_(
            x.c.time == e.c.time,
            sa.or_(
                x.c.position < e.c.position,
                sa.and_(x.c.position == e.c.position, x.c.id < e.c.id),
            ),
        ),
    )
    earlier = (
        sa.select(sa.func.count()).where(x.c.retro_id == e.c.retro_id, before).scalar_subquery()
    )
    rows = conn.execute(sa.select(e.c.id, earlier + 1).where(e.c.id.in_(event_ids)))
    return {event_id: int(number) for event_id, number in rows}
