"""A shared database named by URL: through --db, $RETROTUI_DB or the config file, on each
engine; a password in the URL is never printed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.e2e.conftest import Runner
from tests.e2e.test_cli_export import assert_clean_failure


def test_env_and_config_take_a_database_url(cli: Runner, db_url: str) -> None:
    """$RETROTUI_DB and `[database] url` in the config file both name the database."""
    assert cli("new", "From env", db=None, env={"RETROTUI_DB": db_url}).code == 0
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "retrotui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[database]\nurl = "{db_url}"\n', encoding="utf-8")
    assert cli("new", "From config", db=None).code == 0
    listed = cli("list", "--json", db=None).out
    assert "From env" in listed and "From config" in listed


def test_a_password_is_never_printed(cli: Runner, db_url: str) -> None:
    """Errors about a URL with a password, and --help with one in the environment, show
    no password."""
    url = make_url(db_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("SQLite URLs have no password")
    with_password = url.set(password="s3cret-pw").render_as_string(hide_password=False)
    # A database that holds another program's tables is refused, naming the URL.
    engine = sa.create_engine(db_url, poolclass=sa.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS retrotui_meta CASCADE")
        conn.exec_driver_sql("CREATE TABLE customers (id integer)")
    engine.dispose()
    result = cli("list", db=with_password)
    assert_clean_failure(result, "holds tables of another program")
    assert "s3cret-pw" not in result.err and "***" in result.err
    shown = cli("--help", db=None, env={"RETROTUI_DB": with_password})
    assert shown.code == 0 and "s3cret-pw" not in shown.out + shown.err


def test_too_long_ids_are_refused_alike_on_both_engines(
    cli: Runner, db_url: str, tmp_path: Path
) -> None:
    """A document id longer than its column: the same sentence on SQLite (which would
    store it) and PostgreSQL (which would refuse it with a driver error), nothing saved."""
    document = {"id": "x" * 250, "title": "Long ids", "timeline": []}
    path = tmp_path / "long.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = cli("import", str(path))
    assert_clean_failure(result, "is 250 characters long")
    assert "200" in result.err
    assert cli("list", "--json").out.strip() == "[]"
    document = {
        "title": "Long event id",
        "timeline": [{"id": "e" * 201, "time": "2026-01-01T00:00:00Z", "text": "x"}],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    assert_clean_failure(cli("import", str(path)), "is 201 characters long")
