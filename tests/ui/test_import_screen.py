"""The import dialog: dry run, confirm, errors, browsing, snapshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DirectoryTree, Input, Static

from retrotui.commands.common import sentence
from retrotui.core.times import with_offset
from retrotui.demo import DEMO_ID
from retrotui.errors import UserError
from retrotui.formats.document import dump_document
from retrotui.formats.document_reader import parse_document
from retrotui.formats.timeline_rows import NeedsChannelError, NeedsZoneError
from retrotui.models import TimelineEvent
from retrotui.services.importing import DeletedRetroError, import_document
from retrotui.services.meeting import update_note
from retrotui.services.retros import load_bundle
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store
from retrotui.ui import io_actions
from retrotui.ui.app import RetroApp
from retrotui.ui.screens.import_timeline import ImportTimelineScreen, for_the_dialog
from tests.ui.conftest import AppFactory, ready_for_snapshot, settle, wait_for

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
CSV = (
    "time,text,kind,actor\n"
    "2026-11-17T08:50:00+01:00,Renewal job fails for the 30th day,trigger,cron\n"
    "2026-11-17T09:05:00+01:00,Pager goes off: payment errors above 5%,detection,PagerDuty\n"
)


def _csv_with_a_duplicate(store: Store, folder: Path) -> Path:
    """Two new events and one already in the demo timeline (same time and text)."""
    known = store.children(TimelineEvent, DEMO_ID)[0]
    when = with_offset(known.time, known.time_offset).isoformat()
    path = folder / "events.csv"
    path.write_text(CSV + f'{when},"{known.text}",action,\n', encoding="utf-8")
    return path


async def _open(pilot: Pilot[None], imported: list[int] | None = None) -> ImportTimelineScreen:
    app = pilot.app
    assert isinstance(app, RetroApp)
    await settle(pilot)
    io_actions.open_import(app, DEMO_ID, (imported if imported is not None else []).append)
    await wait_for(pilot, lambda: isinstance(app.screen, ImportTimelineScreen))
    screen = app.screen
    assert isinstance(screen, ImportTimelineScreen)
    await pilot.pause()
    return screen


async def _preview(pilot: Pilot[None], screen: ImportTimelineScreen, path: Path | str) -> None:
    """Type the file's path and press Enter; wait for the dry run or the error."""
    field = screen.query_one("#path", Input)
    field.value = str(path)
    field.focus()
    await pilot.press("enter")
    await settle(pilot)


def _text(screen: ImportTimelineScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_dry_run_shows_count_and_duplicates(
    demo_db: str, app_for: AppFactory, db_store: Store, tmp_path: Path
) -> None:
    """Enter previews the file: new events, duplicates skipped, first and last; nothing added."""
    path = _csv_with_a_duplicate(db_store, tmp_path)
    before = len(db_store.children(TimelineEvent, DEMO_ID))
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await _preview(pilot, screen, path)
        summary = _text(screen, "#import-summary")
        assert "Dry run: nothing imported yet." in summary
        assert "2 events from" in summary
        assert "1 already in the timeline; skipped." in summary
        assert "First: 2026-11-17 08:50 +01:00  cron: Renewal job fails" in summary
        button = screen.query_one("#import", Button)
        assert not button.disabled and "Import 2 events" in str(button.label)
    assert len(db_store.children(TimelineEvent, DEMO_ID)) == before


async def test_confirm_adds_the_events(
    demo_db: str, app_for: AppFactory, db_store: Store, tmp_path: Path
) -> None:
    """ctrl+s imports the previewed events, closes the dialog and reports the count."""
    path = _csv_with_a_duplicate(db_store, tmp_path)
    before = len(db_store.children(TimelineEvent, DEMO_ID))
    imported: list[int] = []
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, imported)
        await _preview(pilot, screen, path)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: imported == [2])
        assert not isinstance(app.screen, ImportTimelineScreen)
    texts = [e.text for e in db_store.children(TimelineEvent, DEMO_ID)]
    assert len(texts) == before + 2
    assert "Pager goes off: payment errors above 5%" in texts


