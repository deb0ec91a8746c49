"""A small form of text fields (a why level, a problem statement) that saves on ctrl+s.

Each field can carry the blameless check. The form closes only once the save worked; a
refused value is explained inline and the text stays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, Static, TextArea

from retrotui.ui.screens.form import FormScreen
from retrotui.ui.widgets.blame_hint import BlameHint

if TYPE_CHECKING:
    from retrotui.store.repository import Store


@dataclass(frozen=True)
class TextField:
    name: str
    label: str
    value: str = ""
    multiline: bool = False
    placeholder: str = ""


class TextFormScreen(FormScreen[Any]):
    def __init__(
        self,
        title: str,
        fields: list[TextField],
        save: Callable[[Store, dict[str, str]], Any],
        *,
        participants: tuple[str, ...] = (),
        focus: str | None = None,
    ) -> None:
        """`focus`: the field that takes the keys first (default: the first one)."""
        super().__init__()
        self.form_title = title
        self.fields = fields
        self.save = save
        self.participants = participants
        self.focus_field = focus or fields[0].name

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
            yield from self.form_footer("Save")

    def on_mount(self) -> None:
        # The field that takes the keys first: an Input its text selected (typing replaces
        # a default such as "Why?"), a TextArea its cursor at the end. Nothing else selected.
        for widget in self.query(Input):
            widget.cursor_position = len(widget.value)
        first = self.query_one(f"#{self.focus_field}")
        first.focus()
        if isinstance(first, TextArea):
            first.move_cursor(first.document.end)
        for field in self.fields:
            self.query_one(f"#{field.name}-hint", BlameHint).check(field.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one(f"#{event.input.id}-hint", BlameHint).check(event.value)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.query_one(f"#{event.text_area.id}-hint", BlameHint).check(event.text_area.text)

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
        save = self.save
        self.save_with(lambda store: save(store, values))
