"""The export dialog: preview, template and anonymize, write to a file, copy, snapshots."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from textual.pilot import Pilot
from textual.widgets import Input, Markdown, Select, Static, TextArea

from retrotui.cli import main as cli_main
from retrotui.clipboard import ClipboardUnavailable
from retrotui.demo import DEMO_ID
from retrotui.models import Participant
from retrotui.services.export import markdown_export
from retrotui.services.retros import load_bundle
from retrotui.store.repository import Store
from retrotui.ui import export_text, io_actions
from retrotui.ui.app import RetroApp
from retrotui.ui.export_text import default_file_name
from retrotui.ui.screens.confirm import ConfirmScreen
from retrotui.ui.screens.export_preview import ExportScreen
from retrotui.ui.screens.help import HelpScreen
from tests.ui.conftest import AppFactory, ready_for_snapshot, settle, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def _open(pilot: Pilot[None]) -> ExportScreen:
    """Open the export of the demo retrospective and wait for its rendered preview."""
    app = pilot.app
    assert isinstance(app, RetroApp)
    await settle(pilot)
    io_actions.open_export(app, DEMO_ID)
    await wait_for(pilot, lambda: isinstance(app.screen, ExportScreen))
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    await wait_for(pilot, lambda: bool(screen.query("MarkdownH1")))
    return screen


async def _next_render(pilot: Pilot[None], screen: ExportScreen, *keys: str) -> str:
    """Press `keys` and wait until the export they ask for is built; its text."""
    before = screen.export
    await pilot.press(*keys)
    await wait_for(
        pilot,
        lambda: (
            screen.export is not before
            and screen.built is not None
            and screen.built.options == screen.current_options()
        ),
    )
    assert screen.export is not None
    return screen.export.text


def _text(screen: ExportScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def _write(pilot: Pilot[None], screen: ExportScreen, path: Path | str) -> None:
    screen.query_one("#path", Input).value = str(path)
    await pilot.press("ctrl+s")


async def test_preview_shows_the_title(demo_db: str, app_for: AppFactory, db_store: Store) -> None:
    """The rendered preview starts with the retrospective's title as its heading."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        title = load_bundle(db_store, DEMO_ID).retro.title
        assert title in str(screen.query_one("MarkdownH1", Static).render())
        assert title in _text(screen, "#export-title")
        assert screen.query_one("#path", Input).value == "INC-4711.md"


async def test_template_switch_changes_the_text(
    demo_db: str, app_for: AppFactory, db_store: Store
) -> None:
    """t picks the next template; the preview becomes that template's export."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        first = screen.export
        assert first is not None
        text = await _next_render(pilot, screen, "t")
        template = screen.current_options().template
        assert template is not None and template != "standard"
        bundle = load_bundle(db_store, DEMO_ID)
        assert text != first.text
        assert text == markdown_export(bundle, template_name=template).text
        await wait_for(pilot, lambda: screen.query_one(Markdown).source == text)


async def test_anonymize_hides_names(demo_db: str, app_for: AppFactory, db_store: Store) -> None:
    """a replaces every participant's name with their role, in the preview and the text."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        names = [p.name for p in db_store.children(Participant, DEMO_ID)]
        assert screen.export is not None and any(n in screen.export.text for n in names)
        text = await _next_render(pilot, screen, "a")
        assert not any(name in text for name in names)
        assert "Moderator" in text


async def test_source_view_shows_the_markdown(demo_db: str, app_for: AppFactory) -> None:
    """r swaps the rendered preview for the Markdown source, and back."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await pilot.press("r")
        source = screen.query_one("#export-source", TextArea)
        assert source.display and not screen.query_one("#export-preview").display
        assert screen.export is not None and source.text == screen.export.text
        await wait_for(pilot, lambda: source.has_focus)  # focus moves on a later turn
        await pilot.press("r")
        assert screen.query_one("#export-preview").display and not source.display


async def test_long_tables_are_cut_in_the_preview_only(
    demo_db: str, app_for: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rendered preview shows a table's first rows and says so; the source has all."""
    monkeypatch.setattr(export_text, "TABLE_ROWS", 3)
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert screen.built is not None
        shown = screen.query_one(Markdown).source
        assert "more rows.*" in shown and len(shown) < len(screen.built.export.text)
        assert "leaves out" in _text(screen, "#export-status")
        await pilot.press("r")
        assert screen.query_one("#export-source", TextArea).text == screen.built.export.text


