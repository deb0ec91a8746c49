"""Import timeline…: a CSV, JSON Lines or Slack file into the retrospective, after a dry run;
or a Retro Document, which creates its retrospective or merges into it (the dry run lists
every record it would add, update or delete and every conflict).

The dry run and the import go through the database queue (the preview reads the file and
looks for events already present); the import is one transaction, so an error leaves the
timeline as it was. The dialog closes with the number of events added.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, DirectoryTree, Input, Label, Select, Static
from typing_extensions import TypeIs

from retrotui.errors import UserError
from retrotui.ui.widgets.footer import Footer
from retrotui.ui.widgets.text import plain

if TYPE_CHECKING:
    from datetime import tzinfo

    from typing_extensions import TypeIs

    from retrotui.core.import_report import DocumentImportReport
    from retrotui.services.importing import DocumentPreview
    from retrotui.services.timeline_import import TimelineImportResult, TimelinePreview
    from retrotui.store.repository import Store
    from retrotui.ui.host import Host

FORMATS = [
    ("auto", "auto"),
    ("CSV", "csv"),
    ("JSON Lines", "jsonl"),
    ("Slack export", "slack"),
    ("Retro Document", "retro-json"),
]
MAX_WARNINGS = 12
MAX_LINES = 200


@dataclass(frozen=True)
class Request:
    """What the user asked to preview; a preview stays valid only while these hold."""

    path: str
    fmt: str
    zone: str
    channel: str


def read_zone(text: str) -> tzinfo | None:
    """The zone field: empty (times must carry an offset), a name, UTC or +02:00."""
    from retrotui.formats.timeline_rows import parse_zone

    if not text.strip():
        return None
    return parse_zone(text)


def for_the_dialog(error: UserError) -> str:
    """An error as this dialog tells it: the problem the error carries, and what to do
    about it in the dialog's words (its fields; the command line names its options)."""
    from retrotui.formats.timeline_rows import NeedsChannelError, NeedsZoneError
    from retrotui.services.importing import DeletedRetroError

    problem = str(error).removesuffix(".")
    if isinstance(error, DeletedRetroError):
        return f"{problem}; the command line brings it back: retrotui import FILE --restore."
    if isinstance(error, NeedsZoneError):
        return f"{problem} or fill in the zone field."
    if isinstance(error, NeedsChannelError):
        return f"{problem}; type one in the Slack channel field."
    return str(error)


def is_document(path: Path, fmt: str) -> bool:
    """Whether the file is to be read as a Retro Document (told by content under "auto";
    a file that cannot be read goes the timeline way, which names the problem)."""
    if fmt != "auto":
        return fmt == "retro-json"
    from retrotui.formats.detect import detect_format

    try:
        return detect_format(path) == "retro-json"
    except (UserError, OSError):
        return False


def is_document_preview(preview: object) -> TypeIs[DocumentPreview]:
    from retrotui.services.importing import DocumentPreview

    return isinstance(preview, DocumentPreview)


def document_lines(report: DocumentImportReport) -> list[str]:
    """A document's dry run or result: counts, each change, each conflict."""
    lines = report.lines(detail=True)
    if len(lines) > MAX_LINES:
        lines = [*lines[:MAX_LINES], f"… and {len(lines) - MAX_LINES} more lines."]
    return lines


def preview_lines(preview: TimelinePreview) -> list[str]:
    """The dry run, as the command line prints it, with a long list of warnings cut short."""
    lines = preview.lines()
    shown = len(lines) - len(preview.warnings) + MAX_WARNINGS
    if len(preview.warnings) > MAX_WARNINGS:
        lines = [*lines[:shown], f"… and {len(preview.warnings) - MAX_WARNINGS} more warnings."]
    return lines


