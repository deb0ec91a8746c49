"""Showing user text safely: never as markup, never with terminal control characters."""

from __future__ import annotations

from rich.text import Text


def printable(value: str) -> str:
    """Control characters (ANSI escapes from pasted logs, CR) shown as spaces; newlines kept."""
    return "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in value)


def plain(value: str, style: str = "") -> Text:
    """User text as a Text: `[b]` or `[link=...]` typed by a user stays literal."""
    return Text(printable(value), style=style)
