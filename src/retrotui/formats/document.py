"""Retro Document v2 (docs/formats/retro-document-v2.md): writing one from a bundle.

Everything a retrospective holds, losslessly, in bytes that depend on the data alone:
every key always present (null when unset) in the order of `formats.document_fields`,
records in the order the meeting shows them (tombstones after them, by id), one record per
line, two-space indent, UTF-8 as typed, a final newline. The same data always gives the
same bytes, so a retrospective can be reviewed as a diff. Record ids are `public_id`, so
ids survive any number of round trips. Reading lives in `formats/document_reader*.py`.
"""

from __future__ import annotations

import json
from typing import Any

from retrotui.core.bundle import RetroBundle
from retrotui.formats.document_fields import (
    COLLECTIONS,
    RETRO_FIELDS,
    Collection,
    record_values,
    render_fields,
    render_record,
    render_tombstone,
    utc_text,
)
from retrotui.formats.inert import json_inert
from retrotui.models import Tombstone

FORMAT_NAME = "retro-document"
FORMAT_VERSION = 2
MILESTONES = ("started_at", "detected_at", "mitigated_at", "resolved_at")


def dump_document(bundle: RetroBundle) -> str:
    """The bundle as Retro Document v2 JSON text."""
    return render_document(document_dict(bundle))


def render_document(doc: dict[str, Any]) -> str:
    """A document dict as text: top-level keys one per line, each record on one line."""
    lines = []
    for key, value in doc.items():
        if isinstance(value, list) and value:
            items = ",\n".join(f"    {_json(item)}" for item in value)
            lines.append(f"  {_json(key)}: [\n{items}\n  ]")
        else:
            lines.append(f"  {_json(key)}: {_json(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _json(value: Any) -> str:
    # UTF-8 as typed, except the controls a terminal acts on (DEL, C1), written as \u
    # escapes: the same data, and the document can be printed safely.
    return json_inert(json.dumps(value, ensure_ascii=False))


def document_dict(bundle: RetroBundle) -> dict[str, Any]:
    """The bundle as the plain dict `dump_document` writes, keys in the spec's order."""
    retro = bundle.retro
    chains = [chain.record for chain in bundle.why_chains() if chain.record.id]
    live: dict[str, list[Any]] = {
        "participants": bundle.participants,
        "timeline": bundle.events,
        "notes": bundle.notes,
        "why_chains": chains,
        "whys": [why for chain in bundle.why_chains() for why in chain.whys],
        "actions": bundle.actions,
        "labels": bundle.labels,
        "stage_clocks": bundle.clocks,
    }
    public = {key: {r.id: r.public_id for r in records} for key, records in live.items()}
    stamps = [retro.edited_at]
    stamps += [r.updated_at for records in live.values() for r in records]
    stamps += [t.updated_at for t in bundle.tombstones]
    revision = max(stamps)
    doc: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "id": retro.public_id,
        "revision": utc_text(revision),
        "base_revision": utc_text(retro.synced_revision or revision),
        "created_at": utc_text(retro.created_at),
        "updated_at": utc_text(retro.edited_at),
    }
    doc.update(render_fields(RETRO_FIELDS, _retro_values(retro)))
    chain_order = {chain.id: index for index, chain in enumerate(chains)}
    for collection in COLLECTIONS:
        records = sorted(live[collection.key], key=_order(collection, chain_order))
        buried = [t for t in bundle.tombstones if t.kind == collection.kind]
        doc[collection.key] = [
            *(_record(collection, r, public) for r in records),
            *(render_tombstone(t.public_id, t.updated_at) for t in _by_public_id(buried)),
        ]
    return doc


def _retro_values(retro: Any) -> dict[str, Any]:
    values = {spec.column: getattr(retro, spec.column) for spec in RETRO_FIELDS}
    for name in MILESTONES:
        values[f"{name}_offset"] = getattr(retro, f"{name}_offset")
    return values


def _record(collection: Collection, record: Any, public: dict[str, dict[str, str]]) -> Any:
    values = record_values(collection, record, public)
    return render_record(collection, record.public_id, values, record.updated_at)


def _order(collection: Collection, chain_order: dict[str, int]) -> Any:
    """The order the meeting shows records in, ties by public id (the same on every copy)."""
    if collection.key == "timeline":
        return lambda r: (r.time, r.position, r.public_id)
    if collection.key == "whys":
        return lambda r: (chain_order.get(r.chain_id, len(chain_order)), r.position, r.public_id)
    if collection.key == "stage_clocks":
        return lambda r: (r.stage, r.public_id)
    return lambda r: (r.position, r.public_id)


def _by_public_id(tombstones: list[Tombstone]) -> list[Tombstone]:
    return sorted(tombstones, key=lambda t: t.public_id)
