"""Stage 5, Actions: what will change, who owns it, by when; gaps said out loud."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from retrotui.core.stats import is_overdue
from retrotui.formats.summary import STATUS_BOX
from retrotui.models import ActionItem, ActionStatus
from retrotui.ui.panes.base import StagePane
from retrotui.ui.widgets.table import Table
from retrotui.ui.widgets.text import plain

if TYPE_CHECKING:
    from retrotui.core.bundle import RetroBundle
    from retrotui.store.repository import Store
    from retrotui.ui.screens.action_form import ActionDraft

STATUS_ORDER = {
    ActionStatus.OPEN: 0,
    ActionStatus.IN_PROGRESS: 1,
    ActionStatus.DONE: 2,
    ActionStatus.WONT_DO: 3,
}
PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}
NEXT_STATUS = {
    ActionStatus.OPEN: ActionStatus.IN_PROGRESS,
    ActionStatus.IN_PROGRESS: ActionStatus.DONE,
    ActionStatus.DONE: ActionStatus.WONT_DO,
    ActionStatus.WONT_DO: ActionStatus.OPEN,
}


def meeting_order(actions: list[ActionItem]) -> list[ActionItem]:
    """Open work first, then by priority, then soonest due (undated last)."""
    return sorted(
        actions,
        key=lambda a: (
            STATUS_ORDER[ActionStatus(a.status)],
            PRIORITY_ORDER.get(str(a.priority), 1),
            a.due or date.max,
            a.position,
        ),
    )


HEADINGS = ("", "Priority", "Due", "Owner", "Title", "Ticket")
TICKET_WIDTH = 18
TITLE_MIN = 16


def fit_titles(rows: list[list[Text]], width: int) -> None:
    """Cut the titles (the one column that can give) so every column fits in `width`:
    each column takes its widest cell plus two cells of padding, a scrollbar two more."""
    if not rows or width <= 0:
        return
    widths = [
        max(len(heading), *(row[i].cell_len for row in rows)) for i, heading in enumerate(HEADINGS)
    ]
    room = width - 2 * len(HEADINGS) - 2 - sum(w for i, w in enumerate(widths) if i != 4)
    limit = max(TITLE_MIN, room)
    for row in rows:
        if row[4].cell_len > limit:
            row[4].truncate(limit, overflow="ellipsis")


class ActionsPane(StagePane, Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "add_action", "Add action", id="actions.add"),
        Binding("e", "edit_action", "Edit action", id="actions.edit"),
        Binding("space", "cycle_status", "Next status", id="actions.cycle_status"),
        Binding("delete", "delete_action", "Delete action", id="actions.delete", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.actions: list[ActionItem] = []
        self.order: list[str] = []  # action ids in the order on screen

    def compose(self) -> ComposeResult:
        yield Static("", id="actions-gaps")
        yield Table[Text](id="actions-table", cursor_type="row", zebra_stripes=True)
        yield Static(
            "i add · e edit · space next status · del remove · due: YYYY-MM-DD or +14d",
            classes="muted",
        )

    def focus_table(self) -> None:
        self.query_one(DataTable).focus()

    def on_show(self) -> None:
        # Entering the stage sorts the list afresh; while it is on screen, rows stay where
        # they are (a status change must not move the row under the cursor).
        self.order = []
        if self.bundle is not None:
            self.show_bundle(self.bundle)

    def on_resize(self) -> None:
        if self.bundle is not None:
            self.show_bundle(self.bundle)

    def listed(self, actions: list[ActionItem]) -> list[ActionItem]:
        """The rows in the order on screen: the meeting order when the stage is entered,
        then every item in the row it had; items new since then at the end."""
        by_id = {a.id: a for a in actions}
        known = set(self.order)
        new = [a for a in meeting_order(actions) if a.id not in known]
        # Deleted items keep their place in `order`: put back (ctrl+z), they return to it.
        self.order += [a.id for a in new]
        return [by_id[i] for i in self.order if i in by_id]

    def show_bundle(self, bundle: RetroBundle) -> None:
        from retrotui.core.agenda import meeting_gaps

        self.bundle = bundle
        today = self.app.today
        self.actions = self.listed(bundle.actions)
        gaps = meeting_gaps(bundle, today)
        self.query_one("#actions-gaps", Static).update(Text(gaps.gap_line, "bold"))
        table = self.query_one(DataTable)
        # Keep the cursor on the same item: the next key press must not hit a neighbour.
        selected = self.selected()
        keep_id = self.follow_id or (selected.id if selected else None)
        self.follow_id = None
        row = table.cursor_row
        # Columns too: an auto-sized column keeps the width of the widest cell it ever had.
        table.clear(columns=True)
        table.add_columns(*HEADINGS)
        cells = [self.cells(action, today) for action in self.actions]
        fit_titles(cells, table.size.width)
        for action, row_cells in zip(self.actions, cells, strict=True):
            table.add_row(*row_cells, key=action.id)
        ids = [a.id for a in self.actions]
        if keep_id in ids:
            table.move_cursor(row=ids.index(keep_id))
        elif table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    @staticmethod
    def cells(action: ActionItem, today: date) -> list[Text]:
        due = Text(str(action.due) if action.due else "no date")
        if action.due_is_default:
            due.append(" (policy)", "dim")
        if is_overdue(action, today):
            due = Text(
                f"{action.due} overdue {(today - action.due).days}d",  # type: ignore[operator]
                "bold reverse red",
            )
        ticket = plain(action.ticket)
        ticket.truncate(TICKET_WIDTH, overflow="ellipsis")
        return [
            # A Text, not a string: "[x]" as markup would be swallowed as a tag.
            Text(STATUS_BOX[ActionStatus(action.status)]),
            Text(str(action.priority), "bold" if action.priority == "high" else ""),
            due,
            plain(action.owner) if action.owner else Text("no owner", "italic red"),
            plain(action.title),
            ticket,
        ]

    def selected(self) -> ActionItem | None:
        table = self.query_one(DataTable)
        if not table.row_count or not 0 <= table.cursor_row < len(self.actions):
            return None
        return self.actions[table.cursor_row]

    def why_choices(self) -> list[tuple[str, str]]:
        if self.bundle is None:
            return []
        choices = []
        for chain_number, chain in enumerate(self.bundle.why_chains(), start=1):
            for level, why in enumerate(chain.whys, start=1):
                label = f"{chain_number}.{level} {why.answer[:50]}"
                choices.append((label, why.id))
        return choices

    def _reload(self, result: object = None) -> None:
        if isinstance(result, ActionItem):
            self.follow_id = result.id
        self.changed(result)

    def _form(self, action: ActionItem | None) -> None:
        from retrotui.services.actions import UNSET, add_action, update_action
        from retrotui.ui.screens.action_form import ActionFormScreen

        if self.bundle is None:
            return
        retro = self.bundle.retro
        today = self.app.today
        names = tuple(p.name for p in self.bundle.participants)
        author = self.app.identity

        def save(store: Store, draft: ActionDraft) -> ActionItem:
            if action is None:
                return add_action(
                    store,
                    retro,
                    draft.title,
                    today=today,
                    description=draft.description,
                    owner=draft.owner,
                    due=draft.due or None,
                    priority=draft.priority,
                    status=draft.status,
                    ticket=draft.ticket,
                    why_id=draft.why_id,
                    author=author,
                )
            unchanged_due = draft.due == str(action.due or "")
            return update_action(
                store,
                action.id,
                today=today,
                title=draft.title,
                description=draft.description,
                owner=draft.owner,
                due=UNSET if unchanged_due else (draft.due or None),
                priority=draft.priority,
                status=draft.status,
                ticket=draft.ticket,
                why_id=draft.why_id,
            )

        self.app.push_screen(
            ActionFormScreen(
                save, why_choices=self.why_choices(), participants=names, action=action
            ),
            self._reload,
        )

    def action_add_action(self) -> None:
        self._form(None)

    def action_edit_action(self) -> None:
        action = self.selected()
        if action is not None:
            self._form(action)

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_edit_action()

    def action_cycle_status(self) -> None:
        from retrotui.services.actions import set_action_status

        action = self.selected()
        if action is None:
            return
        new = NEXT_STATUS[ActionStatus(action.status)]
        self.app.submit(lambda store: set_action_status(store, action.id, new), self._reload)

    def action_delete_action(self) -> None:
        from retrotui.ui.screens.confirm import ConfirmScreen
        from retrotui.ui.undo import delete_record, neighbour

        action = self.selected()
        if action is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                # The cursor moves to the next row (the previous one after the last).
                self.follow_id = neighbour([a.id for a in self.actions], {action.id})
                delete_record(self, "action", action.id, self.changed)

        question = Text("Delete the action item ")
        question.append_text(plain(action.title[:80], "bold"))
        question.append("?")
        self.app.push_screen(ConfirmScreen(question.markup), answered)
