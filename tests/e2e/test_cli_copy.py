"""`retrotui copy`: retrospectives between a laptop's SQLite file and another database
(each engine), merged by id; a second copy changes nothing."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from retrotui.demo import DEMO_ID
from retrotui.models import Note, Retrospective
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store
from tests.e2e.conftest import Runner
from tests.e2e.test_cli_export import assert_clean_failure


def _state(url: str) -> list[tuple[object, ...]]:
    """Every row of every retrospective table, as another program would read them."""
    engine = sa.create_engine(url, poolclass=sa.NullPool)
    tables = ("retrospective", "participant", "timeline_event", "note", "why_chain", "why")
    try:
        with engine.connect() as conn:
            return [
                (table, *row)
                for table in (*tables, "action_item", "stage_clock")
                for row in conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY id"))
            ]
    finally:
        engine.dispose()


def test_copy_to_another_database_exports_the_same_bytes(
    cli: Runner, db_url: str, tmp_path: Path
) -> None:
    laptop = tmp_path / "laptop.db"
    assert cli("demo", "--no-open", db=laptop).code == 0
    result = cli("copy", "--from", str(laptop), "--to", db_url, db=None)
    assert result.code == 0, result.err
    assert DEMO_ID in result.out.split()
    assert "added" in result.err
    for fmt in ("markdown", "json"):
        args = ("export", "INC-4711", "--format", fmt)
        here, there = cli(*args, db=laptop), cli(*args, db=db_url)
        assert here.code == 0 and here.out.encode() == there.out.encode()
    before = _state(db_url)
    again = cli("copy", "--from", str(laptop), "--to", db_url, db=None)
    assert again.code == 0 and "Nothing changed" in again.err
    assert _state(db_url) == before


def test_copy_back_merges_edits_and_keeps_what_only_the_destination_has(
    cli: Runner, db_url: str, tmp_path: Path
) -> None:
    laptop = tmp_path / "laptop.db"
    assert cli("demo", "--no-open", db=laptop).code == 0
    assert cli("copy", "--from", str(laptop), "--to", db_url, db=None).code == 0
    team = Store.open(db_url)
    note = team.children(Note, DEMO_ID)[0]
    team.update(Note, note.id, text="edited by the team")
    team.add(Note(retro_id=DEMO_ID, text="added by the team"))
    team.close()
    local = Store.open(url_for_path(laptop))
    local.add(Note(retro_id=DEMO_ID, text="added on the laptop"))
    local.close()
    result = cli("copy", "INC-4711", "--from", db_url, "--to", str(laptop), db=None)
    assert result.code == 0, result.err
    local = Store.open(url_for_path(laptop))
    texts = [n.text for n in local.children(Note, DEMO_ID)]
    local.close()
    assert "edited by the team" in texts and note.text not in texts
    assert texts[-2:] == ["added on the laptop", "added by the team"]
    assert len(texts) == len(set(texts))


def test_a_deletion_travels_with_the_copy(cli: Runner, db_url: str, tmp_path: Path) -> None:
    """A note deleted on the laptop after the first copy is deleted by the next one."""
    laptop = tmp_path / "laptop.db"
    assert cli("demo", "--no-open", db=laptop).code == 0
    assert cli("copy", "--from", str(laptop), "--to", db_url, db=None).code == 0
    local = Store.open(url_for_path(laptop))
    doomed = local.children(Note, DEMO_ID)[0]
    local.delete(Note, doomed.id)
    local.close()
    result = cli("copy", "--from", str(laptop), "--to", db_url, db=None)
    assert result.code == 0 and "1 deleted" in result.err
    team = Store.open(db_url)
    assert doomed.id not in {n.id for n in team.children(Note, DEMO_ID)}
    team.close()
    assert "Nothing changed" in cli("copy", "--from", str(laptop), "--to", db_url, db=None).err


def test_copy_only_the_named_retrospectives(cli: Runner, db_url: str, tmp_path: Path) -> None:
    laptop = tmp_path / "laptop.db"
    keep = cli("new", "Wanted", "--incident-ref", "INC-1", db=laptop).out.strip()
    cli("new", "Not wanted", db=laptop)
    assert cli("copy", "INC-1", "--from", str(laptop), "--to", db_url, db=None).code == 0
    team = Store.open(db_url)
    assert [r.id for r, _ in team.retrospectives()] == [keep]
    team.close()


def test_bad_copies_are_one_sentence(cli: Runner, db_url: str, tmp_path: Path) -> None:
    laptop = tmp_path / "laptop.db"
    cli("new", "Mine", "--incident-ref", "INC-9", db=laptop)
    assert_clean_failure(
        cli("copy", "--from", str(laptop), "--to", str(laptop), db=None), "same database"
    )
    assert_clean_failure(
        cli("copy", "--from", str(tmp_path / "nope.db"), "--to", db_url, db=None),
        "does not exist",
    )
    assert_clean_failure(
        cli("copy", "INC-404", "--from", str(laptop), "--to", db_url, db=None), "INC-404"
    )
    team = Store.open(db_url)
    team.add(Retrospective(title="Theirs", incident_ref="inc-9"))
    team.close()
    assert_clean_failure(
        cli("copy", "--from", str(laptop), "--to", db_url, db=None), "incident INC-9"
    )
