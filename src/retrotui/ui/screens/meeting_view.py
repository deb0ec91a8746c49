"""The meeting screen's side of the shared meeting: what `MeetingLink` calls back (the
meeting as just read), the keys that take the lead or follow again, the meeting bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from retrotui.core.agenda import Agenda
from retrotui.core.meeting import Mode
from retrotui.ui.panes.timeline import TimelinePane
from retrotui.ui.widgets.fitted import FittedStatic
from retrotui.ui.widgets.note_composer import NoteComposer

if TYPE_CHECKING:
    from retrotui.core.meeting import MeetingState
    from retrotui.formats.templates import Template
    from retrotui.ui.meeting_link import MeetingLink


class MeetingView(Screen[None]):
    """Mixed into RetroScreen, which provides the agenda, the template and the stages."""

    meeting: MeetingLink | None
    agenda: Agenda
    template: Template | None

    def enter_stage(self, number: int, *, remember: bool = True) -> None:
        raise NotImplementedError

    def show_timer(self) -> None:
        raise NotImplementedError

    def meeting_tick(self) -> None:
        if self.meeting is not None:
            self.meeting.tick()

    def typing(self) -> bool:
        return bool(self.query_one(NoteComposer).display)

    def meeting_changed(self, state: MeetingState, follow: bool, lead_lost: bool) -> None:
        """The meeting as just read: its clocks, who drives, who is here; while following,
        the driver's stage and event."""
        if lead_lost:
            who = state.driver.name if state.driver else (state.driver_name or "Someone")
            self.notify(f"{who} took the lead; you follow now.", timeout=4)
        timeboxes = self.template.stage_timebox_minutes if self.template else {}
        self.agenda = Agenda.for_template(timeboxes, self.agenda.stage, state.clocks)
        if follow and state.driver is not None and not self.has_class("presenter"):
            if state.stage != self.agenda.stage:
                self.enter_stage(state.stage, remember=False)
            self.query_one(TimelinePane).follow_event(state.event_id)
        self.show_meeting_bar(state)
        self.show_timer()

    def show_meeting_bar(self, state: MeetingState) -> None:
        if self.meeting is not None:
            self.query_one("#meeting-bar", FittedStatic).show(self.meeting.bar_text(state))

    def action_lead(self) -> None:
        if self.meeting is None:
            return
        if self.meeting.mode is Mode.DRIVING:
            self.notify("You are driving the meeting.", timeout=2)
            return
        current = self.query_one(TimelinePane).current
        self.meeting.take_lead(int(self.agenda.stage), current.id if current else None)
        if self.meeting.state is not None:
            self.show_meeting_bar(self.meeting.state)

    def action_follow(self) -> None:
        if self.meeting is not None:
            self.meeting.follow()
