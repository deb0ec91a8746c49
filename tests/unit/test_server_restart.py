"""Losing the PostgreSQL server loses nothing: a private cluster is stopped and started
in the middle of each test."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from retrotui.models import Note, Retrospective
from retrotui.store.errors import DatabaseUnreachableError, StoreError
from retrotui.store.repository import Store
from tests import pg_server

pytestmark = pytest.mark.postgresql


@pytest.fixture
def cluster() -> Iterator[pg_server.Cluster]:
    why_not = pg_server.cluster_unavailable()
    if why_not:
        pytest.skip(why_not)
    with pg_server.private_cluster() as made:
        yield made


def test_writes_while_the_server_is_down_fail_retryably_then_succeed(
    cluster: pg_server.Cluster,
) -> None:
    """A store that outlives a server restart: writes while it is down raise the
    'unreachable' error (which the app retries), everything before is still there, and
    the same store saves again once the server is back, with no reopening."""
    store = Store.open(cluster.url)
    try:
        retro = store.add(Retrospective(title="Outage"))
        before = [store.add(Note(retro_id=retro.id, text=f"before {n}")).id for n in range(3)]
        cluster.stop()
        with pytest.raises(DatabaseUnreachableError, match="Cannot reach the database server"):
            store.add(Note(retro_id=retro.id, text="while down"))
        with pytest.raises(DatabaseUnreachableError):
            store.update(Note, before[0], text="edited while down")
        with pytest.raises(DatabaseUnreachableError):
            store.children(Note, retro.id)
        with pytest.raises(DatabaseUnreachableError):
            store.fingerprint(retro.id)  # the live-update poll
        cluster.start()
        # What the app's retry sends, in the order it was typed.
        store.add(Note(retro_id=retro.id, text="while down"))
        store.update(Note, before[0], text="edited while down")
        texts = [n.text for n in store.children(Note, retro.id)]
        assert texts == ["edited while down", "before 1", "before 2", "while down"]
    finally:
        store.close()


def test_a_restart_between_two_saves_goes_unnoticed(cluster: pg_server.Cluster) -> None:
    """The server restarts while the app is idle (a laptop slept, an upgrade): the next
    save just works; the pooled connection that died is replaced, not used."""
    store = Store.open(cluster.url)
    try:
        retro = store.add(Retrospective(title="Outage"))
        cluster.stop()
        cluster.start()
        store.add(Note(retro_id=retro.id, text="after the restart"))
        assert [n.text for n in store.children(Note, retro.id)] == ["after the restart"]
    finally:
        store.close()


def test_the_cli_says_one_sentence_when_the_server_is_down(cluster: pg_server.Cluster) -> None:
    Store.open(cluster.url).close()
    cluster.stop()
    url = cluster.url.replace("postgres@", "postgres:pw-hidden@")
    proc = subprocess.run(
        [sys.executable, "-m", "retrotui", "list", "--db", url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Cannot reach the database server" in lines[0], proc.stderr
    assert "pw-hidden" not in proc.stderr and "Traceback" not in proc.stderr


def test_unreachable_is_told_apart_from_refused_data(cluster: pg_server.Cluster) -> None:
    """A value the database refuses is not 'unreachable' (retrying it would never help)."""
    store = Store.open(cluster.url)
    try:
        with pytest.raises(StoreError) as refused:
            store.add(Note(retro_id="no-such-retro", text="orphan"))
        assert not isinstance(refused.value, DatabaseUnreachableError)
    finally:
        store.close()
