"""Widgets that save themselves as they are edited (see autosaver.py for when and how)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.events import Blur
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, TextArea

from retrotui.formats.inert import inert
from retrotui.ui.widgets.autosaver import Autosaver, SaveJob

__all__ = ["AutosaveInput", "AutosaveTextArea", "Autosaver", "Debounce", "SaveJob"]


class AutosaveInput(Input):
    """A one-line field that saves as you type (or, with `while_typing=False`, on enter
    and when focus leaves: for values such as times that are invalid until complete)."""

    def __init__(
        self,
        value: str,
        save: SaveJob,
        *,
        on_saved: Callable[[Any], object] | None = None,
        while_typing: bool = True,
        **kwargs: Any,
    ) -> None:
        value = inert(value)  # shown and edited as it looks (formats/inert.py)
        super().__init__(value, **kwargs)
        self.while_typing = while_typing
        self.autosaver = Autosaver(self, save, on_saved)
        self.autosaver.baseline(value)

    def load(self, value: str) -> None:
        """Show a value from the database, unless the user is editing this field."""
        if self.has_focus or self.autosaver.pending is not None:
            return
        value = inert(value)
        with self.prevent(Input.Changed):
            self.value = value
        self.autosaver.baseline(value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is not self:
            return
        if self.while_typing:
            self.autosaver.changed(event.value)
        else:
            self.autosaver.pending = event.value
            self.autosaver.app.autosaves.add(self.autosaver)
            self.add_class("unsaved")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is self:
            self.autosaver.flush()

    def on_blur(self, _event: Blur) -> None:
        self.autosaver.flush()


class AutosaveTextArea(TextArea):
    """A multi-line field that saves as you type."""

    def __init__(
        self,
        text: str,
        save: SaveJob,
        *,
        on_saved: Callable[[Any], object] | None = None,
        **kwargs: Any,
    ) -> None:
        text = inert(text)
        super().__init__(text, soft_wrap=True, **kwargs)
        self.autosaver = Autosaver(self, save, on_saved)
        self.autosaver.baseline(text)

    def load(self, text: str) -> None:
        if self.has_focus or self.autosaver.pending is not None:
            return
        text = inert(text)
        with self.prevent(TextArea.Changed):
            self.text = text
        self.autosaver.baseline(text)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area is self:
            self.autosaver.changed(self.text)

    def on_blur(self, _event: Blur) -> None:
        self.autosaver.flush()


class Debounce:
    """Run `action` once, `delay` seconds after the last poke, or at once on flush (which
    the app does before quitting)."""

    def __init__(self, widget: Widget, delay: float, action: Callable[[], None]) -> None:
        self.widget = widget
        self.delay = delay
        self.action = action
        self.timer: Timer | None = None

    def poke(self) -> None:
        if self.timer is not None:
            self.timer.stop()
        self.widget.app.autosaves.add(self)  # type: ignore[attr-defined]
        self.timer = self.widget.set_timer(self.delay, self.flush)

    def flush(self) -> None:
        if self.timer is None:
            return
        self.timer.stop()
        self.timer = None
        self.widget.app.autosaves.discard(self)  # type: ignore[attr-defined]
        self.action()
