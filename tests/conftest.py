"""Fixtures every test layer shares: a fresh database in a temporary folder."""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store

# Tests that need a tool from outside Python. `make test` skips them with the reason when
# the tool is missing; CI sets RETROTUI_TEST_REQUIRE (e.g. "tmux browser") so a missing
# tool fails the run instead of quietly skipping half of it.
NEEDS: dict[str, tuple[str, Callable[[], bool]]] = {
    "tmux": (
        "drives the real app in a tmux terminal",
        lambda: shutil.which("tmux") is not None,
    ),
    "browser": (
        "joins a served meeting from headless Chromium (chromium, chromium-driver)",
        lambda: (
            bool(shutil.which("chromium") and shutil.which("chromedriver"))
            and importlib.util.find_spec("selenium") is not None
        ),
    ),
}


def pytest_configure(config: pytest.Config) -> None:
    for marker, (what, _) in NEEDS.items():
        config.addinivalue_line("markers", f"{marker}: {what} (skipped without it)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip (or, where CI requires the tool, fail) tests whose tool is missing."""
    required = os.environ.get("RETROTUI_TEST_REQUIRE", "").split()
    for marker, (_, available) in NEEDS.items():
        if available():
            continue
        if marker in required:
            raise pytest.UsageError(f"RETROTUI_TEST_REQUIRE has {marker!r} but it is missing")
        skip = pytest.mark.skip(reason=f"{marker} is not available here; CI runs these")
        for item in items:
            if item.get_closest_marker(marker):
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
    monkeypatch.delenv("RETROTUI_NAME", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "retro.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    opened = Store.open(url_for_path(db_path))
    yield opened
    opened.close()
