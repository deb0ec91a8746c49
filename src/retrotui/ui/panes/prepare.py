"""Stage 1, Prepare: title, summary, impact, milestones and who is in the room."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Label

from retrotui.core.times import format_instant, local_offset_label
from retrotui.models import Participant, Retrospective
from retrotui.ui.panes.base import StagePane
from retrotui.ui.widgets.autosave import AutosaveInput, AutosaveTextArea, SaveJob
from retrotui.ui.widgets.carry_over import CarryOverPanel
from retrotui.ui.widgets.table import Table
from retrotui.ui.widgets.text import plain

if TYPE_CHECKING:
    from retrotui.core.bundle import RetroBundle
    from retrotui.store.repository import Store

MILESTONES = ("started", "detected", "mitigated", "resolved")


def _text_saver(retro_id: str, field: str) -> SaveJob:
    from retrotui.services.meeting import update_retro_text

    return lambda store, value: update_retro_text(store, retro_id, field, value)


def _milestone_saver(retro_id: str, milestone: str) -> SaveJob:
    def save(store: Store, value: str) -> Retrospective:
        from retrotui.core.times import local_zone, parse_instant
        from retrotui.services.meeting import set_milestone

        when = parse_instant(value, default_tz=local_zone()) if value.strip() else None
        return set_milestone(store, retro_id, milestone, when)

    return save


class PreparePane(StagePane, VerticalScroll, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "plus",
            "add_participant",
            "Add participant",
            id="prepare.add_participant",
            key_display="+",
        ),
        Binding("e", "edit_participant", "Edit participant", id="prepare.edit_participant"),
        Binding(
            "delete",
            "delete_participant",
            "Remove participant",
            id="prepare.delete_participant",
            show=False,
        ),
    ]

    def __init__(self, retro: Retrospective, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.retro = retro
        self.participants: list[Participant] = []

    def compose(self) -> ComposeResult:
        retro = self.retro
        # Earlier retrospectives' open actions first: review them before making new ones.
        yield CarryOverPanel(retro.id, id="carry-over")
        with Horizontal(id="prepare-columns"):
            with Vertical(id="prepare-story"):
                yield Label("Title")
                yield AutosaveInput(retro.title, _text_saver(retro.id, "title"), id="title")
                yield Label("Summary: what happened, in two or three sentences")
                yield AutosaveTextArea(
                    retro.summary, _text_saver(retro.id, "summary"), id="summary"
                )
                yield Label("Impact: who noticed what, and for how long")
                yield AutosaveTextArea(retro.impact, _text_saver(retro.id, "impact"), id="impact")
            with Vertical(id="prepare-facts"):
                yield Label(f"Milestones (enter saves; no offset = {local_offset_label()})")
                for name in MILESTONES:
                    with Horizontal(classes="milestone"):
                        yield Label(name.capitalize(), classes="milestone-label")
                        yield AutosaveInput(
                            self.milestone_text(name),
                            _milestone_saver(retro.id, name),
                            while_typing=False,
                            placeholder="2026-11-17T08:52+01:00",
                            id=f"milestone-{name}",
                        )
                yield Label("Participants (+ add · e edit · delete remove)")
                yield Table[Text](id="participants", cursor_type="row")

    def on_mount(self) -> None:
        self.query_one("#participants", DataTable).add_columns("Name", "Role")

    def milestone_text(self, name: str) -> str:
        value = getattr(self.retro, f"{name}_at")
        if value is None:
            return ""
        return format_instant(value, getattr(self.retro, f"{name}_at_offset"))

    def show_bundle(self, bundle: RetroBundle) -> None:
        """Refresh from the database without touching a field the user is typing in."""
        self.retro = bundle.retro
        self.query_one("#title", AutosaveInput).load(bundle.retro.title)
        self.query_one("#summary", AutosaveTextArea).load(bundle.retro.summary)
        self.query_one("#impact", AutosaveTextArea).load(bundle.retro.impact)
        for name in MILESTONES:
            self.query_one(f"#milestone-{name}", AutosaveInput).load(self.milestone_text(name))
        self.participants = bundle.participants
        table = self.query_one("#participants", DataTable)
        row = table.cursor_row
        table.clear()
        for person in bundle.participants:
            table.add_row(
                plain(person.name), Text(str(person.role).replace("_", " ")), key=person.id
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def selected(self) -> Participant | None:
        table = self.query_one("#participants", DataTable)
        if not table.row_count:
            return None
        return self.participants[table.cursor_row]

    def _reload(self, _result: object = None) -> None:
        self.changed()

    def action_add_participant(self) -> None:
        from retrotui.services.meeting import add_participant
        from retrotui.ui.screens.participant_form import ParticipantFormScreen

        retro_id = self.retro.id
        self.app.push_screen(
            ParticipantFormScreen(
                lambda store, name, role: add_participant(store, retro_id, name, role)
            ),
            self._reload,
        )

    def action_edit_participant(self) -> None:
        from retrotui.services.meeting import update_participant
        from retrotui.ui.screens.participant_form import ParticipantFormScreen

        person = self.selected()
        if person is None:
            return
        self.app.push_screen(
            ParticipantFormScreen(
                lambda store, name, role: update_participant(store, person.id, name, role),
                person,
            ),
            self._reload,
        )

    def action_delete_participant(self) -> None:
        from retrotui.services.meeting import delete_participant

        person = self.selected()
        if person is not None:
            self.app.submit(lambda store: delete_participant(store, person.id), self._reload)
