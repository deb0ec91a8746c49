"""Add or edit an action item: title, description, owner, due date, priority, status,
ticket, and the why level it addresses.

The form closes only once the item is stored; a refused value (an empty title, a due date
of "tomorrowish") is explained inline and everything typed stays in the form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static, TextArea

from retrotui.models import ActionItem, ActionStatus, Priority
from retrotui.ui.screens.form import FormScreen
from retrotui.ui.widgets.blame_hint import BlameHint

if TYPE_CHECKING:
    from retrotui.store.repository import Store

PRIORITIES = [(p.value, p.value) for p in Priority]
STATUSES = [(s.value.replace("_", " ").replace("wont", "won't"), s.value) for s in ActionStatus]


@dataclass
class ActionDraft:
    title: str
    description: str
    owner: str
    due: str
    priority: str
    status: str
    ticket: str
    why_id: str | None


class ActionFormScreen(FormScreen[ActionItem | None]):
    def __init__(
        self,
        save: Callable[[Store, ActionDraft], ActionItem],
        *,
        why_choices: list[tuple[str, str]],
        participants: tuple[str, ...] = (),
        action: ActionItem | None = None,
    ) -> None:
        super().__init__()
        self.save = save
        self.why_choices = why_choices
        self.participants = participants
        self.action = action

    def compose(self) -> ComposeResult:
        item = self.action
        with Vertical(classes="dialog form"):
            yield Static(
                "[b]Edit action item[/b]" if item else "[b]New action item[/b]",
                classes="dialog-title",
            )
            yield Label("Title: what will change")
            yield Input(item.title if item else "", id="title")
            yield BlameHint(self.participants, id="title-hint")
            with Horizontal(classes="form-row"):
                with Vertical():
                    yield Label("Owner (a person or team)")
                    yield Input(item.owner if item else "", id="owner")
                with Vertical():
                    yield Label("Due (YYYY-MM-DD or +14d; empty = policy)")
                    yield Input(str(item.due or "") if item else "", id="due")
            with Horizontal(classes="form-row"):
                with Vertical():
                    yield Label("Priority")
                    yield Select(
                        PRIORITIES,
                        value=str(item.priority) if item else "medium",
                        allow_blank=False,
                        id="priority",
                    )
                with Vertical():
                    yield Label("Status")
                    yield Select(
                        STATUSES,
                        value=str(item.status) if item else "open",
                        allow_blank=False,
                        id="status",
                    )
            with Horizontal(classes="form-row"):
                with Vertical():
                    yield Label("Ticket (OPS-12 or a URL)")
                    yield Input(item.ticket if item else "", id="ticket")
                with Vertical():
                    yield Label("Addresses why level")
                    yield Select(
                        self.why_choices,
                        value=(item.why_id if item and item.why_id else Select.NULL),
                        prompt="none",
                        id="why",
                    )
            yield Label("Description")
            yield TextArea(item.description if item else "", id="description")
            yield BlameHint(self.participants, id="description-hint")
            yield from self.form_footer("Save")

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()
        # Editing: the blameless check reads the item as it is, not only what is typed.
        if self.action is not None:
            self.query_one("#title-hint", BlameHint).check(self.action.title)
            self.query_one("#description-hint", BlameHint).check(self.action.description)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "title":
            self.query_one("#title-hint", BlameHint).check(event.value)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.query_one("#description-hint", BlameHint).check(event.text_area.text)

    def action_save(self) -> None:
        why = self.query_one("#why", Select).value
        draft = ActionDraft(
            title=self.query_one("#title", Input).value,
            description=self.query_one("#description", TextArea).text,
            owner=self.query_one("#owner", Input).value,
            due=self.query_one("#due", Input).value.strip(),
            priority=str(self.query_one("#priority", Select).value),
            status=str(self.query_one("#status", Select).value),
            ticket=self.query_one("#ticket", Input).value,
            why_id=None if why is Select.NULL else str(why),
        )
        save = self.save
        self.save_with(lambda store: save(store, draft))
