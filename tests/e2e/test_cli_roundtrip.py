"""export --format json -> import -> export, as a user runs it, on the published examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import Runner
from tests.fixture_paths import document_examples

EXAMPLES = document_examples()


def _export(cli: Runner, db: Path, rid: str, out: Path) -> str:
    result = cli("export", rid, "--format", "json", db=db)
    assert result.code == 0, result.err
    out.write_text(result.out, encoding="utf-8")
    return result.out


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_round_trip_merge_and_idempotence(cli: Runner, tmp_path: Path, example: Path) -> None:
    """Export -> import into an empty database -> export is the same document; importing
    it again (or back into the first database) reports that nothing changed."""
    first_db, second_db = tmp_path / "moderator.db", tmp_path / "laptop.db"
    rid = cli("import", str(example), db=first_db).out.strip()
    exported = _export(cli, first_db, rid, tmp_path / "one.json")

    copy_id = cli("import", str(tmp_path / "one.json"), db=second_db).out.strip()
    assert json.loads(_export(cli, second_db, copy_id, tmp_path / "two.json")) == json.loads(
        exported
    )
    for db in (second_db, first_db):
        again = cli("import", str(tmp_path / "two.json"), db=db)
        assert again.code == 0 and "Nothing changed" in again.err


def test_offline_notes_arrive_once(cli: Runner, tmp_path: Path) -> None:
    """Notes added on the note-taker's copy arrive in the moderator's database once."""
    moderator, laptop = tmp_path / "moderator.db", tmp_path / "laptop.db"
    rid = cli("import", str(EXAMPLES[0]), db=moderator).out.strip()
    _export(cli, moderator, rid, tmp_path / "handout.json")
    copy_id = cli("import", str(tmp_path / "handout.json"), db=laptop).out.strip()
    # The note-taker's addition, handed to the laptop's copy as a v1 document (which
    # merges by adding): the laptop's next export carries it with its own times.
    doc = json.loads((tmp_path / "handout.json").read_text())
    offline = {"id": "offline-1", "text": "Written offline", "kind": "question"}
    v1 = {"version": 1, "id": doc["id"], "title": doc["title"], "notes": [offline]}
    (tmp_path / "laptop.json").write_text(json.dumps(v1))
    assert cli("import", str(tmp_path / "laptop.json"), db=laptop).code == 0
    _export(cli, laptop, copy_id, tmp_path / "back.json")

    merged = cli("import", str(tmp_path / "back.json"), db=moderator)
    assert merged.out.strip() == rid and "notes: 1 added" in merged.err
    cli("import", str(tmp_path / "back.json"), db=moderator)
    final = json.loads(_export(cli, moderator, rid, tmp_path / "final.json"))
    assert [n["text"] for n in final["notes"]].count("Written offline") == 1
