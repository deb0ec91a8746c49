"""The Markdown export: a retrospective rendered through a template as GitHub-flavoured
Markdown that pastes into any wiki (GitHub, GitLab, Confluence, Notion, MkDocs).

No HTML anywhere: tables for the metadata, timeline and actions, task-list checkboxes
for action status. Every piece of user text goes through `md_escape` for the place it
lands. The same data always gives the same bytes: nothing here reads the clock, and
records keep the order the bundle gives them (events are sorted by time, ties kept).

This module is on the export path, so it never parses Markdown: markdown-it-py belongs
to the template reader, the tests and the app's preview.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from retrotui.core.bundle import RetroBundle
from retrotui.core.factors import factor_names
from retrotui.core.metrics import MILESTONE_KINDS, RetroMetrics, format_duration, retro_metrics
from retrotui.core.whys import Chain
from retrotui.formats import md_escape as esc
from retrotui.formats.templates import BlockField, InlineField, Template
from retrotui.models import (
    ActionItem,
    ActionStatus,
    Note,
    NoteKind,
    Participant,
    TimelineEvent,
)

Redact = Callable[[str], str]

NONE_RECORDED = "None recorded."
NO_ROOT_CAUSE = "Root cause: not identified yet."
KEY_MARK = "\u2605"  # ★
UNTITLED = "Untitled retrospective"

# Note kinds in the order the document shows them, with their headings and placeholders.
NOTE_GROUPS: tuple[tuple[NoteKind, str, str], ...] = (
    (NoteKind.WENT_WELL, "Went well", "notes.went_well"),
    (NoteKind.WENT_WRONG, "Went wrong", "notes.went_wrong"),
    (NoteKind.LUCKY, "Where we got lucky", "notes.lucky"),
    (NoteKind.QUESTION, "Questions", "notes.questions"),
    (NoteKind.OBSERVATION, "Observations", "notes.observations"),
)
_BOXES = {
    ActionStatus.OPEN: "[ ]",
    ActionStatus.IN_PROGRESS: "[ ]",
    ActionStatus.DONE: "[x]",
    ActionStatus.WONT_DO: "[x]",
}

_STATUS_WORDS = {
    ActionStatus.OPEN: "open",
    ActionStatus.IN_PROGRESS: "in progress",
    ActionStatus.DONE: "done",
    ActionStatus.WONT_DO: "won't do",
}


_ZONES: dict[int | None, tuple[timedelta, str]] = {}


def _when(value: datetime, offset: int | None) -> str:
    """`core.times.format_short`, with the zone worked out once per offset and the wall
    time found by adding it to the UTC instant (no tzinfo lookups): a 10,000-event
    timeline formats 10,000 times (tests check both agree)."""
    zone = _ZONES.get(offset)
    if zone is None:
        if offset is None:
            zone = (timedelta(0), "UTC")
        else:
            sign = "-" if offset < 0 else "+"
            hours, minutes = divmod(abs(offset), 60)
            zone = (timedelta(minutes=offset), f"{sign}{hours:02d}:{minutes:02d}")
        _ZONES[offset] = zone
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    # isoformat is "YYYY-MM-DD HH:MM+00:00"; the first 16 characters are the wall time.
    return f"{(value + zone[0]).isoformat(' ', 'minutes')[:16]} {zone[1]}"


def _unchanged(text: str) -> str:
    return text


@dataclass
class _Document:
    """What every part of the document needs, worked out once."""

    bundle: RetroBundle
    redact: Redact
    anonymized: bool
    events: list[TimelineEvent]
    event_numbers: dict[str, int]
    metrics: RetroMetrics
    note_items: dict[str, list[str]] | None = None


def render_markdown(
    bundle: RetroBundle, template: Template, *, redact: Redact | None = None
) -> str:
    """The retrospective as Markdown, shaped by `template`.

    `redact` is applied to every piece of free text before it is escaped (the anonymized
    export replaces participants' names with their roles); participants are then listed
    by role only.
    """
    # Sorted by time; Python's sort is stable, so equal times keep the bundle's order.
    events = sorted(bundle.events, key=lambda event: event.time)
    doc = _Document(
        bundle=bundle,
        redact=redact or _unchanged,
        anonymized=redact is not None,
        events=events,
        event_numbers={event.id: number for number, event in enumerate(events, start=1)},
        metrics=retro_metrics(bundle.retro, events),
    )
    parts: list[str] = []
    for chunk in template.chunks:
        if isinstance(chunk, BlockField):
            parts.append(_BLOCKS[chunk.name](doc, chunk.heading_level))
        else:
            parts.append("".join(p if isinstance(p, str) else _inline_field(doc, p) for p in chunk))
    return "\n\n".join(part for part in parts if part) + "\n"


def _inline_field(doc: _Document, field: InlineField) -> str:
    retro = doc.bundle.retro
    if field.name == "title":
        return esc.inline(doc.redact(retro.title), fallback=UNTITLED)
    if field.name == "incident_ref":
        return esc.inline(retro.incident_ref or "", fallback=esc.EMPTY_CELL)
    return esc.inline(retro.severity or "", fallback=esc.EMPTY_CELL)


def _heading(level: int, text: str) -> str:
    return f"{'#' * level} {text}"


def _table(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> str:
    """A GFM table; cells must already be escaped with `md_escape.cell`."""
    delimiters = align or ["---"] * len(header)
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(delimiters) + " |"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def _words(value: str) -> str:
    """An enum value as words: "in_progress" -> "in progress"."""
    return value.replace("_", " ")


# -- metadata -------------------------------------------------------------------------


def _milestone(doc: _Document, name: str) -> str:
    retro = doc.bundle.retro
    value: datetime | None = getattr(retro, name)
    if value is not None:
        return _when(value, getattr(retro, f"{name}_offset"))
    if name in doc.metrics.from_events:
        kind = MILESTONE_KINDS[name]
        first = min((e for e in doc.events if e.kind == kind), key=lambda e: e.time)
        return f"{_when(first.time, first.time_offset)} (first {kind.value} event)"
    return esc.EMPTY_CELL


def _metadata(doc: _Document, level: int) -> str:
    retro = doc.bundle.retro
    metrics = doc.metrics
    source = retro.source_url or ""
    rows = [
        ["Incident", esc.cell(retro.incident_ref or "", fallback=esc.EMPTY_CELL)],
        ["Severity", retro.severity or esc.EMPTY_CELL],
        ["Status", _words(retro.status)],
        ["Started", _milestone(doc, "started_at")],
        ["Detected", _milestone(doc, "detected_at")],
        ["Mitigated", _milestone(doc, "mitigated_at")],
        ["Resolved", _milestone(doc, "resolved_at")],
        ["Duration", _incident_duration(metrics)],
        ["Time to detect", _duration(metrics.time_to_detect)],
        ["Time to mitigate", _duration(metrics.time_to_mitigate)],
        ["Time to resolve", _duration(metrics.time_to_resolve)],
        ["Source", esc.link_or_text(source) if source.strip() else esc.EMPTY_CELL],
        ["Contributing factors", esc.cell_list(factor_names(doc.bundle.factors))],
        ["Tags", esc.cell_list(doc.bundle.tags)],
    ]
    table = _table(["Field", "Value"], rows)
    if not metrics.warnings:
        return table
    return f"{table}\n\n{esc.block('Note: ' + ' '.join(metrics.warnings))}"


def _duration(value: timedelta | None) -> str:
    return esc.EMPTY_CELL if value is None else format_duration(value)


def _incident_duration(metrics: RetroMetrics) -> str:
    """Start to resolution; before a resolution is recorded, so far (and says so)."""
    shown = _duration(metrics.duration)
    if metrics.duration is not None and metrics.ongoing:
        return f"{shown} so far (not resolved)"
    return shown


# -- free text and people -------------------------------------------------------------


def _summary(doc: _Document, level: int) -> str:
    return esc.block(doc.redact(doc.bundle.retro.summary), fallback=NONE_RECORDED)


def _impact(doc: _Document, level: int) -> str:
    return esc.block(doc.redact(doc.bundle.retro.impact), fallback=NONE_RECORDED)


def _participant(doc: _Document, person: Participant) -> str:
    if doc.anonymized:
        return esc.inline(doc.redact(person.name), fallback=_words(person.role).capitalize())
    return f"{esc.inline(person.name, fallback='(no name)')} ({_words(person.role)})"


def _participants(doc: _Document, level: int) -> str:
    people = doc.bundle.participants
    if not people:
        return NONE_RECORDED
    return "\n".join(f"- {_participant(doc, person)}" for person in people)


# -- timeline and notes ---------------------------------------------------------------


def _timeline(doc: _Document, level: int) -> str:
    if not doc.events:
        return NONE_RECORDED
    redact = doc.redact
    # Actors and kinds repeat on nearly every row: escape each distinct one once.
    actors: dict[str, str] = {}
    kinds: dict[str, str] = {}
    rows = []
    for number, event in enumerate(doc.events, start=1):
        actor = actors.get(event.actor)
        if actor is None:
            actor = actors[event.actor] = esc.cell(redact(event.actor))
        kind = kinds.get(event.kind)
        if kind is None:
            kind = kinds[event.kind] = _words(event.kind)
        rows.append(
            f"| {number} | {_when(event.time, event.time_offset)} | "
            f"{KEY_MARK if event.key else ''} | {kind} | {actor} | "
            f"{esc.cell(redact(event.text))} |"
        )
    header = ["#", "Time", "Key", "Kind", "Actor", "What happened"]
    table = _table(header, [], ["---:", "---", ":---:", "---", "---", "---"])
    table = "\n".join([table, *rows])
    if any(event.key for event in doc.events):
        return f"{table}\n\n{KEY_MARK} marks a key moment."
    return table


def _note_item(doc: _Document, note: Note) -> str:
    text = esc.block(doc.redact(note.text), indent=2, fallback="(empty note)")
    number = doc.event_numbers.get(note.event_id or "")
    if number is None:
        return f"- {text}"
    event = doc.events[number - 1]
    return f"- {text} (event {number}, {_when(event.time, event.time_offset)})"


def _note_list(doc: _Document, kind: NoteKind) -> str:
    """The list items of one note kind, in the bundle's order. Every kind is rendered in
    one pass over the notes, the first time any kind is asked for."""
    if doc.note_items is None:
        doc.note_items = {}
        for note in doc.bundle.notes:
            doc.note_items.setdefault(note.kind, []).append(_note_item(doc, note))
    return "\n".join(doc.note_items.get(kind, ()))


def _notes(doc: _Document, level: int) -> str:
    groups = []
    for kind, heading, _ in NOTE_GROUPS:
        items = _note_list(doc, kind)
        if items:
            groups.append(f"{_heading(level, heading)}\n\n{items}")
    return "\n\n".join(groups) or NONE_RECORDED


def _notes_of(kind: NoteKind) -> Callable[[_Document, int], str]:
    def render(doc: _Document, level: int) -> str:
        return _note_list(doc, kind) or NONE_RECORDED

    return render


# -- 5 Whys ---------------------------------------------------------------------------


def _why_chain(doc: _Document, chain: Chain) -> str:
    problem = esc.block(doc.redact(chain.problem), fallback="(no problem statement)")
    parts = [f"**Problem:** {problem}"]
    items = []
    for number, why in enumerate(chain.whys, start=1):
        marker = f"{number}. "
        question = esc.inline(doc.redact(why.question or ""), fallback="Why?")
        answer = esc.block(doc.redact(why.answer), indent=len(marker), fallback="(no answer)")
        root = " \u2014 **root cause**" if why.is_root_cause else ""
        items.append(f"{marker}**{question}** {answer}{root}")
    if items:
        parts.append("\n".join(items))
    if chain.root_cause is None:
        parts.append(NO_ROOT_CAUSE)
    return "\n\n".join(parts)


def _whys(doc: _Document, level: int) -> str:
    chains = doc.bundle.why_chains()
    if not chains:
        return NONE_RECORDED
    if len(chains) == 1:
        return _why_chain(doc, chains[0])
    return "\n\n".join(
        f"{_heading(level, f'Chain {number}')}\n\n{_why_chain(doc, chain)}"
        for number, chain in enumerate(chains, start=1)
    )


# -- actions --------------------------------------------------------------------------


def _action_cell(doc: _Document, action: ActionItem) -> str:
    title = esc.cell(doc.redact(action.title), fallback="(untitled)")
    if not action.description.strip():
        return f"**{title}**"
    return f"**{title}** \u2014 {esc.cell(doc.redact(action.description))}"


def _action_table(doc: _Document, level: int) -> str:
    actions = doc.bundle.actions
    if not actions:
        return NONE_RECORDED
    rows = [
        [
            _action_cell(doc, action),
            esc.cell(doc.redact(action.owner), fallback=esc.EMPTY_CELL),
            action.due.isoformat() if action.due else esc.EMPTY_CELL,
            _words(action.priority),
            _STATUS_WORDS[ActionStatus(action.status)],
            esc.link_or_text(action.ticket) if action.ticket.strip() else esc.EMPTY_CELL,
        ]
        for action in actions
    ]
    return _table(["Action", "Owner", "Due", "Priority", "Status", "Ticket"], rows)


def _task(doc: _Document, action: ActionItem) -> str:
    status = ActionStatus(action.status)
    title = esc.inline(doc.redact(action.title), fallback="(untitled)")
    if status is ActionStatus.WONT_DO:
        return f"- {_BOXES[status]} ~~{title}~~ ({_STATUS_WORDS[status]})"
    if status is ActionStatus.IN_PROGRESS:
        return f"- {_BOXES[status]} {title} ({_STATUS_WORDS[status]})"
    return f"- {_BOXES[status]} {title}"


def _action_tasks(doc: _Document, level: int) -> str:
    actions = doc.bundle.actions
    if not actions:
        return NONE_RECORDED
    return "\n".join(_task(doc, action) for action in actions)


def _actions(doc: _Document, level: int) -> str:
    if not doc.bundle.actions:
        return NONE_RECORDED
    return f"{_action_table(doc, level)}\n\n{_action_tasks(doc, level)}"


_BLOCKS: dict[str, Callable[[_Document, int], str]] = {
    "metadata": _metadata,
    "summary": _summary,
    "impact": _impact,
    "participants": _participants,
    "timeline": _timeline,
    "notes": _notes,
    **{placeholder: _notes_of(kind) for kind, _, placeholder in NOTE_GROUPS},
    "whys": _whys,
    "actions": _actions,
    "action_table": _action_table,
    "action_tasks": _action_tasks,
}
