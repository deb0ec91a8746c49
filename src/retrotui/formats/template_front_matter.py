"""The front matter of a template: TOML between `+++` lines, checked key by key.

Split from `templates.py` to keep each module small. Every problem is a `TemplateError`
naming the file and the line; TOML parsers report no positions for valid TOML, so lines
of semantic errors are found by looking for the key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from retrotui.errors import UserError
from retrotui.models import Severity

FRONT_MATTER_FENCE = "+++"
MAX_TIMEBOX_MINUTES = 240
# Stage number -> the key used in the front matter ([stages.<key>]) and its display title.
STAGE_KEYS: dict[int, str] = {
    1: "prepare",
    2: "timeline",
    3: "discussion",
    4: "whys",
    5: "actions",
    6: "wrap-up",
}
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_FRONT_KEYS = frozenset({"description", "severities", "stages"})
_STAGE_KEYS = frozenset({"minutes", "prompts"})


class TemplateError(UserError):
    """A template file that cannot be used: names the file and the line."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        super().__init__(f"Template {path}, line {line}: {problem}.")
        self.path = path
        self.line = line


def split_front_matter(path: Path, lines: list[str]) -> tuple[list[str], int]:
    """The front matter lines and the index of the body's first line."""
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        raise TemplateError(
            path, 1, f"a template starts with a {FRONT_MATTER_FENCE} line opening its front matter"
        )
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            return lines[1:index], index + 1
    raise TemplateError(
        path, 1, f"the front matter opened here is never closed by a {FRONT_MATTER_FENCE} line"
    )


@dataclass
class _FrontMatter:
    description: str
    severities: tuple[Severity, ...]
    prompts: dict[int, list[str]]
    minutes: dict[int, int]


def _table_line(front_lines: list[str], table: str) -> int | None:
    """The index of the `[table]` header line in the front matter, if there is one."""
    header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]")
    return next((i for i, line in enumerate(front_lines) if header.match(line)), None)


def _line_of(front_lines: list[str], key: str, table: str | None = None) -> int:
    """The file line of `key` (inside `[table]` when given), for error messages.

    TOML parsers report no positions for valid TOML, so the line is found by looking;
    the header of the table, or the front matter's first line, when the key is absent.
    """
    start = 0
    if table is not None:
        found = _table_line(front_lines, table)
        if found is None:
            return 1
        start = found
    key_line = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for index in range(start, len(front_lines)):
        if table is not None and index > start and front_lines[index].lstrip().startswith("["):
            break
        if key_line.match(front_lines[index]):
            return index + 2  # +1 for the opening fence line, +1 as lines count from 1
    return start + 2 if table is not None else 1


def parse_front_matter(path: Path, front_lines: list[str]) -> _FrontMatter:
    try:
        data = tomllib.loads("\n".join(front_lines))
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = _TOML_POSITION.search(message)
        # +1 for the opening fence; "at end of document" points at the closing fence.
        line = int(position.group(1)) + 1 if position else len(front_lines) + 2
        problem = re.sub(r"\s*\(at [^)]*\)", "", message).strip().rstrip(".")
        raise TemplateError(path, line, f"the front matter is not valid TOML ({problem})") from exc

    unknown = sorted(set(data) - _FRONT_KEYS)
    if unknown:
        raise TemplateError(
            path,
            _line_of(front_lines, unknown[0]),
            f"unknown front matter key {unknown[0]!r} (known: description, severities, stages)",
        )
    description = data.get("description")
    if not isinstance(description, str) or not description.strip():
        raise TemplateError(
            path, _line_of(front_lines, "description"), "'description' must be a non-empty string"
        )
    severities = _severities(path, front_lines, data.get("severities", []))
    stages = data.get("stages")
    if not isinstance(stages, dict):
        raise TemplateError(path, 1, "the front matter needs a [stages.<stage>] table per stage")
    known = {key: number for number, key in STAGE_KEYS.items()}
    for key in stages:
        if key not in known:
            found = _table_line(front_lines, f"stages.{key}")
            raise TemplateError(
                path,
                found + 2 if found is not None else _line_of(front_lines, key),
                f"unknown stage {key!r} (the stages are: {', '.join(STAGE_KEYS.values())})",
            )
    prompts: dict[int, list[str]] = {}
    minutes: dict[int, int] = {}
    for number, key in STAGE_KEYS.items():
        if key not in stages:
            raise TemplateError(path, 1, f"the front matter has no [stages.{key}] table")
        prompts[number], minutes[number] = _stage(path, front_lines, key, stages[key])
    return _FrontMatter(description.strip(), severities, prompts, minutes)


def _severities(path: Path, front_lines: list[str], value: Any) -> tuple[Severity, ...]:
    allowed = ", ".join(s.value for s in Severity)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TemplateError(
            path, _line_of(front_lines, "severities"), f"'severities' must be a list of {allowed}"
        )
    try:
        return tuple(Severity(v.upper()) for v in value)
    except ValueError:
        raise TemplateError(
            path,
            _line_of(front_lines, "severities"),
            f"'severities' may only hold {allowed}",
        ) from None


def _stage(path: Path, front_lines: list[str], key: str, value: Any) -> tuple[list[str], int]:
    table = f"stages.{key}"
    if not isinstance(value, dict):
        found = _table_line(front_lines, table)
        line = found + 2 if found is not None else _line_of(front_lines, key)
        raise TemplateError(path, line, f"[{table}] must be a table")
    unknown = sorted(set(value) - _STAGE_KEYS)
    if unknown:
        raise TemplateError(
            path,
            _line_of(front_lines, unknown[0], table),
            f"unknown key {unknown[0]!r} in [{table}] (known: minutes, prompts)",
        )
    minutes = value.get("minutes")
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise TemplateError(
            path,
            _line_of(front_lines, "minutes", table),
            f"[{table}] needs 'minutes', a whole number of minutes",
        )
    if not 1 <= minutes <= MAX_TIMEBOX_MINUTES:
        raise TemplateError(
            path,
            _line_of(front_lines, "minutes", table),
            f"the timebox of [{table}] must be between 1 and {MAX_TIMEBOX_MINUTES} minutes",
        )
    prompts = value.get("prompts")
    if (
        not isinstance(prompts, list)
        or not prompts
        or not all(isinstance(p, str) and p.strip() for p in prompts)
    ):
        raise TemplateError(
            path,
            _line_of(front_lines, "prompts", table),
            f"[{table}] needs 'prompts', a list of one or more non-empty strings",
        )
    return [p.strip() for p in prompts], minutes
