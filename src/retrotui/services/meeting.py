"""The live meeting: timeline events, notes, roles, summary and milestones.

Every function validates first (a UserError sentence), then commits through the Store.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from retrotui.core import limits
from retrotui.core.times import offset_minutes
from retrotui.errors import ValidationError
from retrotui.models import (
    EventKind,
    Note,
    NoteKind,
    Participant,
    Retrospective,
    Role,
    TimelineEvent,
)
from retrotui.services.retros import clean_text
from retrotui.store.events import remove_event
from retrotui.store.repository import Store

# The app's limits are everyone's (core/limits.py): imports are held to the same.
MAX_TEXT = limits.TEXT
MAX_TITLE = limits.TITLE
MILESTONES = ("started", "detected", "mitigated", "resolved")

K = TypeVar("K", bound=StrEnum)


def checked_text(value: str, what: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    """User text as typed, refused when it holds NUL, is required but blank, or is too long."""
    value = clean_text(value, what, required=required)
    if len(value) > limit:
        raise ValidationError(
            f"The {what} is {len(value):,} characters long; the limit is {limit:,}, "
            "so it was not saved (your text is still in the field)."
        )
    return value


def checked_choice(enum: type[K], value: str, what: str) -> K:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise ValidationError(f"{value!r} is not a {what}; use one of {allowed}.") from None


# -- retrospective fields ----------------------------------------------------------------


def update_retro_text(store: Store, retro_id: str, field: str, value: str) -> Retrospective:
    """Save the title, summary or impact as typed."""
    if field not in ("title", "summary", "impact"):
        raise ValueError(f"not a text field of a retrospective: {field}")
    limit = MAX_TITLE if field == "title" else MAX_TEXT
    text = checked_text(value, field, required=field == "title", limit=limit)
    return store.update(Retrospective, retro_id, **{field: text})


def set_milestone(
    store: Store, retro_id: str, milestone: str, when: datetime | None
) -> Retrospective:
    """Set or clear one of the started / detected / mitigated / resolved instants."""
    if milestone not in MILESTONES:
        raise ValueError(f"not a milestone: {milestone}")
    offset = offset_minutes(when) if when is not None else None
    return store.update(
        Retrospective, retro_id, **{f"{milestone}_at": when, f"{milestone}_at_offset": offset}
    )


def set_current_event(store: Store, retro_id: str, event_id: str | None) -> None:
    """Remember where the meeting is, so reopening resumes there."""
    store.update(Retrospective, retro_id, current_event_id=event_id)


# -- timeline events -----------------------------------------------------------------------


def add_event(
    store: Store,
    retro_id: str,
    *,
    time: datetime,
    text: str,
    kind: str = EventKind.NOTE,
    actor: str = "",
    key: bool = False,
) -> TimelineEvent:
    event = TimelineEvent(
        retro_id=retro_id,
        time=time,
        time_offset=offset_minutes(time),
        text=checked_text(text, "event text", required=True),
        kind=checked_choice(EventKind, kind, "kind of event"),
        actor=checked_text(actor, "actor", limit=MAX_TITLE),
        key=key,
        source="manual",
    )
    return store.add(event)


def update_event(store: Store, event_id: str, **changes: Any) -> TimelineEvent:
    """Change an event's time, text, kind, actor or key flag."""
    fields: dict[str, Any] = {}
    if "time" in changes:
        fields["time"] = changes["time"]
        fields["time_offset"] = offset_minutes(changes["time"])
    if "text" in changes:
        fields["text"] = checked_text(changes["text"], "event text", required=True)
    if "kind" in changes:
        fields["kind"] = checked_choice(EventKind, changes["kind"], "kind of event")
    if "actor" in changes:
        fields["actor"] = checked_text(changes["actor"], "actor", limit=MAX_TITLE)
    if "key" in changes:
        fields["key"] = bool(changes["key"])
    return store.update(TimelineEvent, event_id, **fields)


def delete_event(store: Store, event_id: str) -> None:
    """Delete an event; its notes stay, no longer tied to an event (an edit to each)."""
    remove_event(store, event_id)


# -- notes -----------------------------------------------------------------------------------


def add_note(
    store: Store,
    retro_id: str,
    *,
    text: str,
    kind: str = NoteKind.OBSERVATION,
    event_id: str | None = None,
    author: str = "",
) -> Note:
    note = Note(
        retro_id=retro_id,
        event_id=event_id,
        text=checked_text(text, "note"),
        kind=checked_choice(NoteKind, kind, "kind of note"),
        author=checked_text(author, "author", limit=MAX_TITLE),
    )
    return store.add(note)


def update_note(store: Store, note_id: str, **changes: Any) -> Note:
    fields: dict[str, Any] = {}
    if "text" in changes:
        fields["text"] = checked_text(changes["text"], "note")
    if "kind" in changes:
        fields["kind"] = checked_choice(NoteKind, changes["kind"], "kind of note")
    if "event_id" in changes:
        fields["event_id"] = changes["event_id"]
    if "author" in changes:
        fields["author"] = checked_text(changes["author"], "author", limit=MAX_TITLE)
    return store.update(Note, note_id, **fields)


def delete_note(store: Store, note_id: str) -> None:
    store.delete(Note, note_id)


# -- participants ----------------------------------------------------------------------------


def add_participant(store: Store, retro_id: str, name: str, role: str) -> Participant:
    return store.add(
        Participant(
            retro_id=retro_id,
            name=checked_text(name, "name", required=True, limit=MAX_TITLE).strip(),
            role=checked_choice(Role, role, "role"),
        )
    )


def update_participant(store: Store, participant_id: str, name: str, role: str) -> Participant:
    return store.update(
        Participant,
        participant_id,
        name=checked_text(name, "name", required=True, limit=MAX_TITLE).strip(),
        role=checked_choice(Role, role, "role"),
    )


def delete_participant(store: Store, participant_id: str) -> None:
    store.delete(Participant, participant_id)


def person_in_role(participants: list[Participant], role: Role) -> str:
    """The name of the first participant with `role`, or "" (e.g. the default note author)."""
    return next((p.name for p in participants if p.role == role), "")
