"""A retrospective as a live view: read once, then kept up to date from the change feed
(store/changes.py) and from this terminal's own saves, never read whole again.

`open_view` reads everything and where the log stands, in one transaction. `read_feed`
reads what the log says changed since then (only those records, in one transaction, so a
change written in one transaction is seen whole or not at all). `merge` folds records into
the RetroBundle fields: a changed list is a new list, an unchanged one the very same
object, so a screen redraws only what shows a changed list.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from retrotui.core.whys import Chain, group_chains
from retrotui.models import (
    ActionItem,
    Note,
    Participant,
    Record,
    RetroLabel,
    Retrospective,
    TimelineEvent,
    Why,
    WhyChain,
)
from retrotui.store.changes import Change, Cursor, changes_since, cursor_now, group_by_table
from retrotui.store.repository import Store

MODELS: dict[str, type[Record]] = {
    "retrospective": Retrospective,
    "participant": Participant,
    "timeline_event": TimelineEvent,
    "note": Note,
    "why_chain": WhyChain,
    "why": Why,
    "action_item": ActionItem,
    "retro_label": RetroLabel,
}
# The RetroBundle list each table fills (the retrospective is `retro`, chains are built).
FIELDS = {
    "participant": "participants",
    "timeline_event": "events",
    "note": "notes",
    "why": "whys",
    "action_item": "actions",
    "retro_label": "labels",
}
# More changed records than this in one table: the table is read whole (an import).
WHOLE_TABLE = 200


@dataclass
class FeedUpdate:
    """What changed since a cursor: records read again (None: deleted), by table; tables
    read whole; and the cursor to read from next time."""

    cursor: Cursor
    records: dict[str, dict[str, Record | None]] = field(default_factory=dict)
    whole: dict[str, list[Record]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.records and not self.whole


def open_view(store: Store, retro_id: str) -> tuple[dict[str, Any], Cursor]:
    """Every RetroBundle field of a retrospective and the cursor they go with, read in
    one transaction."""
    with store.snapshot() as conn:
        cursor = cursor_now(conn)
        return read_whole(store, retro_id, MODELS), cursor


def read_whole(store: Store, retro_id: str, tables: Collection[str]) -> dict[str, Any]:
    """The named tables of a retrospective as RetroBundle fields (chains as WhyChain
    records under "why_chain": `merge` groups them)."""
    fields: dict[str, Any] = {}
    for table in tables:
        model = MODELS[table]
        if table == "retrospective":
            fields["retro"] = store.get(Retrospective, retro_id)
        else:
            fields[FIELDS.get(table, table)] = store.read_children(model, retro_id)
    return fields


def read_feed(
    store: Store, retro_id: str, cursor: Cursor, known: Callable[[Change], bool]
) -> FeedUpdate:
    """What changed in a retrospective since `cursor`, read in one transaction: the log's
    rows, then only the records they name that this view does not already have (`known`
    says which: its own saves, merged when they were made)."""
    with store.snapshot() as conn:
        now = cursor_now(conn)
        update = FeedUpdate(now)
        if cursor.stale:  # the log may have been trimmed past it: read everything
            fields = read_whole(store, retro_id, MODELS)
            update.whole = {t: _as_list(fields, t) for t in MODELS}
            return update
        for table, by_id in group_by_table(changes_since(conn, retro_id, cursor)).items():
            model = MODELS.get(table)
            if model is None:
                continue
            wanted = [c.record_id for c in by_id.values() if c.op != "delete" and not known(c)]
            deleted = {c.record_id: None for c in by_id.values() if c.op == "delete"}
            if len(wanted) > WHOLE_TABLE and table != "retrospective":
                update.whole[table] = store.read_children(model, retro_id)  # type: ignore[type-var]
                continue
            found: dict[str, Record | None] = dict(deleted)
            if wanted:
                found.update((r.id, r) for r in store.read_records(model, wanted))
            if found:
                update.records[table] = found
    return update


def _as_list(fields: dict[str, Any], table: str) -> list[Record]:
    if table == "retrospective":
        return [fields["retro"]]
    value: list[Record] = fields[FIELDS.get(table, table)]
    return value


def _order(table: str) -> Callable[[Any], Any]:
    if table == "timeline_event":
        return lambda r: (r.time, r.position, r.id)
    return lambda r: (r.position, r.id)


def merged_list(
    current: Sequence[Record], changes: dict[str, Record | None], table: str
) -> list[Record]:
    """`current` with records replaced, added and removed, in the table's display order."""
    kept = [r for r in current if r.id not in changes]
    added = [r for r in changes.values() if r is not None]
    if not added:
        return kept
    key = _order(table)
    added.sort(key=key)
    if not kept or key(kept[-1]) <= key(added[0]):
        return kept + added  # new records at the end (a note added): no sort of the rest
    return sorted(kept + added, key=key)


def merge(
    fields: dict[str, Any], chain_records: list[WhyChain], update: FeedUpdate
) -> tuple[dict[str, Any], list[WhyChain], bool]:
    """The RetroBundle fields that change with `update` (given the current ones), the why
    chain records after it, and whether the retrospective itself was deleted."""
    out: dict[str, Any] = {}
    gone = False
    tables = set(update.records) | set(update.whole)
    for table in tables:
        if table in update.whole:
            records = update.whole[table]
        else:
            changes = update.records[table]
            if table == "retrospective":
                record = next(iter(changes.values()))
                if record is None:
                    gone = True
                else:
                    out["retro"] = record
                continue
            before = chain_records if table == "why_chain" else fields[FIELDS[table]]
            records = merged_list(before, changes, table)
        if table == "retrospective":
            out["retro"] = records[0]
        elif table == "why_chain":
            chain_records = records  # type: ignore[assignment]
        else:
            out[FIELDS[table]] = records
    if {"why", "why_chain"} & tables:
        whys = out.get("whys", fields["whys"])
        out["chains"] = group_chains(chain_records, whys)
        out.setdefault("whys", whys)
    return out, chain_records, gone


def chain_records_of(chains: Iterable[Chain]) -> list[WhyChain]:
    """The stored chain records behind grouped chains (not the unsaved stray chain)."""
    return [chain.record for chain in chains if chain.record.id]


def first_fields(fields: dict[str, Any]) -> tuple[dict[str, Any], list[WhyChain]]:
    """`open_view`'s fields as RetroBundle fields (chains grouped), and the chain records."""
    fields = dict(fields)
    chain_records: list[WhyChain] = fields.pop("why_chain")
    fields["chains"] = group_chains(chain_records, fields["whys"])
    return fields, chain_records
