"""A deleted retrospective stays deleted: importing an older Retro Document of it, or
copying an older database's copy, says so in one sentence and changes nothing unless
--restore; a copy edited after the deletion comes back, and the report says so."""

from __future__ import annotations

import json
from pathlib import Path

from retrotui.demo import DEMO_ID
from retrotui.models import Note, RetroTombstone
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store, all_rows
from tests.e2e.conftest import Runner
from tests.e2e.test_cli_export import assert_clean_failure


def _retro_ids(url: str) -> list[str]:
    store = Store.open(url)
    try:
        return [retro.public_id for retro, _ in store.retrospectives()]
    finally:
        store.close()


def _deleted_after_export(cli: Runner, tmp_path: Path) -> Path:
    """The demo exported as a document, then deleted from the database."""
    assert cli("demo", "--no-open").code == 0
    doc = tmp_path / "demo.json"
    exported = cli("export", "INC-4711", "--format", "json")
    assert exported.code == 0
    doc.write_text(exported.out, encoding="utf-8")
    assert cli("delete", "INC-4711", "--yes").code == 0
    return doc


def test_deleting_a_retrospective_leaves_its_tombstone(
    cli: Runner, db_url: str, tmp_path: Path
) -> None:
    _deleted_after_export(cli, tmp_path)
    store = Store.open(db_url)
    try:
        graves = all_rows(store, RetroTombstone)
    finally:
        store.close()
    assert [(g.id, g.title) for g in graves] == [(DEMO_ID, graves[0].title)]
    assert graves[0].title


def test_an_older_document_does_not_bring_it_back(cli: Runner, db_url: str, tmp_path: Path) -> None:
    doc = _deleted_after_export(cli, tmp_path)
    for extra in ((), ("--dry-run",)):
        result = cli("import", str(doc), *extra)
        assert_clean_failure(result, "was deleted from this database on")
        assert "--restore" in result.err and "nothing was imported" in result.err
    assert DEMO_ID not in _retro_ids(db_url)


def test_restore_brings_it_back_and_says_so(cli: Runner, db_url: str, tmp_path: Path) -> None:
    doc = _deleted_after_export(cli, tmp_path)
    result = cli("import", str(doc), "--restore")
    assert result.code == 0, result.err
    assert "This restores a retrospective deleted here on" in result.err
    assert DEMO_ID in _retro_ids(db_url)
    exported = cli("export", "INC-4711", "--format", "json")
    assert exported.out == doc.read_text(encoding="utf-8").replace(
        _line(doc, "base_revision"), _line_of(exported.out, "base_revision")
    )
    # Restored: importing it again is a plain merge, changing nothing.
    again = cli("import", str(doc))
    assert again.code == 0 and "Nothing changed" in again.err


def test_a_document_edited_after_the_deletion_is_imported(
    cli: Runner, db_url: str, tmp_path: Path
) -> None:
    """The laptop kept working on its copy after the server deleted it: the laptop's
    newer copy comes back, with a sentence saying it restores a deleted one."""
    doc = _deleted_after_export(cli, tmp_path)
    laptop = tmp_path / "laptop.db"
    assert cli("import", str(doc), db=laptop).code == 0
    local = Store.open(url_for_path(laptop))
    (copy,) = [r for r, _ in local.retrospectives() if r.public_id == DEMO_ID]
    note = local.children(Note, copy.id)[0]
    local.update(Note, note.id, text="written after the server deleted it")
    local.close()
    newer = tmp_path / "newer.json"
    newer.write_text(cli("export", "INC-4711", "--format", "json", db=laptop).out)
    result = cli("import", str(newer))
    assert result.code == 0, result.err
    assert "This restores a retrospective deleted here on" in result.err
    team = Store.open(db_url)
    (retro,) = [r for r, _ in team.retrospectives() if r.public_id == DEMO_ID]
    texts = [n.text for n in team.children(Note, retro.id)]
    team.close()
    assert "written after the server deleted it" in texts


def test_a_v1_document_of_a_deleted_retrospective_needs_restore(
    cli: Runner, db_url: str, tmp_path: Path
) -> None:
    doc = _deleted_after_export(cli, tmp_path)
    v1 = tmp_path / "v1.json"
    data = json.loads(doc.read_text())
    v1.write_text(json.dumps({"version": 1, "id": data["id"], "title": data["title"]}))
    assert_clean_failure(cli("import", str(v1)), "a v1 document has no edit times")
    assert cli("import", str(v1), "--restore").code == 0
    assert DEMO_ID in _retro_ids(db_url)


def test_copy_of_an_older_copy_is_refused_unless_restore(
    cli: Runner, db_url: str, tmp_path: Path
) -> None:
    """The team deleted a retrospective; copying the laptop's older copy in again is
    refused and changes nothing; --restore copies it."""
    laptop = tmp_path / "laptop.db"
    assert cli("demo", "--no-open", db=laptop).code == 0
    assert cli("copy", "--from", str(laptop), "--to", db_url, db=None).code == 0
    assert cli("delete", "INC-4711", "--yes").code == 0
    result = cli("copy", "--from", str(laptop), "--to", db_url, db=None)
    assert_clean_failure(result, "was deleted from the destination on")
    assert "--restore" in result.err
    assert DEMO_ID not in _retro_ids(db_url)
    restored = cli("copy", "--from", str(laptop), "--to", db_url, "--restore", db=None)
    assert restored.code == 0, restored.err
    assert "This restores" in restored.err
    assert DEMO_ID in _retro_ids(db_url)


def test_copy_edited_after_the_deletion_comes_back(
    cli: Runner, db_url: str, tmp_path: Path
) -> None:
    laptop = tmp_path / "laptop.db"
    assert cli("demo", "--no-open", db=laptop).code == 0
    assert cli("copy", "--from", str(laptop), "--to", db_url, db=None).code == 0
    assert cli("delete", "INC-4711", "--yes").code == 0
    local = Store.open(url_for_path(laptop))
    note = local.children(Note, DEMO_ID)[0]
    local.update(Note, note.id, text="edited on the laptop later")
    local.close()
    result = cli("copy", "--from", str(laptop), "--to", db_url, db=None)
    assert result.code == 0, result.err
    assert "This restores" in result.err
    assert DEMO_ID in _retro_ids(db_url)


def _line(path: Path, key: str) -> str:
    return _line_of(path.read_text(encoding="utf-8"), key)


def _line_of(text: str, key: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f'  "{key}"'))
