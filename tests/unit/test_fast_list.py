"""The list of retrospectives without the SQL stack: `retrotui list` and the home screen
read a SQLite file with sqlite3 alone, and give what the Store gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from retrotui.models import ActionItem, ActionStatus, Retrospective
from retrotui.store import engine, listing, migrations
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store


def test_constants_agree_with_the_store() -> None:
    """The SQL-free reader checks the same application id and schema version."""
    assert listing.APPLICATION_ID == engine.APPLICATION_ID
    assert listing.SCHEMA_VERSION == migrations.SCHEMA_VERSION
    assert set(listing.OPEN_STATUSES) == {s.value for s in ActionStatus if not s.is_closed}


def _db(tmp_path: Path) -> Path:
    path = tmp_path / "list.db"
    store = Store.open(url_for_path(path))
    first = store.add(Retrospective(title="First | with\nbreak", incident_ref="INC-1"))
    store.add(Retrospective(title="Second", severity="SEV2"))
    store.add(ActionItem(retro_id=first.id, title="open one"))
    store.add(ActionItem(retro_id=first.id, title="done one", status=ActionStatus.DONE))
    store.close()
    return path


def test_sqlite_read_gives_what_the_store_gives(tmp_path: Path) -> None:
    path = _db(tmp_path)
    store = Store.open(url_for_path(path))
    expected = store.retro_list()
    store.close()
    assert listing.read_sqlite_list(path) == expected
    assert [(r.title, r.open_actions) for r in expected] == [
        ("Second", 0),
        ("First | with\nbreak", 1),
    ]


def test_a_file_that_is_not_ours_is_left_to_the_store(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    other.write_bytes(b"not a database at all, just some bytes" * 10)
    assert listing.read_sqlite_list(other) is None
    assert listing.read_sqlite_list(tmp_path / "missing.db") is None


def _run(code: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return done.stdout


LIST_AND_MODULES = """
import sys
from retrotui.cli import main
code = main(["--db", sys.argv[1], "list", *sys.argv[2:]])
print("sql stack imported:", "sqlalchemy" in sys.modules, code)
"""


def test_list_reads_sqlite_without_the_sql_stack(tmp_path: Path) -> None:
    """Same output as through SQLAlchemy (a sqlite:// URL), without importing it."""
    path = _db(tmp_path)
    fast = _run(LIST_AND_MODULES, str(path))
    through_store = _run(LIST_AND_MODULES, url_for_path(path))
    assert fast.endswith("sql stack imported: False 0\n")
    assert through_store.endswith("sql stack imported: True 0\n")
    assert fast.splitlines()[:-1] == through_store.splitlines()[:-1]
    assert "First | with break" in fast
    fast_json = _run(LIST_AND_MODULES, str(path), "--json")
    assert (
        fast_json.splitlines()[:-1]
        == _run(LIST_AND_MODULES, url_for_path(path), "--json").splitlines()[:-1]
    )


HOME_BEFORE_SQL = """
import sys
import threading
from datetime import date
from retrotui.ui.app import make_app
from retrotui.ui.screens.home import HomeScreen

importers = []

class WhoImportsSqlAlchemy:
    def find_spec(self, name, path=None, target=None):
        if name == "sqlalchemy":
            importers.append(threading.current_thread() is threading.main_thread())
        return None

sys.meta_path.insert(0, WhoImportsSqlAlchemy())
app = make_app(sys.argv[1], today=date(2026, 11, 24), remember=False)
seen = []
show_rows = HomeScreen.show_rows

def first_show(screen, rows):
    if not seen:  # the moment the list is first put on screen
        seen.extend(["sqlalchemy" in sys.modules, len(rows)])
    show_rows(screen, rows)

HomeScreen.show_rows = first_show

async def until_home(pilot):
    # The list on screen, then the database open behind it.
    while not (isinstance(app.screen, HomeScreen) and app.screen.loaded and app.db is not None):
        await pilot.pause(0.001)
    await app.action_quit()

app.run(headless=True, auto_pilot=until_home)
print(seen, "imported on the UI thread:", any(importers), "by a thread:", bool(importers))
"""


def test_home_list_is_shown_before_the_sql_stack_is_imported(tmp_path: Path) -> None:
    """The first list a user sees needs no SQLAlchemy; it is opened on a thread after, and
    never on the UI thread (where its import held up the first frame by ~300 ms)."""
    path = _db(tmp_path)
    assert _run(HOME_BEFORE_SQL, str(path)).strip() == (
        "[False, 2] imported on the UI thread: False by a thread: True"
    )
