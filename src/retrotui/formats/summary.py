"""The plain-text summary `retrotui show` prints: readable in a terminal and in a pipe."""

from __future__ import annotations

from retrotui.core.bundle import RetroBundle
from retrotui.core.times import format_short
from retrotui.formats.lines import one_line
from retrotui.models import ActionStatus, NoteKind

_NOTE_HEADINGS = {
    NoteKind.WENT_WELL: "Went well",
    NoteKind.WENT_WRONG: "Went wrong",
    NoteKind.LUCKY: "Lucky",
    NoteKind.QUESTION: "Questions",
    NoteKind.OBSERVATION: "Observations",
}
STATUS_BOX = {
    ActionStatus.OPEN: "[ ]",
    ActionStatus.IN_PROGRESS: "[~]",
    ActionStatus.DONE: "[x]",
    ActionStatus.WONT_DO: "[-]",
}


def render_summary(bundle: RetroBundle) -> str:
    retro = bundle.retro
    lines = [one_line(retro.title), "=" * min(len(retro.title), 78)]
    facts = [
        ("Id", retro.id),
        ("Incident", retro.incident_ref or "-"),
        ("Severity", retro.severity or "-"),
        ("Status", retro.status),
        ("Template", retro.template),
    ]
    for label in ("started", "detected", "mitigated", "resolved"):
        value = getattr(retro, f"{label}_at")
        if value is not None:
            facts.append(
                (label.capitalize(), format_short(value, getattr(retro, f"{label}_at_offset")))
            )
    lines += [f"{label + ':':<11}{one_line(str(value))}" for label, value in facts]
    for heading, text in (("Summary", retro.summary), ("Impact", retro.impact)):
        if text.strip():
            lines += ["", heading, *("  " + one_line(part) for part in text.splitlines())]
    if bundle.participants:
        lines += ["", "Participants"]
        lines += [f"  {one_line(p.name)} ({p.role.replace('_', ' ')})" for p in bundle.participants]
    lines += ["", f"Timeline ({len(bundle.events)} events)"]
    for event in bundle.events:
        mark = "*" if event.key else " "
        when = format_short(event.time, event.time_offset)
        actor = f" {one_line(event.actor)}:" if event.actor else ""
        lines.append(f" {mark}{when}  {event.kind:<13}{actor} {one_line(event.text)}")
    if bundle.notes:
        lines += ["", f"Notes ({len(bundle.notes)})"]
        for kind, heading in _NOTE_HEADINGS.items():
            notes = [n for n in bundle.notes if n.kind == kind]
            if notes:
                lines.append(f"  {heading}")
                lines += [f"    - {one_line(n.text)}" for n in notes]
    chains = bundle.why_chains()
    if chains:
        lines += ["", "5 Whys" if len(chains) == 1 else f"5 Whys ({len(chains)} chains)"]
        for chain in chains:
            lines.append(f"  Problem: {one_line(chain.problem) or '(none)'}")
            for number, why in enumerate(chain.whys, start=1):
                question = f"{one_line(why.question)} " if why.question else ""
                root = "  [root cause]" if why.is_root_cause else ""
                lines.append(f"    {number}. {question}{one_line(why.answer)}{root}")
    lines += ["", f"Actions ({len(bundle.open_actions)} open of {len(bundle.actions)})"]
    for action in bundle.actions:
        details = [d for d in (action.owner, f"due {action.due}" if action.due else "") if d]
        details += [action.priority, action.ticket] if action.ticket else [action.priority]
        box = STATUS_BOX[ActionStatus(action.status)]
        lines.append(f"  {box} {one_line(action.title)} ({one_line(', '.join(details))})")
    return "\n".join(lines) + "\n"
