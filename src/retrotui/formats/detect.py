"""Which importer a file needs, told by its content rather than only by its name."""

from __future__ import annotations

import json
import zipfile
from datetime import tzinfo
from pathlib import Path

from retrotui.formats.slack import parse_slack
from retrotui.formats.timeline_csv import parse_csv
from retrotui.formats.timeline_jsonl import parse_jsonl
from retrotui.formats.timeline_rows import (
    ImportFormatError,
    ParsedTimeline,
    decode_text,
    read_bytes,
)

FORMATS = ("auto", "retro-json", "csv", "jsonl", "slack")
_SNIFF = 64 * 1024


def detect_format(path: Path) -> str:
    """retro-json, csv, jsonl or slack, from what the file holds."""
    if path.is_dir() or (path.is_file() and zipfile.is_zipfile(path)):
        return "slack"
    data = read_bytes(path)
    head = data[:_SNIFF].decode("utf-8-sig", errors="replace").lstrip()
    if head.startswith("["):
        return "slack"  # a channel-day file is an array of messages
    if head.startswith("{"):
        first_line = head.splitlines()[0]
        try:
            first = json.loads(first_line)
        except ValueError:
            return "retro-json"  # an object spread over lines: a document
        if isinstance(first, dict) and not {"title", "format"} & first.keys():
            return "jsonl"  # a whole object on the first line, and not a document's
        return "retro-json"
    if head:
        return "csv"
    raise ImportFormatError(f"{path}: the file is empty; nothing to import.")


def read_timeline(
    path: Path, fmt: str, *, zone: tzinfo | None, channel: str | None
) -> ParsedTimeline:
    """The rows of a timeline file in the given format (not "auto")."""
    if fmt == "slack":
        if not path.exists():
            raise ImportFormatError(f"{path}: no such file or folder.")
        return parse_slack(path, channel=channel, zone=zone)
    text = decode_text(read_bytes(path), str(path))
    if fmt == "csv":
        return parse_csv(text, source=str(path), zone=zone)
    if fmt == "jsonl":
        return parse_jsonl(text, source=str(path), zone=zone)
    raise ImportFormatError(f"{path}: {fmt!r} is not a timeline format (csv, jsonl, slack).")
