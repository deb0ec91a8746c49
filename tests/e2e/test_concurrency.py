"""Several processes on one database: readers never wait for a writer, and the database
itself keeps incident refs unique however many processes create them at once."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store


def _retrotui(db: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "retrotui", "--db", str(db), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_reads_and_start_up_do_not_wait_for_a_writer(tmp_path: Path) -> None:
    """While another process holds the write lock (a long import), `list`, `show`,
    `export`, `actions`, `stats` and opening the store (the app's start-up) answer:
    none of them waits the 5 s busy timeout and fails."""
    db = tmp_path / "busy.db"
    subprocess.run(
        [sys.executable, "-m", "retrotui", "--db", str(db), "demo", "--no-open"],
        check=True,
        capture_output=True,
    )
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE retrospective SET title = title || ' (importing)'")
    try:
        readers = [
            _retrotui(db, *args)
            for args in (
                ["list"],
                ["show", "INC-4711"],
                ["export", "INC-4711"],
                ["actions"],
                ["stats"],
            )
        ]
        for reader in readers:
            _, err = reader.communicate(timeout=60)
            assert reader.returncode == 0, err
            assert "busy" not in err
        assert "INC-4711" in _retrotui(db, "list").communicate(timeout=60)[0]
        store = Store.open(url_for_path(db))  # what the app does first
        assert len(store.retrospectives()) == 6
        store.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_four_processes_creating_one_incident_ref(tmp_path: Path) -> None:
    """Exactly one `new --incident-ref` wins; the others exit 2 with the one sentence."""
    db = tmp_path / "race.db"
    Store.open(url_for_path(db)).close()
    for round_ in range(1):  # bench/concurrent_writers.py runs many rounds
        ref = f"INC-R{round_}"
        racers = [_retrotui(db, "new", f"racer {n}", "--incident-ref", ref) for n in range(4)]
        results = [(p.wait(timeout=60), *p.communicate()) for p in racers]
        assert sorted(code for code, _, _ in results) == [0, 2, 2, 2], results
        for code, out, err in results:
            if code == 2:
                assert out == ""
                assert err.startswith(f"retrotui: Incident ref '{ref}' is already used by")
                assert err.strip().endswith("refs must be unique.")
                assert len(err.strip().splitlines()) == 1
        conn = sqlite3.connect(db)
        (count,) = conn.execute(
            "SELECT count(*) FROM retrospective WHERE incident_ref = ?", (ref,)
        ).fetchone()
        conn.close()
        assert count == 1
