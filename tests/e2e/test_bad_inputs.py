"""Inputs that used to exit 1 (a traceback's worth of OverflowError or ValueError) or
hang: each is one sentence and exit status 2, at once."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from retrotui.cli import main
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store

EARLY = "0001-01-01T00:30:00+01:00"  # before year 1 in UTC
LATE = "9999-12-31T23:30:00-01:00"  # after year 9999 in UTC


def _failure(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2, captured
    assert "Traceback" not in captured.err
    assert len(captured.err.strip().splitlines()) == 1, captured.err
    assert not captured.out
    return captured.err


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "in.db"
    Store.open(url_for_path(path)).close()
    return str(path)


@pytest.mark.parametrize("when", [EARLY, LATE])
def test_new_started_at_the_ends_of_the_calendar(
    db: str, when: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _failure(capsys, ["--db", db, "new", "Edge", "--started-at", when])
    assert f"{when!r} is outside the dates retrotui can store" in err


@pytest.mark.parametrize("when", [EARLY, LATE])
def test_csv_times_at_the_ends_of_the_calendar(
    db: str, when: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "t.csv"
    csv.write_text(f"time,text\n2026-05-14T09:12:00Z,fine\n{when},edge\n")
    err = _failure(capsys, ["--db", db, "import", str(csv), "--title", "T"])
    assert "line 3" in err and "outside the dates" in err


@pytest.mark.parametrize("when", [EARLY, LATE])
def test_document_times_at_the_ends_of_the_calendar(
    db: str, when: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "d.json"
    doc.write_text(json.dumps({"title": "Edge", "started_at": when}))
    err = _failure(capsys, ["--db", db, "import", str(doc)])
    assert "started_at" in err and "outside the dates" in err


@pytest.mark.parametrize("zone", ["+25:00", "-24:00", "+02:75"])
def test_tz_offsets_beyond_a_day(
    db: str, zone: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "t.csv"
    csv.write_text("time,text\n2026-05-14 09:12,x\n")
    err = _failure(capsys, ["--db", db, "import", str(csv), "--title", "T", f"--tz={zone}"])
    assert f"--tz {zone!r} is not a time zone" in err


def test_a_schema_version_that_is_not_a_number(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE retrotui_meta SET value = '4b' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    err = _failure(capsys, ["--db", db, "list"])
    assert "'4b', which is not a number" in err


def test_unknown_template_names_the_templates(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    err = _failure(capsys, ["--db", db, "new", "T", "--template", "does-not-exist"])
    assert "There is no template 'does-not-exist'; the templates are " in err
    assert "standard" in err
    assert main(["--db", db, "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []  # nothing was created


@pytest.mark.parametrize("command", [["list"], ["new", "T"]], ids=["list", "new"])
def test_a_named_pipe_as_db_is_refused_at_once(tmp_path: Path, command: list[str]) -> None:
    """Opening a FIFO blocks until a writer comes: refused before anything opens it."""
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    proc = subprocess.run(
        [sys.executable, "-m", "retrotui", "--db", str(fifo), *command],
        capture_output=True,
        text=True,
        timeout=60,  # it used to block forever
    )
    assert proc.returncode == 2
    assert (
        proc.stderr
        == f"retrotui: {fifo} is a named pipe, not a database file; give --db a file path.\n"
    )


def test_a_named_pipe_as_import_file_is_refused(db: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    proc = subprocess.run(
        [sys.executable, "-m", "retrotui", "--db", db, "import", str(fifo), "--title", "T"],
        capture_output=True,
        text=True,
        timeout=60,  # it used to block forever
    )
    assert proc.returncode == 2
    assert proc.stderr == f"retrotui: {fifo} is not a regular file; import a file.\n"
