"""Text for one line of a list or a table (kept free of the SQL stack: `retrotui list` and the
home screen use it before the models are imported)."""

from __future__ import annotations


def one_line(text: str) -> str:
    """Fold line breaks and control characters so one field stays on one line."""
    return "".join(ch if ch.isprintable() else " " for ch in text.replace("\r\n", " "))
