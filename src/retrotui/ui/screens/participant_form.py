"""Add or edit a participant: name and role."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Select, Static

from retrotui.models import Participant, Role
from retrotui.ui.screens.form import FormScreen

if TYPE_CHECKING:
    from retrotui.store.repository import Store

ROLES = [(role.value.replace("_", " "), role.value) for role in Role]


class ParticipantFormScreen(FormScreen[Participant | None]):
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
            yield from self.form_footer("Save")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def action_save(self) -> None:
        name = self.query_one("#name", Input).value
        role = str(self.query_one("#role", Select).value)
        save = self.save
        self.save_with(lambda store: save(store, name, role))
