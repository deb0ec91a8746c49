"""Showing user text safely: never as markup, never with terminal control characters.

Two layers, one rule (formats/inert.py):
- `plain()` / `printable()` turn stored text into what a widget shows: control characters
  as visible symbols (`␛`), never markup.
- `make_all_text_inert()`, called when the app is built, applies the same rule to every
  Rich `Text` and Textual `Content` made from a string, so a widget that is handed stored
  text some other way (a table cell, an Input's value, a notification, a label) still
  shows the symbols and never sends the control characters to the terminal. Rich and
  Textual already drop a few controls (BEL, BS, VT, FF, CR) when they build text, through
  a translation table each; this adds the rest (ESC, the other C0 controls, DEL, C1) to
  those tables, as symbols. A CR is still dropped (Windows line ends).
"""

from __future__ import annotations

from rich.text import Text

from retrotui.formats.inert import INERT_TABLE, inert


def printable(value: str) -> str:
    """Control characters (ANSI escapes from pasted logs) shown as symbols; newlines kept."""
    return inert(value)


def plain(value: str, style: str = "") -> Text:
    """User text as a Text: `[b]` or `[link=...]` typed by a user stays literal."""
    return Text(inert(value), style=style)


# What Rich and Textual get added to their tables: controls, not surrogates (which never
# come out of the database) nor tab and newline (which they lay out).
_TEXT_TABLE = {code: symbol for code, symbol in INERT_TABLE.items() if code < 0xD800}
_TEXT_TABLE[0x0D] = None  # type: ignore[assignment]  # CR: dropped, as both always did


def _tables() -> list[dict[int, str | None]]:
    import rich.control
    import textual.content

    tables = []
    for module in (rich.control, textual.content):
        table = getattr(module, "_CONTROL_STRIP_TRANSLATE", None)
        if not isinstance(table, dict):  # pragma: no cover - a Rich/Textual upgrade
            raise RuntimeError(
                f"{module.__name__} no longer has the control-code table retrotui extends; "
                "see ui/widgets/text.py."
            )
        tables.append(table)
    return tables


def make_all_text_inert() -> None:
    """Every Text and Content built from now on shows control characters as symbols."""
    for table in _tables():
        table.update(_TEXT_TABLE)
