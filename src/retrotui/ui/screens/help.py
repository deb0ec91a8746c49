"""`?`: every key of the screen underneath, with what it does."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

INTRO = (
    "Every action is also in the command palette (ctrl+p): type part of its name.\n"
    "Keys can be remapped in config.toml, section [keys], by the binding id shown here."
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        table = Table(box=None, expand=True, pad_edge=False)
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("Does")
        table.add_column("Binding id", style="dim", no_wrap=True)
        # One row per action, with all of its keys ("n / down / j").
        rows: dict[str, tuple[list[str], str]] = {}
        for active in self.under.active_bindings.values():
            binding = active.binding
            if not binding.description:
                continue
            key = binding.key_display or self.app.get_key_display(binding)
            keys, _ = rows.setdefault(binding.description, ([], binding.id or ""))
            if key not in keys:
                keys.append(key)
        for description, (keys, binding_id) in rows.items():
            table.add_row(" / ".join(keys), description, binding_id)
        with VerticalScroll(classes="dialog help"):
            yield Static(f"[b]Keys on this screen[/b]\n{INTRO}\n", classes="help-intro")
            yield Static(table)
            yield Static("\nescape closes this help.", classes="muted")
