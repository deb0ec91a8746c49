"""Edit, delete and move a note: the same from the timeline (where notes are typed) and
from Discussion. Each works on the stage pane the widget sits in."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text

from retrotui.ui.panes.base import StagePane
from retrotui.ui.widgets.text import plain

if TYPE_CHECKING:
    from textual.widget import Widget

    from retrotui.models import Note


def _pane(widget: Widget) -> StagePane:
    return widget if isinstance(widget, StagePane) else widget.query_ancestor(StagePane)


def edit_note(widget: Widget, note: Note) -> None:
    """The note's form: text saved as typed, the kind at once, the blameless hint."""
    from retrotui.ui.screens.note_form import NoteEditScreen

    pane = _pane(widget)
    names = tuple(p.name for p in pane.bundle.participants) if pane.bundle else ()
    pane.app.push_screen(NoteEditScreen(note, names), pane.changed)


def delete_note(widget: Widget, note: Note, before: Callable[[], object]) -> None:
    """Ask, then delete (ctrl+z puts it back); `before()` picks what to select next."""
    from retrotui.ui.screens.confirm import ConfirmScreen
    from retrotui.ui.undo import delete_record

    pane = _pane(widget)

    def answered(yes: bool | None) -> None:
        if yes:
            before()
            delete_record(pane, "note", note.id, pane.changed)

    question = Text("Delete the note ")
    question.append_text(plain(note.text[:80], "bold"))
    question.append("? (ctrl+z puts it back)")
    pane.app.push_screen(ConfirmScreen(question.markup), answered)


def move_note(widget: Widget, note: Note, before: Callable[[], object]) -> None:
    """Tie the note to another event (or to none), picked from the timeline."""
    from retrotui.models import TimelineEvent
    from retrotui.services.meeting import update_note
    from retrotui.ui.screens.event_picker import EventPickerScreen, event_label

    pane = _pane(widget)
    if pane.bundle is None:
        return
    events = {event.id: event for event in pane.bundle.events}

    def moved(saved: Note) -> None:
        target: TimelineEvent | None = events.get(saved.event_id or "")
        where = f"to {event_label(target)}" if target else "off the timeline (no event)"
        pane.notify(f"Moved the note {where}.", timeout=4, markup=False)
        pane.changed()

    def picked(choice: tuple[str | None] | None) -> None:
        if choice is None or choice[0] == note.event_id:
            return
        (event_id,) = choice
        before()
        pane.app.submit(lambda store: update_note(store, note.id, event_id=event_id), moved)

    pane.app.push_screen(EventPickerScreen(pane.bundle.events, note.event_id), picked)
