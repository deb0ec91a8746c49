"""Run `retrotui` as a real process, the way users and scripts do."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Result:
    code: int
    out: str
    err: str


Runner = Callable[..., Result]


@pytest.fixture
def cli(tmp_path: Path, db_url: str) -> Runner:
    """Call `python -m retrotui ARGS` with a private database on each engine (created
    empty, as a team's database would be; commands that only read refuse a missing one);
    returns code, stdout, stderr. `db=` names another database, or None for none."""
    from retrotui.store.repository import Store

    Store.open(db_url).close()
    default_db: Path | str = db_url

    def run(
        *args: str,
        db: Path | str | None = default_db,
        stdin: str = "",
        env: dict[str, str] | None = None,
    ) -> Result:
        full = [sys.executable, "-m", "retrotui", *args]
        if db is not None:
            full += ["--db", str(db)]
        proc = subprocess.run(
            full,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tmp_path,
            env={**os.environ, **(env or {})},
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    return run
