"""A gentle line under a text field when its wording assigns blame to people.

It never blocks saving: it only suggests asking what and how instead of who.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from retrotui.errors import UserError

# A paste bigger than this is checked when focus leaves, not on every keystroke.
CHECK_WHILE_TYPING_UP_TO = 20_000


class BlameHint(Static):
    DEFAULT_CLASSES = "blame-hint"

    def __init__(self, participants: tuple[str, ...] = (), **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.participants = participants
        self.display = False

    def check(self, text: str) -> None:
        from retrotui.core.blameless import find_blame

        if len(text) > CHECK_WHILE_TYPING_UP_TO:
            text = text[:CHECK_WHILE_TYPING_UP_TO]
        try:
            hints = find_blame(text, self.participants)
        except UserError as exc:  # a broken blame-phrases.toml in the config directory
            self.update(Text(str(exc), "italic"))
            self.display = True
            return
        if not hints:
            self.display = False
            return
        first = hints[0]
        message = Text("Blameless check: ", "bold")
        message.append(f"“{first.phrase}” ", "italic")
        message.append(first.suggestion)
        if len(hints) > 1:
            message.append(f"  (+{len(hints) - 1} more)", "dim")
        self.update(message)
        self.display = True
