"""Stored stage clocks: how long each stage of a retrospective's meeting has run, and since
when it runs (the agenda service turns them into `ClockState`s)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlmodel import Session, col, select

from retrotui.models import StageClock, Tombstone, utcnow
from retrotui.store.repository import Store
from retrotui.store.tombstones import tombstones


def clock_rows(session: Session, retro_id: str) -> list[StageClock]:
    """A retrospective's clocks, in stage order, read inside `session`."""
    query = select(StageClock).where(col(StageClock.retro_id) == retro_id)
    return sorted(session.exec(query).all(), key=lambda row: row.stage)


def read_clocks(store: Store, retro_id: str) -> list[StageClock]:
    with store.reading() as session:
        return clock_rows(session, retro_id)


def write_clocks(
    store: Store, retro_id: str, clocks: Mapping[int, tuple[int, datetime | None]]
) -> None:
    """Store (banked milliseconds, running since) for the stages given, in one transaction;
    a clock that did not change keeps its row (and its `updated_at`) untouched."""
    with store.writing() as session:
        stored = {row.stage: row for row in clock_rows(session, retro_id)}
        for stage, (milliseconds, running_since) in clocks.items():
            row = stored.get(stage)
            if row is None:
                row = StageClock(retro_id=retro_id, stage=stage)
            elif row.banked_ms == milliseconds and row.running_since == running_since:
                continue
            row.banked_ms, row.running_since = milliseconds, running_since
            row.updated_at = utcnow()
            session.add(row)


def read_clocks_and_tombstones(
    store: Store, retro_id: str
) -> tuple[list[StageClock], list[Tombstone]]:
    """What a Retro Document carries besides the records: clocks and tombstones, read in one
    transaction."""
    with store.reading() as session:
        return clock_rows(session, retro_id), tombstones(session, retro_id)
