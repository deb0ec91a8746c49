"""Stage 2, the timeline walk-through: the current event large, the list following it, its
notes underneath, and a note composer one key away."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual._context import NoActiveAppError
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical

from retrotui.core.timeline import Cursor, notes_by_event, spans_several_days
from retrotui.core.times import local_offset_label
from retrotui.models import Note, TimelineEvent
from retrotui.ui.panes.base import StagePane
from retrotui.ui.widgets.event_card import EventCard
from retrotui.ui.widgets.event_list import EventList
from retrotui.ui.widgets.event_notes import EventNotes
from retrotui.ui.widgets.note_composer import NoteComposer
from retrotui.ui.widgets.text import plain

if TYPE_CHECKING:
    from retrotui.core.bundle import RetroBundle
    from retrotui.store.repository import Store
    from retrotui.store.undo import Removed
    from retrotui.ui.screens.event_form import EventDraft

# Below this many rows the event card leaves out its big clock.
SHORT = 20


class TimelinePane(StagePane, Vertical, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,down,j", "step(1)", "Next", id="timeline.next", tooltip="Next event"),
        Binding("p,up,k", "step(-1)", "Previous", id="timeline.previous", tooltip="Previous event"),
        Binding("home,g", "first", "First", id="timeline.first", show=False),
        Binding("end,G", "last", "Last", id="timeline.last", show=False),
        Binding(
            "right_square_bracket",
            "next_key",
            "Next key event",
            id="timeline.next_key",
            key_display="]",
        ),
        Binding("a", "add_note", "Add note", id="timeline.add_note"),
        Binding("m", "toggle_key", "Mark key event", id="timeline.toggle_key"),
        Binding("e", "edit_event", "Edit event", id="timeline.edit_event"),
        Binding("plus", "add_event", "Add event", id="timeline.add_event", key_display="+"),
        Binding("delete", "delete_event", "Delete event", id="timeline.delete_event", show=False),
        Binding(
            "u",
            "toggle_zone",
            "UTC/local",
            id="timeline.toggle_zone",
            tooltip="Show times in UTC or in your local time zone",
        ),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.events: list[TimelineEvent] = []
        self.cursor = Cursor(-1, 0)
        self.utc = False
        self.follow_id: str | None = None  # an event just saved: put the cursor on it
        self._binding_ends: tuple[bool, bool, bool] | None = None  # what check_action saw
        self._list_time: Callable[[TimelineEvent], str] | None = None  # see list_time()
        self.notes_by_event: dict[str | None, list[Note]] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="timeline-body"):
            yield EventList(id="event-list")
            with Vertical(id="timeline-focus"):
                yield EventCard(id="event-card")
                yield EventNotes(id="event-notes")
        composer = NoteComposer(id="note-composer")
        composer.display = False
        yield composer

    def watch_has_focus(self, _has_focus: bool) -> None:
        """Restyle the pane alone when it gains or loses focus. Textual restyles the whole
        subtree (a rule such as `Pane:focus Card` could style what is inside): 22 widgets,
        10 ms, all of it before the frame that shows the note just typed. No rule styles the
        inside of a focused pane (tests/ui/test_notes.py keeps it so)."""
        with suppress(NoActiveAppError):  # focus moving as the app closes, as Textual allows
            self.app.stylesheet.update_nodes([self], animate=True)

    # -- data -----------------------------------------------------------------------------

    def show_bundle(self, bundle: RetroBundle) -> None:
        """New data from the database: keep the cursor on the same event if it still exists.
        Only what changed is worked out again (a reload keeps unchanged lists as they were)."""
        events_changed = bundle.events is not self.events or self.follow_id is not None
        notes_changed = self.bundle is None or bundle.notes is not self.bundle.notes
        self.bundle = bundle
        if notes_changed:
            self.notes_by_event = notes_by_event(bundle.notes, self.notes_by_event)
        if not events_changed:
            self.render_notes()
            return
        current_id = self.follow_id or (
            self.current.id if self.current else bundle.retro.current_event_id
        )
        self.follow_id = None
        self.events = bundle.events
        self.cursor = Cursor.at(self.events, current_id)
        self._list_time = None
        self.render_all()

    @property
    def current(self) -> TimelineEvent | None:
        return None if self.cursor.is_empty else self.events[self.cursor.index]

    # -- showing ------------------------------------------------------------------------------

    def zone_of(self, event: TimelineEvent) -> datetime:
        return event.time.astimezone(UTC) if self.utc else event.time.astimezone()

    def zone_label(self) -> str:
        if self.utc:
            return "UTC"
        return f"local {local_offset_label()}"

    def list_time(self) -> Callable[[TimelineEvent], str]:
        """How the list shows an event's time: with dates when the timeline spans several
        days, with seconds when any event has them. Worked out once per load or zone
        change, since it looks at every event; the list then formats only rows on screen."""
        if self._list_time is None:
            moments = [self.zone_of(e) for e in self.events]
            clock = "%H:%M:%S" if any(m.second for m in moments) else "%H:%M"
            list_format = f"%m-%d {clock}" if spans_several_days(moments) else clock
            zone_of = self.zone_of
            self._list_time = lambda event: zone_of(event).strftime(list_format)
        return self._list_time

    def render_all(self) -> None:
        """The list, the card and the notes: work for the rows on screen only."""
        self.query_one(EventList).show(self.events, self.cursor.index, self.list_time())
        event = self.current
        clock = meta = ""
        if event is not None:
            moment = self.zone_of(event)
            clock = f"{moment:%H:%M}"
            meta = f"{moment:%a %Y-%m-%d} · {self.zone_label()}"
        self.query_one(EventCard).show(event, position=self.cursor.label(), clock=clock, meta=meta)
        self.render_notes()
        self.refresh_bindings_if_changed()

    def refresh_bindings_if_changed(self) -> None:
        """Grey out Next/Previous only when the cursor reaches or leaves an end: a footer
        rebuild per step would cost more than the step itself."""
        ends = (self.cursor.is_empty, self.cursor.at_first, self.cursor.at_last)
        if ends != self._binding_ends:
            self._binding_ends = ends
            self.refresh_bindings()

    def render_notes(self) -> None:
        """The current event's notes (tab selects them: e edit, delete, v move)."""
        event = self.current
        notes = self.notes_by_event.get(event.id, []) if event is not None else []
        self.query_one(EventNotes).show(notes)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Grey out moves that would go nowhere (first/last event, empty timeline)."""
        if action == "step" and parameters:
            step = int(str(parameters[0]))
            if (
                self.cursor.is_empty
                or (step > 0 and self.cursor.at_last)
                or (step < 0 and self.cursor.at_first)
            ):
                return None
        if action in ("toggle_key", "edit_event", "delete_event", "next_key") and (
            self.cursor.is_empty
        ):
            return None
        return super().check_action(action, parameters)

    # -- moving -----------------------------------------------------------------------------

    def move_to(self, cursor: Cursor) -> None:
        if cursor == self.cursor:
            return
        self.cursor = cursor
        self.render_all()
        self.chosen(self.current.id if self.current else None)

    def chosen(self, event_id: str | None) -> None:
        """The person moved to `event_id` here: the meeting follows when they drive (the
        screen's MeetingLink writes it); a follower starts browsing."""
        meeting = getattr(self.screen, "meeting", None)
        if meeting is not None:
            meeting.event_chosen(event_id)

    def follow_event(self, event_id: str | None) -> None:
        """Show the driver's event (nothing is written). One not loaded yet (just added in
        another terminal) is shown once the next load brings it."""
        if event_id is None or (self.current is not None and self.current.id == event_id):
            return
        if not any(event.id == event_id for event in self.events):
            self.follow_id = event_id
            return
        self.cursor = Cursor.at(self.events, event_id)
        self.render_all()

    def action_step(self, step: int) -> None:
        self.move_to(self.cursor.moved(step))

    def action_first(self) -> None:
        self.move_to(self.cursor.first())

    def action_last(self) -> None:
        self.move_to(self.cursor.last())

    def action_next_key(self) -> None:
        found = self.cursor.next_key(self.events)
        if found is None:
            self.notify("No key event after this one.", timeout=3)
        else:
            self.move_to(found)

    def on_event_list_picked(self, message: EventList.Picked) -> None:
        self.move_to(Cursor(message.index, self.cursor.count))
        self.focus()

    def action_toggle_zone(self) -> None:
        self.utc = not self.utc
        self._list_time = None
        self.render_all()

    # -- editing ------------------------------------------------------------------------------

    def reload(self) -> None:
        self.changed()

    def action_toggle_key(self) -> None:
        from retrotui.services.meeting import update_event

        event = self.current
        if event is None:
            return
        self.app.submit(
            lambda store: update_event(store, event.id, key=not event.key),
            lambda _saved: self.reload(),
        )

    def action_add_note(self) -> None:
        if self.bundle is None:
            return
        author = self.app.identity
        event_id = self.current.id if self.current else None
        names = tuple(p.name for p in self.bundle.participants)
        self.query_one(NoteComposer).open(self.bundle.retro.id, event_id, author, names)

    def on_note_composer_saved(self, message: NoteComposer.Saved) -> None:
        # Shown at once from what was saved; the next poll reads the notes again anyway.
        self.screen.show_saved_note(message.note)  # type: ignore[attr-defined]
        # The note being typed is the last one: keep it in view on a small terminal.
        self.call_after_refresh(self.query_one(EventNotes).show_latest)

    def on_note_composer_finished(self, message: NoteComposer.Finished) -> None:
        self.focus()
        if message.typed is not None:
            self.show_typed(message.typed)
            self.call_after_refresh(self.query_one(NoteComposer).hide_if_closed)
        self.reload()
        self.call_after_refresh(self.query_one(EventNotes).show_latest)

    def show_typed(self, note: Note) -> None:
        """The note just finished, drawn now rather than when its save comes back (a
        commit and two thread hops later): the saved note replaces it, or a note read from
        the database sooner, as both rebuild the lists from the bundle."""
        shown = self.notes_by_event.get(note.event_id, [])
        if note.id and any(n.id == note.id for n in shown):
            shown = [note if n.id == note.id else n for n in shown]
        else:
            shown = [*shown, note]
        self.notes_by_event[note.event_id] = shown
        self.render_notes()

    def on_resize(self) -> None:
        # A short terminal (80x24) gives the big clock's rows to the notes.
        card = self.query_one(EventCard)
        short = self.size.height < SHORT
        if short != card.has_class("-short"):
            card.set_class(short, "-short")
            self.render_all()

    def _event_zone(self) -> tuple[tzinfo, str]:
        from retrotui.core.times import local_zone

        if self.utc:
            return UTC, "UTC"
        # The zone, not today's offset: a time typed for another date gets that date's.
        return local_zone(), self.zone_label()

    def action_add_event(self) -> None:
        from retrotui.services.meeting import add_event
        from retrotui.ui.screens.event_form import EventFormScreen

        if self.bundle is None:
            return
        retro_id = self.bundle.retro.id
        zone, label = self._event_zone()
        on_date = self.zone_of(self.current).date() if self.current else None

        def save(store: Store, draft: EventDraft) -> TimelineEvent:
            return add_event(
                store,
                retro_id,
                time=draft.time,
                text=draft.text,
                kind=draft.kind,
                actor=draft.actor,
                key=draft.key,
            )

        self.app.push_screen(
            EventFormScreen(zone=zone, zone_label=label, on_date=on_date, save=save),
            self._after_edit,
        )

    def action_edit_event(self) -> None:
        from retrotui.services.meeting import update_event
        from retrotui.ui.screens.event_form import EventFormScreen

        event = self.current
        if event is None:
            return
        zone, label = self._event_zone()
        moment = self.zone_of(event)

        def save(store: Store, draft: EventDraft) -> TimelineEvent:
            return update_event(
                store,
                event.id,
                time=draft.time,
                text=draft.text,
                kind=draft.kind,
                actor=draft.actor,
                key=draft.key,
            )

        self.app.push_screen(
            EventFormScreen(
                zone=zone,
                zone_label=label,
                on_date=moment.date(),
                save=save,
                event=event,
                time_text=moment.isoformat(timespec="seconds"),
            ),
            self._after_edit,
        )

    def restored(self, removed: Removed) -> None:
        if removed.kind == "event":
            self._after_edit(removed.record_id)
        else:  # a note deleted from under this card: highlighted again once it is shown
            current = self.current
            if current is not None and removed.row.get("event_id") == current.id:
                self.query_one(EventNotes).follow_id = removed.record_id
            self.changed()

    def _after_edit(self, saved: TimelineEvent | str | None) -> None:
        if saved is None:
            return
        # Follow the event to wherever its time puts it.
        event_id = saved if isinstance(saved, str) else saved.id
        self.follow_id = event_id
        self.reload()
        self.chosen(event_id)

    def action_delete_event(self) -> None:
        from retrotui.ui.screens.confirm import ConfirmScreen
        from retrotui.ui.undo import delete_record, neighbour

        event = self.current
        if event is None:
            return
        # The cursor moves to the next event (the previous one after the last).
        target = neighbour([e.id for e in self.events], {event.id})

        def gone(_removed: object) -> None:
            self.follow_id = target
            self.reload()
            self.chosen(target)

        def answered(yes: bool | None) -> None:
            if yes:
                delete_record(self, "event", event.id, gone)

        question = Text("Delete the event ")
        question.append_text(plain(event.text[:80], "bold"))
        question.append("? Its notes are kept, no longer tied to an event.")
        self.app.push_screen(ConfirmScreen(question.markup), answered)
