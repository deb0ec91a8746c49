"""The export dialog's work and words, without Textual: building an export for the chosen
options, the part of a long export the rendered preview shows, the default file name,
what to say after a copy or a failure.

Textual's Markdown widget lays out every table row and list item as widgets on the event
loop (~10 ms each here): a 10,000-event timeline would freeze the app for minutes. The
preview therefore shows each table's first rows and the document's first lines, and says
what it left out; the source view, the file and the copy always hold the whole export.
No Textual here, so it is tested as plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from retrotui.errors import UserError

if TYPE_CHECKING:
    from retrotui.core.bundle import RetroBundle
    from retrotui.services.export import Export

# Terminals cap OSC 52 payloads differently (some at 100 kB); say so for long copies.
OSC52_COMFORTABLE_BYTES = 74_000
OSC52_NOTE = "it arrives only if the terminal allows it (tmux: set -g set-clipboard on)"
TABLE_ROWS = 40  # body rows shown per table
MAX_LINES = 300  # lines of the document shown


@dataclass(frozen=True)
class Shortened:
    text: str
    rows_left_out: int = 0
    lines_left_out: int = 0

    @property
    def notice(self) -> str:
        """One sentence for the status line, or "" when the preview shows everything."""
        parts = []
        if self.rows_left_out:
            parts.append(f"{self.rows_left_out:,} table rows")
        if self.lines_left_out:
            parts.append(f"the last {self.lines_left_out:,} lines")
        if not parts:
            return ""
        return (
            f"The preview leaves out {' and '.join(parts)} to stay quick; press r for the "
            "whole Markdown source. The file and the copy hold everything."
        )


def shorten(text: str, *, table_rows: int | None = None, max_lines: int | None = None) -> Shortened:
    """`text` with long tables cut to `table_rows` rows and the whole cut to `max_lines`
    (by default TABLE_ROWS and MAX_LINES).

    Cuts fall on line boundaries, and each note stands after a blank line, so it can never
    become a table row or run into a paragraph. Table rows are the lines starting with
    `|`: the export escapes a pipe typed by a user, so no other line starts with one.
    """
    table_rows = TABLE_ROWS if table_rows is None else table_rows
    max_lines = MAX_LINES if max_lines is None else max_lines
    lines = text.splitlines()
    kept: list[str] = []
    rows_out = 0
    run = 0  # lines of the current table so far (header and separator included)
    skipped = 0  # rows of the current table left out
    for index, line in enumerate(lines):
        if line.startswith("|"):
            run += 1
            if run > table_rows + 2:
                skipped += 1
                continue
        else:
            if skipped:
                kept += ["", f"*… and {skipped:,} more rows.*"]
                rows_out += skipped
            run = skipped = 0
        if len(kept) >= max_lines:
            remaining = len(lines) - index
            kept += ["", f"*… the preview stops here; {remaining:,} more lines.*"]
            return Shortened("\n".join(kept) + "\n", rows_out, remaining)
        kept.append(line)
    if skipped:
        kept += ["", f"*… and {skipped:,} more rows.*"]
        rows_out += skipped
    if not rows_out:
        return Shortened(text)
    return Shortened("\n".join(kept) + "\n", rows_out)


def default_file_name(incident_ref: str | None, short_id: str) -> str:
    """`INC-4711.md` (or `de3ade30.md`), with anything odd in a file name made a dash."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", (incident_ref or "").strip()).strip(".-")
    return f"{stem or short_id}.md"


def copy_report(osc52: bool, system_error: BaseException | None, size: int) -> tuple[str, str]:
    """(status, error) after a copy: which clipboard got it, and what failed.

    `osc52`: the escape sequence went to the terminal (whether the terminal honours it
    cannot be known); `system_error`: why pyperclip failed, or None; `size` in bytes.
    """
    if system_error is None:
        also = " and sent to the terminal's clipboard (OSC 52)" if osc52 else ""
        return f"Copied to the system clipboard{also}.", ""
    if isinstance(system_error, ImportError):
        why = "No system clipboard: pyperclip is not installed."
    else:
        why = (
            "No system clipboard here: it needs xclip, xsel or wl-clipboard and a display, "
            "or macOS / Windows."
        )
    if not osc52:
        return "", f"Could not copy. {why} Write the export to a file instead."
    long_note = (
        f" At {size // 1000:,} kB it may be too long for some terminals."
        if size > OSC52_COMFORTABLE_BYTES
        else ""
    )
    return f"Sent to the terminal's clipboard (OSC 52): {OSC52_NOTE}.{long_note}", why


@dataclass(frozen=True)
class Options:
    """What shapes the Markdown: the template and whether names are replaced by roles."""

    template: str | None
    anonymize: bool


@dataclass(frozen=True)
class Built:
    """One export, and what of it the rendered preview shows."""

    options: Options
    export: Export
    preview: Shortened


def build(bundle: RetroBundle, options: Options) -> Built:
    """Runs in a thread: the export for `options`, shortened for the preview."""
    from retrotui.services.export import markdown_export

    export = markdown_export(bundle, template_name=options.template, anonymize=options.anonymize)
    return Built(options, export, shorten(export.text))


def error_message(error: BaseException | str) -> str:
    """A failure as the dialog shows it: a user error's own sentence, anything else named."""
    if isinstance(error, UserError | str):
        return str(error)
    return f"Unexpected error: {type(error).__name__}: {error}"
