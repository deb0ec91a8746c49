"""--as NAME on the command line: accepted globally and on `open`, refused when unusable."""

from __future__ import annotations

from tests.e2e.conftest import Runner
from tests.e2e.test_cli_retros import assert_clean_failure


def test_open_and_the_app_take_as(cli: Runner) -> None:
    for args in (("open", "--help"), ("demo", "--help"), ("--help",)):
        result = cli(*args)
        assert result.code == 0 and "--as NAME" in result.out


def test_a_bad_name_is_refused_before_the_app_starts(cli: Runner) -> None:
    rid = cli("new", "Search outage").out.strip()
    assert_clean_failure(cli("open", rid, "--as", "  "), "name given with --as is empty")
    assert_clean_failure(cli("--as", "Ana\x1b[2J", "open", rid), "control characters")


def test_a_bad_name_in_the_environment_is_refused(cli: Runner) -> None:
    rid = cli("new", "Search outage").out.strip()
    result = cli("open", rid, env={"RETROTUI_NAME": "Ana\x07"})
    assert_clean_failure(result, "in $RETROTUI_NAME contains control characters")


def test_a_good_name_still_needs_a_terminal(cli: Runner) -> None:
    rid = cli("new", "Search outage").out.strip()
    assert_clean_failure(cli("open", rid, "--as", "Ana"), "needs an interactive terminal")
