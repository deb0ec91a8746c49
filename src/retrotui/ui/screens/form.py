"""What every form dialog shares: escape cancels, ctrl+s (or enter in a field) saves, and
the dialog closes only once the save worked; a refused value is explained on the form's
error line and everything typed stays where it is."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

if TYPE_CHECKING:
    from retrotui.store.repository import Store
    from retrotui.ui.host import Host

T = TypeVar("T")


class FormScreen(ModalScreen[T]):
    app: Host
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save"),
    ]

    def form_footer(self, save_label: str = "Save") -> ComposeResult:
        """The error line and the Cancel / Save buttons, at the end of compose()."""
        yield Static("", id="form-error", classes="form-error")
        with Horizontal(classes="dialog-buttons"):
            yield Button("Cancel", id="cancel")
            yield Button(f"{save_label} (ctrl+s)", id="save", variant="primary")

    def show_error(self, message: str) -> None:
        line = self.query_one("#form-error", Static)
        line.update(message)
        # On a small terminal the error line may be below the fold: bring it into view.
        self.call_after_refresh(line.scroll_visible)

    def save_with(self, job: Callable[[Store], Any]) -> None:
        """Run `job` on the database thread; close with its result, or show its error."""
        self.app.submit(job, self.dismiss, lambda error: self.show_error(str(error)))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        raise NotImplementedError
