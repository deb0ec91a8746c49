"""Pick an event of the timeline (to move a note to it): type to filter by time, actor or
text; enter picks, escape cancels. Returns `(event_id,)`, `(None,)` for "no event"."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from retrotui.formats.lines import one_line
from retrotui.models import TimelineEvent
from retrotui.ui.widgets.text import plain

NO_EVENT = "-"
# A long timeline shows this many events around the note's own; typing finds the rest.
SHOWN = 200


def event_label(event: TimelineEvent) -> str:
    """'08:32 Comms lead: Status page updated' on one line."""
    actor = f"{one_line(event.actor)}: " if event.actor else ""
    text = one_line(event.text)
    if len(text) > 90:
        text = text[:89] + "…"
    return f"{event.time.astimezone():%H:%M} {actor}{text}"


class EventPickerScreen(ModalScreen[tuple[str | None] | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="event_picker.cancel"),
        Binding("down", "list_key('cursor_down')", "Next event", show=False),
        Binding("up", "list_key('cursor_up')", "Previous event", show=False),
    ]

    def __init__(self, events: list[TimelineEvent], current: str | None) -> None:
        super().__init__()
        self.events = events
        self.current = current
        self.labels = [event_label(event) for event in events]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog picker"):
            yield Static("[b]Move the note to which event?[/b]", classes="dialog-title")
            yield Input(placeholder="Type to find an event (time, actor or text)", id="find")
            yield OptionList(id="events")

    def on_mount(self) -> None:
        self.fill("")
        self.query_one(Input).focus()

    def fill(self, query: str) -> None:
        listing = self.query_one(OptionList)
        words = query.lower().split()
        if words:
            chosen = [
                i for i, label in enumerate(self.labels) if all(w in label.lower() for w in words)
            ][:SHOWN]
        else:
            at = next((i for i, e in enumerate(self.events) if e.id == self.current), 0)
            start = max(0, at - SHOWN // 2)
            chosen = list(range(start, min(len(self.events), start + SHOWN)))
        options = [Option("(no event: not tied to the timeline)", id=NO_EVENT)]
        # User text as Text, never markup: "[b]" in an event stays "[b]".
        options += [Option(plain(self.labels[i]), id=self.events[i].id) for i in chosen]
        listing.set_options(options)
        ids = [option.id for option in options]
        # Typing: the first match. Otherwise the note's own event (or the first event).
        if not words and self.current in ids:
            listing.highlighted = ids.index(self.current)
        else:
            listing.highlighted = 1 if len(options) > 1 else 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        option = self.query_one(OptionList).highlighted_option
        if option is not None:
            self.pick(option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.pick(event.option.id)

    def pick(self, option_id: str | None) -> None:
        self.dismiss((None if option_id in (None, NO_EVENT) else option_id,))

    def action_list_key(self, action: str) -> None:
        getattr(self.query_one(OptionList), f"action_{action}")()

    def action_cancel(self) -> None:
        self.dismiss(None)
