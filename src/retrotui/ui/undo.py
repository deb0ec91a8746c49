"""ctrl+z in the meeting: the deletes made in this terminal, newest last, and putting the
latest one of this retrospective back (services.undo does the database work)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from retrotui.store.undo import Removed
    from retrotui.ui.panes.base import StagePane

# Enough for a meeting; the oldest deletes are forgotten first.
KEEP = 100


@dataclass(frozen=True)
class Deletion:
    removed: Removed
    pane_id: str  # the stage pane it was deleted from, which shows it again when restored


class UndoStack:
    """The deletes made in this terminal (one per app), newest last."""

    def __init__(self) -> None:
        self.items: list[Deletion] = []

    def push(self, deletion: Deletion) -> None:
        self.items.append(deletion)
        del self.items[:-KEEP]

    def has(self, retro_id: str) -> bool:
        return any(d.removed.retro_id == retro_id for d in self.items)

    def pop(self, retro_id: str) -> Deletion | None:
        """The latest delete made in `retro_id`, taken off the stack."""
        for index in range(len(self.items) - 1, -1, -1):
            if self.items[index].removed.retro_id == retro_id:
                return self.items.pop(index)
        return None


def delete_record(
    pane: StagePane, kind: str, record_id: str, then: Callable[[Removed], object]
) -> None:
    """Delete a record so that ctrl+z can put it back; `then(removed)` once it is gone."""
    from retrotui.services.undo import delete

    app = pane.app

    def done(removed: Removed) -> None:
        app.undo.push(Deletion(removed, str(pane.id)))
        pane.screen.refresh_bindings()  # "ctrl+z Undo delete" appears
        then(removed)

    app.submit(lambda store: delete(store, kind, record_id), done)


def undo_last(pane: StagePane, retro_id: str) -> None:
    """Put back the latest delete made here in this retrospective; say what came back and
    select it in the pane it was deleted from."""
    from retrotui.errors import UserError
    from retrotui.services.undo import restore
    from retrotui.ui.panes.base import StagePane

    app = pane.app
    deletion = app.undo.pop(retro_id)
    if deletion is None:
        pane.notify("Nothing to undo: no delete was made in this terminal.", timeout=3)
        return
    screen = pane.screen

    def done(message: str) -> None:
        screen.refresh_bindings()
        pane.notify(message, title="Undo", timeout=5, markup=False)
        # By type: the stage tabs have the same ids as the panes.
        for target in screen.query(StagePane):
            if target.id == deletion.pane_id:
                target.restored(deletion.removed)

    def failed(error: BaseException) -> None:
        if not isinstance(error, UserError) or "busy" in str(error).lower():
            app.undo.push(deletion)  # the database could not take it now: try again later
        app.on_db_error(error)

    app.submit(lambda store: restore(store, deletion.removed), done, failed)


def neighbour(order: list[str], gone: set[str]) -> str | None:
    """What to select once `gone` is deleted from a list shown in `order`: the next item
    after it, or the one before it when it was at the end."""
    places = [i for i, item in enumerate(order) if item in gone]
    if not places:
        return None
    after = [item for item in order[places[-1] + 1 :] if item not in gone]
    if after:
        return after[0]
    before = [item for item in order[: places[0]] if item not in gone]
    return before[-1] if before else None