def test_shorten_keeps_a_short_export_whole() -> None:
    """An export within the limits is previewed as it is."""
    text = "# T\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n"
    assert export_text.shorten(text).text == text
    assert export_text.shorten(text).notice == ""


def test_shorten_cuts_tables_and_lines_on_block_boundaries() -> None:
    """Cut tables keep their header and end before a blank line and a note."""
    rows = "".join(f"| {i} | x |\n" for i in range(100))
    text = f"# T\n\n| a | b |\n| --- | --- |\n{rows}\nAfter.\n"
    short = export_text.shorten(text, table_rows=10)
    tokens = MarkdownIt("commonmark").enable("table").parse(short.text)
    assert sum(t.type == "tr_open" for t in tokens) == 11  # the header and ten rows
    assert "*… and 90 more rows.*" in short.text and short.text.endswith("After.\n")
    assert short.rows_left_out == 90 and "90 table rows" in short.notice
    cut = export_text.shorten(text, max_lines=20)
    assert cut.lines_left_out > 0 and len(cut.text.splitlines()) == 22
    assert "the preview stops here" in cut.text


async def test_write_gives_the_same_bytes_as_the_cli(
    demo_db: str, app_for: AppFactory, tmp_path: Path
) -> None:
    """ctrl+s writes exactly what `retrotui export -o` writes."""
    target, reference = tmp_path / "out.md", tmp_path / "cli.md"
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await _write(pilot, screen, target)
        await wait_for(pilot, target.exists)
        await wait_for(pilot, lambda: "Wrote" in _text(screen, "#export-status"))
    assert cli_main(["--db", demo_db, "export", DEMO_ID, "-o", str(reference)]) == 0
    assert target.read_bytes() == reference.read_bytes()


async def test_existing_file_is_replaced_only_after_yes(
    demo_db: str, app_for: AppFactory, tmp_path: Path
) -> None:
    """Writing over a file asks first; Keep leaves it, Replace (y) writes the export."""
    target = tmp_path / "old.md"
    target.write_text("old notes\n")
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await _write(pilot, screen, target)
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Kept" in _text(screen, "#export-status"))
        assert target.read_text() == "old notes\n"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: "Wrote" in _text(screen, "#export-status"))
        assert screen.export is not None and target.read_text() == screen.export.text


async def test_unwritable_path_shows_an_error_and_writes_nothing(
    demo_db: str, app_for: AppFactory, tmp_path: Path
) -> None:
    """A folder that does not exist: the error is in the dialog, and no file appears."""
    folder = tmp_path / "exports"
    folder.mkdir()
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await _write(pilot, screen, folder / "nowhere" / "out.md")
        await wait_for(pilot, lambda: "does not exist" in _text(screen, "#form-error"))
        assert isinstance(app.screen, ExportScreen)
        assert _text(screen, "#export-status") == ""  # no "Writing…" left beside the error
    assert list(folder.iterdir()) == []


