"""Textual's Footer, updated in place when only what is greyed out changes, and without its
leak.

Textual's Footer (8.2.8) recomposes on every change of the bindings: new FooterKeys, each
data-bound to the footer's `compact` and restyled, which costs more than anything else a
step of the timeline does. When the keys shown are the same and only some became enabled
or disabled (Next on the last event), this one just flips those keys.

The leak: every rebuild data-binds the new keys, and the watchers of the keys it removes
are never dropped, so every rebuild left its keys alive (and made the next bind slower).
After a rebuild, this one forgets the removed keys.

Fitting: Textual's Footer cuts the keys off at the right edge (at 80 columns the home
screen's ended "f Se…", and Help and Quit were never seen). This one first drops the
spacing (compact), then, if the keys still do not fit, leaves out keys from the right but
always keeps Quit and Help, and Help says how many keys it lists that the footer does not
show ("? Help · 4 more"). Every key is also in the command palette (ctrl+p).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

# What the footer shows for one action: its key, label and tooltip (not whether enabled).
Shown = tuple[str, str, str, str]

# Kept when keys must be left out: the way out, and the list of every key.
PINNED_ACTIONS = frozenset({"quit", "app.quit", "help", "app.help"})
HELP_ACTIONS = frozenset({"help", "app.help"})


@dataclass(frozen=True)
class Fit:
    """How a footer shows its keys in a given width."""

    compact: bool = False
    hidden: frozenset[int] = frozenset()  # positions of the keys left out

    def label(self, action: str, description: str) -> str:
        """The label of a shown key: Help counts the keys left out."""
        if self.hidden and action in HELP_ACTIONS:
            return f"{description} · {len(self.hidden)} more"
        return description


def fit_keys(keys: Iterable[tuple[str, str, str]], width: int) -> Fit:
    """How keys (key display, label, action) fit in `width` cells: all with Textual's
    spacing, else compact, else compact with keys left out from the right (never Quit or
    Help)."""
    keys = list(keys)
    # Normal spacing: " k " + "label ".
    if sum(cell_len(key) + cell_len(label) + 3 for key, label, _ in keys) <= width:
        return Fit()

    def compact_width(fit: Fit) -> int:
        # "k label" and a margin of one, which the last key does without (the palette
        # key's border stands between).
        shown = (key for n, key in enumerate(keys) if n not in fit.hidden)
        return (
            sum(cell_len(k) + cell_len(fit.label(action, label)) + 2 for k, label, action in shown)
            - 1
        )

    droppable = [n for n, (_, _, action) in enumerate(keys) if action not in PINNED_ACTIONS]
    for kept in range(len(droppable), -1, -1):
        fit = Fit(compact=True, hidden=frozenset(droppable[kept:]))
        if compact_width(fit) <= width:
            break
    return fit


def shown_keys(screen: Screen[object]) -> tuple[Shown, ...]:
    """The keys a footer on `screen` shows now."""
    return _shown(screen)[0]


def _shown(screen: Screen[object]) -> tuple[tuple[Shown, ...], dict[str, bool]]:
    """The keys a footer shows for `screen`, in order, and whether each action is enabled
    (the first binding of an action is the one shown, as in Textual's Footer)."""
    keys: list[Shown] = []
    enabled: dict[str, bool] = {}
    for _node, binding, is_enabled, tooltip in screen.active_bindings.values():
        if binding.show and binding.action not in enabled:
            keys.append((binding.action, binding.key, binding.description, tooltip))
            enabled[binding.action] = is_enabled
    return tuple(keys), enabled


class Footer(TextualFooter):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._composed_keys: tuple[Shown, ...] | None = None
        self._labels: tuple[tuple[str, str, str], ...] = ()  # as composed, before fitting
        self._palette_width = 0
        self._fit = Fit()
        self._rebuild_queued = False  # a recompose is waiting for the next refresh
        self._composing_keys: tuple[Shown, ...] | None = None

    def compose(self) -> ComposeResult:
        # The keys as they are while composing: what the footer shows from now on. (Read
        # after the recompose, they may already be newer than the widgets.)
        self._composing_keys = _shown(self.screen)[0] if self.is_attached else None
        widgets = list(super().compose())
        keys = [w for w in widgets if isinstance(w, FooterKey)]
        shown = [key for key in keys if not key.has_class("-command-palette")]
        # The palette's key is docked at the right: "▏^p palette " in either spacing.
        self._palette_width = sum(
            cell_len(key.key_display) + cell_len(key.description) + 3
            for key in keys
            if key.has_class("-command-palette")
        )
        self._labels = tuple((k.key_display, k.description, k.action) for k in shown)
        self._fit = self._fit_now()
        self.compact = self._fit.compact
        for n, key in enumerate(shown):
            key.description = self._fit.label(key.action, key.description)
            key.display = n not in self._fit.hidden
        yield from widgets

    def _fit_now(self) -> Fit:
        width = self.size.width or self.app.size.width
        return fit_keys(self._labels, width - self._palette_width)

    def on_resize(self) -> None:
        if self._composed_keys is not None and self._fit_now() != self._fit:
            self.call_after_refresh(self.recompose)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if (
            self._composed_keys is not None
            and screen.app.app_focus
            and self.is_attached
            and screen is self.screen
        ):
            keys, enabled = _shown(screen)
            if keys == self._composed_keys:
                for key in self.query(FooterKey):
                    if key.action in enabled and not key.has_class("-command-palette"):
                        key._disabled = not enabled[key.action]
                        key.set_class(key._disabled, "-disabled")
                return
        # Closing a form changes the bindings several times in one go (the field loses
        # focus, the pane gains it, its keys are enabled): one rebuild, after the last of
        # them, shows the same keys as one after each (it reads the bindings when it runs).
        if self._rebuild_queued:
            self._bindings_ready = True
            return
        self._rebuild_queued = bool(
            screen.app.app_focus and self.is_attached and screen is self.screen
        )  # exactly when Textual's Footer queues a recompose
        super().bindings_changed(screen)

    @property
    def composed_keys(self) -> tuple[Shown, ...] | None:
        """The keys as last composed (None before the first time)."""
        return self._composed_keys

    async def recompose(self) -> None:
        self._rebuild_queued = False
        await super().recompose()
        if self.is_attached:
            self._composed_keys = self._composing_keys
        watchers = getattr(self, "__watchers", None)
        if not watchers:
            return
        for name, entries in watchers.items():
            watchers[name] = [
                (node, callback)
                for node, callback in entries
                if not isinstance(node, DOMNode) or node is self or node.is_attached
            ]
