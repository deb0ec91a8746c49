"""Textual's Footer without its leak.

Each time the bindings change, Textual's Footer (8.2.8) recomposes and data-binds every new
FooterKey to its own `compact` reactive; the watchers of the keys it removes are never
dropped, so every rebuild leaves its keys alive (and makes the next bind slower, since the
watcher list is searched on each bind). After a rebuild, forget the removed keys.
"""

from __future__ import annotations

from textual.dom import DOMNode
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    async def recompose(self) -> None:
        await super().recompose()
        watchers = getattr(self, "__watchers", None)
        if not watchers:
            return
        for name, entries in watchers.items():
            watchers[name] = [
                (node, callback)
                for node, callback in entries
                if not isinstance(node, DOMNode) or node is self or node.is_attached
            ]
