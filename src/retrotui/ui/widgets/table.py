"""The app's DataTable: sized quickly, and painted again once its columns have their widths.

Textual sizes a table's columns to new rows on its next idle, and caches each rendered line
under a key that holds the table's update count but not the column widths. A frame painted
between `add_row()` and that idle pass (a busy machine, a screen shown at once) caches rows
cut to the headings' widths, and the sizing pass does not change the key: the table stays
narrow until something else changes. Every table of the app is a `Table`, which drops the
rendered lines when the widths are settled and paints again.

Textual measures each cell through the console (three terminal-size system calls a cell),
which was a third of the cold start with 1,000 retrospectives on the home screen. The cells
this app puts in tables are plain `Text` and markup-free one-line strings, whose width is
the cell length of their longest line: those are measured here directly, anything else is
left to Textual (tests/ui/test_table_widths.py checks both give the same widths).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

CellType = TypeVar("CellType")


def plain_width(cell: object) -> int | None:
    """The width Textual would measure for `cell`, when it can be known without rendering
    it; None otherwise (markup, other renderables, numbers)."""
    if cell is None:
        return 0
    if type(cell) is Text:
        return max(map(cell_len, cell.plain.splitlines()), default=0)
    if type(cell) is str and "[" not in cell and "\n" not in cell and "\r" not in cell:
        return cell_len(cell)
    return None


class Table(DataTable[CellType]):
    """A DataTable that sizes plain cells quickly and never keeps lines painted before its
    columns were sized."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        columns = self.ordered_columns
        left_to_textual: list[RowKey] = []
        for row_key in new_rows:
            row = self.rows.get(row_key)
            if row is None:  # removed before this idle pass
                continue
            if row.label is not None or row.auto_height:
                left_to_textual.append(row_key)
                continue
            cells = self._data.get(row_key, {})
            widths = [plain_width(cells.get(column.key)) for column in columns]
            if None in widths:
                left_to_textual.append(row_key)
                continue
            for column, width in zip(columns, widths, strict=True):
                if width is not None and width > column.content_width:
                    column.content_width = width
        # Textual's pass for the rest, which also sets the table's virtual size.
        super()._update_dimensions(left_to_textual)
        self._clear_caches()
        self.refresh()
