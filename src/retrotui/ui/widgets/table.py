"""The app's DataTable: painted again once its columns have their widths.

Textual sizes a table's columns to new rows on its next idle, and caches each rendered line
under a key that holds the table's update count but not the column widths. A frame painted
between `add_row()` and that idle pass (a busy machine, a screen shown at once) caches rows
cut to the headings' widths, and the sizing pass does not change the key: the table stays
narrow until something else changes. Every table of the app is a `Table`, which drops the
rendered lines when the widths are settled and paints again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

CellType = TypeVar("CellType")


class Table(DataTable[CellType]):
    """A DataTable that never keeps lines painted before its columns were sized."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        super()._update_dimensions(new_rows)
        self._clear_caches()
        self.refresh()
