"""The PostgreSQL half of the suite: a server named by $RETROTUI_TEST_PG_URL, a fresh
database per test, and private clusters for tests that stop and start their server.

`.ci/with-postgres` starts a throwaway server and sets the variables; without them the
PostgreSQL parameters of the shared fixtures are skipped, and the summary says so.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

PG_URL_ENV = "RETROTUI_TEST_PG_URL"
PG_BIN_ENV = "RETROTUI_TEST_PG_BIN"
PG_USER_ENV = "RETROTUI_TEST_PG_USER"
SKIP_PREFIX = "PostgreSQL half skipped"
NO_SERVER = (
    f"{SKIP_PREFIX}: ${PG_URL_ENV} is not set (run `.ci/with-postgres make test` to test "
    "PostgreSQL too)"
)

_counter = itertools.count()


class PgServer:
    """A server we may create and drop databases on."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self._admin = sa.create_engine(
            self.url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool
        )

    def check(self) -> None:
        with self._admin.connect() as conn:
            conn.exec_driver_sql("SELECT 1")

    def create_database(self) -> str:
        """A new empty database; its URL (with the password, as tests need it)."""
        name = f"rt_{os.getpid()}_{next(_counter)}"
        with self._admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        with self._admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self._admin.dispose()


def server_from_env() -> PgServer | None:
    url = os.environ.get(PG_URL_ENV, "")
    return PgServer(url) if url else None


# -- private clusters ------------------------------------------------------------------


def _bin_dir() -> Path | None:
    named = os.environ.get(PG_BIN_ENV)
    if named:
        return Path(named)
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def cluster_unavailable() -> str | None:
    """Why a private cluster cannot be made here, or None when it can."""
    if not os.environ.get(PG_URL_ENV):
        return NO_SERVER
    if _bin_dir() is None:
        return f"{SKIP_PREFIX}: initdb was not found (set ${PG_BIN_ENV})"
    if os.geteuid() == 0 and not os.environ.get(PG_USER_ENV):
        return f"{SKIP_PREFIX}: running as root and ${PG_USER_ENV} names no user for the server"
    return None


class Cluster:
    """A private PostgreSQL cluster in a temporary folder, stopped and started at will."""

    def __init__(self, root: Path) -> None:
        bin_dir = _bin_dir()
        assert bin_dir is not None
        self.bin = bin_dir
        self.root = root
        self.data = root / "data"
        self.port = _free_port()
        user = os.environ.get(PG_USER_ENV, "") if os.geteuid() == 0 else ""
        self._as = ["runuser", "-u", user, "--"] if user else []
        if user:
            shutil.chown(root, user)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self._as, str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-p {self.port} -h 127.0.0.1 -k {self.root} -c fsync=off"
        log = str(self.root / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-l", log, "-w", "-o", options, "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


@contextmanager
def private_cluster() -> Iterator[Cluster]:
    """A started cluster, stopped and removed afterwards whatever happens."""
    root = Path(tempfile.mkdtemp(prefix="retrotui-pg-"))
    root.chmod(0o700)
    try:
        cluster = Cluster(root)
        cluster.start()
        try:
            yield cluster
        finally:
            if cluster.running():
                cluster.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
