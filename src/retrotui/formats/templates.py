"""Retrospective templates: finding, reading and checking them (format: templates/README.md).

A template is a Markdown file with a TOML front matter between `+++` lines. The front
matter holds the description and, for each of the six meeting stages, the moderator's
prompts and the default timebox. The body is the exported document: its headings are the
document's sections, and `{{placeholders}}` mark where generated parts go.

Shipped templates live in `resource_dir("templates")`; a user's own go in
`user_config_dir()/templates/` and win over a shipped one with the same name. Every
problem in a template is a `UserError` naming the file, the line and what is wrong.
markdown-it-py is imported only when a template is actually read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from retrotui.errors import UserError
from retrotui.formats.template_front_matter import (
    STAGE_KEYS,
    TemplateError,
    parse_front_matter,
    split_front_matter,
)
from retrotui.models import Severity

__all__ = ["STAGE_KEYS", "Template", "TemplateError", "load_template", "scan_templates"]

SUFFIX = ".md"
DEFAULT_TEMPLATE = "standard"

# Placeholders that stand alone in their own paragraph and become whole blocks.
BLOCK_FIELDS = frozenset(
    {
        "metadata",
        "summary",
        "impact",
        "participants",
        "timeline",
        "notes",
        "notes.went_well",
        "notes.went_wrong",
        "notes.lucky",
        "notes.questions",
        "notes.observations",
        "whys",
        "actions",
        "action_table",
        "action_tasks",
    }
)
# Placeholders that are replaced by one line of text, inside a heading.
INLINE_FIELDS = frozenset({"title", "incident_ref", "severity"})

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


@dataclass(frozen=True)
class InlineField:
    """`{{title}}` inside a heading: replaced by one line of escaped text."""

    name: str


@dataclass(frozen=True)
class BlockField:
    """`{{timeline}}` alone in a paragraph: replaced by a generated block.

    `heading_level` is the level generated sub-headings use (one below the section).
    """

    name: str
    heading_level: int


# A literal chunk of the template: Markdown text with inline fields between the pieces.
Literal = tuple[str | InlineField, ...]
Chunk = Literal | BlockField


@dataclass(frozen=True)
class Template:
    """One template, read and checked. `chunks` is the body ready for the renderer."""

    name: str
    description: str
    sections: list[str]
    stage_prompts: dict[int, list[str]]
    stage_timebox_minutes: dict[int, int]
    severities: tuple[Severity, ...] = ()
    path: Path | None = None
    builtin: bool = True
    chunks: tuple[Chunk, ...] = field(default=(), repr=False)

    @property
    def total_minutes(self) -> int:
        return sum(self.stage_timebox_minutes.values())


# -- finding templates ----------------------------------------------------------------


def builtin_dir() -> Path:
    from retrotui.config import resource_dir

    return resource_dir("templates")


def user_dir() -> Path:
    from retrotui.config import user_config_dir

    return user_config_dir() / "templates"


def _files_in(folder: Path) -> dict[str, Path]:
    if not folder.is_dir():
        return {}
    return {
        path.stem: path
        for path in sorted(folder.glob(f"*{SUFFIX}"))
        if path.is_file() and not path.stem.upper().startswith("README")
    }


def template_files() -> dict[str, tuple[Path, bool]]:
    """Every template name -> (file, is built-in), user templates overriding shipped ones."""
    found = {name: (path, True) for name, path in _files_in(builtin_dir()).items()}
    found.update({name: (path, False) for name, path in _files_in(user_dir()).items()})
    return dict(sorted(found.items()))


def template_names() -> list[str]:
    """The names `--template` accepts, without reading the files."""
    return list(template_files())


def load_template(name: str) -> Template:
    """The template called `name`; a UserError when there is none or it is broken."""
    files = template_files()
    if name not in files:
        known = ", ".join(files) or "none"
        raise UserError(f"There is no template named {name!r}; the templates are: {known}.")
    path, builtin = files[name]
    return read_template(path, builtin=builtin)


def scan_templates() -> tuple[list[Template], list[UserError]]:
    """Every template that reads cleanly, and an error for each one that does not."""
    good: list[Template] = []
    broken: list[UserError] = []
    for path, builtin in template_files().values():
        try:
            good.append(read_template(path, builtin=builtin))
        except UserError as exc:
            broken.append(exc)
    return good, broken


# -- reading one file -----------------------------------------------------------------


def read_template(path: Path, *, builtin: bool = False) -> Template:
    """Read and check one template file."""
    name = path.stem
    if not _NAME.match(name):
        raise TemplateError(
            path, 1, "the file name must be letters, digits, '-' or '_' (it is the template name)"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateError(path, 1, f"the file is not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise UserError(f"Cannot read the template {path}: {exc.strerror or exc}.") from exc
    lines = text.replace("\r\n", "\n").split("\n")
    front_lines, body_start = split_front_matter(path, lines)
    front = parse_front_matter(path, front_lines)
    chunks, sections = _compile_body(path, lines[body_start:], body_start)
    return Template(
        name=name,
        description=front.description,
        sections=sections,
        stage_prompts=front.prompts,
        stage_timebox_minutes=front.minutes,
        severities=front.severities,
        path=path,
        builtin=builtin,
        chunks=chunks,
    )


def _compile_body(
    path: Path, body: list[str], first_line: int
) -> tuple[tuple[Chunk, ...], list[str]]:
    """The body as chunks for the renderer, and the titles of its sections."""
    from markdown_it import MarkdownIt

    def where(index: int) -> int:
        return first_line + index + 1

    if not any(line.strip() for line in body):
        raise TemplateError(path, where(0), "the template has no document after its front matter")
    tokens = MarkdownIt("commonmark").enable("table").parse("\n".join(body))
    blocks: dict[int, tuple[int, BlockField]] = {}  # start line -> (end line, field)
    inline_lines: set[int] = set()
    sections: list[str] = []
    level = 1
    for index, token in enumerate(tokens):
        if token.type == "html_block" or any(
            child.type == "html_inline" for child in token.children or []
        ):
            line = token.map[0] if token.map else 0
            raise TemplateError(path, where(line), "raw HTML is not allowed in a template")
        if token.type == "heading_open":
            level = int(token.tag[1])
        if token.type != "inline" or token.map is None:
            continue
        parent = tokens[index - 1]
        if parent.type == "heading_open" and level >= 2:
            sections.append(token.content.strip())
        names = _PLACEHOLDER.findall(token.content)
        if not names:
            continue
        line = token.map[0]
        if parent.type == "paragraph_open" and _PLACEHOLDER.fullmatch(token.content.strip()):
            name = names[0]
            if name in BLOCK_FIELDS:
                assert parent.map is not None
                blocks[parent.map[0]] = (parent.map[1], BlockField(name, min(level + 1, 6)))
                continue
        for name in names:
            if name in BLOCK_FIELDS:
                problem = f"{{{{{name}}}}} must stand alone in its own paragraph"
            elif name not in INLINE_FIELDS:
                known = ", ".join(sorted(BLOCK_FIELDS | INLINE_FIELDS))
                problem = f"unknown placeholder {{{{{name}}}}} (known: {known})"
            elif parent.type != "heading_open":
                problem = f"{{{{{name}}}}} can only be used in a heading"
            else:
                continue
            raise TemplateError(path, where(line), problem)
        inline_lines.add(line)
    return _chunks(body, blocks, inline_lines), sections


def _chunks(
    body: list[str], blocks: dict[int, tuple[int, BlockField]], inline_lines: set[int]
) -> tuple[Chunk, ...]:
    """Cut the body at its block placeholders; split heading lines around inline ones."""
    chunks: list[Chunk] = []
    pending: list[int] = []

    def flush() -> None:
        while pending and not body[pending[0]].strip():
            pending.pop(0)
        while pending and not body[pending[-1]].strip():
            pending.pop()
        if pending:
            chunks.append(_literal([(body[i], i in inline_lines) for i in pending]))
        pending.clear()

    index = 0
    while index < len(body):
        if index in blocks:
            flush()
            end, block_field = blocks[index]
            chunks.append(block_field)
            index = end
            continue
        pending.append(index)
        index += 1
    flush()
    return tuple(chunks)


def _literal(lines: list[tuple[str, bool]]) -> Literal:
    """Template lines as one literal chunk, with inline fields split out of the lines
    marked as holding them (placeholders elsewhere, e.g. in code blocks, stay text)."""
    parts: list[str | InlineField] = []
    text = ""
    for number, (line, has_fields) in enumerate(lines):
        if number:
            text += "\n"
        if not has_fields:
            text += line
            continue
        position = 0
        for match in _PLACEHOLDER.finditer(line):
            parts += [text + line[position : match.start()], InlineField(match.group(1))]
            text = ""
            position = match.end()
        text += line[position:]
    parts.append(text)
    return tuple(part for part in parts if part != "")
