"""Contributing factors and free tags of a retrospective: read them, change them.

Factors are checked against the taxonomy (`core.factors`); tags are free words. Both are
stored as `RetroLabel` rows, and adding one that is already there changes nothing;
removing one leaves a tombstone (Retro Document merges need it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from retrotui.core.factors import FACTOR, TAG, Taxonomy, default_taxonomy, normalise_tag
from retrotui.errors import UserError
from retrotui.models import RetroLabel, Retrospective
from retrotui.store.labels import write_label_changes
from retrotui.store.repository import Store


@dataclass(frozen=True)
class Labels:
    """A retrospective's factor ids and tags, each in the order they were added."""

    factors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


def labels_of(store: Store, retro_id: str) -> Labels:
    return split_labels(store.children(RetroLabel, retro_id))


def split_labels(rows: Iterable[RetroLabel]) -> Labels:
    rows = list(rows)
    return Labels(
        factors=tuple(r.name for r in rows if r.kind == FACTOR),
        tags=tuple(r.name for r in rows if r.kind == TAG),
    )


def change_labels(
    store: Store,
    retro: Retrospective,
    *,
    add_factors: Sequence[str] = (),
    remove_factors: Sequence[str] = (),
    add_tags: Sequence[str] = (),
    remove_tags: Sequence[str] = (),
    taxonomy: Taxonomy | None = None,
) -> Labels:
    """Add and remove factors and tags in one transaction; the labels as they now are.

    Factors are named by id or name (any case); removing one that the taxonomy no longer
    knows works by its stored id. Every name is checked before anything is written."""
    tax = taxonomy or default_taxonomy()
    current = labels_of(store, retro.id)
    adding = [
        (FACTOR, name if name in current.factors else tax.resolve(name)) for name in add_factors
    ]
    adding += [(TAG, normalise_tag(name)) for name in add_tags]
    removing = [(FACTOR, _stored_factor(tax, current, name)) for name in remove_factors]
    removing += [(TAG, normalise_tag(name)) for name in remove_tags]
    write_label_changes(store, retro, adding, removing)
    return labels_of(store, retro.id)


def set_labels(
    store: Store,
    retro: Retrospective,
    *,
    factors: Sequence[str],
    tags: Sequence[str],
    taxonomy: Taxonomy | None = None,
) -> Labels:
    """Make the retrospective's factors and tags exactly these (the meeting's form). A
    factor it already has stays even when the taxonomy no longer lists it."""
    tax = taxonomy or default_taxonomy()
    current = labels_of(store, retro.id)
    wanted_factors = [name if name in current.factors else tax.resolve(name) for name in factors]
    wanted_tags = [normalise_tag(name) for name in tags]
    return change_labels(
        store,
        retro,
        add_factors=[f for f in wanted_factors if f not in current.factors],
        remove_factors=[f for f in current.factors if f not in wanted_factors],
        add_tags=[t for t in wanted_tags if t not in current.tags],
        remove_tags=[t for t in current.tags if t not in wanted_tags],
        taxonomy=tax,
    )


def _stored_factor(tax: Taxonomy, current: Labels, name: str) -> str:
    folded = " ".join(name.split()).casefold()
    if folded in current.factors:
        return folded
    factor = tax.find(name)
    if factor is None:
        raise UserError(f"The retrospective has no contributing factor {name.strip()!r}.")
    return factor.id


def parse_tag_list(text: str) -> list[str]:
    """Tags typed as one line, separated by commas."""
    return [part for part in (p.strip() for p in text.split(",")) if part]
