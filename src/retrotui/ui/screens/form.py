"""What every form dialog shares: escape cancels, ctrl+s (or enter in a field) saves, and
the dialog closes only once the save worked; a refused value is explained on the form's
error line and everything typed stays where it is."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Static

if TYPE_CHECKING:
    from retrotui.store.repository import Store
    from retrotui.ui.host import Host

T = TypeVar("T")
# The rows above a field that belong to it (its label).
LABEL_ROWS = 1
# A field this close to the top of a form shows the form's title with it.
HEAD_ROWS = 4


class FormFooter(Vertical):
    """Docked at the bottom of a form, last in the tab order (Textual orders focus by
    position, and a docked footer sits in the middle of a form taller than the screen)."""

    @property
    def _focus_sort_key(self) -> tuple[int, int]:
        return (1 << 30, 0)


class FormScreen(ModalScreen[T]):
    app: Host
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "save", "Save", id="form.save"),
    ]

    def form_footer(self, save_label: str = "Save") -> ComposeResult:
        """The error line and the Cancel / Save buttons, at the end of compose(): docked
        at the bottom of the dialog, so on a small terminal the fields scroll and Save
        stays in view."""
        with FormFooter(classes="form-footer"):
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button(f"{save_label} (ctrl+s)", id="save", variant="primary")

    def set_focus(
        self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False
    ) -> None:
        # Textual centres a focused widget; a form shows it with its label instead.
        super().set_focus(widget, scroll_visible=False, from_app_focus=from_app_focus)
        if widget is not None and scroll_visible:
            self.call_after_refresh(self._show_field, widget)

    def _show_field(self, widget: Widget, tries: int = 5) -> None:
        """Scroll the form so the field and its label are in view (near the top of the
        form, the form's title too); Save is docked below and always is."""
        dialog = next((a for a in widget.ancestors if a.has_class("dialog")), None)
        if not isinstance(dialog, Widget):
            return
        if not widget.region:
            if tries:  # not laid out yet (the form just opened): once it is
                self.set_timer(0.05, lambda: self._show_field(widget, tries - 1))
            return
        if any(isinstance(a, FormFooter) for a in widget.ancestors):
            return  # Cancel and Save: always in view
        view = dialog.scrollable_content_region
        footer = dialog.query(FormFooter)
        height = (footer.first().region.y if footer else view.bottom) - view.y
        top = widget.region.y - view.y + round(dialog.scroll_y)  # in the form's content
        wanted = top - LABEL_ROWS if top - LABEL_ROWS > HEAD_ROWS else 0
        bottom = top + widget.region.height
        if wanted < dialog.scroll_y:
            dialog.scroll_to(y=wanted, animate=False, immediate=True)
        elif bottom > dialog.scroll_y + height:
            dialog.scroll_to(y=min(wanted, bottom - height), animate=False, immediate=True)

    def show_error(self, message: str) -> None:
        line = self.query_one("#form-error", Static)
        line.update(message)
        # On a small terminal the error line may be below the fold: bring it into view.
        self.call_after_refresh(line.scroll_visible)

    def save_with(self, job: Callable[[Store], Any]) -> None:
        """Run `job` on the database thread; close with its result, or show its error."""
        self.app.submit(job, self.dismiss, lambda error: self.show_error(str(error)))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        raise NotImplementedError
