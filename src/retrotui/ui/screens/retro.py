"""The meeting screen: one retrospective, organised by the six stages of a blameless
retrospective, each with its timebox and the template's prompts for the moderator.

It reads the retrospective once through the database queue (ui/live_feed.py), hands the
data to each stage pane, and then takes in only what changed: records its own saves
returned, and what the change feed says others changed (a note-taker in another terminal).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import ContentSwitcher, Static, Tab, Tabs

from retrotui.core.agenda import STAGE_TITLES, Agenda, Stage, clock, stage_of
from retrotui.ui.live_feed import POLL_SECONDS as FEED_POLL_SECONDS
from retrotui.ui.live_feed import LiveFeed, panes_showing
from retrotui.ui.meeting_link import POLL_SECONDS as MEETING_POLL_SECONDS
from retrotui.ui.meeting_link import MeetingLink
from retrotui.ui.panes.actions import ActionsPane
from retrotui.ui.panes.base import StagePane
from retrotui.ui.panes.discussion import DiscussionPane
from retrotui.ui.panes.prepare import PreparePane
from retrotui.ui.panes.timeline import TimelinePane
from retrotui.ui.panes.whys import WhysPane
from retrotui.ui.panes.wrapup import WrapUpPane
from retrotui.ui.screens.meeting_view import MeetingView
from retrotui.ui.widgets.carry_over import CarryOverPanel
from retrotui.ui.widgets.fitted import FittedStatic
from retrotui.ui.widgets.footer import Footer
from retrotui.ui.widgets.text import plain

if TYPE_CHECKING:
    from retrotui.core.agenda import ClockState
    from retrotui.core.bundle import RetroBundle
    from retrotui.formats.templates import Template
    from retrotui.models import Note, Record
    from retrotui.ui.host import Host


class RetroScreen(MeetingView):
    app: Host
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="retro.back", tooltip="Back to all retrospectives"),
        Binding(
            "f",
            "presenter",
            "Presenter",
            id="retro.presenter",
            tooltip="Distraction-free layout for screen sharing",
        ),
        Binding(
            "t",
            "timer",
            "Timer",
            id="retro.timer",
            tooltip="Start or pause the timebox of this stage",
        ),
        Binding("T", "reset_timer", "Reset timer", id="retro.reset_timer", show=False),
        # The shared meeting: drive from here, or follow the driver again after browsing.
        Binding("l", "lead", "Take the lead", id="retro.lead", show=False),
        Binding("F", "follow", "Follow the driver", id="retro.follow", show=False),
        Binding("w", "add_why", "Add why", id="retro.add_why", show=False),
        Binding("i", "add_action", "Add action", id="retro.add_action", show=False),
        Binding(
            "F",
            "edit_labels",
            "Factors & tags",
            id="retro.labels",
            tooltip="Contributing factors and tags of this retrospective",
            show=False,
        ),
        Binding(
            "x",
            "export",
            "Export…",
            id="retro.export",
            tooltip="Preview the Markdown export; write it to a file or the clipboard",
        ),
        Binding(
            "I",
            "import_timeline",
            "Import timeline…",
            id="retro.import_timeline",
            tooltip="Add events from a CSV, JSON Lines or Slack export",
            show=False,
        ),
        *[
            Binding(str(n), f"stage({n})", f"Stage {n}: {title}", id=f"retro.stage_{n}", show=False)
            for n, title in STAGE_TITLES.items()
        ],
    ]

    def __init__(self, retro_id: str) -> None:
        super().__init__()
        self.retro_id = retro_id
        self.bundle: RetroBundle | None = None
        self.feed: LiveFeed | None = None  # keeps the bundle up to date; made on mount
        self.template: Template | None = None
        self.agenda = Agenda()
        # Keys pressed before the stages exist (the first load is still running) do nothing.
        self.ready = False
        self.stage_before_presenting: int = Stage.TIMELINE
        self.stale: set[str] = set()  # panes whose data changed since they last showed it
        # This terminal in the shared meeting; made once the stages exist.
        self.meeting: MeetingLink | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="retro-header"):
            # Fitted: a new title, facts or bar lays out the screen only when its size changes.
            yield FittedStatic("Loading…", id="retro-title")
            yield FittedStatic("", id="retro-facts", auto_width=True)
            yield FittedStatic("", id="stage-timer", auto_width=True)
        yield FittedStatic("", id="meeting-bar")
        # "4 5 Whys" would read as two numbers: the tab just says "Whys".
        yield Tabs(
            *[
                Tab(f"{n} {title.replace('5 Whys', 'Whys')}", id=f"stage-{n}")
                for n, title in STAGE_TITLES.items()
            ],
            id="stages",
        )
        yield Static("", id="stage-prompt")
        yield ContentSwitcher(id="stage-panes")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Tabs).can_focus = False
        self.feed = LiveFeed(self, self.retro_id, self.app.submit)
        self.feed.start()
        self.set_interval(FEED_POLL_SECONDS, self.feed.poll)
        self.set_interval(1.0, self.show_timer)
        self.set_interval(MEETING_POLL_SECONDS, self.meeting_tick)

    def on_resize(self) -> None:
        # Below 100 columns, two-column stages stack into one column.
        self.set_class(self.size.width < 100, "-narrow")
        if self.bundle is not None:
            self.show_header(self.bundle)

    # -- data -----------------------------------------------------------------------------------

    def reload(self) -> None:
        """After a change made here that returned no records: read what the feed names."""
        if self.feed is not None:
            self.feed.catch_up()

    def load_failed(self, error: BaseException) -> None:
        self.app.on_db_error(error)
        self.app.pop_screen()

    def retro_gone(self) -> None:
        """Someone deleted this retrospective in another terminal."""
        self.notify("This retrospective was deleted in another terminal.", severity="warning")
        self.prepare_to_leave()
        self.app.pop_screen()

    async def loaded(self, fields: dict[str, Any], clocks: dict[int, ClockState]) -> None:
        from retrotui.core.bundle import RetroBundle

        first = RetroBundle(**fields)
        self.template = self.load_template(first)
        timeboxes = self.template.stage_timebox_minutes if self.template else {}
        # The clocks as the meeting left them: a restart after a crash keeps running.
        self.agenda = Agenda.for_template(timeboxes, first.retro.current_stage, clocks)
        self.bundle = first
        self.show_header(first)
        self.stale = {f"stage-{n}" for n in STAGE_TITLES}
        await self.build_panes(first)
        self.ready = True
        self.meeting = MeetingLink(
            self,
            self.retro_id,
            self.app.identity,
            self.app.submit,
            self.set_timer,
            may_lead=not self.app.follower,
        )
        self.meeting.join()

    def show_saved_note(self, note: Note) -> None:
        self.show_saved([note])

    def show_saved(self, records: Iterable[Record]) -> None:
        """Records a save here returned, shown without reading them back."""
        if self.feed is not None:
            self.feed.merge_saved(records)

    def show_fields(self, fields: dict[str, Any]) -> None:
        """Take in RetroBundle fields read again; redraw the panes that show them."""
        if self.bundle is None or not fields:
            return
        self.bundle = bundle = replace(self.bundle, **fields)
        if {"retro", "actions"} & fields.keys():
            self.show_header(bundle)
        self.stale |= panes_showing([str(pane.id) for pane in self.panes()], fields)
        # Only the pane on screen is redrawn now; the others when their stage is entered.
        self.show_stale(self.query_one(ContentSwitcher).current)

    def show_stale(self, pane_id: str | None) -> None:
        """Hand the latest data to a pane that has not seen it yet."""
        if pane_id is None or pane_id not in self.stale or self.bundle is None:
            return
        self.stale.discard(pane_id)
        self.query_one(f"#{pane_id}").show_bundle(self.bundle)  # type: ignore[attr-defined]

    def load_template(self, bundle: RetroBundle) -> Template | None:
        from retrotui.errors import UserError
        from retrotui.formats.templates import load_template

        try:
            return load_template(bundle.retro.template)
        except UserError as error:
            self.notify(f"{error} Using no timeboxes or prompts.", severity="warning")
            return None

    def panes(self) -> list[StagePane]:
        return list(self.query_one(ContentSwitcher).query_children(StagePane))

    async def build_panes(self, bundle: RetroBundle) -> None:
        switcher = self.query_one(ContentSwitcher)
        for pane in (
            PreparePane(bundle.retro, id="stage-1"),
            TimelinePane(id="stage-2"),
            DiscussionPane(id="stage-3"),
            WhysPane(id="stage-4"),
            ActionsPane(id="stage-5"),
            WrapUpPane(id="stage-6"),
        ):
            await switcher.add_content(pane)
        self.enter_stage(self.agenda.stage, remember=False)

    def on_carry_over_panel_changed(self, _event: CarryOverPanel.Changed) -> None:
        self.reload()

    def on_stage_pane_changed(self, event: StagePane.Changed) -> None:
        event.stop()
        self.show_saved(event.records)
        self.reload()  # what else the change touched (positions, deletes): by the feed

    def show_header(self, bundle: RetroBundle) -> None:
        retro = bundle.retro
        self.query_one("#retro-title", FittedStatic).show(plain(retro.title, "bold"))
        facts = Text()
        for part in (retro.incident_ref, retro.severity, str(retro.status).replace("_", " ")):
            if part:
                facts.append_text(plain(f"  {part}"))
        # Narrow terminals keep room for the title.
        label = "open" if self.size.width < 100 else "open actions"
        facts.append(f"  {len(bundle.open_actions)} {label} ", "dim")
        self.query_one("#retro-facts", FittedStatic).show(facts)

    # -- stages, timer and modes -------------------------------------------------------------

    def enter_stage(self, number: int, *, remember: bool = True) -> None:
        """Show a stage: its pane, its tab, its prompts; focus what the stage is for."""
        # Only the view changes here: the meeting's clocks are moved by the driver's write.
        self.agenda = Agenda(stage_of(number), self.agenda.timers)
        stage = self.agenda.stage
        self.query_one(Tabs).active = f"stage-{stage}"
        self.query_one(ContentSwitcher).current = f"stage-{stage}"
        self.show_stale(f"stage-{stage}")
        prompts = self.template.stage_prompts.get(stage, []) if self.template else []
        prompt = self.query_one("#stage-prompt", Static)
        prompt.update(Text("  ·  ".join(prompts), "italic"))
        prompt.display = bool(prompts)
        self.show_timer()
        focus = {
            Stage.PREPARE: "#stage-1",  # the pane, not a field: number keys keep working
            Stage.TIMELINE: "#stage-2",
            Stage.DISCUSSION: "#notes-list",
            Stage.WHYS: "#whys-list",
            Stage.ACTIONS: "#actions-table",
            Stage.WRAP_UP: "#stage-6",
        }[stage]
        self.query_one(focus).focus()
        if remember and self.meeting is not None:
            self.meeting.stage_chosen(int(stage))

    def on_unmount(self) -> None:
        gc.unfreeze()  # what the feed froze when it loaded (ui/live_feed.py)

    def prepare_to_leave(self) -> None:
        """Leave the meeting: only this terminal's presence (and its lead) goes; the last
        one out pauses the clock. (A killed app leaves it running.)"""
        if self.meeting is not None:
            self.meeting.leave()

    def show_timer(self) -> None:
        timer = self.agenda.timer
        now = datetime.now(UTC)
        label = Text(f"{'▶' if timer.running else '⏸'} {clock(timer.elapsed(now))}")
        if timer.timebox:
            label.append(f"/{clock(timer.timebox)}")
        over = timer.over_time(now)
        self.query_one("#stage-timer", FittedStatic).show(label)
        self.query_one("#stage-timer").set_class(over, "over-time")

    def action_stage(self, number: int) -> None:
        if self.ready:
            self.enter_stage(number)

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tab is None or not self.ready:
            return
        number = int(str(event.tab.id).rsplit("-", 1)[1])
        if number != self.agenda.stage:
            self.enter_stage(number)

    def action_timer(self) -> None:
        if not self.ready:
            return
        # Shown at once; the stored clock (which every terminal reads) decides.
        self.agenda = self.agenda.with_timer(self.agenda.timer.toggle(datetime.now(UTC)))
        self.show_timer()
        if self.meeting is not None:
            self.meeting.toggle_clock(int(self.agenda.stage))

    def action_reset_timer(self) -> None:
        if not self.ready:
            return
        self.agenda = self.agenda.with_timer(self.agenda.timer.reset())
        self.show_timer()
        if self.meeting is not None:
            self.meeting.reset_clock(int(self.agenda.stage))

    def action_add_why(self) -> None:
        if not self.ready:
            return
        self.action_stage(Stage.WHYS)
        self.query_one(WhysPane).action_add_why()

    def action_add_action(self) -> None:
        if not self.ready:
            return
        self.action_stage(Stage.ACTIONS)
        self.query_one(ActionsPane).action_add_action()

    def action_edit_labels(self) -> None:
        """The contributing factors and tags form (F, shown on Whys and Wrap-up)."""
        from retrotui.ui.screens.labels_form import open_labels_form

        if self.ready and self.bundle is not None:
            open_labels_form(self.app, self.bundle.retro, self.reload)

    def action_export(self) -> None:
        from retrotui.ui.io_actions import open_export

        self.app.flush_autosaves()
        open_export(self.app, self.retro_id)

    def action_import_timeline(self) -> None:
        from retrotui.ui.io_actions import open_import

        open_import(self.app, self.retro_id, lambda _added: self.reload())

    def action_presenter(self) -> None:
        if not self.ready:
            return
        presenting = not self.has_class("presenter")
        self.set_class(presenting, "presenter")
        if presenting:
            self.stage_before_presenting = self.agenda.stage
            self.action_stage(Stage.TIMELINE)
            self.notify("Presenter mode: f to leave.", timeout=2)
        else:
            self.action_stage(self.stage_before_presenting)

    def action_back(self) -> None:
        if self.has_class("presenter"):
            self.action_presenter()
            return
        self.app.flush_autosaves()
        self.prepare_to_leave()
        self.app.pop_screen()
