"""The timeline as a list that follows the cursor.

A ScrollView that renders only the lines on screen (`render_line`), so a 10,000-event
timeline scrolls as fast as a 10-event one; a DataTable would build every row up front.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from retrotui.formats.lines import one_line
from retrotui.models import TimelineEvent


class EventList(ScrollView, can_focus=False):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "event-list--current",
        "event-list--key",
        "event-list--time",
        "event-list--kind",
    }

    @dataclass
    class Picked(Message):
        """The user clicked an event."""

        index: int

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.events: list[TimelineEvent] = []
        self.current = -1
        self.format_time: Callable[[TimelineEvent], str] = lambda e: f"{e.time:%H:%M}"
        # Rendered rows by (index, is current, width): a scroll by one line renders one.
        self._strips: dict[tuple[int, bool, int], Strip] = {}

    def show(
        self,
        events: list[TimelineEvent],
        current: int,
        format_time: Callable[[TimelineEvent], str],
    ) -> None:
        same_rows = events is self.events and format_time is self.format_time
        previous, self.current = self.current, current
        self.events = events
        self.format_time = format_time
        if same_rows:
            # A step: only the rows losing and gaining the marker change (a scroll that
            # follow() makes repaints the rest).
            for index in (previous, current):
                self.refresh_line(index)
        else:
            self._strips.clear()
            self.virtual_size = Size(self.size.width, len(events))
            self.refresh()
        self.follow()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()  # a theme change restyles every row

    def follow(self) -> None:
        """Keep the current event in view, a few lines from the edges. When it reaches an
        edge the list moves by two thirds of its height, not by a line: the events ahead
        come into view a page at a time, and the steps in between repaint two rows
        instead of the whole list (a scroll repaints every row)."""
        if self.current < 0:
            return
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_y)
        margin = min(3, height // 3)
        jump = (height - 2 * margin) // 3
        if self.current < top + margin:  # stepping back: it lands in the lower part
            row = height - 1 - margin - jump
        elif self.current >= top + height - margin:  # forward: in the upper part
            row = margin + jump
        else:
            return
        target = self.current - row
        last_top = max(0, len(self.events) - height)
        self.scroll_to(y=min(max(0, target), last_top), animate=False)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.events))
        self.follow()

    def render_line(self, y: int) -> Strip:
        index = int(self.scroll_y) + y
        width = self.scrollable_content_region.width
        if not 0 <= index < len(self.events):
            return Strip.blank(width, self.rich_style)
        key = (index, index == self.current, width)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 1000:
                self._strips.clear()
            strip = self._strips[key] = self._render_row(index, width)
        return strip

    def _render_row(self, index: int, width: int) -> Strip:
        event = self.events[index]
        base = self.rich_style
        if index == self.current:
            base = base + self.get_component_rich_style("event-list--current")
        line = Text(no_wrap=True, overflow="ellipsis", style=base)
        marker = "▶ " if index == self.current else "  "
        line.append(marker)
        line.append("★ " if event.key else "  ", self.get_component_rich_style("event-list--key"))
        line.append(
            self.format_time(event) + "  ", self.get_component_rich_style("event-list--time")
        )
        if width >= 64:  # on a narrow list the text matters more than the kind
            line.append(f"{event.kind:<13} ", self.get_component_rich_style("event-list--kind"))
        # Control characters from pasted logs would move the terminal cursor: show them
        # as spaces. The event card shows the full text.
        text = one_line(event.text)
        if event.actor:
            actor = one_line(event.actor)
            line.append(f"{actor}: ", Style(bold=True))
        line.append(text)
        line.truncate(width, overflow="ellipsis", pad=True)
        return Strip(list(line.render(self.app.console))).crop(0, width)

    def on_click(self, event: Click) -> None:
        index = int(self.scroll_y) + event.y
        if 0 <= index < len(self.events):
            self.post_message(self.Picked(index))
