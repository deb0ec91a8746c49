"""Stage 6, Wrap-up: what the meeting produced, what is still missing, and the status."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Static

from retrotui.models import NoteKind, RetroStatus
from retrotui.ui.panes.base import StagePane

if TYPE_CHECKING:
    from retrotui.core.bundle import RetroBundle

NOTE_WORDS = {  # kind: (one, several)
    NoteKind.WENT_WELL: ("went well", "went well"),
    NoteKind.WENT_WRONG: ("went wrong", "went wrong"),
    NoteKind.LUCKY: ("lucky", "lucky"),
    NoteKind.QUESTION: ("question", "questions"),
    NoteKind.OBSERVATION: ("observation", "observations"),
}


def hanging(lead: str, text: str, width: int) -> str:
    """`lead`, then `text` wrapped to `width` with its further lines starting under its
    first (at 80 columns a line wrapped back to column 1 read like a heading of its own).
    Without a known width, the text is left for the widget to wrap."""
    if width < len(lead) + 20:
        return lead + text
    lines = textwrap.wrap(text, width - len(lead), break_on_hyphens=False) or [""]
    return lead + ("\n" + " " * len(lead)).join(lines)


def summary_line(label: str, value: str, width: int) -> str:
    """One line of the summary: the label in its column, the value wrapped beside it."""
    return hanging(f"  {label:<10} ", value, width) + "\n"


def note_counts(bundle: RetroBundle) -> str:
    counts = {kind: sum(1 for n in bundle.notes if n.kind == kind) for kind in NOTE_WORDS}
    parts = ", ".join(
        f"{counts[kind]} {one if counts[kind] == 1 else several}"
        for kind, (one, several) in NOTE_WORDS.items()
    )
    return f"{len(bundle.notes)}: {parts}"


def labels_text(bundle: RetroBundle, width: int = 0) -> Text:
    """The factors and tags lines of the summary (user text made plain)."""
    from retrotui.core.factors import factor_names
    from retrotui.errors import UserError
    from retrotui.ui.widgets.text import printable

    try:
        names = factor_names(bundle.factors)
    except UserError:  # a bad factors.toml: show the stored ids; the form says what is wrong
        names = bundle.factors
    factors = ", ".join(names) or "none yet (F to choose)"
    tags = ", ".join(bundle.tags) or "none"
    return Text(
        summary_line("Factors", printable(factors), width)
        + summary_line("Tags", printable(tags), width)
    )


# A pane shorter than this (16 rows at 80x24, 33 at 120x40) keeps its buttons in view:
# one line each, docked at its foot, while the summary above them scrolls.
SHORT_PANE_ROWS = 26


class WrapUpPane(StagePane, VerticalScroll, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "set_status('in_review')", "Mark in review", id="wrapup.in_review"),
        Binding("P", "set_status('published')", "Publish", id="wrapup.publish"),
        Binding("F", "screen.edit_labels", "Factors & tags", id="wrapup.labels"),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.missing: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="wrapup-produced")
        yield Static("", id="wrapup-gaps")
        with Horizontal(id="wrapup-buttons"):
            yield Button("Factors & tags (F)", id="labels")
            yield Button("Mark in review (v)", id="in_review")
            yield Button("Publish (P)", id="published", variant="primary")

    def on_resize(self, event: events.Resize) -> None:
        short = event.size.height < SHORT_PANE_ROWS
        if short != self.has_class("-short"):
            self.set_class(short, "-short")
            for button in self.query(Button):
                button.compact = short
        if self.bundle is not None:  # wrapped anew; short: without blank lines under headings
            self.show_bundle(self.bundle)

    def show_bundle(self, bundle: RetroBundle) -> None:
        from retrotui.core.agenda import meeting_gaps

        self.bundle = bundle
        gaps = meeting_gaps(bundle, self.app.today)
        width = self.scrollable_content_region.width
        blank = "" if self.has_class("-short") else "\n"
        produced = Text(f"What this retrospective produced\n{blank}", "bold underline")
        key_events = sum(1 for e in bundle.events if e.key)
        status = str(bundle.retro.status).replace("_", " ")
        for label, value in (
            ("Timeline", f"{len(bundle.events)} events, {key_events} key"),
            ("Notes", note_counts(bundle)),
            (
                "5 Whys",
                f"{gaps.chains} chain(s), {gaps.whys} level(s), root cause found in "
                f"{gaps.chains_with_root_cause}",
            ),
            ("Actions", gaps.gap_line),
            ("Status", status),
        ):
            produced.append(summary_line(label, value, width))
        produced.append_text(labels_text(bundle, width))
        self.query_one("#wrapup-produced", Static).update(produced)
        missing = []
        if gaps.actions == 0:
            missing.append("No action items: what will change so this cannot happen again?")
        if gaps.without_owner:
            missing.append(f"{gaps.without_owner} open action(s) without an owner")
        if gaps.without_due:
            missing.append(f"{gaps.without_due} open action(s) without a due date")
        if gaps.due_suggested:
            missing.append(f"{gaps.due_suggested} due date(s) suggested by policy, not agreed")
        if gaps.overdue:
            missing.append(f"{gaps.overdue} open action(s) already overdue")
        if gaps.chains_without_root_cause:
            missing.append(f"{gaps.chains_without_root_cause} why chain(s) without a root cause")
        if not gaps.chains:
            missing.append("No 5 Whys chain yet")
        gaps_text = Text(f"{blank}Before everyone leaves\n{blank}", "bold underline")
        if missing:
            for line in missing:
                gaps_text.append(hanging("  ✗ ", line, width) + "\n", "bold red")
        else:
            done = (
                "Every open action has an owner and a due date, and every chain has a root cause."
            )
            gaps_text.append(hanging("  ✓ ", done, width) + "\n", "bold green")
        self.query_one("#wrapup-gaps", Static).update(gaps_text)
        self.missing = missing

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "labels":
            self.screen.action_edit_labels()  # type: ignore[attr-defined]
        if event.button.id in ("in_review", "published"):
            self.action_set_status(event.button.id)

    def action_set_status(self, status: str) -> None:
        from retrotui.services.retros import set_status

        if self.bundle is None:
            return
        retro = self.bundle.retro
        new = RetroStatus(status)

        def done(_: object) -> None:
            self.notify(f"Status: {new.value.replace('_', ' ')}.")
            self.changed()

        def save() -> None:
            self.app.submit(lambda store: set_status(store, retro, new), done)

        if new is RetroStatus.PUBLISHED and self.missing:
            from retrotui.ui.screens.confirm import ConfirmScreen

            question = (
                f"{len(self.missing)} gap(s) are still open ({self.missing[0].lower()}…). "
                "Publish anyway?"
            )
            self.app.push_screen(
                ConfirmScreen(question, yes="Publish", no="Not yet"),
                lambda yes: save() if yes else None,
            )
            return
        save()
