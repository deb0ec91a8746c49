"""Fixtures every test layer shares: a fresh database in a temporary folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "tmux: drives the real app in a tmux terminal (skipped without tmux)"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Real-terminal tests need tmux; without it they are skipped with the reason shown."""
    if shutil.which("tmux"):
        return
    skip = pytest.mark.skip(reason="tmux is not installed (apt-get install tmux); CI runs these")
    for item in items:
        if item.get_closest_marker("tmux"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test may touch the real user data or config directory."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("RETROTUI_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "retro.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = Store.open(url_for_path(db_path))
    yield opened
    opened.close()