def _edited_copy(db_store: Store, folder: Path) -> tuple[Path, str, str]:
    """The demo exported, imported on a laptop, one note edited there, exported again."""
    laptop = Store.open(url_for_path(folder / "laptop.db"))
    copy = import_document(laptop, parse_document(_export(db_store), source="handout.json"))
    note = load_bundle(laptop, copy.retro_id).notes[0]
    update_note(laptop, note.id, text="Edited on the laptop")
    path = folder / "back.json"
    path.write_text(dump_document(load_bundle(laptop, copy.retro_id)), encoding="utf-8")
    laptop.close()
    return path, note.public_id, note.text


def _export(store: Store) -> str:
    return dump_document(load_bundle(store, DEMO_ID))


async def test_a_retro_document_is_previewed_then_merged(
    demo_db: str, app_for: AppFactory, db_store: Store, tmp_path: Path
) -> None:
    """A Retro Document: the dry run names each record it would change with old and new
    text, changes nothing; ctrl+s merges it and closes the dialog."""
    path, note_id, old = _edited_copy(db_store, tmp_path)
    before = _export(db_store)
    imported: list[int] = []
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot, imported)
        await _preview(pilot, screen, path)
        summary = _text(screen, "#import-summary")
        assert "Would merge into 'Card payments failing" in summary
        assert f"update note {note_id}: text: {old!r} -> 'Edited on the laptop'" in summary
        assert _export(db_store) == before
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: imported == [1])
        assert not isinstance(app.screen, ImportTimelineScreen)
    texts = [n.text for n in load_bundle(db_store, DEMO_ID).notes]
    assert "Edited on the laptop" in texts and old not in texts


async def test_malformed_csv_shows_the_line_and_adds_nothing(
    demo_db: str, app_for: AppFactory, db_store: Store, tmp_path: Path
) -> None:
    """A bad time on line 3: the error names the file and line; Import stays off."""
    path = tmp_path / "bad.csv"
    path.write_text(CSV + "yesterday,Something broke\n", encoding="utf-8")
    before = len(db_store.children(TimelineEvent, DEMO_ID))
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await _preview(pilot, screen, path)
        error = _text(screen, "#form-error")
        assert "bad.csv" in error and "line 4" in error
        assert screen.query_one("#import", Button).disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ImportTimelineScreen)
    assert len(db_store.children(TimelineEvent, DEMO_ID)) == before


async def test_missing_file_is_reported(demo_db: str, app_for: AppFactory, tmp_path: Path) -> None:
    """A path to nothing gets the service's sentence, inline."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await _preview(pilot, screen, tmp_path / "nope.csv")
        assert "no such file" in _text(screen, "#form-error")


async def test_times_without_a_zone_need_the_zone_field(
    demo_db: str, app_for: AppFactory, tmp_path: Path
) -> None:
    """Local times are refused until a zone is given; the error points at the field."""
    path = tmp_path / "local.csv"
    path.write_text("time,text\n2026-11-17 08:50,Renewal job fails\n", encoding="utf-8")
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await _preview(pilot, screen, path)
        assert "fill in the zone field" in _text(screen, "#form-error")
        screen.query_one("#zone", Input).value = "Europe/Paris"
        await _preview(pilot, screen, path)
        assert "First: 2026-11-17 08:50 +01:00" in _text(screen, "#import-summary")
        assert not screen.query_one("#form-error").display


async def test_bad_zone_is_refused_before_reading(
    demo_db: str, app_for: AppFactory, tmp_path: Path
) -> None:
    """A zone that is no zone gets one sentence, without the command line's --tz."""
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        screen.query_one("#zone", Input).value = "Mars/Olympus"
        await _preview(pilot, screen, tmp_path / "x.csv")
        error = _text(screen, "#form-error")
        assert "'Mars/Olympus' is not a time zone" in error and "--tz" not in error


