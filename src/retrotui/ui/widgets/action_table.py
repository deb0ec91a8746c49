"""A table of action items across retrospectives, shared by the follow-up screen and the
carry-over panel: overdue rows in the `$retro-overdue` colour, with days late and the
past-policy flag, the way `retrotui actions` prints them ("!13d P")."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable

from retrotui.core.stats import is_open
from retrotui.models import ActionStatus
from retrotui.ui.widgets.table import Table
from retrotui.ui.widgets.text import printable

if TYPE_CHECKING:
    from retrotui.services.actions import ActionRow

STATUS_LABELS = {
    ActionStatus.OPEN: "open",
    ActionStatus.IN_PROGRESS: "in progress",
    ActionStatus.DONE: "done",
    ActionStatus.WONT_DO: "won't do",
}
COLUMNS = ("Due", "Flags", "Status", "Owner", "Retro", "Title")
LEGEND = "!Nd overdue by N days · P past the due-date policy"


def flags(row: ActionRow) -> str:
    """ "!13d P": days overdue and the past-policy mark, as in `retrotui actions`."""
    parts = []
    if row.overdue:
        parts.append(f"!{row.days_overdue}d")
    if row.past_policy:
        parts.append("P")
    return " ".join(parts)


def due_label(row: ActionRow) -> str:
    due = row.action.due
    if due is None:
        return "-"
    return f"{due:%Y-%m-%d}"


def _cell(value: str, style: Style) -> Text:
    """User text as a cell: never markup, no control characters, on one line."""
    return Text(" ".join(printable(value).split()), style=style)


class ActionTable(Table[Text]):
    """Rows keyed by action id; the style of each row comes from the stylesheet."""

    COMPONENT_CLASSES: ClassVar[set[str]] = DataTable.COMPONENT_CLASSES | {
        "action-table--overdue",
        "action-table--policy",
        "action-table--closed",
    }

    def __init__(self, **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        self.rows_by_id: dict[str, ActionRow] = {}
        self._shown: list[ActionRow] = []
        self._status_text: Callable[[ActionRow], str] = lambda row: STATUS_LABELS[
            ActionStatus(row.action.status)
        ]

    def on_mount(self) -> None:
        self._ensure_columns()
        # Rows carry Rich styles taken from the stylesheet: paint them again on a new theme.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.show(self._shown))

    def _ensure_columns(self) -> None:
        if not self.columns:
            self.add_columns(*COLUMNS)

    def row_style(self, row: ActionRow) -> Style:
        if not is_open(row.action):
            return self.get_component_rich_style("action-table--closed", partial=True)
        if row.overdue:
            return self.get_component_rich_style("action-table--overdue", partial=True)
        return Style()

    def show(
        self, rows: Iterable[ActionRow], status_text: Callable[[ActionRow], str] | None = None
    ) -> None:
        """Replace the rows, keeping the cursor on the same item when it is still there."""
        if status_text is not None:
            self._status_text = status_text
        self._shown = list(rows)
        # The screen's first data can arrive before this table's own on_mount has run;
        # columns added after the rows would be only as wide as their headings.
        self._ensure_columns()
        selected = self.selected_id()
        index = self.cursor_row
        self.clear()
        self.rows_by_id = {row.action.id: row for row in self._shown}
        policy = self.get_component_rich_style("action-table--policy", partial=True)
        for row in self._shown:
            style = self.row_style(row)
            flag_text = Text(flags(row), style=style)
            if row.past_policy:
                flag_text.stylize(policy, len(flag_text) - 1)
            self.add_row(
                Text(due_label(row), style=style),
                flag_text,
                Text(self._status_text(row), style=style),
                _cell(row.action.owner or "-", style),
                _cell(row.retro.incident_ref or "-", style),
                _cell(row.action.title, style),
                key=row.action.id,
            )
        if selected is not None and selected in self.rows_by_id:
            self.move_cursor(row=self.get_row_index(selected))
        elif self.row_count:
            self.move_cursor(row=min(index, self.row_count - 1))

    def selected_id(self) -> str | None:
        if self.row_count == 0:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def selected(self) -> ActionRow | None:
        return self.rows_by_id.get(self.selected_id() or "")
