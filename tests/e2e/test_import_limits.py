"""Every way in holds text to the app's limits (core/limits.py), and a Slack export cannot
inflate into memory or lead the import out of its folder."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from retrotui.cli import main
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store

SLACK = Path(__file__).parent.parent / "fixtures" / "slack-export"


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "in.db"
    Store.open(url_for_path(path)).close()
    return str(path)


def _refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    code = main(argv)
    captured = capsys.readouterr()
    assert code == 2, captured
    assert len(captured.err.strip().splitlines()) == 1, captured.err
    assert "Traceback" not in captured.err and not captured.out
    return captured.err


def _nothing_imported(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db, "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_a_note_longer_than_the_app_allows_in_csv(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "t.csv"
    csv.write_text("time,text\n2026-05-14T09:12:00Z,fine\n2026-05-14T09:13:00Z," + "x" * 10_001)
    err = _refused(capsys, ["--db", db, "import", str(csv), "--title", "T"])
    assert f"{csv}: line 3" in err
    assert "is 10,001 characters long; the limit for text is 10,000" in err
    _nothing_imported(db, capsys)


def test_a_long_actor_in_json_lines(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    jsonl = tmp_path / "t.jsonl"
    row = {"time": "2026-05-14T09:12:00Z", "text": "ok", "actor": "a" * 301}
    jsonl.write_text(json.dumps(row) + "\n")
    err = _refused(capsys, ["--db", db, "import", str(jsonl), "--title", "T"])
    assert "line 1" in err and "the limit for actor is 300" in err


@pytest.mark.parametrize(
    ("key", "value", "phrase"),
    [
        ("title", "t" * 1_000_000, "the limit for title is 300"),
        ("id", "i" * 100_000, "the limit for id is 200"),
        ("summary", "s" * 10_000_001, "the limit for summary is 10,000"),
    ],
    ids=["1 MB title", "100k id", "10 MB summary"],
)
def test_document_fields_over_the_limits(
    db: str,
    tmp_path: Path,
    key: str,
    value: str,
    phrase: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    doc = tmp_path / "d.json"
    doc.write_text(json.dumps({"title": "Fine", key: value}))
    err = _refused(capsys, ["--db", db, "import", str(doc)])
    assert str(doc) in err and key in err and phrase in err
    _nothing_imported(db, capsys)


def test_new_refuses_a_title_the_app_would_refuse(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _refused(capsys, ["--db", db, "new", "t" * 301])
    assert "The title is 301 characters long; the limit for title is 300." in err


def test_a_slack_zip_member_that_inflates_too_far(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = tmp_path / "export.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in SLACK.rglob("*.json"):
            archive.write(file, file.relative_to(SLACK).as_posix())
        # 20 MB of spaces: deflates about a thousand times.
        archive.writestr("incident-42/2026-05-16.json", "[" + " " * 20_000_000 + "]")
    err = _refused(
        capsys, ["--db", db, "import", str(bomb), "--channel", "incident-42", "--title", "S"]
    )
    assert "incident-42/2026-05-16.json inflates to more than" in err
    assert "it was not imported" in err
    _nothing_imported(db, capsys)


def test_a_link_out_of_a_slack_export_folder_is_not_followed(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export"
    shutil.copytree(SLACK, export)
    secret = tmp_path / "secret.json"
    secret.write_text('[{"ts": "1778750000.000100", "text": "outside"}]')
    day = export / "incident-42" / "2026-05-15.json"
    day.unlink()
    day.symlink_to(secret)
    err = _refused(
        capsys, ["--db", db, "import", str(export), "--channel", "incident-42", "--title", "S"]
    )
    assert "2026-05-15.json is a link to a file outside the export folder" in err
    _nothing_imported(db, capsys)
