"""The records of Retro Document v2, field by field: one table that the writer, the reader
and the merge all follow, so the three can never disagree about a key, its order or its type.

A record's *values* are its model column values, except that links to other records
(`event_id`, `chain_id`, `why_id`) hold the linked record's public id. Values are what
merges compare: two records with equal values say the same thing, however the JSON was
spelled ("Z" or "+00:00", key order, spacing).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from retrotui.core.times import format_instant
from retrotui.models import (
    ActionItem,
    ActionStatus,
    EventKind,
    LabelKind,
    Note,
    NoteKind,
    Participant,
    Priority,
    Record,
    RetroLabel,
    RetroStatus,
    Role,
    Severity,
    StageClock,
    TimelineEvent,
    Why,
    WhyChain,
)

# Value kinds: text, text? (may be null), enum, enum?, bool, int, instant (with the offset
# it was typed in, column + "_offset"), instant?, utc? (a UTC instant or null), date?, ref.


@dataclass(frozen=True)
class FieldSpec:
    key: str
    column: str
    kind: str
    enum: type[StrEnum] | None = None
    ref: str | None = None  # the collection a ref points into
    nonempty: bool = False


@dataclass(frozen=True)
class Collection:
    key: str
    model: type[Record]
    fields: tuple[FieldSpec, ...]
    # created_at is shown to people (notes, actions) and keeps the offset it was made in.
    created_offset: bool = False

    @property
    def kind(self) -> str:
        return str(self.model.__tablename__)


def _f(key: str, kind: str, column: str | None = None, **extra: Any) -> FieldSpec:
    return FieldSpec(key, column or key, kind, **extra)


POSITION = _f("position", "int")

PARTICIPANTS = Collection(
    "participants",
    Participant,
    (POSITION, _f("name", "text", nonempty=True), _f("role", "enum", enum=Role)),
)
TIMELINE = Collection(
    "timeline",
    TimelineEvent,
    (
        POSITION,
        _f("time", "instant"),
        _f("kind", "enum", enum=EventKind),
        _f("actor", "text"),
        _f("source", "text"),
        _f("key", "bool"),
        _f("text", "text"),
    ),
)
NOTES = Collection(
    "notes",
    Note,
    (
        POSITION,
        _f("kind", "enum", enum=NoteKind),
        _f("event_id", "ref", ref="timeline"),
        _f("author", "text"),
        _f("text", "text"),
    ),
    created_offset=True,
)
WHY_CHAINS = Collection("why_chains", WhyChain, (POSITION, _f("problem", "text")))
WHYS = Collection(
    "whys",
    Why,
    (
        _f("chain_id", "ref", ref="why_chains"),
        POSITION,
        _f("root_cause", "bool", "is_root_cause"),
        _f("author", "text"),
        _f("question", "text?"),
        _f("answer", "text", nonempty=True),
    ),
)
ACTIONS = Collection(
    "actions",
    ActionItem,
    (
        POSITION,
        _f("why_id", "ref", ref="whys"),
        _f("title", "text", nonempty=True),
        _f("description", "text"),
        _f("owner", "text"),
        _f("author", "text"),
        _f("due", "date?"),
        _f("due_is_default", "bool"),
        _f("priority", "enum", enum=Priority),
        _f("status", "enum", enum=ActionStatus),
        _f("ticket", "text"),
        _f("closed_at", "instant?"),
    ),
    created_offset=True,
)
# Contributing factors (`name` an id of the taxonomy, core.factors) and free tags (`name`
# as stored: lower case, single spaces). One per kind and name in a retrospective.
LABELS = Collection(
    "labels",
    RetroLabel,
    (POSITION, _f("kind", "enum", enum=LabelKind), _f("name", "text", nonempty=True)),
)
STAGE_CLOCKS = Collection(
    "stage_clocks",
    StageClock,
    (_f("stage", "int"), _f("banked_ms", "int"), _f("running_since", "utc?")),
)

# In document order. Merges take them in dependency order (MERGE_ORDER).
COLLECTIONS = (PARTICIPANTS, TIMELINE, NOTES, WHY_CHAINS, WHYS, ACTIONS, LABELS, STAGE_CLOCKS)
MERGE_ORDER = COLLECTIONS
BY_KIND = {c.kind: c for c in COLLECTIONS}

RETRO_FIELDS = (
    _f("title", "text", nonempty=True),
    _f("incident_ref", "text?"),
    _f("severity", "enum?", enum=Severity),
    _f("status", "enum", enum=RetroStatus),
    _f("template", "text"),
    _f("source_url", "text?"),
    _f("started_at", "instant?"),
    _f("detected_at", "instant?"),
    _f("mitigated_at", "instant?"),
    _f("resolved_at", "instant?"),
    _f("summary", "text"),
    _f("impact", "text"),
)


def utc_text(value: datetime) -> str:
    """A bookkeeping instant: UTC, "Z", microseconds only when there are any."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def values_of(
    fields: tuple[FieldSpec, ...], record: Any, public: dict[str, dict[str, str]]
) -> dict[str, Any]:
    """A record's values (see the module doc); `public` maps, per collection, our ids to
    public ids of live records (a link to anything else reads as no link)."""
    values: dict[str, Any] = {}
    for spec in fields:
        value = getattr(record, spec.column)
        if spec.kind == "ref":
            assert spec.ref is not None
            value = None if value is None else public[spec.ref].get(value)
        values[spec.column] = value
        if spec.kind.startswith("instant"):
            values[f"{spec.column}_offset"] = getattr(record, f"{spec.column}_offset")
    return values


