"""Export a retrospective: preview the Markdown, pick a template, anonymize, write, copy.

Nothing here blocks the event loop: the retrospective is loaded on the database queue;
every export (template, anonymize) is built in a thread worker, together with the part
of it the rendered preview shows (see ui/export_text.py: Textual's Markdown widget lays
out each table row on the event loop, so a 10,000-event timeline is cut short there);
files are checked and written, and the system clipboard reached, in thread workers too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Markdown, Select, Static, TextArea

from retrotui.ui.export_text import Built, Options, build, error_message
from retrotui.ui.widgets.footer import Footer
from retrotui.ui.widgets.text import plain

if TYPE_CHECKING:
    from retrotui.core.bundle import RetroBundle
    from retrotui.services.export import Export
    from retrotui.store.repository import Store
    from retrotui.ui.host import Host

# Wrapping every line of the source view costs ~60 µs a line on the event loop.
WRAP_SOURCE_BELOW_LINES = 2000


class ExportScreen(ModalScreen[None]):
    """The export of one retrospective, previewed the way a wiki will show it."""

    app: Host

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="export.close"),
        Binding("ctrl+s", "write", "Write to file", id="export.write", tooltip="Write the "
                "export to the file named below (replaced whole, never half-written)"),
        Binding("w", "focus_path", "File name", id="export.path",
                tooltip="Choose the file to write the export to"),
        Binding("c", "copy", "Copy", id="export.copy",
                tooltip="Copy the export to the clipboard (terminal and system)"),
        Binding("t", "next_template", "Next template", id="export.template",
                tooltip="Preview the export with the next template"),
        Binding("a", "flip('anonymize')", "Anonymize", id="export.anonymize",
                tooltip="Replace every participant's name with their role"),
        Binding("r", "flip('raw')", "Source", id="export.raw",
                tooltip="Show the Markdown source instead of the rendered preview"),
        # A modal screen does not pass keys on to the app's own bindings. Shown: where the
        # footer is too narrow for every key, Help says how many more it lists.
        Binding("question_mark", "app.help", "Help", id="export.help", key_display="?"),
    ]  # fmt: skip

    def __init__(self, retro_id: str) -> None:
        super().__init__()
        self.retro_id = retro_id
        self.bundle: RetroBundle | None = None
        self.built: Built | None = None  # the latest finished export
        self.generation = 0  # exports finishing out of order are dropped
        self.markdown_shows: Built | None = None  # what the rendered view holds
        self.raw_shows: Built | None = None
        self.template_names: list[str] = []
        self.load_notice = ""
        # The options whose export could not be built (a broken template), and why.
        self.failed: tuple[Options, str] | None = None

    @property
    def export(self) -> Export | None:
        return self.built.export if self.built else None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-dialog"):
            yield Static("Export · loading…", id="export-title", classes="dialog-title")
            with Horizontal(id="export-options"):
                # No blank entry: the list always names the template the preview uses.
                yield Select[str]([("…", "")], id="template", allow_blank=False)
                yield Checkbox("Anonymize", id="anonymize")
                yield Checkbox("Source", id="raw")
            with VerticalScroll(id="export-preview"):
                yield Markdown("", id="preview", open_links=False)
            yield TextArea("", id="export-source", read_only=True)
            yield Static("", id="export-status")
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(id="export-actions"):
                yield Input(placeholder="file.md", id="path")
                yield Button("Write (ctrl+s)", id="write", variant="primary")
                yield Button("Copy (c)", id="copy")
                yield Button("Close", id="close")
        yield Footer()

    def on_mount(self) -> None:
        from retrotui.services.retros import load_bundle, short_id

        self.query_one("#export-source").display = False
        self.clear_error()
        self.query_one("#export-preview").focus()
        self.show_status("Preparing the export…")
        retro_id = self.retro_id

        def load(store: Store) -> tuple[RetroBundle, list[str], str]:
            from retrotui.formats.templates import template_names
            from retrotui.ui.export_text import default_file_name

            bundle = load_bundle(store, retro_id)
            name = default_file_name(bundle.retro.incident_ref, short_id(bundle.retro))
            return bundle, template_names(), name

        self.app.submit(load, self.loaded, self.load_failed)

    # -- loading and building --------------------------------------------------------------

    def load_failed(self, error: BaseException) -> None:
        self.show_status("")
        self.show_error(error)

    def loaded(self, result: tuple[RetroBundle, list[str], str]) -> None:
        from retrotui.formats.templates import DEFAULT_TEMPLATE

        bundle, names, file_name = result
        self.bundle, self.template_names = bundle, names
        title = Text("Export · ", style="bold")
        title.append_text(plain(bundle.retro.title, "bold"))
        self.query_one("#export-title", Static).update(title)
        own = bundle.retro.template or DEFAULT_TEMPLATE
        if own not in names:
            self.load_notice = (
                f"The template {own!r} no longer exists; showing {DEFAULT_TEMPLATE!r}."
            )
            own = DEFAULT_TEMPLATE
        select = self.query_one("#template", Select)
        with select.prevent(Select.Changed):
            select.set_options([(name, name) for name in names])
            if own in names:
                select.value = own
        path = self.query_one("#path", Input)
        if not path.value:
            path.value = file_name
        self.request_build()

    def current_options(self) -> Options:
        value = self.query_one("#template", Select).value
        template = value if isinstance(value, str) else None
        return Options(template, self.query_one("#anonymize", Checkbox).value)

    def request_build(self) -> None:
        """Build the export in a thread for the options now chosen."""
        bundle = self.bundle
        if bundle is None:
            return
        self.generation += 1
        generation, options = self.generation, self.current_options()
        self.show_status("Preparing the export…")

        def run() -> None:
            try:
                built = build(bundle, options)
            except Exception as exc:  # shown in the dialog; nothing else depends on it
                self._from_thread(self.build_failed, generation, options, exc)
            else:
                self._from_thread(self.finished, generation, built)

        self.run_worker(run, thread=True, exit_on_error=False, group="export-build")

    def _from_thread(self, callback: Callable[..., Any], *args: Any) -> None:
        # RuntimeError: the app closed meanwhile; nobody is left to show the result.
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(callback, *args)

    def build_failed(self, generation: int, options: Options, error: BaseException) -> None:
        if generation != self.generation:
            return
        self.failed = (options, error_message(error))
        self.show_error(self.failed[1])
        # Nothing of another template's export stays on screen under this one's name.
        self.built = self.markdown_shows = self.raw_shows = None
        self.query_one("#preview", Markdown).update("")
        self.query_one("#export-source", TextArea).load_text("")

    def finished(self, generation: int, built: Built) -> None:
        if generation != self.generation:
            return  # the options changed again while this one was being built
        self.built, self.failed = built, None
        self.clear_error()
        self.show_current()
        self.show_notices()

    def show_notices(self) -> None:
        """What the user should know about this export (and, when cut, about the preview)."""
        if self.built is not None:
            cut = "" if self.raw else self.built.preview.notice
            notices = [self.load_notice, *self.built.export.notices, cut]
            self.show_status(" ".join(n for n in notices if n))

    @property
    def raw(self) -> bool:
        return self.query_one("#raw", Checkbox).value

    def show_current(self) -> None:
        """Put the latest export into whichever view is visible (the other waits)."""
        preview = self.query_one("#export-preview")
        source = self.query_one("#export-source", TextArea)
        if preview.display == self.raw:  # the view changes: keep the focus on what shows
            follow = self.focused in (preview, source, None)
            preview.display, source.display = not self.raw, self.raw
            if follow:
                (source if self.raw else preview).focus()
        built = self.built
        if built is None:
            return
        if self.raw and self.raw_shows is not built:
            self.raw_shows = built
            source.soft_wrap = built.export.text.count("\n") < WRAP_SOURCE_BELOW_LINES
            source.load_text(built.export.text)
        elif not self.raw and self.markdown_shows is not built:
            self.markdown_shows = built
            # Textual parses it in a thread and lays it out in batches. Not awaited: the
            # worker that called us through call_from_thread need not wait for layout.
            self.query_one("#preview", Markdown).update(built.preview.text)

    # -- options ---------------------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.request_build()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        if event.checkbox.id == "anonymize":
            self.request_build()
        else:
            self.show_current()
            self.show_notices()

    def action_next_template(self) -> None:
        select = self.query_one("#template", Select)
        names = self.template_names
        if names:
            current = select.value
            index = names.index(current) if isinstance(current, str) and current in names else -1
            select.value = names[(index + 1) % len(names)]

    def action_flip(self, box: str) -> None:
        self.query_one(f"#{box}", Checkbox).toggle()

    def action_focus_path(self) -> None:
        self.query_one("#path", Input).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "write":
            self.action_write()
        elif event.button.id == "copy":
            self.action_copy()
        else:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_write()

    # -- messages --------------------------------------------------------------------------

    def show_status(self, message: str) -> None:
        status = self.query_one("#export-status", Static)
        status.update(plain(message))
        status.display = bool(message)

    def show_error(self, error: BaseException | str) -> None:
        message = error_message(error)
        error_line = self.query_one("#form-error", Static)
        error_line.update(plain(message))
        error_line.display = bool(message)
        if message:
            self.show_status("")  # "Writing…" and the like are over

    def clear_error(self) -> None:
        self.show_error("")

    def ready_export(self) -> Export | None:
        """The export as previewed now, or None (with a reason shown) while it is built."""
        options = self.current_options()
        if self.failed is not None and self.failed[0] == options:
            self.show_error(self.failed[1])
            return None
        if self.built is None or self.built.options != options:
            self.show_error("The export is still being prepared; try again in a moment.")
            return None
        return self.built.export

    # -- writing a file --------------------------------------------------------------------

    def action_write(self, replace: bool = False) -> None:
        export = self.ready_export()
        if export is None:
            return
        raw_path = self.query_one("#path", Input).value.strip()
        if not raw_path:
            self.show_error("Type the file to write the export to, e.g. incident.md.")
            self.query_one("#path", Input).focus()
            return
        self.clear_error()
        path = Path(raw_path).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path  # the folder the app was started from
        text = export.text

        def write() -> None:
            from retrotui.files import write_atomically

            try:
                if not replace and path.exists() and not path.is_dir():
                    self._from_thread(self.confirm_replace, path)
                    return
                write_atomically(path, text)
            except Exception as exc:  # shown inline; nothing was written
                self._from_thread(self.show_error, exc)
            else:
                lines = text.count("\n")
                self._from_thread(self.show_status, f"Wrote {lines:,} lines to {path}.")

        self.show_status(f"Writing {path}…")
        self.run_worker(write, thread=True, exit_on_error=False, group="export-write")

    def confirm_replace(self, path: Path) -> None:
        from retrotui.ui.screens.confirm import ConfirmScreen

        self.show_status("")

        def answered(replace: bool | None) -> None:
            if replace:
                self.action_write(replace=True)
            else:
                self.show_status(f"Kept {path} as it was.")

        question = escape(f"{path} already exists. Replace it with this export?")
        self.app.push_screen(ConfirmScreen(question, yes="Replace", no="Keep"), answered)

    # -- copying ---------------------------------------------------------------------------

    def action_copy(self) -> None:
        export = self.ready_export()
        if export is None:
            return
        self.clear_error()
        text = export.text
        try:
            self.app.copy_to_clipboard(text)  # OSC 52: through the terminal, even over SSH
            osc52 = True
        except Exception:  # a terminal that went away; pyperclip may still work
            osc52 = False
        self.show_status("Copying…")

        def copy() -> None:
            from retrotui.clipboard import copy_to_system_clipboard

            try:
                copy_to_system_clipboard(text)
            except Exception as exc:  # ClipboardUnavailable, or pyperclip missing
                self._from_thread(self.copied, osc52, exc)
            else:
                self._from_thread(self.copied, osc52, None)

        self.run_worker(copy, thread=True, exit_on_error=False, group="export-copy")

    def copied(self, osc52: bool, system_error: BaseException | None) -> None:
        from retrotui.ui.export_text import copy_report

        size = len(self.export.text.encode("utf-8")) if self.export else 0
        status, error = copy_report(osc52, system_error, size)
        self.show_error(error)
        self.show_status(status)  # after: an error clears the status line
