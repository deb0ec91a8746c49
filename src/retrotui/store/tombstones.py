"""Deleted records are remembered as tombstones, so a merge can tell "deleted there" from
"never had it" (Retro Document v2). Every deletion of a record inside a retrospective goes
through `bury`. Deleting a whole retrospective takes its tombstones with it and leaves one
`RetroTombstone` (`bury_retrospective`), so an older copy does not bring it back unasked."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from retrotui.models import ChildRecord, Retrospective, RetroTombstone, Tombstone, utcnow
from retrotui.store.errors import NotFoundError
from retrotui.store.repository import Store


def bury(session: Session, records: Iterable[ChildRecord], when: datetime | None = None) -> None:
    """Delete `records` and leave a tombstone for each."""
    stamp = when or utcnow()
    for record in records:
        grave = Tombstone(
            id=record.id,
            doc_id=record.doc_id,
            created_at=record.created_at,
            updated_at=stamp,
            retro_id=record.retro_id,
            kind=str(type(record).__tablename__),
        )
        _replace_with_grave(session, record, grave)


def _replace_with_grave(
    session: Session, record: ChildRecord | Retrospective, grave: Tombstone | RetroTombstone
) -> None:
    """Delete `record` and add `grave` in its place: one per id, so a record deleted again
    after it came back replaces its old grave."""
    existing = session.get(type(grave), grave.id)
    if existing is not None:
        session.delete(existing)
        session.flush()
    session.add(grave)
    session.delete(record)


def bury_where(
    session: Session, model: type[ChildRecord], condition: sa.ColumnElement[bool]
) -> None:
    """`bury` every record of `model` that matches `condition`."""
    bury(session, list(session.exec(select(model).where(condition)).all()))


def tombstones(session: Session, retro_id: str) -> list[Tombstone]:
    query = select(Tombstone).where(col(Tombstone.retro_id) == retro_id)
    return list(session.exec(query.order_by(col(Tombstone.id))).all())


def delete_retrospective(store: Store, retro_id: str) -> None:
    """Delete a retrospective with everything in it, leaving its tombstone."""
    with store.writing() as session:
        retro = session.get(Retrospective, retro_id)
        if retro is None:
            raise NotFoundError(f"No retrospective with id {retro_id}.")
        bury_retrospective(session, retro)


def bury_retrospective(session: Session, retro: Retrospective) -> None:
    """Delete a retrospective (everything in it goes too) and remember that it was."""
    grave = RetroTombstone(
        id=retro.id,
        doc_id=retro.doc_id,
        created_at=retro.created_at,
        updated_at=utcnow(),
        title=retro.title,
    )
    _replace_with_grave(session, retro, grave)


class RetroDeletedError(Exception):
    """The retrospective was deleted here after the copy's last edit (`edited_at`; None
    when the copy has no edit times)."""

    def __init__(self, title: str, deleted_at: datetime, edited_at: datetime | None) -> None:
        super().__init__(title)
        self.title, self.deleted_at, self.edited_at = title, deleted_at, edited_at


def check_retro_grave(
    session: Session, public_id: str, edited_at: datetime | None, *, restore: bool
) -> datetime | None:
    """When the retrospective with this public id was deleted here (None: never, or it is
    back already). A copy last edited before the deletion raises RetroDeletedError unless
    `restore`; one that is let in forgets the deletion."""
    grave = retro_grave(session, public_id)
    if grave is None:
        return None
    if not restore and (edited_at is None or grave.updated_at >= edited_at):
        raise RetroDeletedError(grave.title, grave.updated_at, edited_at)
    forget_retro_grave(session, public_id)
    return grave.updated_at


def retro_grave(session: Session, public_id: str) -> RetroTombstone | None:
    """The latest deletion of the retrospective with this public id, if it was deleted."""
    query = select(RetroTombstone).where(
        sa.or_(
            col(RetroTombstone.doc_id) == public_id,
            sa.and_(col(RetroTombstone.doc_id).is_(None), col(RetroTombstone.id) == public_id),
        )
    )
    return session.exec(query.order_by(col(RetroTombstone.updated_at).desc())).first()


def forget_retro_grave(session: Session, public_id: str) -> None:
    """The retrospective is back: its deletion no longer stands."""
    table = RetroTombstone.__table__  # type: ignore[attr-defined]
    session.connection().execute(
        sa.delete(table).where(sa.func.coalesce(table.c.doc_id, table.c.id) == public_id)
    )
