"""Timeline transactions that touch more than one row."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col

from retrotui.models import Note, TimelineEvent, utcnow
from retrotui.store.errors import NotFoundError
from retrotui.store.repository import Store
from retrotui.store.tombstones import bury


def remove_event(store: Store, event_id: str) -> None:
    """Delete an event, leaving a tombstone; its notes stay, no longer tied to an event (an
    edit to each), in the same transaction."""
    with store.writing() as session:
        event = session.get(TimelineEvent, event_id)
        if event is None:
            raise NotFoundError(f"No timeline event with id {event_id}.")
        session.execute(
            sa.update(Note)
            .where(col(Note.event_id) == event_id)
            .values(event_id=None, updated_at=utcnow())
        )
        bury(session, [event])
