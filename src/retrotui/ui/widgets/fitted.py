"""A Static that asks for a new layout only when its size may change.

`Static.update` lays out the whole screen by default, which on the meeting screen costs
more than everything else a step does. The event card, its notes and the stage timer
change text on every step or tick, but rarely their size: this widget compares what
decides its size (the number of wrapped lines at its width; with `auto_width`, also the
widest line) and lays out only when that changed. Showing what is already shown does
nothing at all (the meeting bar is shown again on every heartbeat).
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class FittedStatic(Static):
    def __init__(self, content: str | Text = "", *, auto_width: bool = False, **kwargs: object):
        super().__init__(content, **kwargs)  # type: ignore[arg-type]
        self.auto_width = auto_width
        self._shape: tuple[int, int] | None = None
        self._shown: Text | None = None

    def show(self, content: str | Text) -> None:
        text = content if isinstance(content, Text) else Text(content)
        if text == self._shown and self._shape is not None:
            return
        self._shown = text.copy()
        shape: tuple[int, int] | None = None
        if self.auto_width:  # as wide as its widest line: no wrapping
            lines = text.split(allow_blank=True)
            shape = (len(lines), max((line.cell_len for line in lines), default=0))
        elif (width := self.content_region.width) > 0:
            shape = (len(text.wrap(self.app.console, width)) if text.plain else 0, 0)
        layout = shape is None or shape != self._shape
        self._shape = shape
        self.update(content, layout=layout)
