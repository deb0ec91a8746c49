"""Search every retrospective from home (f): type, see ranked matches with their place,
Enter opens the retrospective at that place (its stage, and its event)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static

from retrotui.ui.widgets.footer import Footer
from retrotui.ui.widgets.text import printable

if TYPE_CHECKING:
    from retrotui.services.search import SearchResult
    from retrotui.ui.host import Host

DEBOUNCE_SECONDS = 0.25
HELP = 'All words must match · "a phrase" · deploy* for a prefix · cache OR redis'


def snippet_text(result: SearchResult) -> Text:
    """The snippet on one line, matches in bold reverse; user text made printable."""
    text = Text()
    for piece, match in result.segments():
        text.append(printable(piece).replace("\n", " "), "bold reverse" if match else "")
    return text


class SearchScreen(Screen[None]):
    app: Host
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="search.back"),
        Binding("enter", "open", "Open", id="search.open", show=False),
        Binding("down", "results", "Results", id="search.results", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.results: list[SearchResult] = []
        self.pending: Timer | None = None
        self.asked = ""

    def compose(self) -> ComposeResult:
        yield Static("[b]Search every retrospective[/b]", id="search-title")
        yield Input(placeholder="Search titles, timelines, notes, whys, actions, tags…", id="q")
        yield Static(HELP, id="search-status")
        table: DataTable[str | Text] = DataTable(id="search-results", cursor_type="row")
        table.add_columns("Where", "Match")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#q", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.pending is not None:
            self.pending.stop()
        self.pending = self.set_timer(DEBOUNCE_SECONDS, self.run_search)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.pending is not None:
            self.pending.stop()
        self.run_search(then_focus=True)

    def run_search(self, then_focus: bool = False) -> None:
        from retrotui.services.search import search

        text = self.query_one("#q", Input).value
        self.asked = text
        if not text.strip():
            self.show([], HELP)
            return

        def done(results: list[SearchResult]) -> None:
            if text != self.asked:
                return  # a newer search is on its way
            count = len(results)
            self.show(results, f"{count} match{'es' if count != 1 else ''} · Enter opens one")
            if then_focus and results:
                self.query_one("#search-results", DataTable).focus()

        def failed(error: BaseException) -> None:
            from retrotui.errors import UserError

            if isinstance(error, UserError) and text == self.asked:
                self.show([], str(error), error=True)
            elif not isinstance(error, UserError):
                self.app.on_db_error(error)

        self.app.submit(lambda store: search(store, text, limit=50), done, failed)

    def show(self, results: list[SearchResult], status: str, *, error: bool = False) -> None:
        self.results = results
        line = self.query_one("#search-status", Static)
        line.update(Text(status, "bold red" if error else ""))
        table = self.query_one("#search-results", DataTable)
        table.clear()
        for n, result in enumerate(results):
            table.add_row(Text(printable(result.where)), snippet_text(result), key=str(n))

    def action_results(self) -> None:
        if self.results:
            self.query_one("#search-results", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.open_result(event.cursor_row)

    def action_open(self) -> None:
        table = self.query_one("#search-results", DataTable)
        if table.has_focus and self.results:
            self.open_result(table.cursor_row)

    def open_result(self, index: int) -> None:
        from retrotui.services.search import focus
        from retrotui.ui.screens.retro import RetroScreen

        if not 0 <= index < len(self.results):
            return
        result = self.results[index]

        def opened(_: object) -> None:
            self.app.push_screen(RetroScreen(result.retro_id))

        self.app.submit(lambda store: focus(store, result), opened)

    def action_back(self) -> None:
        self.app.pop_screen()
