"""The meeting screen: one retrospective, organised by the stages of the meeting.

It loads the retrospective through the database queue, hands the data to each stage pane,
and polls once a second for changes made elsewhere (a note-taker in another terminal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Static, Tab, Tabs

from retrotui.ui.panes.discussion import DiscussionPane
from retrotui.ui.panes.prepare import PreparePane
from retrotui.ui.panes.timeline import TimelinePane
from retrotui.ui.widgets.text import plain

if TYPE_CHECKING:
    from retrotui.services.retros import RetroBundle
    from retrotui.store.repository import Store
    from retrotui.ui.app import RetroApp

STAGES = [
    ("stage-1", "1 Prepare"),
    ("stage-2", "2 Timeline"),
    ("stage-3", "3 Discussion"),
]
POLL_SECONDS = 1.0


class RetroScreen(Screen[None]):
    app: RetroApp
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="retro.back", tooltip="Back to all retrospectives"),
        Binding(
            "f",
            "presenter",
            "Presenter",
            id="retro.presenter",
            tooltip="Distraction-free layout for screen sharing",
        ),
        *[
            Binding(
                str(n), f"stage({n})", label.split(" ", 1)[1], id=f"retro.stage_{n}", show=False
            )
            for n, (_, label) in enumerate(STAGES, start=1)
        ],
    ]

    def __init__(self, retro_id: str) -> None:
        super().__init__()
        self.retro_id = retro_id
        self.bundle: RetroBundle | None = None
        self.fingerprint: tuple[object, ...] | None = None
        self.stage = 2

    def compose(self) -> ComposeResult:
        with Horizontal(id="retro-header"):
            yield Static("Loading…", id="retro-title")
            yield Static("", id="retro-facts")
        yield Tabs(
            *[Tab(label, id=tab_id) for tab_id, label in STAGES], id="stages", active="stage-2"
        )
        yield ContentSwitcher(id="stage-panes")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Tabs).can_focus = False
        self.reload()
        self.set_interval(POLL_SECONDS, self.poll)

    def on_resize(self) -> None:
        # Below 100 columns, two-column stages stack into one column.
        self.set_class(self.size.width < 100, "-narrow")

    # -- data -----------------------------------------------------------------------------------

    def reload(self) -> None:
        from retrotui.services.retros import load_bundle

        retro_id = self.retro_id

        def load(store: Store) -> tuple[RetroBundle, tuple[object, ...]]:
            return load_bundle(store, retro_id), store.fingerprint(retro_id)

        self.app.submit(load, self.loaded, self.load_failed)

    def load_failed(self, error: BaseException) -> None:
        self.app.on_db_error(error)
        self.app.pop_screen()

    def poll(self) -> None:
        """Reload when anything changed in the database, here or in another process."""
        retro_id = self.retro_id

        def changed(fingerprint: tuple[object, ...]) -> None:
            if fingerprint != self.fingerprint:
                self.reload()

        self.app.submit(lambda store: store.fingerprint(retro_id), changed, lambda _e: None)

    async def loaded(self, result: tuple[RetroBundle, tuple[object, ...]]) -> None:
        bundle, self.fingerprint = result
        first_time = self.bundle is None
        self.bundle = bundle
        if first_time:
            await self.build_panes(bundle)
        self.show_header(bundle)
        self.query_one(PreparePane).show_bundle(bundle)
        self.query_one(TimelinePane).show_bundle(bundle)
        self.query_one(DiscussionPane).show_bundle(bundle)

    async def build_panes(self, bundle: RetroBundle) -> None:
        switcher = self.query_one(ContentSwitcher)
        await switcher.add_content(PreparePane(bundle.retro, id="stage-1"))
        await switcher.add_content(TimelinePane(id="stage-2"))
        await switcher.add_content(DiscussionPane(id="stage-3"))
        switcher.current = f"stage-{self.stage}"
        self.query_one(TimelinePane).focus()

    def show_header(self, bundle: RetroBundle) -> None:
        retro = bundle.retro
        self.query_one("#retro-title", Static).update(plain(retro.title, "bold"))
        facts = Text()
        for part in (retro.incident_ref, retro.severity, str(retro.status).replace("_", " ")):
            if part:
                facts.append_text(plain(f"  {part}"))
        facts.append(f"   {len(bundle.open_actions)} open actions", "dim")
        self.query_one("#retro-facts", Static).update(facts)

    # -- stages and modes ---------------------------------------------------------------------

    def action_stage(self, number: int) -> None:
        if self.bundle is None or not 1 <= number <= len(STAGES):
            return
        self.stage = number
        self.query_one(Tabs).active = f"stage-{number}"

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tab is None or self.bundle is None:
            return
        tab_id = str(event.tab.id)
        self.stage = int(tab_id.rsplit("-", 1)[1])
        self.query_one(ContentSwitcher).current = tab_id
        if tab_id == "stage-2":
            self.query_one(TimelinePane).focus()
        elif tab_id == "stage-3":
            self.query_one(DiscussionPane).focus_list()
        else:
            self.query_one("#title").focus()

    def action_presenter(self) -> None:
        presenting = not self.has_class("presenter")
        self.set_class(presenting, "presenter")
        if presenting:
            self.action_stage(2)
            self.notify("Presenter mode: f to leave.", timeout=2)

    def action_back(self) -> None:
        if self.has_class("presenter"):
            self.action_presenter()
            return
        self.app.flush_autosaves()
        self.app.pop_screen()
