"""Contributing factors and tags of a retrospective: tick factors, type tags."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from retrotui.ui.screens.form import FormScreen
from retrotui.ui.widgets.text import plain

if TYPE_CHECKING:
    from collections.abc import Callable

    from retrotui.core.factors import Taxonomy
    from retrotui.models import Retrospective
    from retrotui.services.labels import Labels
    from retrotui.store.repository import Store
    from retrotui.ui.host import Host


class LabelsFormScreen(FormScreen["Labels | None"]):
    """Saves with `services.labels.set_labels`; dismisses with the labels as stored."""

    def __init__(self, retro: Retrospective, taxonomy: Taxonomy, labels: Labels) -> None:
        super().__init__()
        self.retro = retro
        self.taxonomy = taxonomy
        self.labels = labels

    def compose(self) -> ComposeResult:
        known = {f.id for f in self.taxonomy.factors}
        choices: list[Selection[str]] = []
        for factor in self.taxonomy.factors:
            prompt = plain(f"{factor.group}: {factor.name}" if factor.group else factor.name)
            choices.append(Selection(prompt, factor.id, factor.id in self.labels.factors))
        # Factors a later taxonomy no longer has stay ticked, so saving keeps them.
        for gone in self.labels.factors:
            if gone not in known:
                choices.append(Selection(plain(f"(not in the list) {gone}"), gone, True))
        with Vertical(classes="dialog form"):
            yield Static("[b]Contributing factors and tags[/b]", classes="dialog-title")
            factors = SelectionList[str](*choices, id="labels-factors")
            factors.border_title = "Contributing factors (space ticks one)"
            yield factors
            tags = Input(", ".join(self.labels.tags), id="labels-tags")
            tags.border_title = "Tags, separated by commas"
            yield tags
            yield from self.form_footer("Save")

    def on_mount(self) -> None:
        self.query_one("#labels-factors", SelectionList).focus()

    def action_save(self) -> None:
        from retrotui.services.labels import parse_tag_list, set_labels

        factors = list(self.query_one("#labels-factors", SelectionList).selected)
        tags = parse_tag_list(self.query_one("#labels-tags", Input).value)
        retro, taxonomy = self.retro, self.taxonomy
        self.save_with(
            lambda store: set_labels(store, retro, factors=factors, tags=tags, taxonomy=taxonomy)
        )


def open_labels_form(app: Host, retro: Retrospective, on_saved: Callable[[], object]) -> None:
    """Read the taxonomy and the retrospective's labels, then show the form (F on Whys and
    Wrap-up); a bad factors.toml is named, with its line, in a notification."""
    from retrotui.core.factors import default_taxonomy
    from retrotui.errors import UserError
    from retrotui.services.labels import labels_of

    def load(store: Store) -> LabelsFormScreen:
        return LabelsFormScreen(retro, default_taxonomy(), labels_of(store, retro.id))

    def closed(saved: Labels | None) -> None:
        if saved:
            on_saved()

    def show(form: LabelsFormScreen) -> None:
        app.push_screen(form, closed)

    def failed(error: BaseException) -> None:
        if isinstance(error, UserError):
            app.notify(str(error), title="Factors", severity="error", timeout=10)
        else:
            app.on_db_error(error)

    app.submit(load, show, failed)
