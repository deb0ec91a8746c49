"""The offline hand-off as a team runs it: export on the server, import on a laptop, edit
on both, merge the laptop's copy back with the CLI; every newer edit kept, the conflict
listed. (Edits go through the same service calls the app's keys make.)"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from retrotui.services.actions import update_action
from retrotui.services.meeting import update_note
from retrotui.services.retros import load_bundle
from retrotui.services.whys import delete_why, load_chains
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store
from tests.e2e.conftest import Runner
from tests.fixture_paths import document_examples

TODAY = date(2026, 5, 20)


def _edit(db: Path) -> Store:
    return Store.open(url_for_path(db))


def test_laptop_copy_merges_back_without_losing_a_newer_edit(cli: Runner, tmp_path: Path) -> None:
    """Server and laptop both edit after the hand-off; the merge keeps the laptop's note,
    the server's later action edit and its deletion of a why, and lists the conflict."""
    server_db, laptop_db = tmp_path / "server.db", tmp_path / "laptop.db"
    full = next(p for p in document_examples() if p.name == "full.json")
    rid = cli("import", str(full), db=server_db).out.strip()
    handout = tmp_path / "handout.json"
    assert cli("export", rid, "--format", "json", "-o", str(handout), db=server_db).code == 0
    assert json.loads(handout.read_text())["version"] == 2
    copy_id = cli("import", str(handout), db=laptop_db).out.strip()

    laptop = _edit(laptop_db)
    copy = load_bundle(laptop, copy_id)
    update_note(laptop, copy.notes[0].id, text="Alert fired late at night, edited offline")
    update_action(laptop, copy.actions[0].id, today=TODAY, owner="Laptop owner")
    laptop.close()
    server = _edit(server_db)
    here = load_bundle(server, rid)
    update_action(server, here.actions[0].id, today=TODAY, owner="Search team lead")
    doomed = load_chains(server, rid)[0].whys[2]
    delete_why(server, doomed.id)
    server.close()

    back = tmp_path / "back.json"
    assert cli("export", copy_id, "--format", "json", "-o", str(back), db=laptop_db).code == 0
    preview = cli("import", str(back), "--dry-run", db=server_db)
    assert preview.code == 0
    assert "update note n-1: text: 'The alert fired within 8 minutes" in preview.out
    assert "Conflicts (1):" in preview.out and "action a-1" in preview.out

    merged = cli("import", str(back), db=server_db)
    assert merged.code == 0 and merged.out.strip() == rid
    assert "Conflicts (1):" in merged.err and "action a-1: changed in both copies" in merged.err
    final = json.loads(cli("export", rid, "--format", "json", db=server_db).out)
    notes = {n["id"]: n for n in final["notes"]}
    assert notes["n-1"]["text"] == "Alert fired late at night, edited offline"
    action = next(a for a in final["actions"] if a["id"] == "a-1")
    assert action["owner"] == "Search team lead"
    tombstone = next(w for w in final["whys"] if w["id"] == doomed.public_id)
    assert tombstone.get("deleted") is True
    kept = [n for n in final["notes"] if n["kind"] == "question" and "Laptop owner" in n["text"]]
    assert len(kept) == 1

    again = cli("import", str(back), db=server_db)
    assert "Nothing changed" in again.err and "Conflicts" not in again.err
