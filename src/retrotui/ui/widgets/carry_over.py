"""The carry-over: action items earlier retrospectives left open, shown at the top of
stage 1 (Prepare) so the team reviews them before making new ones.

Each item can be closed in place (done, won't do) or kept open. Reviewed items stay in the
list, marked, for as long as the panel lives (a `refresh_data()` does not make a closed one
vanish), and `k` on a closed one puts back the status it had, so a slip is undone at once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Static

from retrotui.models import ActionItem, ActionStatus, Retrospective
from retrotui.ui.widgets.action_table import LEGEND, STATUS_LABELS, ActionTable

if TYPE_CHECKING:
    from retrotui.services.actions import ActionRow
    from retrotui.store.repository import Store
    from retrotui.ui.host import Host

BUTTONS = (
    ("carry-done", "d Done", "done"),
    ("carry-wont_do", "w Won't do", "wont_do"),
    ("carry-keep", "k Keep open", "keep"),
)


class CarryOverPanel(Vertical):
    """`CarryOverPanel(retro_id)`: loads its own data through the app's database queue."""

    app: Host
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "review('done')", "Done", id="carry_over.done", tooltip="Close it: done"),
        Binding(
            "w",
            "review('wont_do')",
            "Won't do",
            id="carry_over.wont_do",
            tooltip="Close it: the team decided not to do it",
        ),
        Binding(
            "k",
            "review('keep')",
            "Keep open",
            id="carry_over.keep",
            tooltip="Keep it open (or undo a close made here)",
        ),
    ]

    @dataclass
    class Changed(Message):
        """An item's status was saved from the panel (the retro screen may refresh)."""

        action_id: str
        status: ActionStatus

    def __init__(self, retro: Retrospective | str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.retro_id = retro.id if isinstance(retro, Retrospective) else retro
        self.rows: list[ActionRow] = []
        self.original: dict[str, ActionRow] = {}  # as first loaded, to undo a close
        self.reviewed: dict[str, str] = {}  # action id -> "done" / "wont_do" / "keep"
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static("Looking for open action items from earlier retrospectives…", id="carry-intro")
        yield ActionTable(id="carry-table")
        with Horizontal(id="carry-buttons", classes="status-buttons"):
            for button_id, label, _ in BUTTONS:
                yield Button(label, id=button_id, compact=True)

    def on_mount(self) -> None:
        self.border_title = "Carried over"
        for button in self.query(Button):
            button.can_focus = False
        self.query_one("#carry-table").display = False
        self.query_one("#carry-buttons").display = False
        self.refresh_data()

    # -- loading ------------------------------------------------------------------------

    def refresh_data(self) -> None:
        """Load the carry-over again (items reviewed here stay, with their mark)."""
        from retrotui.services.actions import carry_over

        retro_id, today = self.retro_id, self.app.today

        def load(store: Store) -> list[ActionRow]:
            return carry_over(store, store.get(Retrospective, retro_id), today=today)

        self.app.submit(load, self.show_rows)

    def show_rows(self, fresh: list[ActionRow]) -> None:
        self.loaded = True
        by_id = {row.action.id: row for row in fresh}
        for row in fresh:
            self.original.setdefault(row.action.id, row)
        current = {row.action.id: row for row in self.rows}
        # Keep the order the team is working through; new items go at the end.
        merged: list[ActionRow] = []
        for action_id in [*current, *(i for i in by_id if i not in current)]:
            if action_id in by_id:
                merged.append(by_id[action_id])
            elif action_id in self.reviewed:
                merged.append(current[action_id])  # closed here: no longer carried over
        self.rows = merged
        self.refill()

    def refill(self) -> None:
        table = self.query_one(ActionTable)
        table.show(self.rows, status_text=self.status_text)
        table.display = bool(self.rows)
        self.query_one("#carry-buttons").display = bool(self.rows)
        self.set_class(not self.rows, "-empty")
        self.query_one("#carry-intro", Static).update(self.intro())

    def status_text(self, row: ActionRow) -> str:
        label = STATUS_LABELS[ActionStatus(row.action.status)]
        return f"{label} · kept" if self.reviewed.get(row.action.id) == "keep" else label

    def intro(self) -> Text:
        if not self.rows:
            return Text("Nothing carried over: no open action items from earlier retrospectives.")
        overdue = sum(1 for row in self.original.values() if row.overdue)
        pending = sum(1 for row in self.rows if row.action.id not in self.reviewed)
        text = Text()
        text.append(f"{len(self.original)} action items", "bold")
        text.append(" from earlier retrospectives were still open")
        if overdue:
            text.append(f" ({overdue} overdue)", "bold")
        text.append(". Review them before making new ones: ")
        text.append("d", "bold")
        text.append(" done · ")
        text.append("w", "bold")
        text.append(" won't do · ")
        text.append("k", "bold")
        text.append(" keep open.  ")
        text.append(
            f"{pending} to review." if pending else "All reviewed.", "bold" if pending else ""
        )
        text.append(f"\n{LEGEND}", "dim")
        return text

    # -- reviewing ----------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "review" and self.selected() is None:
            return None
        return True

    def selected(self) -> ActionRow | None:
        tables = self.query(ActionTable)
        return tables.first().selected() if tables else None

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        for button_id, _, choice in BUTTONS:
            if event.button.id == button_id:
                self.action_review(choice)

    def action_review(self, choice: str) -> None:
        """Close the highlighted item ("done", "wont_do") or keep it open ("keep")."""
        from retrotui.services.actions import set_action_status

        row = self.selected()
        if row is None:
            return
        action_id = row.action.id
        first = self.original.get(action_id, row)
        if choice == "keep":
            status = ActionStatus(first.action.status)
            # A close made here is undone: the item gets back the status it had.
            if row.action.status == status:
                self.mark(action_id, choice, row)
                return
        else:
            status = ActionStatus(choice)
            if row.action.status == status:
                return

        def saved(action: ActionItem) -> None:
            updated = replace(first, action=action) if choice == "keep" else None
            if updated is None:
                updated = replace(row, action=action, overdue=False, past_policy=False)
            self.mark(action_id, choice, updated)
            self.post_message(self.Changed(action_id, status))

        self.app.submit(lambda store: set_action_status(store, action_id, status), saved)

    def mark(self, action_id: str, choice: str, row: ActionRow) -> None:
        self.reviewed[action_id] = choice
        self.rows = [row if r.action.id == action_id else r for r in self.rows]
        self.refill()
        table = self.query_one(ActionTable)
        index = table.get_row_index(action_id)
        # On to the next item still waiting for review, so the team can go d, k, k, w…
        for later in self.rows[index + 1 :]:
            if later.action.id not in self.reviewed:
                table.move_cursor(row=table.get_row_index(later.action.id))
                break
