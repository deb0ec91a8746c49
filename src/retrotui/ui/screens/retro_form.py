"""The "new retrospective" form: title, severity, incident ref, template, start time."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from retrotui.errors import UserError

if TYPE_CHECKING:
    from retrotui.store.repository import Store
    from retrotui.ui.app import RetroApp

SEVERITIES = [
    ("SEV1 (critical)", "SEV1"),
    ("SEV2", "SEV2"),
    ("SEV3", "SEV3"),
    ("SEV4", "SEV4"),
    ("SEV5 (minor)", "SEV5"),
]


def local_zone_label() -> str:
    offset = datetime.now().astimezone().strftime("%z")
    return f"{offset[:3]}:{offset[3:]}"


class NewRetroScreen(ModalScreen[str | None]):
    """Returns the id of the retrospective it created, or None when cancelled."""

    app: RetroApp
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="new_retro.cancel"),
        Binding("ctrl+s", "create", "Create", id="new_retro.create"),
    ]

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
                    yield Label(f"Started at (ISO; no offset = {local_zone_label()})")
                    yield Input(placeholder="2026-11-17 08:52", id="started_at")
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Create (ctrl+s)", id="create", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self.action_create()
        else:
            self.action_cancel()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_create()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(message)

    def action_create(self) -> None:
        from retrotui.core.times import parse_instant
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
            local = datetime.now().astimezone().tzinfo
            started = parse_instant(started_text, default_tz=local) if started_text else None
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

        self.app.submit(create, self.dismiss, lambda exc: self.show_error(str(exc)))
