"""Tables show whole cells even when a frame was painted before their columns were sized."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from textual.app import App
from textual.widget import Widget
from textual.widgets import DataTable

from retrotui.ui.widgets.table import Table
from tests.ui.conftest import wait_for

CELL = "Renew the certificate by hand"


class _OneTable(App[None]):
    # A table that fills its screen, as the app's do: sizing the columns changes what it
    # shows, not its own size (which would repaint it anyway).
    CSS = "DataTable { width: 1fr; height: 1fr; }"

    def __init__(self, table: DataTable[str]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> Iterable[Widget]:
        yield self.table


@pytest.mark.parametrize(
    "table",
    [
        Table[str](),
        pytest.param(
            DataTable[str](),
            marks=pytest.mark.xfail(strict=True, reason="Textual's own DataTable keeps it"),
        ),
    ],
)
async def test_a_row_painted_before_the_sizing_pass_is_painted_again(
    table: DataTable[str],
) -> None:
    """What a busy machine does: a frame between add_row() and the idle pass that sizes the
    columns. Once the widths are known the row shows its whole text."""
    app = _OneTable(table)
    async with app.run_test(size=(60, 5)) as pilot:
        table.add_column("Title", key="title")
        table.add_row(CELL)
        early = table.render_line(1).text  # painted while the column is as wide as "Title"
        assert CELL not in early
        await wait_for(pilot, lambda: table.columns["title"].content_width >= len(CELL))
        await pilot.pause()
        assert CELL in table.render_line(1).text
