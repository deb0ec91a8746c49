"""The home screen: every retrospective, filtered as you type; create, open, delete."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Header, Input, Static

from retrotui.ui.widgets.footer import Footer
from retrotui.ui.widgets.table import Table
from retrotui.ui.widgets.text import plain, printable

if TYPE_CHECKING:
    from retrotui.store.listing import RetroListRow
    from retrotui.store.repository import Store
    from retrotui.ui.host import Host

# How often the list checks for changes made by another process (a cheap count query).
POLL_SECONDS = 2.0

WELCOME = (
    "[b]Welcome to retrotui.[/b]\n\n"
    "Run a blameless incident retrospective live: step through the timeline, take notes\n"
    "against each event, find causes with 5 Whys and leave with owned action items.\n"
    "Everything is saved as you type.\n\n"
    "Press [b]n[/b] to start a retrospective, or [b]D[/b] to open a realistic demo."
)


def matches(row: RetroListRow, query: str) -> bool:
    """Every word of the filter appears in the title, ref, severity or status."""
    haystack = " ".join(
        str(part or "") for part in (row.title, row.incident_ref, row.severity, row.status)
    ).lower()
    return all(word in haystack for word in query.lower().split())


class HomeScreen(Screen[None]):
    app: Host
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "New retro", id="home.new", tooltip="Create a retrospective"),
        Binding("enter", "open", "Open", id="home.open", show=False),
        Binding("d,delete", "delete", "Delete", id="home.delete"),
        Binding("slash", "filter", "Filter", id="home.filter", key_display="/"),
        Binding("D", "demo", "Demo", id="home.demo", tooltip="Open the demo retrospective"),
        Binding(
            "o",
            "follow_up",
            "Follow-up",
            id="home.follow_up",
            tooltip="Every action item across retrospectives",
        ),
        Binding(
            "s",
            "stats",
            "Stats",
            id="home.stats",
            tooltip="Follow-through and time to resolve across retrospectives",
        ),
        Binding(
            "f",
            "search",
            "Search",
            id="home.search",
            tooltip="Search every retrospective: timelines, notes, whys, actions, tags",
        ),
        Binding(
            "t",
            "trends",
            "Trends",
            id="home.trends",
            tooltip="Contributing factors over time, recurring actions, median incident times",
        ),
        Binding("escape", "clear_filter", "Clear filter", id="home.clear_filter", show=False),
    ]

    def __init__(self, rows: list[RetroListRow] | None = None) -> None:
        """`rows`: the list as read before the database was open, shown at once."""
        super().__init__()
        self.rows: list[RetroListRow] = []
        self.early_rows = rows
        self.loaded = False
        self.fingerprint: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Input(
                placeholder="Filter: type part of a title, ref, severity or status  (/)",
                id="filter",
            )
            yield Table[Text](id="retros", cursor_type="row", zebra_stripes=True)
            with Vertical(id="welcome"):
                yield Static(WELCOME)
                yield Button("Open the demo retrospective", id="demo", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#retros", DataTable)
        # Title last: on a narrow terminal it is the column that gets cut, not the facts.
        table.add_columns("Incident", "Sev", "Status", "Date", "Open", "Title")
        if self.early_rows is not None:
            self.show_rows(self.early_rows)
        self.reload()
        self.set_interval(POLL_SECONDS, self.poll)

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        def load(store: Store) -> tuple[list[RetroListRow], tuple[object, ...]]:
            # Imported here, on the database thread: the SQL stack behind it costs several
            # times the first frame, and the list read before the database opened is
            # already on screen.
            from retrotui.services.retros import list_retrospectives

            return list_retrospectives(store), store.overview_fingerprint()

        self.app.submit(load, self.show_loaded)

    def poll(self) -> None:
        """Reload when another process (`retrotui new`, an import) changed the list."""
        if not self.is_current or self.fingerprint is None:
            return

        def changed(fingerprint: tuple[object, ...]) -> None:
            if fingerprint != self.fingerprint:
                self.reload()

        self.app.submit(
            lambda store: store.overview_fingerprint(), changed, lambda _e: None, background=True
        )

    def show_loaded(self, result: tuple[list[RetroListRow], tuple[object, ...]]) -> None:
        rows, self.fingerprint = result
        if self.loaded and rows == self.rows:
            return  # as shown (the list read before the database was open)
        self.show_rows(rows)

    def show_rows(self, rows: list[RetroListRow]) -> None:
        first_load = not self.loaded
        self.loaded = True
        self.rows = rows
        self.query_one("#welcome").display = not rows
        self.query_one("#retros").display = bool(rows)
        self.query_one("#filter").display = bool(rows)
        self.refill()
        if not rows:
            self.query_one("#demo", Button).focus()
        elif first_load or not isinstance(self.focused, Input):
            self.query_one("#retros", DataTable).focus()

    def refill(self) -> None:
        table = self.query_one("#retros", DataTable)
        selected = self.selected_id()
        table.clear()
        query = self.query_one("#filter", Input).value
        for row in self.rows:
            if not matches(row, query):
                continue
            when = row.started_at or row.created_at
            open_count = Text(str(row.open_actions), style="bold" if row.open_actions else "dim")
            # User text goes in as Text: a plain str cell would be read as Rich markup.
            table.add_row(
                plain(row.incident_ref or "-"),
                plain(row.severity or "-"),
                str(row.status).replace("_", " "),
                f"{when:%Y-%m-%d}",
                open_count,
                plain(row.title),
                key=row.id,
            )
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))

    def selected_id(self) -> str | None:
        table = self.query_one("#retros", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return str(key.value) if key.value is not None else None

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.refill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            self.query_one("#retros", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_retro(str(event.row_key.value))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "demo":
            self.action_demo()

    def open_retro(self, retro_id: str) -> None:
        from retrotui.ui.screens.retro import RetroScreen

        self.app.push_screen(RetroScreen(retro_id))

    def action_open(self) -> None:
        retro_id = self.selected_id()
        if retro_id:
            self.open_retro(retro_id)

    def action_follow_up(self) -> None:
        from retrotui.ui.screens.followup import FollowUpScreen

        self.app.push_screen(FollowUpScreen())

    def action_stats(self) -> None:
        from retrotui.ui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen())

    def action_trends(self) -> None:
        from retrotui.ui.screens.trends import TrendsScreen

        self.app.push_screen(TrendsScreen())

    def action_search(self) -> None:
        from retrotui.ui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen())

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one("#retros", DataTable).focus()

    def action_new(self) -> None:
        from retrotui.formats.templates import template_names
        from retrotui.ui.screens.retro_form import NewRetroScreen

        def created(retro_id: str | None) -> None:
            if retro_id:
                self.open_retro(retro_id)

        self.app.push_screen(NewRetroScreen(template_names()), created)

    def action_demo(self) -> None:
        from retrotui.demo import ensure_demo

        today = self.app.today

        def make(store: Store) -> str:
            return ensure_demo(store, today).id

        self.app.submit(make, self.open_retro)

    def action_delete(self) -> None:
        from retrotui.ui.screens.confirm import ConfirmScreen

        retro_id = self.selected_id()
        row = next((r for r in self.rows if r.id == retro_id), None)
        if row is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete(row)

        question = (
            f"Delete [b]{plain(row.title).markup}[/b] and everything in it "
            "(timeline, notes, whys, actions)? This cannot be undone."
        )
        self.app.push_screen(ConfirmScreen(question), answered)

    def delete(self, row: RetroListRow) -> None:
        from retrotui.services.retros import delete_retrospective

        def done(_: object) -> None:
            self.notify(f"Deleted “{printable(row.title)}”.", markup=False)
            self.reload()

        self.app.submit(lambda store: delete_retrospective(store, row.id), done)
