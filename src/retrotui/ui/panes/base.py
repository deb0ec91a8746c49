"""What every stage pane of the meeting screen is: it shows the retrospective it is given,
and tells the screen (a message up, not a call) when it changed something."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.widget import Widget

if TYPE_CHECKING:
    from retrotui.core.bundle import RetroBundle
    from retrotui.ui.host import Host


class StagePane(Widget):
    """Mixed in before a container: `class ActionsPane(StagePane, Vertical)`.

    Textual sets `can_focus` on every Widget subclass, so this class's (False) comes first
    in a pane's MRO: a pane on a scrolling container says `can_focus=True` itself."""

    app: Host

    class Changed(Message):
        """The pane changed the retrospective: the meeting screen loads it again and shows
        it in every pane."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bundle: RetroBundle | None = None

    def show_bundle(self, bundle: RetroBundle) -> None:
        """Show the retrospective as just loaded (every pane, after every change)."""
        self.bundle = bundle

    def changed(self, _result: object = None) -> None:
        """Ask the screen to reload; usable as a job's or a dialog's callback."""
        self.post_message(StagePane.Changed())