def render_fields(fields: tuple[FieldSpec, ...], values: dict[str, Any]) -> dict[str, Any]:
    """Values as JSON-ready document keys, in the table's order."""
    out: dict[str, Any] = {}
    for spec in fields:
        value = values.get(spec.column)
        if value is None:
            out[spec.key] = None
        elif spec.kind.startswith("instant"):
            out[spec.key] = format_instant(value, values.get(f"{spec.column}_offset"))
        elif spec.kind == "utc?":
            out[spec.key] = utc_text(value)
        elif spec.kind == "date?":
            out[spec.key] = value.isoformat()
        elif spec.kind.startswith("enum"):
            out[spec.key] = str(value)
        elif spec.kind == "bool":
            out[spec.key] = bool(value)
        else:
            out[spec.key] = value
    return out


def render_record(
    collection: Collection,
    public_id: str,
    values: dict[str, Any],
    updated_at: datetime,
) -> dict[str, Any]:
    """One live record: id, its fields, created_at, updated_at."""
    item = {"id": public_id, **render_fields(collection.fields, values)}
    created = values["created_at"]
    if collection.created_offset:
        item["created_at"] = format_instant(created, values.get("created_at_offset"))
    else:
        item["created_at"] = utc_text(created)
    item["updated_at"] = utc_text(updated_at)
    return item


def render_tombstone(public_id: str, updated_at: datetime) -> dict[str, Any]:
    return {"id": public_id, "deleted": True, "updated_at": utc_text(updated_at)}


def record_values(collection: Collection, record: Any, public: dict[str, dict[str, str]]) -> Any:
    """`values_of` plus created_at (and its offset where the collection keeps one)."""
    values = values_of(collection.fields, record, public)
    values["created_at"] = record.created_at
    if collection.created_offset:
        values["created_at_offset"] = record.created_at_offset
    return values


def same_values(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Equal values; a UTC offset of 0 and "Z" (None) are the same choice."""
    if a.keys() != b.keys():
        return False
    for key, left in a.items():
        right = b[key]
        if key.endswith("_offset"):
            left, right = left or 0, right or 0
        if left != right:
            return False
    return True


def canonical(fields: tuple[FieldSpec, ...], values: dict[str, Any]) -> str:
    """A text that orders two different versions the same way on every machine."""
    rendered = render_fields(fields, values)
    if "created_at" in values:
        rendered["created_at"] = utc_text(values["created_at"])
    return json.dumps(rendered, ensure_ascii=False, sort_keys=True)
