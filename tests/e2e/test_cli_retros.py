"""new, list, show, delete and demo as a user runs them, including every kind of bad input."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest

from retrotui.models import Retrospective
from retrotui.store.repository import Store
from tests.e2e.conftest import Result, Runner


def assert_clean_failure(result: Result, phrase: str) -> None:
    """Exit 2, one sentence on stderr naming the problem, nothing on stdout, no traceback."""
    assert result.code == 2, result
    assert phrase.lower() in result.err.lower()
    assert "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert result.out == ""


def test_new_prints_only_the_id(cli: Runner) -> None:
    """`new` prints the new id alone, so scripts can capture it."""
    result = cli("new", "Search outage", "--severity", "SEV2", "--incident-ref", "INC-7")
    assert result.code == 0
    uuid.UUID(result.out.strip())
    assert result.out.count("\n") == 1


def test_list_shows_what_new_made(cli: Runner) -> None:
    """A new retrospective appears in the list with its ref, severity, status and title."""
    rid = cli("new", "Search outage", "--severity", "sev2", "--incident-ref", "INC-7").out.strip()
    out = cli("list").out
    assert rid[:8] in out
    line = next(line for line in out.splitlines() if rid[:8] in line)
    for part in ("INC-7", "SEV2", "draft", "Search outage"):
        assert part in line


def test_list_json(cli: Runner) -> None:
    """`list --json` gives an array with the documented keys."""
    rid = cli("new", "A", "--started-at", "2026-05-14T09:12:00+02:00").out.strip()
    (item,) = json.loads(cli("list", "--json").out)
    assert item["id"] == rid
    assert {"id", "title", "incident_ref", "severity", "status", "created_at"} <= item.keys()
    assert item["title"] == "A" and item["status"] == "draft" and item["severity"] is None


def test_list_on_empty_database_suggests_the_demo(cli: Runner) -> None:
    """An empty database says how to start, on stderr, keeping stdout clean."""
    result = cli("list")
    assert result.code == 0 and result.out == ""
    assert "retrotui demo" in result.err


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["show", "INC-1"],
        ["export", "INC-1"],
        ["actions"],
        ["stats"],
        ["delete", "INC-1", "--yes"],
    ],
)
def test_commands_that_only_use_a_database_never_create_one(
    cli: Runner, tmp_path: Path, args: list[str]
) -> None:
    """A mistyped --db is an error for commands that need existing data, and no file
    appears; an empty file is refused the same way and left as it was."""
    typo = tmp_path / "tpyo.db"
    assert_clean_failure(cli(*args, db=typo), "does not exist")
    assert not typo.exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    assert_clean_failure(cli(*args, db=empty), "is empty")
    assert empty.stat().st_size == 0


def test_show_by_incident_ref_and_prefix(cli: Runner) -> None:
    """REF works as an incident ref (any case) or a 4+ character id prefix."""
    rid = cli("new", "Queue backlog", "--incident-ref", "INC-9").out.strip()
    by_ref = cli("show", "inc-9")
    by_prefix = cli("show", rid[:6])
    assert by_ref.code == 0 and "Queue backlog" in by_ref.out
    assert by_prefix.out == by_ref.out


def test_demo_is_created_once_and_shows_a_full_retro(cli: Runner) -> None:
    """The demo has 15+ events, notes, a 5 Whys chain and actions; a second run reuses it."""
    first = cli("demo", "--no-open")
    second = cli("demo", "--no-open")
    assert first.code == 0 and first.out == second.out
    # the demo and its five past incidents (demo_history), none of them twice
    assert len(json.loads(cli("list", "--json").out)) == 6
    shown = cli("show", first.out.strip()).out
    assert "Timeline (17 events)" in shown
    assert "5 Whys" in shown and "Notes (6)" in shown and "Actions (3 open of 4)" in shown


def test_delete_with_yes(cli: Runner) -> None:
    """`delete --yes` removes the retrospective."""
    rid = cli("new", "Gone soon").out.strip()
    assert cli("delete", rid, "--yes").code == 0
    assert cli("list", "--json").out.strip() == "[]"


def test_delete_without_yes_and_without_a_terminal_refuses(cli: Runner) -> None:
    """No silent deletes from scripts: without --yes and no terminal, nothing happens."""
    rid = cli("new", "Keep me").out.strip()
    assert_clean_failure(cli("delete", rid), "--yes")
    assert rid in cli("list", "--json").out


def test_ambiguous_prefix_lists_candidates(cli: Runner, db_url: str) -> None:
    """A REF matching several retrospectives exits 2 and names every candidate."""
    store = Store.open(db_url)
    store.add(Retrospective(id="abcd1111-0000-4000-8000-000000000000", title="Disk full"))
    store.add(Retrospective(id="abcd2222-0000-4000-8000-000000000000", title="DNS flap"))
    store.close()
    result = cli("show", "abcd")
    assert_clean_failure(result, "matches 2 retrospectives")
    assert "Disk full" in result.err and "DNS flap" in result.err
    assert "Disk full" in cli("show", "abcd1").out


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["show", "INC-404"], "No retrospective matches"),
        (["show", "ab"], "at least 4 characters"),
        (["new", "X", "--severity", "SEV9"], "not a severity"),
        (["new", "X", "--started-at", "last tuesday"], "not an ISO-8601"),
        (["new", "X", "--started-at", "2026-05-14T09:12"], "no UTC offset"),
        (["new", "   "], "title cannot be empty"),
        (["frobnicate"], "invalid choice"),
        (["new"], "required"),
    ],
)
def test_bad_input_is_one_sentence_and_status_2(cli: Runner, args: list[str], phrase: str) -> None:
    """Every bad input exits 2 with one clear sentence and no traceback."""
    assert_clean_failure(cli(*args), phrase)


def test_duplicate_incident_ref_is_refused(cli: Runner) -> None:
    """Incident refs are REFs, so two retrospectives cannot share one."""
    cli("new", "First", "--incident-ref", "INC-1")
    assert_clean_failure(cli("new", "Second", "--incident-ref", "INC-1"), "already used")


def test_text_file_as_db_is_refused_untouched(cli: Runner, tmp_path: Path) -> None:
    """Passing a text file as --db exits 2 and leaves it alone."""
    notes = tmp_path / "notes.txt"
    notes.write_text("hello\n")
    assert_clean_failure(cli("list", db=notes), "not a retrotui database")
    assert notes.read_text() == "hello\n"


def test_db_in_missing_folder(cli: Runner, tmp_path: Path) -> None:
    """A --db in a folder that does not exist exits 2."""
    assert_clean_failure(cli("list", db=tmp_path / "no" / "such.db"), "does not exist")


def test_db_in_read_only_folder(cli: Runner, tmp_path: Path) -> None:
    """A --db in a read-only folder exits 2."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        assert_clean_failure(cli("new", "X", db=locked / "r.db"), "read-only")
    finally:
        locked.chmod(0o755)


def test_environment_variable_chooses_the_database(cli: Runner, tmp_path: Path) -> None:
    """RETROTUI_DB is used when --db is absent; --db wins when both are given."""
    env_db = tmp_path / "env.db"
    cli("new", "From env", db=None, env={"RETROTUI_DB": str(env_db)})
    assert "From env" in cli("list", db=env_db).out
    assert cli("list", env={"RETROTUI_DB": str(env_db)}).out == ""


def test_default_database_lives_in_the_user_data_dir(cli: Runner, tmp_path: Path) -> None:
    """With neither --db nor RETROTUI_DB, the data directory is created and used."""
    data_home = tmp_path / "xdg"
    result = cli("new", "Default place", db=None, env={"XDG_DATA_HOME": str(data_home)})
    assert result.code == 0
    assert (data_home / "retrotui" / "retrotui.db").exists()


def test_version_and_help(cli: Runner) -> None:
    """--version prints the version; every command has --help."""
    assert cli("--version", db=None).out.startswith("retrotui ")
    for command in ("new", "list", "show", "delete", "demo"):
        result = cli(command, "--help", db=None)
        assert result.code == 0 and "--db" in result.out
