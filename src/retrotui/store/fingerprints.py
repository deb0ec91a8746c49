"""Fingerprints: cheap aggregate queries whose value changes whenever the rows they cover
change, made by this process or another one (counts catch deletes, `backend.change_marker`
edits). The lists of all retrospectives poll `overview_fingerprint`; the meeting screen
follows the change feed (store/changes.py) instead of `retro_fingerprint`."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import col, func

from retrotui.models import ActionItem, Note, Participant, Retrospective, TimelineEvent, Why
from retrotui.store import backend


def retro_fingerprint(dialect: sa.Dialect, retro_id: str) -> sa.CompoundSelect[Any]:
    """One row per table of a retrospective: (table, count, change marker)."""
    marker = backend.change_marker
    # The retrospective is one row: its own stamp is enough on both engines (the commit
    # order that `change_marker` guards against needs several rows), and a meeting step,
    # which moves current_stage without touching updated_at, must not look like an edit.
    parts: list[Any] = [
        sa.select(
            sa.literal("retrospective"),
            func.count(),
            backend.stamp_marker(dialect, Retrospective),
        ).where(col(Retrospective.id) == retro_id)
    ]
    for model in (Participant, TimelineEvent, Note, Why, ActionItem):
        parts.append(
            sa.select(sa.literal(model.__tablename__), func.count(), marker(dialect, model)).where(
                col(model.retro_id) == retro_id
            )
        )
    return sa.union_all(*parts)


def overview_fingerprint(dialect: sa.Dialect) -> sa.CompoundSelect[Any]:
    """Like `retro_fingerprint`, for the lists of all retrospectives and action items."""
    parts = [
        sa.select(
            sa.literal(model.__tablename__),
            func.count(),
            backend.change_marker(dialect, model),
        ).select_from(model)
        for model in (Retrospective, ActionItem)
    ]
    return sa.union_all(*parts)
