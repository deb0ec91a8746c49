"""Stage 4, 5 Whys: from a problem statement down to a root cause, one chain per
contributing factor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from retrotui.ui.panes.base import StagePane
from retrotui.ui.screens.text_form import TextField, TextFormScreen
from retrotui.ui.widgets.text import plain

if TYPE_CHECKING:
    from retrotui.core.bundle import RetroBundle
    from retrotui.core.whys import Chain
    from retrotui.models import Why
    from retrotui.store.repository import Store
    from retrotui.store.undo import Removed

CHAIN_PREFIX = "chain:"


def next_question(previous_answer: str) -> str:
    """The question a new level offers: the previous answer asked again ("The renewal job
    failed silently." -> "Why the renewal job failed silently?"), or "Why?" for the first."""
    text = " ".join(previous_answer.split()).rstrip(" .!?;:")
    if not text:
        return "Why?"
    # Lower the first letter of a sentence, not of an acronym such as "TLS".
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return f"Why {text}?"


class WhysPane(StagePane, Vertical):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "add_why", "Add why", id="whys.add", tooltip="Ask one more why"),
        Binding("e", "edit", "Edit", id="whys.edit"),
        Binding(
            "r",
            "root_cause",
            "Root cause",
            id="whys.root_cause",
            tooltip="Mark or unmark the selected level as the root cause",
        ),
        Binding(
            "c",
            "add_chain",
            "New chain",
            id="whys.add_chain",
            tooltip="Another contributing factor, with its own problem statement",
        ),
        Binding("F", "screen.edit_labels", "Factors & tags", id="whys.labels"),
        Binding("shift+up", "move(-1)", "Move up", id="whys.move_up", show=False),
        Binding("shift+down", "move(1)", "Move down", id="whys.move_down", show=False),
        Binding("delete", "delete", "Delete", id="whys.delete", show=False),
    ]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.whys: dict[str, tuple[Chain, int, Why]] = {}
        self.chains: dict[str, Chain] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="whys-summary")
        yield OptionList(id="whys-list")
        yield Static(
            "w why · e edit · r root cause · c chain · shift+↑↓ move · del remove",
            classes="muted",
        )

    def focus_list(self) -> None:
        self.query_one(OptionList).focus()

    def show_bundle(self, bundle: RetroBundle) -> None:
        self.bundle = bundle
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted_option.id if listing.highlighted_option else None
        listing.clear_options()
        self.whys.clear()
        self.chains.clear()
        for number, chain in enumerate(bundle.why_chains(), start=1):
            key = CHAIN_PREFIX + chain.id
            self.chains[key] = chain
            heading = Text(f"Chain {number}: ", "bold")
            heading.append_text(
                plain(chain.problem or "(no problem statement yet: e edits)", "bold")
            )
            listing.add_option(Option(heading, id=key))
            for level, why in enumerate(chain.whys, start=1):
                self.whys[why.id] = (chain, level, why)
                listing.add_option(Option(self.describe(chain, level, why), id=why.id))
        roots = sum(1 for chain in bundle.why_chains() if chain.root_cause is not None)
        self.query_one("#whys-summary", Static).update(
            f"{len(bundle.why_chains())} chain(s) · root cause found in {roots}"
            if bundle.why_chains()
            else "No 5 Whys chain yet: press w to ask the first why (the problem statement "
            "starts as the summary)."
        )
        if self.follow_id and (self.follow_id in self.whys or self.follow_id in self.chains):
            highlighted = self.follow_id
        self.follow_id = None
        if highlighted and (highlighted in self.whys or highlighted in self.chains):
            listing.highlighted = listing.get_option_index(highlighted)
        elif listing.option_count:
            listing.highlighted = 0

    @staticmethod
    def describe(chain: Chain, level: int, why: Why) -> Text:
        line = Text(f"  {chain.depth_label(level)}  ", "dim")
        line.append_text(plain(why.question or "Why?", "italic"))
        line.append("\n      → ")
        line.append_text(plain(why.answer))
        if why.is_root_cause:
            line.append("   ◆ ROOT CAUSE", "bold reverse")
        return line

    # -- what is selected ----------------------------------------------------------------

    def selected_key(self) -> str | None:
        option = self.query_one(OptionList).highlighted_option
        return option.id if option else None

    def current_chain(self) -> Chain | None:
        """The chain of the selected line, or the last chain."""
        key = self.selected_key()
        if key in self.chains:
            return self.chains[key]
        if key in self.whys:
            return self.whys[key][0]
        chains = self.bundle.why_chains() if self.bundle else []
        return chains[-1] if chains else None

    def participants(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.bundle.participants) if self.bundle else ()

    def restored(self, removed: Removed) -> None:
        prefix = CHAIN_PREFIX if removed.kind == "chain" else ""
        self.follow_id = prefix + removed.record_id
        self.changed()

    def _reload(self, result: object = None) -> None:
        record_id = getattr(result, "id", None)
        if isinstance(record_id, str):
            self.follow_id = (
                record_id
                if getattr(result, "answer", None) is not None
                else (CHAIN_PREFIX + record_id)
            )
        self.changed(result)

    def _why_form(self, title: str, why: Why | None, save: Any, question: str = "Why?") -> None:
        """Opens on the answer, nothing selected; a new level's question is `question`."""
        fields = [
            TextField(
                "question", "The question asked", (why.question or "Why?") if why else question
            ),
            TextField(
                "answer", "The cause found at this level", why.answer if why else "", multiline=True
            ),
        ]
        form = TextFormScreen(title, fields, save, participants=self.participants(), focus="answer")
        self.app.push_screen(form, self._reload)

    # -- actions ---------------------------------------------------------------------------

    def action_add_why(self) -> None:
        from retrotui.services.whys import add_chain, add_why

        if self.bundle is None:
            return
        chain = self.current_chain()
        chain_id = chain.id if chain and chain.id else None
        retro_id = self.bundle.retro.id
        level = len(chain.whys) + 1 if chain else 1
        author = self.app.identity

        def save(store: Store, values: dict[str, str]) -> Why:
            target = chain_id or add_chain(store, retro_id).id
            return add_why(
                store,
                target,
                question=values["question"],
                answer=values["answer"],
                author=author,
            )

        previous = chain.whys[-1].answer if chain and chain.whys else ""
        self._why_form(f"Why {level}", None, save, next_question(previous))

    def action_edit(self) -> None:
        from retrotui.services.whys import update_chain_problem, update_why

        key = self.selected_key()
        if key in self.whys:
            why = self.whys[key][2]
            self._why_form(
                "Edit why",
                why,
                lambda store, v: update_why(
                    store, why.id, question=v["question"], answer=v["answer"]
                ),
            )
        elif key in self.chains:
            chain = self.chains[key]
            fields = [TextField("problem", "Problem statement", chain.problem, multiline=True)]
            self.app.push_screen(
                TextFormScreen(
                    "Problem statement",
                    fields,
                    lambda store, v: update_chain_problem(store, chain.id, v["problem"]),
                    participants=self.participants(),
                ),
                self._reload,
            )

    def action_add_chain(self) -> None:
        from retrotui.services.whys import add_chain

        if self.bundle is None:
            return
        retro_id = self.bundle.retro.id
        fields = [
            TextField("problem", "Problem statement for this contributing factor", multiline=True)
        ]
        self.app.push_screen(
            TextFormScreen(
                "New 5 Whys chain",
                fields,
                lambda store, v: add_chain(store, retro_id, v["problem"]),
                participants=self.participants(),
            ),
            self._reload,
        )

    def action_root_cause(self) -> None:
        from retrotui.services.whys import set_root_cause

        key = self.selected_key()
        if key in self.whys:
            why = self.whys[key][2]
            self.app.submit(
                lambda store: set_root_cause(store, why.id, not why.is_root_cause), self._reload
            )

    def action_move(self, delta: int) -> None:
        from retrotui.services.whys import move_why

        key = self.selected_key()
        if key in self.whys:
            why_id = key
            self.app.submit(lambda store: move_why(store, why_id, delta), self._reload)

    def action_delete(self) -> None:
        from retrotui.ui.screens.confirm import ConfirmScreen
        from retrotui.ui.undo import delete_record, neighbour

        key = self.selected_key()
        if key in self.whys:
            kind, record_id, gone = "why", key, {key}
            question = Text("Remove this why level?")
        elif key in self.chains:
            chain = self.chains[key]
            kind, record_id = "chain", chain.id
            gone = {key, *(why.id for why in chain.whys)}
            question = Text(f"Remove the whole chain with its {len(chain.whys)} level(s)?")
        else:
            return
        listing = self.query_one(OptionList)
        order = [listing.get_option_at_index(i).id or "" for i in range(listing.option_count)]

        def answered(yes: bool | None) -> None:
            if yes:
                # The highlight moves to the next line (the previous one after the last).
                self.follow_id = neighbour(order, gone)
                delete_record(self, kind, record_id, self.changed)

        self.app.push_screen(ConfirmScreen(question.markup), answered)
