"""Exporting a retrospective: Markdown through a template (optionally anonymized), or a
Retro Document, as text (`retrotui.files` writes it to a file).

The CLI (`retrotui export`) and the app's export screen both go through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from retrotui.core.anonymize import name_redactor, participant_labels
from retrotui.core.bundle import RetroBundle
from retrotui.errors import UserError

ExportFormat = Literal["markdown", "json"]
FORMATS: tuple[ExportFormat, ...] = ("markdown", "json")


class MarkdownOnlyError(UserError):
    """A template or anonymizing asked for with an export format they do not shape."""


@dataclass(frozen=True)
class Export:
    """An export's text, and sentences worth telling the user (e.g. a template fallback)."""

    text: str
    notices: tuple[str, ...] = ()


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
            raise MarkdownOnlyError(
                "A template and anonymizing shape the Markdown export; "
                "a Retro Document (json) always holds everything as typed."
            )
        from retrotui.formats.document import dump_document

        return Export(dump_document(bundle))
    raise UserError(f"{fmt!r} is not an export format; use {' or '.join(FORMATS)}.")
