"""Figures for issue 11: writes attempted and lost under 4 concurrent writers (with readers
opening and closing the database meanwhile), and incident-ref races.

    python bench/concurrent_writers.py [--writes 250] [--rounds 10]
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

WRITER = """
import sys
from retrotui.models import Retrospective
from retrotui.services.retros import open_store
store = open_store(sys.argv[1])
again = open_store(sys.argv[1])  # a second opening in the same process, as `open` once did
ok = 0
for n in range(int(sys.argv[3])):
    try:
        again.add(Retrospective(title=f"{sys.argv[2]}-{n}"))
        ok += 1
    except Exception as exc:
        print("failed:", exc, file=sys.stderr)
print(ok)
"""

READER = """
import sqlite3, sys
for _ in range(int(sys.argv[2])):
    c = sqlite3.connect(sys.argv[1])
    c.execute("SELECT count(*) FROM retrospective").fetchone()
    c.close()
"""


def writes(folder: Path, per_writer: int) -> tuple[int, int, int]:
    db = folder / "writes.db"
    subprocess.run([sys.executable, "-c", WRITER, str(db), "init", "0"], check=True)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), f"w{n}", str(per_writer)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), str(per_writer)])
    acknowledged = sum(int(w.communicate()[0] or 0) for w in writers)
    reader.wait()
    conn = sqlite3.connect(db)
    (stored,) = conn.execute("SELECT count(*) FROM retrospective").fetchone()
    conn.close()
    return 4 * per_writer, acknowledged, stored


def ref_races(folder: Path, rounds: int) -> tuple[int, int, list[list[int]]]:
    db = folder / "refs.db"
    subprocess.run([sys.executable, "-c", WRITER, str(db), "init", "0"], check=True)
    duplicated, codes = 0, []
    for r in range(rounds):
        ref = f"INC-R{r}"
        procs = [
            subprocess.Popen(
                [
                    *(sys.executable, "-m", "retrotui", "--db", str(db)),
                    "new",
                    f"t{n}",
                    "--incident-ref",
                    ref,
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for n in range(4)
        ]
        codes.append(sorted(p.wait() for p in procs))
        conn = sqlite3.connect(db)
        (count,) = conn.execute(
            "SELECT count(*) FROM retrospective WHERE incident_ref = ?", (ref,)
        ).fetchone()
        conn.close()
        duplicated += count > 1
    return rounds, duplicated, codes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=250)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        attempted, acknowledged, stored = writes(Path(tmp), args.writes)
        print(
            f"4 writers: {attempted} writes attempted, {acknowledged} acknowledged, "
            f"{stored} stored, {acknowledged - stored} acknowledged writes lost"
        )
        rounds, duplicated, codes = ref_races(Path(tmp), args.rounds)
        print(f"incident-ref races: {rounds} rounds of 4, {duplicated} with duplicates")
        print(f"exit codes per round: {codes}")


if __name__ == "__main__":
    main()
