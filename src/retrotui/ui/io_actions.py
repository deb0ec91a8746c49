"""Getting a retrospective out (export) and a timeline in (import), from any screen.

The meeting screen's bindings and the command palette call these; the dialogs do the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from retrotui.ui.host import Host


def open_export(app: Host, retro_id: str) -> None:
    """Preview the Markdown export of `retro_id`; write it to a file or copy it."""
    from retrotui.ui.screens.export_preview import ExportScreen

    app.push_screen(ExportScreen(retro_id))


def open_import(app: Host, retro_id: str, on_imported: Callable[[int], None]) -> None:
    """Import a timeline file into `retro_id`; `on_imported(added)` once events are stored."""
    from retrotui.ui.screens.import_timeline import ImportTimelineScreen

    def closed(added: int | None) -> None:
        if added is not None:
            on_imported(added)

    app.push_screen(ImportTimelineScreen(retro_id), closed)
