"""A retrospective's contributing factors and tags as `retro_label` rows: one transaction
adds and removes them (names arrive checked and normalised by `services.labels`).

Removing a label leaves a tombstone (`store.tombstones`), so a Retro Document merge can
tell "removed here" from "never had it". A label's id is made from the retrospective's
identity, its kind and its name (`label_ids`), so two copies of a retrospective that add
the same tag independently hold one label, and removing it on one copy removes it on the
other after a merge."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa

from retrotui.models import RetroLabel, Retrospective, Tombstone, utcnow
from retrotui.store.repository import Store
from retrotui.store.tombstones import bury_where

# (kind, name): kind is core.factors.FACTOR or TAG.
LabelKey = tuple[str, str]

_LABEL_IDS = uuid.UUID("0f6f9f3e-2b7c-4d4e-8a51-7c3a1d2e9b40")


def label_ids(retro: Retrospective, kind: str, name: str) -> tuple[str, str | None]:
    """The row id and doc id for a new label: the row id is unique in this database (made
    from our id), the public id the same on every copy (made from the public id)."""
    row_id = str(uuid.uuid5(_LABEL_IDS, f"{retro.id}\n{kind}\n{name}"))
    if retro.doc_id is None or retro.doc_id == retro.id:
        return row_id, None
    return row_id, str(uuid.uuid5(_LABEL_IDS, f"{retro.public_id}\n{kind}\n{name}"))


def write_label_changes(
    store: Store, retro: Retrospective, adding: Sequence[LabelKey], removing: Sequence[LabelKey]
) -> None:
    """Remove then add labels in one transaction; a label already there is not added
    twice, and any change bumps the retrospective's `updated_at`."""
    table = RetroLabel.__table__  # type: ignore[attr-defined]
    graves = Tombstone.__table__  # type: ignore[attr-defined]
    retro_id = retro.id
    with store.writing() as session:
        for kind, name in removing:
            bury_where(
                session,
                RetroLabel,
                sa.and_(table.c.retro_id == retro_id, table.c.kind == kind, table.c.name == name),
            )
        session.flush()
        conn = session.connection()
        existing = set(
            conn.execute(
                sa.select(table.c.kind, table.c.name).where(table.c.retro_id == retro_id)
            ).all()
        )
        top = conn.execute(
            sa.select(sa.func.max(table.c.position)).where(table.c.retro_id == retro_id)
        ).scalar()
        position = -1 if top is None else int(top)
        now = utcnow()
        for kind, name in dict.fromkeys(adding):
            if (kind, name) in existing:
                continue
            position += 1
            row_id, doc_id = label_ids(retro, kind, name)
            # Back after a removal: the label is live again, under the same id.
            conn.execute(
                sa.delete(graves).where(
                    graves.c.retro_id == retro_id,
                    graves.c.kind == "retro_label",
                    sa.func.coalesce(graves.c.doc_id, graves.c.id) == (doc_id or row_id),
                )
            )
            conn.execute(
                sa.insert(table).values(
                    id=row_id,
                    doc_id=doc_id,
                    created_at=now,
                    updated_at=now,
                    retro_id=retro_id,
                    position=position,
                    kind=kind,
                    name=name,
                )
            )
        if adding or removing:
            retros = Retrospective.__table__  # type: ignore[attr-defined]
            conn.execute(sa.update(retros).where(retros.c.id == retro_id).values(updated_at=now))
