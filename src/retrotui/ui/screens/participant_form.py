"""Add or edit a participant: name and role."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from retrotui.models import Participant, Role

if TYPE_CHECKING:
    from retrotui.store.repository import Store
    from retrotui.ui.app import RetroApp

ROLES = [(role.value.replace("_", " "), role.value) for role in Role]


class ParticipantFormScreen(ModalScreen[Participant | None]):
    app: RetroApp
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="participant_form.cancel"),
        Binding("ctrl+s", "save", "Save", id="participant_form.save"),
    ]

    def __init__(
        self,
        save: Callable[[Store, str, str], Participant],
        participant: Participant | None = None,
    ) -> None:
        super().__init__()
        self.save = save
        self.participant = participant

    def compose(self) -> ComposeResult:
        person = self.participant
        with Vertical(classes="dialog form"):
            yield Static(
                "[b]Edit participant[/b]" if person else "[b]Add participant[/b]",
                classes="dialog-title",
            )
            yield Label("Name (or a team)")
            yield Input(person.name if person else "", id="name")
            yield Label("Role")
            yield Select(
                ROLES,
                value=str(person.role) if person else Role.OBSERVER.value,
                allow_blank=False,
                id="role",
            )
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        name = self.query_one("#name", Input).value
        role = str(self.query_one("#role", Select).value)
        error = self.query_one("#form-error", Static)
        save = self.save
        self.app.submit(
            lambda store: save(store, name, role), self.dismiss, lambda e: error.update(str(e))
        )
