"""The notes of the current event, under its card on the timeline.

`tab` from the timeline selects them: up and down move between notes, `e` edits one,
`delete` removes it (ctrl+z puts it back), `v` moves it to another event, escape goes back
to stepping the timeline. Unfocused, nothing is highlighted: it reads as a plain list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Self

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from retrotui.models import Note, NoteKind
from retrotui.ui.widgets.text import plain

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from retrotui.ui.host import Host

NOTE_LABELS = {
    NoteKind.OBSERVATION: ("observation", "grey50"),
    NoteKind.WENT_WELL: ("went well", "green"),
    NoteKind.WENT_WRONG: ("went wrong", "red"),
    NoteKind.LUCKY: ("lucky", "yellow"),
    NoteKind.QUESTION: ("question", "cyan"),
}
EMPTY = "No notes on this event yet. Press a to add one."


def note_line(note: Note) -> Text:
    """One note as the timeline shows it: its kind as a badge, the text, the author."""
    label, colour = NOTE_LABELS.get(NoteKind(note.kind), ("note", ""))
    line = Text()
    line.append(f" {label} ", f"bold reverse {colour}")
    line.append(" ")
    line.append_text(plain(note.text))
    if note.author:
        line.append_text(plain(f"  — {note.author}", "dim"))
    return line


class EventNotes(OptionList):
    app: Host
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "edit_note", "Edit note", id="timeline.edit_note"),
        Binding("delete", "delete_note", "Delete note", id="timeline.delete_note"),
        Binding("v", "move_note", "Move to event…", id="timeline.move_note"),
        Binding("escape", "leave", "Back to events", id="timeline.notes_back"),
        Binding("j", "cursor_down", "Next note", show=False),
        Binding("k", "cursor_up", "Previous note", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.notes: list[Note] = []
        self._source: list[Note] | None = None  # the list last shown (a step reuses lists)
        self.follow_id: str | None = None  # a note to highlight once it is shown
        self._blank: Strip | None = None  # the empty line below the notes, in this paint
        self._line_count = 0
        self._asked: tuple[bool, bool] | None = None  # repaint, layout: see refresh()

    # An event has a note or two, and the list fills the space under the card: most of its
    # lines are empty. OptionList works out the style and width of each empty line anew,
    # which made these blank lines the costliest part of a step's frame at 10,000 events;
    # here it is worked out once a paint.
    def render_lines(self, crop: Region) -> list[Strip]:
        self._blank = None
        self._line_count = len(self._lines)  # brings OptionList's line cache up to date
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        if self.scroll_y + y < self._line_count:
            return super().render_line(y)
        if self._blank is None:
            self._blank = Strip.blank(
                self.scrollable_content_region.width,
                self.get_visual_style("option-list--option").rich_style,
            )
        return self._blank

    # Showing another event's notes repaints the rows that held or now hold a note, and no
    # more: not the blank rows under them (which Textual would paint again one by one), nor
    # the whole screen's layout (which a change in the number of lines asks for, though the
    # list keeps its size; 10 ms, as much as the rest of a step).
    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> Self:
        if self._asked is not None and not (regions or recompose):
            self._asked = (self._asked[0] or repaint, self._asked[1] or layout)
            return self  # done once show() knows which rows changed
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def show(self, notes: list[Note]) -> None:
        """The notes of the event now on the card; the same list again changes nothing."""
        if notes is self._source:
            return
        rows_before, top_before = len(self._lines), self.scroll_y
        bar_before = self.show_vertical_scrollbar
        self._asked = (False, False)
        try:
            self._show(notes)
        finally:
            (repaint, layout), self._asked = self._asked, None
        rows = max(rows_before, len(self._lines))
        in_place = (
            bool(self.scrollable_content_region)  # not while hidden: shown, it repaints whole
            and top_before == 0 == self.scroll_y
            and rows <= self.scrollable_content_region.height
            and bar_before == self.show_vertical_scrollbar
        )
        if in_place and repaint:
            self.refresh(Region(0, 0, self.scrollable_content_region.width, rows))
        elif not in_place and (repaint or layout):
            self.refresh(repaint=repaint, layout=layout)

    def _show(self, notes: list[Note]) -> None:
        if not notes and not self.notes and self._source is not None:
            # From one event without notes to another: the placeholder stays as it is (a
            # step must cost no more than what changes on screen).
            self._source = notes
            return
        kept = self.selected()
        # The same event's notes read again (a save, a poll): a list showing its end keeps
        # showing it, so the note just typed stays in view on a small terminal.
        same_event = bool(notes and self.notes and notes[0].event_id == self.notes[0].event_id)
        at_end = self.scroll_y >= self.max_scroll_y
        self._source, self.notes = notes, list(notes)
        if notes:
            self.set_options(Option(note_line(note), id=note.id or None) for note in notes)
        else:
            self.set_options([Option(Text(EMPTY, "dim"), disabled=True)])
        if same_event and at_end:
            self.call_after_refresh(self.show_latest)
        ids = [note.id for note in notes]
        target = self.follow_id or (kept.id if kept is not None else None)
        self.follow_id = None
        if target in ids:
            self.highlighted = ids.index(target)
        elif self.has_focus and notes:
            self.highlighted = 0
        else:
            self.highlighted = None

    def selected(self) -> Note | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.notes):
            return None
        return self.notes[index]

    def show_latest(self) -> None:
        """Scroll the newest note into view (the one just typed, at the end)."""
        self.scroll_end(animate=False, immediate=True)

    def on_focus(self) -> None:
        if self.notes and self.highlighted is None:
            self.highlighted = len(self.notes) - 1  # the latest: usually the one to fix

    def on_blur(self) -> None:
        self.highlighted = None

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit_note()

    # -- what the keys do (ui/note_actions.py, shared with Discussion) -------------------

    def action_edit_note(self) -> None:
        from retrotui.ui.note_actions import edit_note

        note = self.selected()
        if note is not None:
            edit_note(self, note)

    def action_delete_note(self) -> None:
        from retrotui.ui.note_actions import delete_note
        from retrotui.ui.undo import neighbour

        note = self.selected()
        if note is not None:
            after = neighbour([n.id for n in self.notes], {note.id})
            delete_note(self, note, lambda: setattr(self, "follow_id", after))

    def action_move_note(self) -> None:
        from retrotui.ui.note_actions import move_note
        from retrotui.ui.undo import neighbour

        note = self.selected()
        if note is not None:
            after = neighbour([n.id for n in self.notes], {note.id})
            move_note(self, note, lambda: setattr(self, "follow_id", after))

    def action_leave(self) -> None:
        """Back to the timeline (the pane that steps the events)."""
        from textual.widget import Widget

        for node in self.ancestors:
            if isinstance(node, Widget) and node.can_focus:
                node.focus()
                return

    @property
    def text(self) -> str:
        """What the list says, one note a line (as a screen reader or a test reads it)."""
        return "\n".join(str(option.prompt) for option in self.options)


def notes_text(screen: DOMNode) -> str:
    """The notes under the event card of a meeting screen, as text."""
    return screen.query_one(EventNotes).text
