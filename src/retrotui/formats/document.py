"""Retro Document v1 (../shared/formats/retro-document-v1.md): writing one from a bundle.

The writer emits every field of every record (empty strings included) so that a merge,
where the imported record replaces the matched one, never mistakes "left out" for
"cleared". Optional values that have no empty form (dates, links to other records) are
left out when unset. Record ids are `public_id`, so ids survive any number of round trips.
Reading lives in `formats/document_reader.py`.
"""

from __future__ import annotations

import json
from typing import Any

from retrotui.core.times import format_instant
from retrotui.models import ActionItem, Note, Participant, TimelineEvent, Why
from retrotui.services.retros import RetroBundle

FORMAT_NAME = "retro-document"
FORMAT_VERSION = 1
MILESTONES = ("started_at", "detected_at", "mitigated_at", "resolved_at")


def dump_document(bundle: RetroBundle) -> str:
    """The bundle as Retro Document v1 JSON: UTF-8 as typed, two-space indent, final newline."""
    return json.dumps(document_dict(bundle), ensure_ascii=False, indent=2) + "\n"


def document_dict(bundle: RetroBundle) -> dict[str, Any]:
    """The bundle as the plain dict `dump_document` serialises, keys in the spec's order."""
    retro = bundle.retro
    doc: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "id": retro.public_id,
        "title": retro.title,
    }
    if retro.incident_ref is not None:
        doc["incident_ref"] = retro.incident_ref
    if retro.severity is not None:
        doc["severity"] = str(retro.severity)
    doc["status"] = str(retro.status)
    doc["template"] = retro.template
    if retro.source_url is not None:
        doc["source_url"] = retro.source_url
    for name in MILESTONES:
        value = getattr(retro, name)
        if value is not None:
            doc[name] = format_instant(value, getattr(retro, f"{name}_offset"))
    doc["summary"] = retro.summary
    doc["impact"] = retro.impact
    event_ids = {event.id: event.public_id for event in bundle.events}
    doc["participants"] = [_participant(p) for p in bundle.participants]
    doc["timeline"] = [_event(e) for e in bundle.events]
    doc["notes"] = [_note(n, event_ids) for n in bundle.notes]
    doc["whys"] = [_why(w) for w in _document_whys(bundle)]
    doc["actions"] = [_action(a) for a in bundle.actions]
    return doc


def _participant(participant: Participant) -> dict[str, Any]:
    return {"name": participant.name, "role": str(participant.role)}


def _event(event: TimelineEvent) -> dict[str, Any]:
    return {
        "id": event.public_id,
        "time": format_instant(event.time, event.time_offset),
        "kind": str(event.kind),
        "actor": event.actor,
        "source": event.source,
        "key": bool(event.key),
        "text": event.text,
    }


def _note(note: Note, event_ids: dict[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = {"id": note.public_id, "kind": str(note.kind)}
    if note.event_id is not None and note.event_id in event_ids:
        item["event_id"] = event_ids[note.event_id]
    item["author"] = note.author
    item["created_at"] = format_instant(note.created_at, note.created_at_offset)
    item["text"] = note.text
    return item


def _document_whys(bundle: RetroBundle) -> list[Why]:
    """The levels of the first chain only.

    Retro Document v1 has one `whys` array and no place for a problem statement or a root
    cause. Writing every chain's levels into it would turn several chains into one
    nonsensical chain on import; the first chain is the one the document can carry
    faithfully, and a reader imports it as one chain. The Markdown export shows them all.
    """
    chains = bundle.why_chains()
    return chains[0].whys if chains else []


def _why(why: Why) -> dict[str, Any]:
    # Always the object form: the string shorthand has no room for the id merges need.
    item: dict[str, Any] = {"id": why.public_id}
    if why.question is not None:
        item["question"] = why.question
    item["answer"] = why.answer
    return item


def _action(action: ActionItem) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": action.public_id,
        "title": action.title,
        "description": action.description,
        "owner": action.owner,
    }
    if action.due is not None:
        item["due"] = action.due.isoformat()
    item["priority"] = str(action.priority)
    item["status"] = str(action.status)
    item["ticket"] = action.ticket
    item["created_at"] = format_instant(action.created_at, action.created_at_offset)
    if action.closed_at is not None:
        item["closed_at"] = format_instant(action.closed_at, action.closed_at_offset)
    return item
