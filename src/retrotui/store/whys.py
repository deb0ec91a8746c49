"""5 Whys transactions that touch several rows at once: the problem statement, reordering,
the root-cause mark, and deletions with the action links that point at them. Each is one
transaction and bumps the retrospective's `updated_at`, so another terminal's change
detection (`Store.fingerprint`) sees chain edits too. Validation and wording live in
`services.whys`; a missing record raises `NotFoundError`."""

from __future__ import annotations

from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select

from retrotui.models import ActionItem, Record, Retrospective, Why, WhyChain, utcnow
from retrotui.store.errors import NotFoundError
from retrotui.store.repository import Store
from retrotui.store.tombstones import bury, bury_where

R = TypeVar("R", bound=Record)


def set_chain_problem(store: Store, chain_id: str, problem: str) -> WhyChain:
    with store.writing() as session:
        chain = _fetch(session, WhyChain, chain_id)
        chain.problem = problem
        chain.updated_at = utcnow()
        _bump(session, chain.retro_id)
    return chain


def remove_chain(store: Store, chain_id: str) -> None:
    """Delete a chain with its levels; action items that addressed them stay, unlinked."""
    with store.writing() as session:
        chain = _fetch(session, WhyChain, chain_id)
        levels = select(Why.id).where(col(Why.chain_id) == chain_id)
        _unlink_actions(session, col(ActionItem.why_id).in_(levels.scalar_subquery()))
        # Explicitly, not only through ON DELETE CASCADE: a connection without foreign
        # keys enabled must not leave levels behind (and each level leaves a tombstone).
        bury_where(session, Why, col(Why.chain_id) == chain_id)
        bury(session, [chain])
        _bump(session, chain.retro_id)


def reorder_why(store: Store, why_id: str, delta: int) -> list[Why]:
    """Move a level `delta` places within its chain, stopping at either end; the chain's
    levels in their new order."""
    with store.writing() as session:
        why = _fetch(session, Why, why_id)
        levels = _levels(session, why.chain_id)
        old = next(i for i, level in enumerate(levels) if level.id == why_id)
        new = min(max(old + delta, 0), len(levels) - 1)
        if new == old:
            return levels
        slots = sorted(level.position for level in levels)
        if len(set(slots)) < len(slots):  # duplicates (never made here): renumber
            slots = [slots[0] + i for i in range(len(slots))]
        levels.insert(new, levels.pop(old))
        now = utcnow()
        for level, slot in zip(levels, slots, strict=True):
            if level.position != slot:
                level.position, level.updated_at = slot, now
        _bump(session, why.retro_id)
    return levels


def remove_why(store: Store, why_id: str) -> None:
    """Delete a level; action items that addressed it stay, unlinked."""
    with store.writing() as session:
        why = _fetch(session, Why, why_id)
        _unlink_actions(session, col(ActionItem.why_id) == why_id)
        bury(session, [why])
        _bump(session, why.retro_id)


def mark_root_cause(store: Store, why_id: str, on: bool) -> Why:
    """Mark (or unmark) a level as the root cause; marking clears any other in its chain."""
    with store.writing() as session:
        why = _fetch(session, Why, why_id)
        now = utcnow()
        if on:
            for other in _levels(session, why.chain_id):
                if other.id != why_id and other.is_root_cause:
                    other.is_root_cause, other.updated_at = False, now
        if why.is_root_cause != on:
            why.is_root_cause, why.updated_at = on, now
        _bump(session, why.retro_id)
    return why


def _fetch(session: Session, model: type[R], record_id: str) -> R:
    record = session.get(model, record_id)
    if record is None:
        raise NotFoundError(f"No {model.__tablename__} has the id {record_id!r}.")
    return record


def _levels(session: Session, chain_id: str) -> list[Why]:
    query = select(Why).where(col(Why.chain_id) == chain_id)
    return list(session.exec(query.order_by(col(Why.position), col(Why.id))).all())


def _unlink_actions(session: Session, condition: sa.ColumnElement[bool]) -> None:
    session.execute(sa.update(ActionItem).where(condition).values(why_id=None, updated_at=utcnow()))


def _bump(session: Session, retro_id: str) -> None:
    session.execute(
        sa.update(Retrospective)
        .where(col(Retrospective.id) == retro_id)
        .values(updated_at=utcnow())
    )
