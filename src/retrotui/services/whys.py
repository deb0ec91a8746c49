"""5 Whys: chains (one per contributing factor) and their levels; add, edit, reorder,
remove, and mark the root cause.

Every function validates first (a UserError sentence), then commits at once. Changes that
touch several rows (reordering, the root-cause mark, deleting with the action links that
point at it) are one transaction in `store.whys`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from retrotui.core.whys import Chain, group_chains
from retrotui.errors import ValidationError
from retrotui.models import Record, Retrospective, Why, WhyChain
from retrotui.services.meeting import MAX_TITLE, checked_text
from retrotui.store import errors as store_errors
from retrotui.store import whys as store_whys
from retrotui.store.repository import Store

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
    with _known(WhyChain, chain_id):
        return store_whys.set_chain_problem(store, chain_id, text)


def delete_chain(store: Store, chain_id: str) -> None:
    """Delete a chain with its levels; action items that addressed them stay, unlinked."""
    with _known(WhyChain, chain_id):
        store_whys.remove_chain(store, chain_id)


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
    with _known(Why, why_id):
        return store_whys.reorder_why(store, why_id, delta)


def delete_why(store: Store, why_id: str) -> None:
    """Delete a level; action items that addressed it stay, unlinked."""
    with _known(Why, why_id):
        store_whys.remove_why(store, why_id)


def set_root_cause(store: Store, why_id: str, on: bool = True) -> Why:
    """Mark (or unmark) a level as the root cause; marking clears any other in its chain."""
    with _known(Why, why_id):
        return store_whys.mark_root_cause(store, why_id, on)


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


@contextmanager
def _known(model: type[Record], record_id: str) -> Iterator[None]:
    """Word a record that is not (any more) in the database as the user's problem."""
    try:
        yield
    except store_errors.NotFoundError:
        raise _missing(model, record_id) from None


def _missing(model: type[Record], record_id: str) -> ValidationError:
    return ValidationError(f"No {_WHAT.get(model, 'record')} has the id {record_id!r}.")
