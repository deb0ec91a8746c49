"""Exporting a retrospective: Markdown through a template (optionally anonymized), or a
Retro Document, as text (`services.files` writes it to a file).

The CLI (`retrotui export`) and the app's export screen both go through here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from retrotui.errors import UserError
from retrotui.models import Participant
from retrotui.services.retros import RetroBundle

ExportFormat = Literal["markdown", "json"]
FORMATS: tuple[ExportFormat, ...] = ("markdown", "json")


@dataclass(frozen=True)
class Export:
    """An export's text, and sentences worth telling the user (e.g. a template fallback)."""

    text: str
    notices: tuple[str, ...] = ()


# -- anonymizing ----------------------------------------------------------------------


def participant_labels(participants: Iterable[Participant]) -> dict[str, str]:
    """Each participant's name -> their role as a label ("Moderator", "Observer 2").

    A role held by several people is numbered in participant order, so the document can
    still tell them apart. A name listed twice keeps its first label.
    """
    people = [p for p in participants if p.name.strip()]
    per_role: dict[str, int] = {}
    for person in people:
        per_role[person.role] = per_role.get(person.role, 0) + 1
    seen: dict[str, int] = {}
    labels: dict[str, str] = {}
    for person in people:
        label = person.role.replace("_", " ").capitalize()
        if per_role[person.role] > 1:
            seen[person.role] = seen.get(person.role, 0) + 1
            label = f"{label} {seen[person.role]}"
        labels.setdefault(person.name.strip(), label)
    return labels


def name_redactor(labels: dict[str, str]) -> Callable[[str], str]:
    """Replace each name, wherever it appears as a whole word, with its label.

    Longer names first, so "Ana Lima" is replaced before "Ana". Case-sensitive: names are
    proper nouns, and ignoring case would also replace ordinary words ("Will", "will").
    """
    if not labels:
        return lambda text: text
    names = sorted(labels, key=lambda name: (-len(name), name))
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")

    def redact(text: str) -> str:
        return pattern.sub(lambda match: labels[match.group()], text) if text else text

    return redact


# -- exporting ------------------------------------------------------------------------


def markdown_export(
    bundle: RetroBundle, *, template_name: str | None = None, anonymize: bool = False
) -> Export:
    """The retrospective as Markdown.

    `template_name` wins; without it the retrospective's own template is used, and when
    that one no longer exists the standard template stands in (with a notice) so an
    imported retrospective can always be exported.
    """
    from retrotui.formats.markdown import render_markdown
    from retrotui.formats.templates import DEFAULT_TEMPLATE, load_template, template_names

    notices: list[str] = []
    name = template_name
    if name is None:
        name = bundle.retro.template or DEFAULT_TEMPLATE
        if name not in template_names():
            notices.append(
                f"The retrospective's template {name!r} does not exist; "
                f"used {DEFAULT_TEMPLATE!r} instead."
            )
            name = DEFAULT_TEMPLATE
    template = load_template(name)
    redact = name_redactor(participant_labels(bundle.participants)) if anonymize else None
    return Export(render_markdown(bundle, template, redact=redact), tuple(notices))


def export_bundle(
    bundle: RetroBundle,
    *,
    fmt: str = "markdown",
    template_name: str | None = None,
    anonymize: bool = False,
) -> Export:
    """The retrospective in `fmt` ("markdown" or "json")."""
    if fmt == "markdown":
        return markdown_export(bundle, template_name=template_name, anonymize=anonymize)
    if fmt == "json":
        if template_name is not None or anonymize:
            raise UserError(
                "--template and --anonymize shape the Markdown export; "
                "a Retro Document (json) always holds everything as typed."
            )
        from retrotui.formats.document import dump_document

        return Export(dump_document(bundle))
    raise UserError(f"{fmt!r} is not an export format; use {' or '.join(FORMATS)}.")
