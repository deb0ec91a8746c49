"""The "new retrospective" form: title, severity, incident ref, template, start time."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from retrotui.core.times import local_offset_label
from retrotui.errors import UserError
from retrotui.ui.screens.form import FormScreen

if TYPE_CHECKING:
    from retrotui.store.repository import Store

SEVERITIES = [
    ("SEV1 (critical)", "SEV1"),
    ("SEV2", "SEV2"),
    ("SEV3", "SEV3"),
    ("SEV4", "SEV4"),
    ("SEV5 (minor)", "SEV5"),
]


class NewRetroScreen(FormScreen[str | None]):
    """Returns the id of the retrospective it created, or None when cancelled."""

    def __init__(self, templates: list[str]) -> None:
        super().__init__()
        self.templates = templates or ["standard"]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static("[b]New retrospective[/b]", classes="dialog-title")
            yield Label("Title")
            yield Input(placeholder="What happened, in a few words", id="title")
            with Horizontal(classes="form-row"):
                with Vertical():
                    yield Label("Severity")
                    yield Select(SEVERITIES, prompt="not set", id="severity")
                with Vertical():
                    yield Label("Incident ref")
                    yield Input(placeholder="INC-2042", id="incident_ref")
            with Horizontal(classes="form-row"):
                with Vertical():
                    yield Label("Template")
                    yield Select(
                        [(name, name) for name in self.templates],
                        value=self.templates[0] if "standard" not in self.templates else "standard",
                        allow_blank=False,
                        id="template",
                    )
                with Vertical():
                    yield Label(f"Started at (ISO; no offset = {local_offset_label()})")
                    yield Input(placeholder="2026-11-17 08:52", id="started_at")
            yield from self.form_footer("Create")

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def action_save(self) -> None:
        from retrotui.core.times import local_zone, parse_instant
        from retrotui.services.retros import create_retrospective, parse_severity

        title = self.query_one("#title", Input).value
        ref = self.query_one("#incident_ref", Input).value
        severity_value = self.query_one("#severity", Select).value
        template = str(self.query_one("#template", Select).value)
        started_text = self.query_one("#started_at", Input).value.strip()
        try:
            severity = parse_severity(
                None if severity_value is Select.NULL else str(severity_value)
            )
            started = parse_instant(started_text, default_tz=local_zone()) if started_text else None
            if not title.strip():
                raise UserError("The title cannot be empty.")
        except UserError as exc:
            self.show_error(str(exc))
            return

        def create(store: Store) -> str:
            return create_retrospective(
                store,
                title,
                severity=severity,
                incident_ref=ref,
                template=template,
                started_at=started,
            ).id

        self.save_with(create)
