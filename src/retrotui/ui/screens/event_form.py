"""Add or edit a timeline event: time, kind, actor, text, key event."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Checkbox, Input, Label, Select, Static

from retrotui.errors import UserError
from retrotui.models import EventKind, TimelineEvent
from retrotui.ui.screens.form import FormScreen

if TYPE_CHECKING:
    from retrotui.store.repository import Store

KINDS = [(kind.value, kind.value) for kind in EventKind]


@dataclass
class EventDraft:
    """What the form returns; the caller saves it."""

    time: datetime
    kind: str
    actor: str
    text: str
    key: bool


class EventFormScreen(FormScreen[TimelineEvent | None]):
    """Saves through `save(store, draft)` and closes only once the event is stored, so a
    refused value (too long, bad time) leaves everything typed in the form."""

    def __init__(
        self,
        *,
        zone: tzinfo,
        zone_label: str,
        on_date: date | None,
        save: Callable[[Store, EventDraft], TimelineEvent],
        event: TimelineEvent | None = None,
        time_text: str = "",
    ) -> None:
        super().__init__()
        self.save = save
        self.zone = zone
        self.zone_label = zone_label
        self.on_date = on_date
        self.event = event
        self.time_text = time_text

    def compose(self) -> ComposeResult:
        event = self.event
        title = "Edit event" if event else "Add event"
        with Vertical(classes="dialog form"):
            yield Static(f"[b]{title}[/b]", classes="dialog-title")
            with Horizontal(classes="form-row"):
                with Vertical():
                    yield Label(f"Time, {self.zone_label}")
                    yield Input(self.time_text, placeholder="09:42 or ISO-8601", id="time")
                with Vertical():
                    yield Label("Kind")
                    yield Select(
                        KINDS,
                        value=str(event.kind) if event else EventKind.ACTION.value,
                        allow_blank=False,
                        id="kind",
                    )
            yield Label("Actor (a role or team)")
            yield Input(event.actor if event else "", placeholder="On-call", id="actor")
            yield Label("What happened")
            yield Input(event.text if event else "", id="text")
            yield Checkbox("Key event", value=bool(event and event.key), id="key")
            yield from self.form_footer("Save")

    def on_mount(self) -> None:
        self.query_one("#time" if not self.event else "#text", Input).focus()

    def action_save(self) -> None:
        from retrotui.core.times import parse_event_time

        try:
            when = parse_event_time(
                self.query_one("#time", Input).value, zone=self.zone, on_date=self.on_date
            )
            text = self.query_one("#text", Input).value
            if not text.strip():
                raise UserError("Say what happened: the event text cannot be empty.")
        except UserError as exc:
            self.show_error(str(exc))
            return
        draft = EventDraft(
            time=when,
            kind=str(self.query_one("#kind", Select).value),
            actor=self.query_one("#actor", Input).value,
            text=text,
            key=self.query_one("#key", Checkbox).value,
        )
        save = self.save
        self.save_with(lambda store: save(store, draft))
