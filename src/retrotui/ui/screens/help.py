"""`?`: every key of the screen underneath, with what it does."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

INTRO = (
    "Every action is also in the command palette (ctrl+p): type part of its name.\n"
    "Keys can be remapped in config.toml, section \\[keys], by the binding id shown here."
)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        # Read the keys now, while `under` is still the active screen: once this one is
        # pushed, the focus chain (and so the active bindings) is this screen's.
        # One row per action, with all of its keys ("n / down / j").
        rows: dict[str, tuple[list[str], str]] = {}
        # retrotui's own keys (they have ids) first, then Textual's (focus, copy), then
        # the focused widget's (scrolling, editing).
        own = (under, under.app)
        ordered = sorted(
            under.active_bindings.values(),
            key=lambda a: (a.binding.id is None, a.node not in own),
        )
        for active in ordered:
            binding = active.binding
            if not binding.description:
                continue
            key = binding.key_display or under.app.get_key_display(binding)
            keys, _ = rows.setdefault(binding.description, ([], binding.id or ""))
            if key not in keys:
                keys.append(key)
        self.rows = rows

    def compose(self) -> ComposeResult:
        rows = self.rows
        width = max((len(" / ".join(keys)) for keys, _ in rows.values()), default=4) + 2
        # As wide as the longest description, so the ids stay on their rows at 80 columns.
        said = max((len(description) for description in rows), default=10) + 2
        table = Text()
        for description, (keys, binding_id) in rows.items():
            table.append(" / ".join(keys).ljust(width), "bold")
            table.append(description.ljust(said))
            table.append(binding_id + "\n", "dim")
        with VerticalScroll(classes="dialog help"):
            yield Static(f"[b]Keys on this screen[/b]\n{INTRO}\n", classes="help-intro")
            yield Static(table)
            yield Static("\nescape closes this help.", classes="muted")
