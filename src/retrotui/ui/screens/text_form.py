"""A small form of text fields (a why level, a problem statement) that saves on ctrl+s.

Each field can carry the blameless check. The form closes only once the save worked; a
refused value is explained inline and the text stays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from retrotui.ui.widgets.blame_hint import BlameHint

if TYPE_CHECKING:
    from retrotui.store.repository import Store
    from retrotui.ui.app import RetroApp


@dataclass(frozen=True)
class TextField:
    name: str
    label: str
    value: str = ""
    multiline: bool = False
    placeholder: str = ""


class TextFormScreen(ModalScreen[Any]):
    app: RetroApp
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="text_form.cancel"),
        Binding("ctrl+s", "save", "Save", id="text_form.save"),
    ]

    def __init__(
        self,
        title: str,
        fields: list[TextField],
        save: Callable[[Store, dict[str, str]], Any],
        *,
        participants: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.save = save
        self.participants = participants

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(f"[b]{self.form_title}[/b]  (ctrl+s saves)", classes="dialog-title")
            for field in self.fields:
                yield Label(field.label)
                if field.multiline:
                    yield TextArea(field.value, id=field.name, soft_wrap=True, classes="tall")
                else:
                    yield Input(field.value, placeholder=field.placeholder, id=field.name)
                yield BlameHint(self.participants, id=f"{field.name}-hint")
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")

    def on_mount(self) -> None:
        first = self.fields[-1] if self.fields[0].value else self.fields[0]
        self.query_one(f"#{first.name}").focus()
        for field in self.fields:
            self.query_one(f"#{field.name}-hint", BlameHint).check(field.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one(f"#{event.input.id}-hint", BlameHint).check(event.value)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.query_one(f"#{event.text_area.id}-hint", BlameHint).check(event.text_area.text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def values(self) -> dict[str, str]:
        result = {}
        for field in self.fields:
            widget = self.query_one(f"#{field.name}")
            result[field.name] = (
                widget.text if isinstance(widget, TextArea) else widget.value  # type: ignore[attr-defined]
            )
        return result

    def action_save(self) -> None:
        values = self.values()
        error = self.query_one("#form-error", Static)
        save = self.save
        self.app.submit(
            lambda store: save(store, values), self.dismiss, lambda exc: error.update(str(exc))
        )
