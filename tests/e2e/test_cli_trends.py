"""`retrotui trends` as a user runs it: text, JSON, empty databases and bad input."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from retrotui.models import ActionItem, Retrospective
from retrotui.services.labels import change_labels
from retrotui.store.repository import Store
from tests.e2e.conftest import Runner

KEYS = {
    "by",
    "since",
    "today",
    "incidents",
    "with_factors",
    "periods",
    "factors",
    "recurring",
    "similarity_threshold",
    "alike_actions",
    "times_by_severity",
}


@pytest.fixture
def labelled(cli: Runner, db_url: str) -> str:
    """Two incidents with the configuration-push factor, one overdue item, a remediation
    proposed twice."""
    store = Store.open(db_url)
    try:
        for ref, title in (
            ("INC-1", "Alert on config push errors"),
            ("INC-2", "Alert on errors after a config push"),
        ):
            retro = store.add(
                Retrospective(title=f"Outage {ref}", incident_ref=ref, severity="SEV2")
            )
            change_labels(store, retro, add_factors=["config push"])
            store.add(ActionItem(retro_id=retro.id, title=title, due=date.today() - timedelta(3)))
    finally:
        store.close()
    return db_url


def test_empty_database_is_one_sentence(cli: Runner) -> None:
    result = cli("trends")
    assert result.code == 0 and result.out == ""
    assert result.err.strip() == (
        "No retrospectives yet: create one with `retrotui new TITLE`, or try `retrotui demo`."
    )
    data = json.loads(cli("trends", "--json").out)
    assert set(data) == KEYS and data["factors"] == [] and data["incidents"] == 0


def test_no_factors_is_one_sentence_not_an_empty_table(cli: Runner) -> None:
    assert cli("new", "Checkout down").code == 0
    result = cli("trends")
    assert result.code == 0
    assert "No retrospective has a contributing factor yet" in result.out
    assert "FACTOR" not in result.out


def test_factors_recurring_and_alike_actions(cli: Runner, labelled: str) -> None:
    result = cli("trends")
    assert result.code == 0, result
    out = result.out
    row = next(line for line in out.splitlines() if line.startswith("  Configuration push"))
    # incidents, open, overdue, then the chart: both in this month, the last cell.
    assert row.split()[2:5] == ["2", "2", "2"] and row.endswith("█")
    assert "INC-2, INC-1" in out or "INC-1, INC-2" in out
    assert "Recurring factors" in out and "2 incidents" in out
    assert "Alert on errors after a config push" in out
    assert "SEV2" in out and "- (n=0 of 2)" in out
    assert all(len(line) <= 80 for line in out.splitlines() if "Alert" not in line)


def test_json_keys_are_stable(cli: Runner, labelled: str) -> None:
    data = json.loads(cli("trends", "--json", "--by", "quarter").out)
    assert set(data) == KEYS and data["by"] == "quarter"
    (factor,) = data["factors"]
    assert set(factor) == {
        "id",
        "name",
        "group",
        "incidents",
        "refs",
        "retro_ids",
        "per_period",
        "open_actions",
        "overdue_actions",
    }
    assert factor["id"] == "config-push" and factor["incidents"] == 2
    assert factor["open_actions"] == factor["overdue_actions"] == 2
    assert len(factor["per_period"]) == len(data["periods"]) and sum(factor["per_period"]) == 2
    assert data["recurring"] == ["config-push"]
    (group,) = data["alike_actions"]
    assert {a["incident_ref"] for a in group} == {"INC-1", "INC-2"}
    (sev2,) = data["times_by_severity"]
    assert sev2["time_to_resolve"] == {"median_minutes": None, "n": 0, "missing": 2}


def test_since_leaves_out_earlier_incidents(cli: Runner, labelled: str) -> None:
    later = (date.today() + timedelta(days=40)).isoformat()
    result = cli("trends", "--since", later)
    assert result.code == 0 and result.err.strip() == f"No incident on or after {later}."
    data = json.loads(cli("trends", "--json", "--since", later[:7]).out)
    assert data["incidents"] == 0 and data["since"] == later[:7] + "-01"


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01", "2026-02-30", "\x1b[31m"])
def test_bad_since_is_one_sentence_exit_2(cli: Runner, value: str) -> None:
    result = cli("trends", "--since", value)
    assert result.code == 2 and result.out == ""
    assert "--since takes a date as YYYY-MM-DD" in result.err
    assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1
    assert "\x1b" not in result.err


def test_bad_by_and_missing_database(cli: Runner, tmp_path: object) -> None:
    result = cli("trends", "--by", "week")
    assert result.code == 2 and "invalid choice" in result.err
    missing = cli("trends", db="nowhere.db")
    assert missing.code == 2 and "does not exist" in missing.err


def test_demo(cli: Runner) -> None:
    assert cli("demo", "--no-open").code == 0
    result = cli("trends", "--by", "quarter")
    assert result.code == 0 and "Median time from the start" in result.out
    assert "SEV1" in result.out
