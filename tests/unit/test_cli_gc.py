"""The app keeps the cyclic garbage collector on, however it is launched (subcommands pause
it for their short runs; the app runs for hours)."""

from __future__ import annotations

import gc
import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrotui import cli
from retrotui.ui.app import RetroApp


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def app_runs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Launch the app without a terminal: record whether GC was on when it would run."""
    seen: list[bool] = []
    monkeypatch.setattr(RetroApp, "run", lambda self, *a, **k: seen.append(gc.isenabled()))
    yield seen
    gc.enable()


@pytest.mark.parametrize("command", [["demo"], ["open", "INC-4711"], []])
def test_app_runs_with_gc_enabled(
    command: list[str], app_runs: list[bool], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "gc.db")
    assert cli.main(["--db", db, "demo", "--no-open"]) == 0
    gc.enable()
    # Here, not in a fixture: pytest sets its own stdout when the test starts.
    monkeypatch.setattr(sys, "stdin", _Terminal())
    monkeypatch.setattr(sys, "stdout", _Terminal())
    assert cli.main(["--db", db, *command]) == 0
    assert app_runs == [True]
