"""`retrotui import` as a user runs it: ids on stdout, reports on stderr, clean failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import Result, Runner

FIXTURES = Path(__file__).parent.parent / "fixtures"
TIMELINE = FIXTURES / "timeline"
DOC = {
    "id": "retro-1",
    "title": "Search latency",
    "timeline": [{"id": "e1", "time": "2026-05-14T07:12:00Z", "text": "Rebuild starts"}],
}


def assert_clean_failure(result: Result, *phrases: str) -> None:
    """Exit 2, one sentence on stderr, nothing on stdout, no traceback."""
    assert result.code == 2, result
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1, result.err
    assert result.out == ""
    for phrase in phrases:
        assert phrase in result.err


def _doc(tmp_path: Path, doc: object = DOC, name: str = "doc.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return str(path)


def test_import_document_prints_id_and_reports(cli: Runner, tmp_path: Path) -> None:
    """A document import prints the new id on stdout and what it added on stderr."""
    result = cli("import", _doc(tmp_path))
    assert result.code == 0
    rid = result.out.strip()
    assert "events: 1 added" in result.err
    assert "Search latency" in cli("show", rid).out


def test_second_import_reports_nothing_changed(cli: Runner, tmp_path: Path) -> None:
    """Importing the same document twice says nothing changed and prints the same id."""
    path = _doc(tmp_path)
    first = cli("import", path).out
    second = cli("import", path)
    assert second.out == first and "Nothing changed" in second.err


def test_dry_run_document_changes_nothing(cli: Runner, tmp_path: Path) -> None:
    """--dry-run prints what would happen and the database stays empty."""
    result = cli("import", _doc(tmp_path), "--dry-run")
    assert result.code == 0 and "Would create" in result.out
    assert "retrotui demo" in cli("list").err  # still empty


def test_document_error_names_path(cli: Runner, tmp_path: Path) -> None:
    """A bad time is one line naming the file and timeline[0].time, exit 2."""
    bad = {"title": "T", "timeline": [{"time": "2026-05-14 09:12", "text": "x"}]}
    result = cli("import", _doc(tmp_path, bad))
    assert_clean_failure(result, "doc.json: timeline[0].time", "no UTC offset")
    fixed = cli("import", _doc(tmp_path, bad), "--tz", "Europe/Paris")
    assert fixed.code == 0


def test_newer_version_refused(cli: Runner, tmp_path: Path) -> None:
    """A version 2 document is refused with a clear sentence."""
    assert_clean_failure(cli("import", _doc(tmp_path, {"title": "T", "version": 2})), "newer")


def test_csv_into_new_retrospective(cli: Runner) -> None:
    """--title creates a retrospective holding the CSV's events."""
    result = cli("import", str(TIMELINE / "tab.csv"), "--title", "From CSV")
    assert result.code == 0 and "Imported 2 events" in result.err
    assert "Paged storage" in cli("show", result.out.strip()).out


def test_timeline_into_existing_skips_duplicates(cli: Runner, tmp_path: Path) -> None:
    """Events already present (same time and text) are skipped and counted."""
    cli("import", _doc(tmp_path))
    result = cli("import", str(TIMELINE / "events.jsonl"), "--into", "retro-1")
    assert result.code == 0
    assert "Imported 2 events" in result.err and "1 already there, skipped" in result.err


def test_timeline_dry_run(cli: Runner) -> None:
    """A dry run prints count, span, first and last events and warnings; imports nothing."""
    result = cli("import", str(TIMELINE / "events.jsonl"), "--dry-run")
    assert result.code == 0
    for part in ("3 events", "Span: 0 h 50 min", "First:", "Last:", "Warning:"):
        assert part in result.out
    assert "retrotui demo" in cli("list").err


def test_timeline_needs_a_target(cli: Runner) -> None:
    """Without --into or --title a timeline import says what to add."""
    assert_clean_failure(cli("import", str(TIMELINE / "tab.csv")), "--into REF")


def test_bad_jsonl_imports_nothing(cli: Runner) -> None:
    """A bad line in the middle fails with line and column, and nothing is created."""
    result = cli("import", str(TIMELINE / "bad-line.jsonl"), "--title", "X")
    assert_clean_failure(result, "line 2, column")
    assert "retrotui demo" in cli("list").err


def test_csv_without_tz(cli: Runner) -> None:
    """A CSV time with no offset and no --tz is an error, not a guess."""
    result = cli("import", str(TIMELINE / "comma.csv"), "--title", "X")
    assert_clean_failure(result, "line 3, column 1 (time)", "--tz")


def test_slack_export_folder(cli: Runner) -> None:
    """A Slack export folder with --channel imports that channel's messages."""
    result = cli(
        "import", str(FIXTURES / "slack-export"), "--channel", "incident-42", "--title", "Slack"
    )
    assert result.code == 0 and "Imported 4 events" in result.err
    shown = cli("show", result.out.strip()).out
    assert "Ana Lima" in shown and "<@" not in shown


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["missing.csv", "--title", "X"], "no such file"),
        (["doc.json", "--tz", "Mars/Olympus"], "not a time zone"),
        (["doc.json", "--into", "retro-1"], "import it without --into"),
    ],
)
def test_bad_invocations(cli: Runner, tmp_path: Path, args: list[str], phrase: str) -> None:
    """Missing files, unknown zones and misplaced options fail cleanly."""
    _doc(tmp_path)
    assert_clean_failure(cli("import", *args), phrase)


def test_no_progress_bar_when_stderr_is_not_a_terminal(cli: Runner) -> None:
    """Piped stderr gets sentences, not carriage-return progress bars."""
    result = cli("import", str(TIMELINE / "tab.csv"), "--title", "X")
    assert "\r" not in result.err and "Importing [" not in result.err
