"""Edit a note: its text saves as you type; kind changes save at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Select, Static, TextArea

from retrotui.models import Note
from retrotui.ui.widgets.autosave import AutosaveTextArea
from retrotui.ui.widgets.blame_hint import BlameHint
from retrotui.ui.widgets.note_composer import NOTE_KINDS

if TYPE_CHECKING:
    from retrotui.store.repository import Store
    from retrotui.ui.host import Host


class NoteEditScreen(ModalScreen[None]):
    app: Host
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Done", id="note_form.close"),
    ]

    def __init__(self, note: Note, participants: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.note = note
        self.participants = participants

    def compose(self) -> ComposeResult:
        from retrotui.services.meeting import update_note

        note_id = self.note.id

        def save(store: Store, text: str) -> Note:
            return update_note(store, note_id, text=text)

        with Vertical(classes="dialog form"):
            yield Static(
                "[b]Edit note[/b]  (saved as you type · escape when done)", classes="dialog-title"
            )
            yield Label("Kind")
            yield Select(NOTE_KINDS, value=str(self.note.kind), allow_blank=False, id="kind")
            yield Label("Note")
            yield AutosaveTextArea(self.note.text, save, id="note-text")
            yield BlameHint(self.participants, id="note-edit-hint")

    def on_mount(self) -> None:
        self.query_one("#note-text", AutosaveTextArea).focus()
        # The blameless check reads the note as it is, then as it is edited.
        self.query_one(BlameHint).check(self.note.text)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.query_one(BlameHint).check(event.text_area.text)

    def on_select_changed(self, event: Select.Changed) -> None:
        from retrotui.services.meeting import update_note

        if event.value is Select.NULL or str(event.value) == str(self.note.kind):
            return
        note_id, kind = self.note.id, str(event.value)
        self.app.submit(lambda store: update_note(store, note_id, kind=kind))

    def action_close(self) -> None:
        self.query_one("#note-text", AutosaveTextArea).autosaver.flush()
        self.dismiss(None)
