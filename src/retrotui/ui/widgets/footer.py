"""Textual's Footer, updated in place when only what is greyed out changes, and without its
leak.

Textual's Footer (8.2.8) recomposes on every change of the bindings: new FooterKeys, each
data-bound to the footer's `compact` and restyled, which costs more than anything else a
step of the timeline does. When the keys shown are the same and only some became enabled
or disabled (Next on the last event), this one just flips those keys.

The leak: every rebuild data-binds the new keys, and the watchers of the keys it removes
are never dropped, so every rebuild left its keys alive (and made the next bind slower).
After a rebuild, this one forgets the removed keys.
"""

from __future__ import annotations

from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

# What the footer shows for one action: its key, label and tooltip (not whether enabled).
Shown = tuple[str, str, str, str]


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
        super().bindings_changed(screen)

    @property
    def composed_keys(self) -> tuple[Shown, ...] | None:
        """The keys as last composed (None before the first time)."""
        return self._composed_keys

    async def recompose(self) -> None:
        await super().recompose()
        if self.is_attached:
            self._composed_keys = _shown(self.screen)[0]
        watchers = getattr(self, "__watchers", None)
        if not watchers:
            return
        for name, entries in watchers.items():
            watchers[name] = [
                (node, callback)
                for node, callback in entries
                if not isinstance(node, DOMNode) or node is self or node.is_attached
            ]
