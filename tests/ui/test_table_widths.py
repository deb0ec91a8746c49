"""The app's tables measure plain cells themselves (Textual's measuring was a third of the
cold start at 1,000 rows): the columns must come out exactly as wide as Textual makes them."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from retrotui.ui.widgets.table import Table
from tests.ui.conftest import wait_for

ROWS: list[tuple[object, ...]] = [
    (Text("INC-1"), "SEV1", "in progress", Text("3", style="bold"), Text("A title")),
    (Text("事故-42"), "ＳＥＶ２", "done", Text(""), Text("Wide 🚀 emoji and 漢字")),
    (Text("two\nlines, the second longer"), "x", "", None, Text("tab\there")),
    (Text(""), "[b]markup[/b] is measured by Textual", "line\nbreak in a str", 7, 2.5),
    (Text("a" * 80), "é́ combining", "\u200bzero width", Text("x\r\ny"), Text("end")),
]


class TwoTables(App[None]):
    def compose(self) -> ComposeResult:
        yield Table[object](id="ours")
        yield DataTable[object](id="textual")


def _widths(table: DataTable[object]) -> list[int]:
    return [column.content_width for column in table.ordered_columns]


async def test_columns_are_as_wide_as_textual_makes_them() -> None:
    app = TwoTables()
    async with app.run_test(size=(200, 40)) as pilot:
        ours, textual = app.query_one("#ours", Table), app.query_one("#textual", DataTable)
        for table in (ours, textual):
            table.add_columns("Incident", "Sev", "Status", "Open", "Title")
            for n, row in enumerate(ROWS):
                table.add_row(*row, key=str(n))
        await wait_for(pilot, lambda: not ours._new_rows and not textual._new_rows)
        await pilot.pause()
        assert _widths(ours) == _widths(textual)
        assert ours.virtual_size == textual.virtual_size
        # And a row added later widens its column in both.
        for table in (ours, textual):
            table.add_row(Text("INC-" + "9" * 90), "", "", "", "", key="late")
        await wait_for(pilot, lambda: not ours._new_rows and not textual._new_rows)
        await pilot.pause()
        assert _widths(ours) == _widths(textual)
        assert _widths(ours)[0] == 94
