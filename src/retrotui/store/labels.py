"""A retrospective's contributing factors and tags as `retro_label` rows: one transaction
adds and removes them (names arrive checked and normalised by `services.labels`)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from retrotui.models import RetroLabel, Retrospective, new_id, utcnow
from retrotui.store.repository import Store

# (kind, name): kind is core.factors.FACTOR or TAG.
LabelKey = tuple[str, str]


def write_label_changes(
    store: Store, retro_id: str, adding: Sequence[LabelKey], removing: Sequence[LabelKey]
) -> None:
    """Remove then add labels in one transaction; a label already there is not added
    twice, and any change bumps the retrospective's `updated_at`."""
    table = RetroLabel.__table__  # type: ignore[attr-defined]
    with store.writing() as session:
        conn = session.connection()
        for kind, name in removing:
            conn.execute(
                sa.delete(table).where(
                    table.c.retro_id == retro_id, table.c.kind == kind, table.c.name == name
                )
            )
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
            conn.execute(
                sa.insert(table).values(
                    id=new_id(),
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
