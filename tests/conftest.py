"""Fixtures every test layer shares: a fresh database on each engine.

`db_url` (and the `store` on it) is parametrised over SQLite and PostgreSQL, so the store,
services and CLI tests run on both from one suite. The PostgreSQL half needs a server
($RETROTUI_TEST_PG_URL, set by `.ci/with-postgres`); without one it is skipped and the
summary says so.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store
from tests import pg_server

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


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
    config.addinivalue_line("markers", "postgresql: runs against a PostgreSQL server")
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


@pytest.fixture(scope="session")
def pg() -> Iterator[pg_server.PgServer]:
    """The PostgreSQL server of this run; skips when there is none, fails when the one
    named cannot be reached or RETROTUI_TEST_REQUIRE has "postgresql" (CI must never skip
    it silently)."""
    server = pg_server.server_from_env()
    if server is None:
        if "postgresql" in os.environ.get("RETROTUI_TEST_REQUIRE", "").split():
            pytest.fail(f"RETROTUI_TEST_REQUIRE has 'postgresql' but {pg_server.NO_SERVER}")
        pytest.skip(pg_server.NO_SERVER)
    try:
        server.check()
    except Exception as exc:
        pytest.fail(f"${pg_server.PG_URL_ENV} names a server that cannot be reached: {exc}")
    yield server
    server.close()


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of a fresh, empty database: a file, or a new database on the server."""
    if request.param == "sqlite":
        yield url_for_path(tmp_path / "retro.db")
        return
    server: pg_server.PgServer = request.getfixturevalue("pg")
    url = server.create_database()
    yield url
    server.drop_database(url)


@pytest.fixture
def another_db(
    db_url: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[], str]]:
    """Makes more fresh databases on the engine of `db_url`."""
    made: list[str] = []

    def make() -> str:
        if db_url.startswith("sqlite"):
            made.append(url_for_path(tmp_path / f"another-{len(made)}.db"))
        else:
            made.append(request.getfixturevalue("pg").create_database())
        return made[-1]

    yield make
    if not db_url.startswith("sqlite"):
        for url in made:
            request.getfixturevalue("pg").drop_database(url)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A SQLite file, for tests about files."""
    return tmp_path / "retro.db"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    opened = Store.open(db_url)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_store(db_path: Path) -> Iterator[Store]:
    """A store on a SQLite file, for tests of SQLite's own settings."""
    opened = Store.open(url_for_path(db_path))
    yield opened
    opened.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    """Skips of the PostgreSQL half all point here, so the summary folds them into one
    line with their count instead of one line per test."""
    report: pytest.TestReport = yield
    longrepr = report.longrepr
    if report.skipped and isinstance(longrepr, tuple) and pg_server.SKIP_PREFIX in longrepr[2]:
        report.longrepr = (__file__, 0, longrepr[2])
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many tests ran on PostgreSQL (a skipped half is in the skip summary)."""
    ran = sum(
        1
        for key in ("passed", "failed", "error")
        for report in terminalreporter.stats.get(key, [])
        if getattr(report, "when", "call") == "call" and "postgresql" in report.keywords
    )
    if ran:
        terminalreporter.write_line(f"PostgreSQL half: {ran} tests ran on a real server.")
