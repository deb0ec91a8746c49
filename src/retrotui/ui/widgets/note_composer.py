"""Taking a note on the current event without leaving the timeline.

The note is written to the database as it is typed (the first keystroke creates it, later
ones update it, debounced), so a crash mid-sentence loses at most the last half second.
Enter finishes the note; escape closes the composer and keeps what was typed (an empty
note is removed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Select

from retrotui.models import Note, NoteKind
from retrotui.ui.widgets.autosave import AutosaveInput
from retrotui.ui.widgets.blame_hint import BlameHint

if TYPE_CHECKING:
    from retrotui.store.repository import Store
    from retrotui.ui.host import Host

NOTE_KINDS = [
    ("observation", NoteKind.OBSERVATION),
    ("went well", NoteKind.WENT_WELL),
    ("went wrong", NoteKind.WENT_WRONG),
    ("lucky", NoteKind.LUCKY),
    ("question", NoteKind.QUESTION),
]


@dataclass
class _Draft:
    """The note being typed; its id is set (on the database thread) once it exists."""

    retro_id: str
    event_id: str | None
    author: str
    kind: str = NoteKind.OBSERVATION
    note_id: str | None = field(default=None)

    def save(self, store: Store, text: str) -> Note:
        from retrotui.services.meeting import add_note, update_note

        if self.note_id is None:
            note = add_note(
                store,
                self.retro_id,
                text=text,
                kind=self.kind,
                event_id=self.event_id,
                author=self.author,
            )
            self.note_id = note.id
            return note
        return update_note(store, self.note_id, text=text, kind=self.kind)


def _nothing_to_save(_store: Store, _text: str) -> None:
    """The composer's field before a note is opened: typing there has no note to go to."""


class NoteComposer(Vertical):
    app: Host
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close note", id="note.close"),
        Binding("ctrl+t", "cycle_kind", "Next note kind", id="note.cycle_kind"),
    ]

    @dataclass
    class Finished(Message):
        """The composer closed; the timeline takes focus back and reloads the notes.

        `typed` is the note as it stands in the field, drawn under the card at once: its
        last words are still on their way to the database (the autosaver keeps them until
        they land), and the saved note replaces it when the save comes back."""

        typed: Note | None = None

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.draft: _Draft | None = None

    def compose(self) -> ComposeResult:
        yield BlameHint(id="note-hint")
        with Horizontal(id="note-row"):
            yield Select(NOTE_KINDS, value=NoteKind.OBSERVATION, allow_blank=False, id="note-kind")
            yield AutosaveInput(
                "",
                _nothing_to_save,
                on_saved=lambda note: self.post_message(self.Saved(note)),
                placeholder="Note on this event (enter: done · escape: close · ctrl+t: kind)",
                id="note-text",
            )

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one(BlameHint).check(event.value)

    @dataclass
    class Saved(Message):
        """A keystroke batch reached the database: the notes under the card can refresh."""

        note: Note

    @property
    def text_input(self) -> AutosaveInput:
        return self.query_one("#note-text", AutosaveInput)

    def open(
        self, retro_id: str, event_id: str | None, author: str, participants: tuple[str, ...] = ()
    ) -> None:
        self.query_one(BlameHint).participants = participants
        # Every note starts as an observation: a kind carried over from the last note saved
        # questions and blameful remarks as "went well".
        self.query_one("#note-kind", Select).value = NoteKind.OBSERVATION
        self.draft = _Draft(retro_id, event_id, author, NoteKind.OBSERVATION)
        self.text_input.load("")
        # Each note gets its own save target, so a save still queued for the previous note
        # can never land in this one.
        self.text_input.autosaver.save = self.draft.save
        self.display = True
        self.text_input.focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if self.draft is None or event.value is Select.NULL:
            return
        self.draft.kind = str(event.value)
        if self.draft.note_id is not None:
            note_id, kind = self.draft.note_id, self.draft.kind
            from retrotui.services.meeting import update_note

            self.app.submit(lambda store: update_note(store, note_id, kind=kind))
        self.text_input.focus()

    def action_cycle_kind(self) -> None:
        select = self.query_one("#note-kind", Select)
        values = [value for _, value in NOTE_KINDS]
        current = values.index(NoteKind(str(select.value)))
        select.value = values[(current + 1) % len(values)]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.finish()

    def action_close(self) -> None:
        self.finish()

    def finish(self) -> None:
        """Save what is typed, drop an empty note and hand focus back; the composer hides
        now when nothing was typed, else once the timeline has drawn the note."""
        self.text_input.autosaver.flush()
        draft = self.draft
        text = self.text_input.value
        empty = not text.strip()
        typed = None
        if draft is not None and not empty:
            typed = Note(
                id=draft.note_id or "",
                retro_id=draft.retro_id,
                event_id=draft.event_id,
                text=text,
                kind=NoteKind(draft.kind),
                author=draft.author,
            )
        if draft is not None and empty:
            from retrotui.services.meeting import delete_note

            def drop(store: Store) -> None:
                if draft.note_id is not None:
                    delete_note(store, draft.note_id)

            self.app.submit(drop)
        self.draft = None
        if typed is None:
            self.display = False
        # Else the timeline hides the composer once the note is drawn (hide_if_closed):
        # hiding it lays out the whole screen, 30-50 ms that must not come before the note.
        self.post_message(self.Finished(typed))

    def hide_if_closed(self) -> None:
        if self.draft is None:  # not opened again in the meantime
            self.display = False