class ImportTimelineScreen(ModalScreen[int | None]):
    """Choose a file, see what it would add, confirm. Dismissed with the events added."""

    app: Host

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="import.cancel"),
        Binding("ctrl+r", "preview", "Preview", id="import.preview",
                tooltip="Read the file and show what would be imported (changes nothing)"),
        Binding("ctrl+s", "import", "Import", id="import.commit",
                tooltip="Add the previewed events to the timeline"),
        Binding("ctrl+o", "browse", "Browse", id="import.browse",
                tooltip="Show or hide a folder tree to pick the file"),
        # A modal screen does not pass keys on to the app's own bindings. (In the path
        # field, ? is typed as text.)
        Binding("question_mark", "app.help", "Help", id="import.help", key_display="?",
                show=False),
    ]  # fmt: skip

    def __init__(self, retro_id: str, *, start_dir: Path | None = None) -> None:
        super().__init__()
        self.retro_id = retro_id
        self.start_dir = start_dir
        self.preview: TimelinePreview | DocumentPreview | None = None
        self.previewed: Request | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form", id="import-dialog"):
            yield Static("[b]Import timeline[/b]", classes="dialog-title")
            yield Label("File: CSV, JSON Lines, or a Slack export (zip, folder, day file)")
            with Horizontal(id="import-file-row"):
                yield Input(placeholder="path/to/timeline.csv", id="path")
                yield Button("Browse… (ctrl+o)", id="browse")
            yield DirectoryTree(self.start_dir or Path.cwd(), id="import-tree")
            with Horizontal(classes="form-row"):
                with Vertical():
                    yield Label("Format")
                    yield Select(FORMATS, value="auto", allow_blank=False, id="format")
                with Vertical():
                    yield Label("Zone for local times")
                    yield Input(placeholder="Europe/Paris, UTC, +02:00", id="zone")
                with Vertical():
                    yield Label("Slack channel")
                    yield Input(placeholder="incident-4711", id="channel")
            with VerticalScroll(id="import-preview"):
                yield Static(
                    "Choose a file and press Enter to see what it would add.", id="import-summary"
                )
            yield Static("", id="form-error", classes="form-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Preview (enter)", id="preview")
                yield Button("Import (ctrl+s)", id="import", variant="primary", disabled=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#import-tree").display = False
        self.show_error("")
        self.query_one("#path", Input).focus()

    # -- the request ---------------------------------------------------------------------

    def request(self) -> Request:
        value = self.query_one("#format", Select).value
        return Request(
            path=self.query_one("#path", Input).value.strip(),
            fmt=value if isinstance(value, str) else "auto",
            zone=self.query_one("#zone", Input).value.strip(),
            channel=self.query_one("#channel", Input).value.strip(),
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.forget_stale_preview()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.forget_stale_preview()

    def forget_stale_preview(self) -> None:
        if self.preview is not None and self.previewed != self.request():
            self.preview = None
            self.show_summary("Changed: press Enter to preview again.", muted=True)
            self.sync_import_button()

    def sync_import_button(self) -> None:
        button = self.query_one("#import", Button)
        preview = self.preview
        if is_document_preview(preview):
            button.disabled = self.busy
            button.label = "Import the document (ctrl+s)"
            button.refresh(layout=True)
            return
        ready = preview is not None and preview.count > 0
        button.disabled = self.busy or not ready
        if ready and preview is not None:
            events = "event" if preview.count == 1 else "events"
            button.label = f"Import {preview.count:,} {events} (ctrl+s)"
        else:
            button.label = "Import (ctrl+s)"
        button.refresh(layout=True)  # a new label needs a new width

    # -- browsing --------------------------------------------------------------------------

    def action_browse(self) -> None:
        tree = self.query_one("#import-tree", DirectoryTree)
        tree.display = not tree.display
        if tree.display:
            tree.focus()
        else:
            self.query_one("#path", Input).focus()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        path = event.path
        with_cwd = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
        self.query_one("#path", Input).value = str(with_cwd)
        self.query_one("#import-tree").display = False
        self.query_one("#path", Input).focus()
        self.action_preview()

    # -- preview and import ----------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_preview()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        actions = {
            "preview": self.action_preview,
            "import": self.action_import,
            "browse": self.action_browse,
        }
        actions.get(event.button.id or "", self.action_cancel)()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_preview(self) -> None:
        from retrotui.services.timeline_import import preview_timeline

        if self.busy:
            return
        request = self.request()
        self.preview = None
        self.sync_import_button()
        self.show_error("")
        if not request.path:
            self.show_error("Type the path of the file to import, or browse (ctrl+o).")
            return
        try:
            zone = read_zone(request.zone)
        except UserError as exc:
            self.show_error(str(exc))
            return
        path = Path(request.path).expanduser()
        channel = request.channel or None
        retro_id = self.retro_id
        self.show_summary("Reading the file…", muted=True)

        def job(store: Store) -> TimelinePreview | DocumentPreview:
            if is_document(path, request.fmt):
                from retrotui.services.importing import preview_document

                return preview_document(store, path, zone=zone)
            return preview_timeline(
                store, path, fmt=request.fmt, zone=zone, channel=channel, retro_id=retro_id
            )

        def done(preview: TimelinePreview | DocumentPreview) -> None:
            if request != self.request():
                return  # the user changed the fields meanwhile; forget_stale_preview said so
            self.preview, self.previewed = preview, request
            self.show_preview(preview)
            self.sync_import_button()

        def failed(error: BaseException) -> None:
            if request == self.request():
                self.show_summary("Nothing imported.", muted=True)
                self.show_error(error)

        self.app.submit(job, done, failed)

    def show_preview(self, preview: TimelinePreview | DocumentPreview) -> None:
        text = Text("Dry run: nothing imported yet.\n", style="bold")
        if is_document_preview(preview):
            text.append_text(plain("\n".join(document_lines(preview.report))))
            text.append("\nPress ctrl+s to import.", style="dim")
            self.query_one("#import-summary", Static).update(text)
            return
        text.append_text(plain("\n".join(preview_lines(preview))))
        if preview.count == 0:
            text.append("\nNothing new to import.", style="bold")
        else:
            text.append("\nPress ctrl+s to import.", style="dim")
        self.query_one("#import-summary", Static).update(text)

    def action_import(self) -> None:
        from retrotui.services.timeline_import import commit_timeline

        preview = self.preview
        if self.busy:
            return
        if preview is None or self.previewed != self.request():
            self.show_error("Preview the file first (Enter): see what it adds, then import.")
            return
        if is_document_preview(preview):
            self.import_document(preview)
            return
        if preview.count == 0:
            self.show_error("Nothing to import: every event is already in the timeline.")
            return
        self.busy = True
        self.sync_import_button()
        self.show_summary(f"Importing {preview.count:,} events…", muted=True)

        def done(result: TimelineImportResult) -> None:
            skipped = result.duplicates_skipped
            extra = f"; {skipped:,} already there, skipped" if skipped else ""
            self.app.notify(f"Imported {result.added:,} events{extra}.", timeout=5)
            self.dismiss(result.added)

        def failed(error: BaseException) -> None:
            self.busy = False
            self.sync_import_button()
            self.show_summary("Nothing imported.", muted=True)
            self.show_error(error)

        self.app.submit(lambda store: commit_timeline(store, preview), done, failed)

    def import_document(self, preview: DocumentPreview) -> None:
        from retrotui.services.importing import import_document

        self.busy = True
        self.sync_import_button()
        self.show_summary("Importing the Retro Document…", muted=True)

        def done(report: DocumentImportReport) -> None:
            self.app.notify(" ".join(document_lines(report)[:1]), timeout=5)
            changed = sum(t.added + t.updated + t.deleted for t in report.tallies.values())
            self.dismiss(changed)

        def failed(error: BaseException) -> None:
            self.busy = False
            self.sync_import_button()
            self.show_summary("Nothing imported.", muted=True)
            self.show_error(error)

        self.app.submit(lambda store: import_document(store, preview.document), done, failed)

    # -- messages --------------------------------------------------------------------------

    def show_summary(self, message: str, *, muted: bool = False) -> None:
        self.query_one("#import-summary", Static).update(plain(message, "dim" if muted else ""))

    def show_error(self, error: BaseException | str) -> None:
        if isinstance(error, str):
            message = error
        elif isinstance(error, UserError):
            message = for_the_dialog(error)
        else:
            message = f"Unexpected error: {type(error).__name__}: {error}"
        line = self.query_one("#form-error", Static)
        line.update(plain(message))
        line.display = bool(message)
