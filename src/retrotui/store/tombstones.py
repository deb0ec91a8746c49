"""Deleted records are remembered as tombstones, so a merge can tell "deleted there" from
"never had it" (Retro Document v2). Every deletion of a record inside a retrospective goes
through `bury`; deleting a whole retrospective takes its tombstones with it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from retrotui.models import ChildRecord, Tombstone, utcnow


def bury(session: Session, records: Iterable[ChildRecord], when: datetime | None = None) -> None:
    """Delete `records` and leave a tombstone for each (one per id: a record deleted again
    after it came back replaces its old tombstone)."""
    stamp = when or utcnow()
    for record in records:
        existing = session.get(Tombstone, record.id)
        if existing is not None:
            session.delete(existing)
            session.flush()
        session.add(
            Tombstone(
                id=record.id,
                doc_id=record.doc_id,
                created_at=record.created_at,
                updated_at=stamp,
                retro_id=record.retro_id,
                kind=str(type(record).__tablename__),
            )
        )
        session.delete(record)


def bury_where(
    session: Session, model: type[ChildRecord], condition: sa.ColumnElement[bool]
) -> None:
    """`bury` every record of `model` that matches `condition`."""
    bury(session, list(session.exec(select(model).where(condition)).all()))


def tombstones(session: Session, retro_id: str) -> list[Tombstone]:
    query = select(Tombstone).where(col(Tombstone.retro_id) == retro_id)
    return list(session.exec(query.order_by(col(Tombstone.id))).all())
