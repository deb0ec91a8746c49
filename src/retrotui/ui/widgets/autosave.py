"""Text fields that save themselves: at most 0.4 s after the last keystroke, on blur, and
before the app quits. No Save button anywhere.

A failed save (too long, NUL, database trouble) shows a notification through the app's
one error handler and leaves the text in the field, marked unsaved, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.events import Blur
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, TextArea

if TYPE_CHECKING:
    from retrotui.store.repository import Store
    from retrotui.ui.app import RetroApp

# Below the 0.5 s promise, leaving time for the commit itself.
DEBOUNCE_SECONDS = 0.4

SaveJob = Callable[["Store", str], Any]


class Autosaver:
    """The debounce shared by every autosaving widget."""

    def __init__(self, widget: Widget, save: SaveJob, on_saved: Callable[[Any], object] | None):
        self.widget = widget
        self.save = save
        self.on_saved = on_saved
        self.saved_value: str | None = None
        self.pending: str | None = None
        self.timer: Timer | None = None

    @property
    def app(self) -> RetroApp:
        return self.widget.app  # type: ignore[return-value]

    def baseline(self, value: str) -> None:
        """The value as loaded from the database: nothing to save yet."""
        self.saved_value = value
        self.pending = None
        self.widget.remove_class("unsaved")

    def changed(self, value: str) -> None:
        if value == self.saved_value and self.pending is None:
            return
        self.pending = value
        self.app.autosaves.add(self)
        if self.timer is not None:
            self.timer.stop()
        self.timer = self.widget.set_timer(DEBOUNCE_SECONDS, self.flush)

    def flush(self) -> None:
        """Send the pending value to the database now (also called before quitting)."""
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
        self.app.autosaves.discard(self)
        value = self.pending
        if value is None or value == self.saved_value:
            self.pending = None
            return
        self.pending = None
        save = self.save

        def done(result: Any) -> None:
            self.saved_value = value
            self.widget.remove_class("unsaved")
            if self.on_saved is not None:
                self.on_saved(result)

        def failed(error: BaseException) -> None:
            self.widget.add_class("unsaved")
            self.app.on_db_error(error)

        self.app.submit(lambda store: save(store, value), done, failed)


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
        super().__init__(value, **kwargs)
        self.while_typing = while_typing
        self.autosaver = Autosaver(self, save, on_saved)
        self.autosaver.baseline(value)

    def load(self, value: str) -> None:
        """Show a value from the database, unless the user is editing this field."""
        if self.has_focus or self.autosaver.pending is not None:
            return
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
        super().__init__(text, soft_wrap=True, **kwargs)
        self.autosaver = Autosaver(self, save, on_saved)
        self.autosaver.baseline(text)

    def load(self, text: str) -> None:
        if self.has_focus or self.autosaver.pending is not None:
            return
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
