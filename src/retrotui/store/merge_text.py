"""The words of a Retro Document merge: the report's change lines, and the notes that keep
the losing side of a conflict (store/document_merge.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from retrotui.core.merge import Version
from retrotui.formats.document_fields import FieldSpec, render_fields

# Conflict notes get an id made from what they keep, so the same conflict found on both
# copies (or twice) is one note.
CONFLICT_IDS = uuid.UUID("6b1c7e0e-4a0e-4c8f-9a55-3e1f5c2d7a10")
LABELS = {
    "participants": "participant",
    "timeline": "event",
    "notes": "note",
    "why_chains": "5 Whys chain",
    "whys": "why",
    "actions": "action",
    "labels": "label",
    "stage_clocks": "stage clock",
}


@dataclass
class Loser:
    """The losing side of a conflict, to keep as a note."""

    kind: str  # a collection key, or "retrospective"
    public_id: str
    fields: tuple[FieldSpec, ...]
    values: dict[str, Any]
    winner: dict[str, Any]  # empty when the winner is a deletion
    stamp: Version


def note_id(loser: Loser) -> str:
    text = loser_text(loser)
    return str(uuid.uuid5(CONFLICT_IDS, f"{loser.public_id}|{loser.stamp}|{text}"))


def loser_text(loser: Loser) -> str:
    what = (
        "the retrospective"
        if loser.kind == "retrospective"
        else (f"{LABELS[loser.kind]} {loser.public_id}")
    )
    if loser.winner:
        shown = differences(loser.fields, loser.values, loser.winner)
        return f"Merge conflict on {what}: the other copy's version said {shown}."
    shown = summary(loser.fields, loser.values)
    return f"Merge conflict on {what}: it was deleted, but one copy had changed it to: {shown}."


def differences(
    fields: tuple[FieldSpec, ...], values: dict[str, Any], other: dict[str, Any]
) -> str:
    mine, theirs = render_fields(fields, values), render_fields(fields, other)
    parts = [f"{key} {value!r}" for key, value in mine.items() if theirs.get(key) != value]
    return "; ".join(parts) or "the same"


def summary(fields: tuple[FieldSpec, ...], values: dict[str, Any]) -> str:
    rendered = render_fields(fields, values)
    texts = [f"{spec.key} {rendered[spec.key]!r}" for spec in fields if spec.kind == "text"]
    return "; ".join(texts) or repr(rendered)


def change_line(
    label: str, fields: tuple[FieldSpec, ...], old: dict[str, Any], new: dict[str, Any]
) -> str:
    before, after = render_fields(fields, old), render_fields(fields, new)
    parts = [
        f"{key}: {before.get(key)!r} -> {value!r}"
        for key, value in after.items()
        if before.get(key) != value
    ]
    return f"update {label}: " + ("; ".join(parts) or "(times only)")
