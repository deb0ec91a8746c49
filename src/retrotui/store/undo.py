"""Deletes that can be taken back: each removal keeps what it took away (the rows, as
stored, and the links it cleared), and `restore` puts exactly that back: the same ids,
positions and texts, the children (a chain's levels), the links (an event's notes, the
action items that addressed a why) where nothing else has taken their place since.

Each removal and each restore is one transaction. A removal leaves tombstones like every
other delete (store/tombstones.py); a restore takes them away again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from retrotui.models import (
    ActionItem,
    ChildRecord,
    Note,
    Retrospective,
    TimelineEvent,
    Tombstone,
    Why,
    WhyChain,
    utcnow,
)
from retrotui.store import backend
from retrotui.store.errors import NotFoundError
from retrotui.store.repository import Store
from retrotui.store.tombstones import bury

# What can be deleted and put back, by the word the services use for it.
MODELS: dict[str, type[ChildRecord]] = {
    "note": Note,
    "event": TimelineEvent,
    "why": Why,
    "chain": WhyChain,
    "action": ActionItem,
}


@dataclass(frozen=True)
class Removed:
    """What one delete took away, enough to put it back as it was."""

    kind: str  # a key of MODELS
    retro_id: str
    record_id: str
    # (table name, the row's stored values), parents first
    rows: tuple[tuple[str, dict[str, Any]], ...]
    # (table name, row id, column, value): references to it that the delete cleared
    links: tuple[tuple[str, str, str, str], ...] = ()

    @property
    def row(self) -> dict[str, Any]:
        """The stored values of the record itself (not its children)."""
        return self.rows[0][1]


def remove(store: Store, kind: str, record_id: str) -> Removed:
    """Delete one record the way the app does (an event's notes stay, untied; a chain goes
    with its levels; action items that addressed a why stay, unlinked) and return what
    `restore` needs to undo it."""
    model = MODELS[kind]
    with store.writing() as session:
        record = session.get(model, record_id)
        if record is None:
            raise NotFoundError(f"No {kind} with id {record_id}.")
        retro_id = record.retro_id
        buried: list[ChildRecord] = [record]
        links: list[tuple[str, str, str, str]] = []
        if kind == "event":
            links = _clear(session, Note, "event_id", [record_id])
        elif kind == "why":
            links = _clear(session, ActionItem, "why_id", [record_id])
        elif kind == "chain":
            levels = list(session.exec(select(Why).where(col(Why.chain_id) == record_id)).all())
            links = _clear(session, ActionItem, "why_id", [level.id for level in levels])
            buried = [record, *levels]
        rows = tuple((_table(type(r)).name, _stored(session, r)) for r in buried)
        # Levels before their chain: without foreign keys the order would not matter, with
        # them the chain's tombstone must not come first.
        bury(session, list(reversed(buried)))
        if kind in ("why", "chain", "action"):
            _bump(session, retro_id)
    return Removed(kind, retro_id, record_id, rows, tuple(links))


def restore(store: Store, removed: Removed) -> None:
    """Put back what `remove` took away. A link whose target is gone stays cleared (a note
    whose event was deleted since comes back untied); a level whose chain is gone cannot
    come back (NotFoundError). Rows that are back already (restored elsewhere) are left."""
    now = utcnow()
    with store.writing() as session:
        conn = session.connection()
        backend.lock_retrospectives(conn, [removed.retro_id])
        if not _exists(conn, _table(Retrospective), removed.retro_id):
            raise NotFoundError("Its retrospective has been deleted, so it cannot come back.")
        tombstones = _table(Tombstone)
        for table_name, stored in removed.rows:
            table = _table(_MODEL_BY_TABLE[table_name])
            if _exists(conn, table, stored["id"]):
                continue
            values = {**stored, "updated_at": now}
            if table_name == "why" and not _exists(conn, _table(WhyChain), values["chain_id"]):
                raise NotFoundError(
                    "Its 5 Whys chain has been deleted since, so the level cannot come back."
                )
            for column, parent in (("event_id", TimelineEvent), ("why_id", Why)):
                if values.get(column) and not _exists(conn, _table(parent), values[column]):
                    values[column] = None
            conn.execute(sa.delete(tombstones).where(tombstones.c.id == stored["id"]))
            conn.execute(sa.insert(table).values(**values))
        for table_name, row_id, column, value in removed.links:
            table = _table(_MODEL_BY_TABLE[table_name])
            conn.execute(
                sa.update(table)
                .where(table.c.id == row_id, table.c[column].is_(None))
                .values({column: value, "updated_at": now})
            )
        _bump(session, removed.retro_id)


# -- helpers ---------------------------------------------------------------------------------

_MODEL_BY_TABLE: dict[str, type[ChildRecord]] = {
    str(model.__tablename__): model for model in MODELS.values()
}


def _table(model: type[Any]) -> sa.Table:
    table: sa.Table = model.__table__
    return table


def _stored(session: Session, record: ChildRecord) -> dict[str, Any]:
    """The row's values as the database holds them (before the delete is flushed)."""
    table = _table(type(record))
    row = session.connection().execute(sa.select(table).where(table.c.id == record.id)).one()
    return dict(row._mapping)


def _clear(
    session: Session, model: type[ChildRecord], column: str, targets: Sequence[str]
) -> list[tuple[str, str, str, str]]:
    """Set `column` to NULL where it points at one of `targets`; the links it cleared."""
    if not targets:
        return []
    table = _table(model)
    conn = session.connection()
    found = conn.execute(
        sa.select(table.c.id, table.c[column]).where(table.c[column].in_(targets))
    ).all()
    if found:
        conn.execute(
            sa.update(table)
            .where(table.c[column].in_(targets))
            .values({column: None, "updated_at": utcnow()})
        )
    return [(table.name, str(row_id), column, str(value)) for row_id, value in found]


def _exists(conn: sa.Connection, table: sa.Table, record_id: str) -> bool:
    return conn.execute(sa.select(table.c.id).where(table.c.id == record_id)).first() is not None


def _bump(session: Session, retro_id: str) -> None:
    """Move the retrospective's stamp, as every multi-row change does (change detection)."""
    session.execute(
        sa.update(Retrospective)
        .where(col(Retrospective.id) == retro_id)
        .values(updated_at=utcnow())
    )