async def test_a_broken_template_says_so_and_keeps_nothing_stale(
    demo_db: str, app_for: AppFactory, tmp_path: Path
) -> None:
    """Choosing a broken user template shows its file and line, empties the preview, and
    write says why it cannot, instead of waiting forever."""
    user_templates = Path(os.environ["XDG_CONFIG_HOME"]) / "retrotui" / "templates"
    user_templates.mkdir(parents=True)
    (user_templates / "broken.md").write_text("+++\ndescription = 'x'\n+++\n# {{title}}\n")
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        screen.query_one("#template", Select).value = "broken"
        await wait_for(pilot, lambda: "broken.md, line" in _text(screen, "#form-error"))
        await wait_for(pilot, lambda: not screen.query("MarkdownH1"))  # standard is gone
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "broken.md, line" in _text(screen, "#form-error")
        assert "still being prepared" not in _text(screen, "#form-error")
    assert not (tmp_path / "INC-4711.md").exists()


async def test_template_list_names_a_template_and_help_lists_the_keys(
    demo_db: str, app_for: AppFactory
) -> None:
    """The template list has no blank entry; ? in the dialog lists the dialog's keys."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        select = screen.query_one("#template", Select)
        assert select.value == "standard"
        assert not select._allow_blank
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        help_text = " ".join(str(w.render()) for w in app.screen.query(Static))
        assert "Write to file" in help_text and "Anonymize" in help_text


async def test_copy_reports_osc52_when_pyperclip_fails(
    demo_db: str, app_for: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """c sends the export through the terminal and says the system clipboard is missing."""
    sent: list[str] = []

    def no_clipboard(_text: str) -> None:
        raise ClipboardUnavailable("no clipboard")

    monkeypatch.setattr(RetroApp, "copy_to_clipboard", lambda _app, text: sent.append(text))
    monkeypatch.setattr("retrotui.clipboard.copy_to_system_clipboard", no_clipboard)
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await pilot.press("c")
        await wait_for(pilot, lambda: "OSC 52" in _text(screen, "#export-status"))
        assert screen.export is not None and sent == [screen.export.text]
        assert "terminal allows it" in _text(screen, "#export-status")
        assert "No system clipboard" in _text(screen, "#form-error")


async def test_copy_reports_the_system_clipboard(
    demo_db: str, app_for: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a system clipboard, both copies are reported and no error is shown."""
    copied: list[str] = []
    monkeypatch.setattr(RetroApp, "copy_to_clipboard", lambda _app, _text: None)
    monkeypatch.setattr("retrotui.clipboard.copy_to_system_clipboard", copied.append)
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await pilot.press("c")
        await wait_for(pilot, lambda: "system clipboard" in _text(screen, "#export-status"))
        assert screen.export is not None and copied == [screen.export.text]
        assert "OSC 52" in _text(screen, "#export-status")
        assert not screen.query_one("#form-error").display


async def test_escape_closes_the_dialog(demo_db: str, app_for: AppFactory) -> None:
    """escape goes back to where the export was opened."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportScreen))


def test_default_file_name_is_safe() -> None:
    """The incident ref names the file; characters a file name should not hold become dashes."""
    assert default_file_name("INC-4711", "de3ade30") == "INC-4711.md"
    assert default_file_name("ops/2026 #12", "de3ade30") == "ops-2026-12.md"
    assert default_file_name(None, "de3ade30") == "de3ade30.md"
    assert default_file_name("../", "de3ade30") == "de3ade30.md"


def _opened() -> Any:
    async def run_before(pilot: Pilot[None]) -> None:
        await _open(pilot)
        await ready_for_snapshot(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_export_snapshot(
    snap_compare: Any, demo_db: str, app_for: AppFactory, size: tuple[int, int]
) -> None:
    """The export dialog on the demo retrospective."""
    assert snap_compare(app_for(demo_db), terminal_size=size, run_before=_opened())


def test_copy_report_names_what_worked() -> None:
    """Neither clipboard: one error saying so; a long OSC 52 copy gets a size warning."""
    status, error = export_text.copy_report(False, ClipboardUnavailable("x"), 10)
    assert status == "" and error.startswith("Could not copy.") and "file" in error
    status, error = export_text.copy_report(True, ImportError("pyperclip"), 200_000)
    assert "OSC 52" in status and "200 kB" in status and "pyperclip is not installed" in error
