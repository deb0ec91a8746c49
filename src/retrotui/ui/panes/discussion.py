"""Stage 3, Discussion: every note, grouped by kind, each with the event it is about."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from retrotui.models import Note, NoteKind, TimelineEvent
from retrotui.ui.panes.base import StagePane
from retrotui.ui.widgets.text import plain

if TYPE_CHECKING:
    from retrotui.core.bundle import RetroBundle

GROUPS = [
    (NoteKind.WENT_WELL, "Went well"),
    (NoteKind.WENT_WRONG, "Went wrong"),
    (NoteKind.LUCKY, "Where we got lucky"),
    (NoteKind.QUESTION, "Open questions"),
    (NoteKind.OBSERVATION, "Observations"),
]


class DiscussionPane(StagePane, Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit_note", "Edit note", id="discussion.edit_note"),
        Binding("delete", "delete_note", "Delete note", id="discussion.delete_note"),
        Binding("v", "move_note", "Move to event…", id="discussion.move_note"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.notes: dict[str, Note] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="discussion-summary")
        yield OptionList(id="notes-list")

    def show_bundle(self, bundle: RetroBundle) -> None:
        self.bundle = bundle
        events = {e.id: e for e in bundle.events}
        self.notes = {n.id: n for n in bundle.notes}
        listing = self.query_one("#notes-list", OptionList)
        highlighted = listing.highlighted_option.id if listing.highlighted_option else None
        listing.clear_options()
        counts = []
        for kind, heading in GROUPS:
            notes = [n for n in bundle.notes if n.kind == kind]
            counts.append(f"{len(notes)} {heading.lower()}")
            if not notes:
                continue
            listing.add_option(
                Option(Text(f"{heading} ({len(notes)})", "bold underline"), disabled=True)
            )
            for note in notes:
                listing.add_option(Option(self.describe(note, events), id=note.id))
        self.query_one("#discussion-summary", Static).update(
            f"{len(bundle.notes)} notes: "
            + " · ".join(counts)
            + "   (e edit · delete remove · v move · 2 back to the timeline)"
        )
        if self.follow_id in self.notes:
            highlighted, self.follow_id = self.follow_id, None
        if highlighted and highlighted in self.notes:
            listing.highlighted = listing.get_option_index(highlighted)
        elif bundle.notes:
            # Start on the first note, not on a group heading where e would do nothing.
            first = next(
                i
                for i in range(listing.option_count)
                if not listing.get_option_at_index(i).disabled
            )
            listing.highlighted = first

    @staticmethod
    def describe(note: Note, events: dict[str, TimelineEvent]) -> Text:
        line = Text("  ")
        line.append_text(plain(note.text))
        event = events.get(note.event_id or "")
        where = Text("\n    ↳ ", "dim")
        if event is not None:
            where.append(f"{event.time.astimezone():%H:%M} ", "dim")
            where.append_text(plain(event.text[:70], "dim italic"))
        else:
            where.append("not tied to an event", "dim italic")
        if note.author:
            where.append_text(plain(f"  — {note.author}", "dim"))
        line.append_text(where)
        return line

    def selected(self) -> Note | None:
        option = self.query_one("#notes-list", OptionList).highlighted_option
        return self.notes.get(option.id or "") if option else None

    def focus_list(self) -> None:
        self.query_one("#notes-list", OptionList).focus()

    def on_option_list_option_selected(self, _event: OptionList.OptionSelected) -> None:
        self.action_edit_note()

    def action_edit_note(self) -> None:
        from retrotui.ui.note_actions import edit_note

        note = self.selected()
        if note is not None:
            edit_note(self, note)

    def _after(self, note: Note) -> None:
        """Once `note` leaves this list (deleted), highlight its neighbour."""
        from retrotui.ui.undo import neighbour

        listing = self.query_one("#notes-list", OptionList)
        order = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        self.follow_id = neighbour([i for i in order if i], {note.id})

    def action_delete_note(self) -> None:
        from retrotui.ui.note_actions import delete_note

        note = self.selected()
        if note is not None:
            delete_note(self, note, lambda: self._after(note))

    def action_move_note(self) -> None:
        from retrotui.ui.note_actions import move_note

        note = self.selected()
        if note is not None:
            move_note(self, note, lambda: setattr(self, "follow_id", note.id))
