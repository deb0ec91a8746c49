"""The current event, large and unmistakable: position, time, kind, actor and text."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits

from retrotui.models import TimelineEvent
from retrotui.ui.widgets.fitted import FittedStatic
from retrotui.ui.widgets.text import plain


class EventCard(Vertical):
    def compose(self) -> ComposeResult:
        with Horizontal(id="card-head"):
            yield FittedStatic("", id="card-position")
            yield FittedStatic("", id="card-key", auto_width=True)
        yield Digits("", id="card-time")
        yield FittedStatic("", id="card-meta")
        yield FittedStatic("", id="card-text")

    def show(
        self,
        event: TimelineEvent | None,
        *,
        position: str,
        clock: str,
        meta: str,
    ) -> None:
        if event is None:
            self.query_one("#card-position", FittedStatic).show("No events yet")
            self.query_one("#card-key", FittedStatic).show("")
            self.query_one("#card-time", Digits).update("")
            self.query_one("#card-meta", FittedStatic).show("")
            self.query_one("#card-text", FittedStatic).show(
                "Press + to add the first event of the incident timeline."
            )
            return
        head = Text(f"Event {position}", "bold")
        if self.has_class("-short"):  # no room for the big clock: the time goes up here
            head.append(f"  ·  {clock}", "bold")
        self.query_one("#card-position", FittedStatic).show(head)
        self.query_one("#card-key", FittedStatic).show("★ key event" if event.key else "")
        self.set_class(event.key, "key-event")
        digits = self.query_one("#card-time", Digits)
        if digits.value != clock:  # Digits repaints on every update; events a minute apart
            digits.update(clock)  # share a clock
        meta_text = Text(meta + "  ·  ")
        meta_text.append(str(event.kind).upper(), "bold")
        if event.actor:
            meta_text.append("  ·  ")
            meta_text.append_text(plain(event.actor, "italic"))
        self.query_one("#card-meta", FittedStatic).show(meta_text)
        self.query_one("#card-text", FittedStatic).show(plain(event.text, "bold"))