async def test_changing_the_file_after_the_preview_disables_import(
    demo_db: str, app_for: AppFactory, db_store: Store, tmp_path: Path
) -> None:
    """The preview answers for one file and format; editing them asks for a new one."""
    path = _csv_with_a_duplicate(db_store, tmp_path)
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        await _preview(pilot, screen, path)
        assert not screen.query_one("#import", Button).disabled
        screen.query_one("#path", Input).value = str(tmp_path / "other.csv")
        await pilot.pause()
        assert screen.query_one("#import", Button).disabled
        assert "preview again" in _text(screen, "#import-summary")


async def test_escape_imports_nothing(demo_db: str, app_for: AppFactory) -> None:
    """escape closes the dialog without calling back."""
    imported: list[int] = []
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot, imported)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ImportTimelineScreen))
    assert imported == []


async def test_browse_picks_a_file(
    demo_db: str, app_for: AppFactory, db_store: Store, tmp_path: Path
) -> None:
    """ctrl+o shows a folder tree; choosing a file fills the path and previews it."""
    _csv_with_a_duplicate(db_store, tmp_path)
    app = app_for(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = ImportTimelineScreen(DEMO_ID, start_dir=tmp_path)
        app.push_screen(screen)
        await wait_for(pilot, lambda: app.screen is screen)
        await pilot.press("ctrl+o")
        tree = screen.query_one(DirectoryTree)
        assert tree.display and tree.has_focus
        await wait_for(pilot, lambda: len(tree.root.children) > 0)
        names = [str(child.label) for child in tree.root.children]
        tree.move_cursor(tree.root.children[names.index("events.csv")])
        await pilot.press("enter")
        await settle(pilot)
        assert screen.query_one("#path", Input).value.endswith("events.csv")
        assert not tree.display
        assert "2 events from" in _text(screen, "#import-summary")


@pytest.mark.parametrize(
    ("error", "cli", "dialog"),
    [
        (
            NeedsZoneError("x.csv: line 2, column 1 (time): '09:00' has no UTC offset; add one."),
            "add one or pass --tz ZONE.",
            "add one or fill in the zone field.",
        ),
        (
            NeedsChannelError("x.zip: a Slack export needs a channel; it has a, b.", ["a", "b"]),
            "it has a, b; pass --channel NAME.",
            "it has a, b; type one in the Slack channel field.",
        ),
        (
            DeletedRetroError("'T' was deleted from this database on …; nothing was imported."),
            "nothing was imported (import it with --restore to bring it back).",
            "nothing was imported; the command line brings it back: retrotui import FILE "
            "--restore.",
        ),
    ],
)
def test_each_front_end_words_its_own_advice(error: UserError, cli: str, dialog: str) -> None:
    """The formats and services say what is wrong; the command line names its options and
    the dialog its fields, and neither sees the other's words."""
    assert "--" not in str(error) and "field" not in str(error)
    assert sentence(error).endswith(cli) and "field" not in sentence(error)
    assert for_the_dialog(error).endswith(dialog)
    if not isinstance(error, DeletedRetroError):  # only the command line can restore
        assert "--" not in for_the_dialog(error)


def _previewed() -> Any:
    async def run_before(pilot: Pilot[None]) -> None:
        screen = await _open(pilot)
        await _preview(pilot, screen, "events.csv")
        await ready_for_snapshot(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_import_snapshot(
    snap_compare: Any,
    demo_db: str,
    app_for: AppFactory,
    db_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
) -> None:
    """The import dialog after a dry run of a small CSV."""
    _csv_with_a_duplicate(db_store, tmp_path)
    monkeypatch.chdir(tmp_path)
    assert snap_compare(app_for(demo_db), terminal_size=size, run_before=_previewed())
