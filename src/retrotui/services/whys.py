"""5 Whys: chains (one per contributing factor) and their levels; add, edit, reorder,
remove, and mark the root cause.

Every function validates first (a UserError sentence), then commits at once. Changes that
touch several rows (reordering, the root-cause mark, deleting with the action links that
point at it) are one transaction, and bump the retrospective's `updated_at` so the other
terminal's change detection (`Store.fingerprint`) sees chain edits too.
"""

from __future__ import annotations

from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Session, col, select

from retrotui.core.whys import Chain, group_chains
from retrotui.errors import ValidationError
from retrotui.models import ActionItem, Record, Retrospective, Why, WhyChain, utcnow
from retrotui.services.meeting import MAX_TITLE, checked_text
from retrotui.store import errors as store_errors
from retrotui.store.repository import Store
from retrotui.store.tombstones import bury, bury_where

R = TypeVar("R", bound=Record)

DEFAULT_QUESTION = "Why?"
_WHAT = {Retrospective: "retrospective", WhyChain: "5 Whys chain", Why: "why level"}


# -- reading ---------------------------------------------------------------------------------


def load_chains(store: Store, retro_id: str) -> list[Chain]:
    """The chains of a retrospective in order, each with its levels, first answer first."""
    return group_chains(store.children(WhyChain, retro_id), store.children(Why, retro_id))


def load_chain(store: Store, chain_id: str) -> Chain:
    chain = _get(store, WhyChain, chain_id)
    whys = [why for why in store.children(Why, chain.retro_id) if why.chain_id == chain_id]
    return Chain(chain, whys)


# -- chains ----------------------------------------------------------------------------------


def add_chain(store: Store, retro_id: str, problem: str | None = None) -> WhyChain:
    """Start a chain; its problem statement defaults to the retrospective's summary."""
    retro = _get(store, Retrospective, retro_id)
    text = retro.summary if problem is None else checked_text(problem, "problem statement")
    chain = store.add(WhyChain(retro_id=retro_id, problem=text))
    store.touch(retro_id)
    return chain


def update_chain_problem(store: Store, chain_id: str, problem: str) -> WhyChain:
    text = checked_text(problem, "problem statement")
    with store.writing() as session:
        chain = _fetch(session, WhyChain, chain_id)
        chain.problem = text
        chain.updated_at = utcnow()
        _bump(session, chain.retro_id)
    return chain


def delete_chain(store: Store, chain_id: str) -> None:
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


# -- levels ----------------------------------------------------------------------------------


def add_why(
    store: Store,
    chain_id: str,
    *,
    question: str = DEFAULT_QUESTION,
    answer: str,
    author: str = "",
) -> Why:
    """Add a level at the end of the chain, typed by `author`."""
    asked, answered = _question(question), _answer(answer)
    chain = _get(store, WhyChain, chain_id)
    return store.add(
        Why(
            retro_id=chain.retro_id,
            chain_id=chain_id,
            question=asked,
            answer=answered,
            author=_author(author),
        )
    )


def update_why(
    store: Store, why_id: str, *, question: str | None = None, answer: str | None = None
) -> Why:
    """Change the question and/or the answer (None leaves a field as it is)."""
    changes: dict[str, str | None] = {}
    if question is not None:
        changes["question"] = _question(question)
    if answer is not None:
        changes["answer"] = _answer(answer)
    if not changes:
        return _get(store, Why, why_id)
    try:
        return store.update(Why, why_id, **changes)
    except store_errors.NotFoundError:
        raise ValidationError(f"No why level has the id {why_id!r}.") from None


def move_why(store: Store, why_id: str, delta: int) -> list[Why]:
    """Move a level `delta` places within its chain (negative: up, toward the problem),
    stopping at either end. Returns the chain's levels in their new order."""
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


def delete_why(store: Store, why_id: str) -> None:
    """Delete a level; action items that addressed it stay, unlinked."""
    with store.writing() as session:
        why = _fetch(session, Why, why_id)
        _unlink_actions(session, col(ActionItem.why_id) == why_id)
        bury(session, [why])
        _bump(session, why.retro_id)


def set_root_cause(store: Store, why_id: str, on: bool = True) -> Why:
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


# -- helpers ---------------------------------------------------------------------------------


def _author(value: str) -> str:
    return checked_text(value, "author", limit=MAX_TITLE).strip()


def _answer(value: str) -> str:
    return checked_text(value, "answer", required=True)


def _question(value: str) -> str | None:
    # A blank question reads as "Why?" everywhere; None says "not asked in other words".
    text = checked_text(value, "question")
    return text if text.strip() else None


def _get(store: Store, model: type[R], record_id: str) -> R:
    try:
        return store.get(model, record_id)
    except store_errors.NotFoundError:
        raise _missing(model, record_id) from None


def _fetch(session: Session, model: type[R], record_id: str) -> R:
    record = session.get(model, record_id)
    if record is None:
        raise _missing(model, record_id)
    return record


def _missing(model: type[Record], record_id: str) -> ValidationError:
    return ValidationError(f"No {_WHAT.get(model, 'record')} has the id {record_id!r}.")


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
