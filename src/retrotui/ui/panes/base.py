"""What every stage pane of the meeting screen is: it shows the retrospective it is given,
and tells the screen (a message up, not a call) when it changed something."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget

if TYPE_CHECKING:
    from retrotui.core.bundle import RetroBundle
    from retrotui.models import Record
    from retrotui.store.undo import Removed
    from retrotui.ui.host import Host


class StagePane(Widget):
    """Mixed in before a container: `class ActionsPane(StagePane, Vertical)`.

    Textual sets `can_focus` on every Widget subclass, so this class's (False) comes first
    in a pane's MRO: a pane on a scrolling container says `can_focus=True` itself."""

    app: Host
    # Shown (first, in every stage) once there is a delete made here to take back.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+z",
            "undo_delete",
            "Undo delete",
            id="meeting.undo",
            tooltip="Put back the last note, event, why or action deleted in this terminal",
        ),
    ]

    class Changed(Message):
        """The pane changed the retrospective: the meeting screen merges the records the
        save returned and reads what else the change feed says changed."""

        def __init__(self, records: Sequence[Record] = ()) -> None:
            super().__init__()
            self.records = records

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bundle: RetroBundle | None = None
        self.follow_id: str | None = None  # a record to select once the next load shows it

    def show_bundle(self, bundle: RetroBundle) -> None:
        """Show the retrospective as just loaded (every pane, after every change)."""
        self.bundle = bundle

    def changed(self, result: object = None) -> None:
        """Tell the screen; usable as a job's or a dialog's callback (a record or a list
        of records the job returned is shown without reading it back)."""
        from retrotui.models import Record

        if isinstance(result, Record):
            records: Sequence[Record] = [result]
        elif isinstance(result, list | tuple) and all(isinstance(r, Record) for r in result):
            records = list(result)
        else:
            records = []
        self.post_message(StagePane.Changed(records))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo_delete":
            return self.bundle is not None and self.app.undo.has(self.bundle.retro.id)
        return True

    def action_undo_delete(self) -> None:
        from retrotui.ui.undo import undo_last

        if self.bundle is not None:
            undo_last(self, self.bundle.retro.id)

    def restored(self, removed: Removed) -> None:
        """A record deleted from this pane is back (ctrl+z): select it once it is shown."""
        self.follow_id = removed.record_id
        self.changed()
