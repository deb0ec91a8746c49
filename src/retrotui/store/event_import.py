"""Bulk timeline inserts for timeline file imports: one transaction, chunked inserts, and
duplicates (same time, same text) checked again inside it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from retrotui.errors import ValidationError
from retrotui.models import Retrospective, TimelineEvent, new_ids, utcnow
from retrotui.store.bulk import roomy_cache
from retrotui.store.changes import bulk_logging
from retrotui.store.repository import Store, insert_rows, next_position
from retrotui.store.search import bulk_indexing

Progress = Callable[[int, int], None]
EventKey = tuple[datetime, str]
CHUNK = 5000


def event_key(event: dict[str, Any]) -> EventKey:
    """What makes two timeline events the same event: their time and their text."""
    return (event["time"], event["text"])


def existing_event_keys(store: Store, retro_id: str) -> set[EventKey]:
    with store.reading() as session:
        return _existing_keys(session, retro_id)


def insert_events(
    store: Store,
    events: Sequence[dict[str, Any]],
    *,
    retro_id: str | None,
    title: str | None,
    progress: Progress | None = None,
) -> tuple[str, int]:
    """Add `events` (TimelineEvent columns without id, position or stamps) in time order to
    the retrospective `retro_id`, or to a new one called `title`, in one transaction. Events
    already in the timeline are skipped. Returns the retrospective's id and how many were
    added."""
    now = utcnow()
    with store.writing() as session:
        if retro_id is None:
            retro = Retrospective(title=title or "", created_at=now, updated_at=now)
            session.add(retro)
            session.flush()
            retro_id, existing = retro.id, set()
            created = True
        else:
            if session.get(Retrospective, retro_id) is None:
                raise ValidationError("The retrospective was deleted while importing.")
            existing = _existing_keys(session, retro_id)
            created = False
        rows = [event for event in events if event_key(event) not in existing]
        position = next_position(session, TimelineEvent, retro_id)
        conn, table = session.connection(), TimelineEvent.__tablename__
        with roomy_cache(conn), bulk_indexing(conn, table), bulk_logging(conn, table):
            for start in range(0, len(rows), CHUNK):
                chunk = rows[start : start + CHUNK]
                insert_rows(session, TimelineEvent, _stamped(chunk, retro_id, position, now))
                position += len(chunk)
                if progress:
                    progress(start + len(chunk), len(rows))
        if not created and rows:
            session.execute(
                sa.update(Retrospective).where(col(Retrospective.id) == retro_id),
                {"updated_at": now},
            )
    return retro_id, len(rows)


def _existing_keys(session: Session, retro_id: str) -> set[EventKey]:
    query = select(TimelineEvent.time, TimelineEvent.text).where(
        col(TimelineEvent.retro_id) == retro_id
    )
    return {(time, text) for time, text in session.exec(query).all()}


def _stamped(
    events: Sequence[dict[str, Any]], retro_id: str, position: int, now: datetime
) -> list[dict[str, Any]]:
    ids = new_ids(len(events))
    return [
        {
            **event,
            "id": ids[offset],
            "doc_id": None,
            "created_at": now,
            "updated_at": now,
            "retro_id": retro_id,
            "position": position + offset,
        }
        for offset, event in enumerate(events)
    ]
