"""Follow-up: every action item of every retrospective in one list, soonest due first.

Filters by status (open / overdue / all), owner and retrospective; the status of an item
changes in place. An item changed here stays in the list until the filter changes, even
when it no longer matches (a "done" item does not vanish under the cursor), so a slip of
the key can be undone at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Select, Static

from retrotui.core.stats import UNASSIGNED, is_open, owner_label
from retrotui.models import ActionStatus
from retrotui.ui.widgets.action_table import LEGEND, STATUS_LABELS, ActionTable, due_label
from retrotui.ui.widgets.footer import Footer
from retrotui.ui.widgets.text import plain

if TYPE_CHECKING:
    from datetime import date

    from retrotui.models import Retrospective
    from retrotui.services.actions import ActionRow
    from retrotui.store.repository import Store
    from retrotui.ui.host import Host

NARROW = 100
SCOPES = (("Open", "open"), ("Overdue", "overdue"), ("All", "all"))
ANY = "*"  # the owner / retrospective filter value meaning "every one"
CYCLE = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.WONT_DO)
STATUS_BUTTONS = (
    ("set-open", "o Open", ActionStatus.OPEN),
    ("set-in_progress", "i In progress", ActionStatus.IN_PROGRESS),
    ("set-done", "d Done", ActionStatus.DONE),
    ("set-wont_do", "w Won't do", ActionStatus.WONT_DO),
)


@dataclass(frozen=True)
class FollowUpData:
    rows: list[ActionRow]
    owners: list[str]


def load_follow_up(store: Store, today: date) -> FollowUpData:
    """Every action item (the filters apply on screen) and every owner, for the picker."""
    from retrotui.services.actions import Scope, list_actions, owners

    return FollowUpData(list_actions(store, today=today, scope=Scope.ALL), owners(store))


def matches(row: ActionRow, scope: str, owner: str, retro_id: str) -> bool:
    """Whether `row` passes the filters (`ANY` lets every owner or retrospective through)."""
    if scope == "open" and not is_open(row.action):
        return False
    if scope == "overdue" and not row.overdue:
        return False
    if owner != ANY and owner_label(row.action.owner).casefold() != owner.casefold():
        return False
    return retro_id in (ANY, row.retro.id)


def describe(row: ActionRow) -> Text:
    """The highlighted item in full: title, where it comes from, due date, flags, ticket."""
    action, retro = row.action, row.retro
    text = Text()
    text.append_text(plain(action.title, "bold"))
    facts = Text("\n", style="dim")
    facts.append_text(plain(retro.incident_ref or "no incident ref"))
    facts.append(" · ")
    facts.append_text(plain(retro.title))
    if retro.severity:
        facts.append(f" · {retro.severity}")
    facts.append(" · owner ")
    facts.append_text(plain(action.owner or UNASSIGNED))
    facts.append(f" · due {due_label(row)}")
    if action.due is not None and action.due_is_default:
        facts.append(" (policy default)")
    if action.ticket:
        facts.append(" · ticket ")
        facts.append_text(plain(action.ticket))
    text.append_text(facts)
    if row.overdue:
        text.append(f"\n{row.days_overdue} days overdue", "bold")
    if row.past_policy:
        text.append(
            ("\n" if not row.overdue else " · ") + "open longer than the due-date policy allows",
            "bold",
        )
    if action.description.strip():
        text.append("\n")
        text.append_text(plain(action.description.strip().splitlines()[0], "italic"))
    return text


class FollowUpScreen(Screen[None]):
    app: Host
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="followup.back", tooltip="Back to the last screen"),
        Binding("space", "cycle_status", "Next status", id="followup.cycle_status"),
        Binding("o", "set_status('open')", "Open", id="followup.set_open", show=False),
        Binding(
            "i",
            "set_status('in_progress')",
            "In progress",
            id="followup.set_in_progress",
            show=False,
        ),
        Binding("d", "set_status('done')", "Done", id="followup.set_done"),
        Binding("w", "set_status('wont_do')", "Won't do", id="followup.set_wont_do"),
        Binding(
            "f",
            "cycle_scope",
            "Open/overdue/all",
            id="followup.cycle_scope",
            tooltip="Show open, overdue or all items",
        ),
        Binding("enter", "open_retro", "Open retro", id="followup.open_retro", show=False),
        Binding("r", "reload", "Refresh", id="followup.reload", show=False),
    ]

    def __init__(
        self, *, scope: str = "open", owner: str | None = None, retro_id: str | None = None
    ) -> None:
        super().__init__()
        self.scope = scope
        self.owner = owner or ANY
        self.retro_id = retro_id or ANY
        self.rows: list[ActionRow] = []
        self.owner_names: list[str] = []
        self.sticky: set[str] = set()  # changed here: shown until the filter changes
        self.option_keys: dict[str, list[str]] = {}
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static("Follow-up: action items from every retrospective", id="followup-title")
        with Horizontal(id="followup-filters"):
            yield Select(SCOPES, allow_blank=False, value=self.scope, id="scope", compact=True)
            # Built with the filters asked for, so the Changed message each picker sends
            # when it mounts carries them and does not reset them to "every".
            owners = [(Text("Every owner"), ANY)]
            if self.owner != ANY:
                owners.append((plain(self.owner), self.owner))
            yield Select(owners, allow_blank=False, value=self.owner, id="owner", compact=True)
            retros = [(Text("Every retrospective"), ANY)]
            if self.retro_id != ANY:
                retros.append((Text("…"), self.retro_id))
            yield Select(retros, allow_blank=False, value=self.retro_id, id="retro", compact=True)
        with Vertical(id="followup-body"):
            yield ActionTable(id="followup-table")
            yield Static("", id="followup-empty")
            yield Static("", id="followup-detail")
        with Horizontal(id="followup-buttons", classes="status-buttons"):
            for button_id, label, _ in STATUS_BUTTONS:
                yield Button(label, id=button_id, compact=True)
            yield Button("⏎ Open retro", id="open-retro", compact=True)
        with Horizontal(id="followup-status-line"):
            yield Static("", id="followup-summary")
            yield Static(LEGEND, id="followup-legend")
        yield Footer()

    def on_mount(self) -> None:
        for button in self.query(Button):
            button.can_focus = False  # a click acts on the highlighted row, focus stays put
        self.query_one(ActionTable).focus()
        self.reload()

    def on_resize(self) -> None:
        # Narrow: no room for the legend; the detail under the list says it in words.
        self.set_class(self.size.width < NARROW, "-narrow")

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.sticky.clear()
            self.reload()

    # -- loading and showing -----------------------------------------------------------

    def reload(self) -> None:
        today = self.app.today
        self.app.submit(lambda store: load_follow_up(store, today), self.show_data)

    def show_data(self, data: FollowUpData) -> None:
        self.loaded = True
        self.rows = data.rows
        self.fill_pickers(data)
        self.refill()

    def fill_pickers(self, data: FollowUpData) -> None:
        owners = [(plain(name), name) for name in data.owners]
        if self.owner != ANY and self.owner.casefold() not in {n.casefold() for n in data.owners}:
            owners.append((plain(self.owner), self.owner))  # asked for by name, has nothing
        retros: dict[str, Retrospective] = {row.retro.id: row.retro for row in data.rows}
        ordered = sorted(retros.values(), key=lambda r: r.created_at, reverse=True)
        choices = [(_retro_label(r), r.id) for r in ordered]
        self._set_options("#owner", [(Text("Every owner"), ANY), *owners], self.owner)
        self._set_options("#retro", [(Text("Every retrospective"), ANY), *choices], self.retro_id)

    def _set_options(self, selector: str, options: list[tuple[Text, str]], value: str) -> None:
        select: Select[str] = self.query_one(selector, Select)
        keys = [key for _, key in options]
        if value not in keys:
            value = next((k for k in keys if k.casefold() == value.casefold()), ANY)
        # Filling a picker is not a choice the user made: no Changed message.
        with select.prevent(Select.Changed):
            if self.option_keys.get(selector) != keys:
                select.set_options(options)
                self.option_keys[selector] = keys
            select.value = value

    def visible_rows(self) -> list[ActionRow]:
        return [
            row
            for row in self.rows
            if row.action.id in self.sticky or matches(row, self.scope, self.owner, self.retro_id)
        ]

    def refill(self) -> None:
        table = self.query_one(ActionTable)
        shown = self.visible_rows()
        table.show(shown)
        table.display = bool(shown)
        empty = self.query_one("#followup-empty", Static)
        empty.display = not shown
        if not self.rows:
            empty.update(
                "No action items yet. They are recorded in a retrospective; "
                "press escape to go back."
            )
        else:
            empty.update("No action items match these filters.  (f shows open, overdue or all)")
        self.show_detail()
        self.show_summary(shown)
        self.refresh_bindings()

    def show_summary(self, shown: list[ActionRow]) -> None:
        open_count = sum(1 for row in self.rows if is_open(row.action))
        overdue = sum(1 for row in self.rows if row.overdue)
        line = Text(f"Showing {len(shown)} of {len(self.rows)} · {open_count} open · ")
        line.append(f"{overdue} overdue", "bold" if overdue else "")
        self.query_one("#followup-summary", Static).update(line)

    def show_detail(self) -> None:
        row = self.selected()
        detail = self.query_one("#followup-detail", Static)
        detail.display = row is not None
        detail.set_class(row is not None and row.overdue, "-overdue")
        if row is not None:
            detail.update(describe(row))

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self.show_detail()
        self.refresh_bindings()

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open_retro()

    # -- filters -----------------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        value = event.value if isinstance(event.value, str) else ANY
        self.set_filter(event.select.id or "", value)

    def set_filter(self, select_id: str, value: str) -> None:
        """Apply one filter; the picker shows it even when a key, not the picker, chose it."""
        name = {"scope": "scope", "owner": "owner", "retro": "retro_id"}.get(select_id)
        if name is None or getattr(self, name) == value:
            return
        setattr(self, name, value)
        select: Select[str] = self.query_one(f"#{select_id}", Select)
        if select.value != value:
            with select.prevent(Select.Changed):
                select.value = value
        self.sticky.clear()
        self.refill()

    def action_cycle_scope(self) -> None:
        keys = [key for _, key in SCOPES]
        self.set_filter("scope", keys[(keys.index(self.scope) + 1) % len(keys)])

    def action_reload(self) -> None:
        self.reload()

    # -- changing status ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Not while a filter picker has the keyboard, and only with an item to act on.
        acts_on_item = action in ("cycle_status", "set_status", "open_retro")
        if acts_on_item and (isinstance(self.focused, Select) or self.selected() is None):
            return None
        return True

    def selected(self) -> ActionRow | None:
        tables = self.query(ActionTable)
        return tables.first().selected() if tables else None

    def action_cycle_status(self) -> None:
        row = self.selected()
        if row is not None:
            current = ActionStatus(row.action.status)
            self.set_status(row, CYCLE[(CYCLE.index(current) + 1) % len(CYCLE)])

    def action_set_status(self, status: str) -> None:
        row = self.selected()
        if row is not None and row.action.status != status:
            self.set_status(row, ActionStatus(status))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "open-retro":
            self.action_open_retro()
            return
        for button_id, _, status in STATUS_BUTTONS:
            if event.button.id == button_id:
                self.action_set_status(status.value)

    def set_status(self, row: ActionRow, status: ActionStatus) -> None:
        from retrotui.services.actions import set_action_status

        action_id = row.action.id

        def saved(_: object) -> None:
            self.sticky.add(action_id)
            self.notify(f"{row.action.title[:60]} → {STATUS_LABELS[status]}", markup=False)
            self.reload()

        self.app.submit(lambda store: set_action_status(store, action_id, status), saved)

    # -- leaving ------------------------------------------------------------------------

    def action_open_retro(self) -> None:
        from retrotui.ui.screens.retro import RetroScreen

        row = self.selected()
        if row is not None:
            self.app.push_screen(RetroScreen(row.retro.id))

    def action_back(self) -> None:
        self.app.pop_screen()


def _retro_label(retro: Retrospective) -> Text:
    label = plain(retro.incident_ref or "-", "bold")
    label.append(" ")
    label.append_text(plain(retro.title[:50]))
    return label
