"""`retrotui stats` as a user runs it: text and JSON, empty and demo databases."""

from __future__ import annotations

import json

from tests.e2e.conftest import Runner


def test_stats_on_an_empty_database(cli: Runner) -> None:
    """No retrospectives: zeros and dashes, no division by zero."""
    result = cli("stats")
    assert result.code == 0
    assert "Retrospectives   0" in result.out
    assert "Follow-through   -" in result.out
    data = json.loads(cli("stats", "--json").out)
    assert data["follow_through"]["rate"] is None and data["by_owner"] == []


def test_stats_on_the_demo(cli: Runner) -> None:
    """The demo history fills every section, in text and in JSON."""
    assert cli("demo", "--no-open").code == 0
    text = cli("stats").out
    assert "Follow-through   " in text and "% (" in text
    assert "Platform team" in text and "SEV1" in text
    data = json.loads(cli("stats", "--json").out)
    assert data["retrospectives"] == 6
    assert 0 < data["follow_through"]["rate"] < 1
    assert data["overdue"] == sum(owner["overdue"] for owner in data["by_owner"])
    sev1 = data["time_to_resolve_by_severity"]["SEV1"]
    assert len(sev1) == 2 and sev1[0]["started_at"] < sev1[1]["started_at"]
    assert all(point["minutes"] > 0 for point in sev1)


def test_help(cli: Runner) -> None:
    """--help names what is counted and the --json option."""
    result = cli("stats", "--help", db=None)
    assert result.code == 0 and "--json" in result.out and "follow" in result.out.lower()
