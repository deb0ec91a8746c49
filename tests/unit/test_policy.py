"""The due-date policy: defaults by severity, overrides from config.toml, the past-policy flag."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from retrotui.core.policy import DuePolicy, PolicyError, policy_from_settings
from retrotui.models import ActionStatus, Severity
from retrotui.services.actions import load_due_policy

CREATED = date(2026, 3, 1)


def test_defaults_by_severity() -> None:
    """SEV1 gets 15 days, SEV2 30, every other severity and none 60."""
    policy = DuePolicy()
    assert policy.due_for(Severity.SEV1, CREATED) == date(2026, 3, 16)
    assert policy.due_for("SEV2", CREATED) == date(2026, 3, 31)
    assert policy.days_for(Severity.SEV3) == 60
    assert policy.days_for(Severity.SEV5) == 60
    assert policy.days_for(None) == 60


def test_config_overrides_some_keys_and_keeps_the_rest(tmp_path: Path) -> None:
    """[due_policy] in config.toml changes only the severities it names."""
    config = tmp_path / "config.toml"
    config.write_text("[due_policy]\nsev1 = 7\n3 = 20\ndefault = 90\n")
    policy = load_due_policy(config)
    assert policy.days_for(Severity.SEV1) == 7
    assert policy.days_for(Severity.SEV2) == 30
    assert policy.days_for(Severity.SEV3) == 20
    assert policy.days_for(Severity.SEV4) == 90
    assert policy.days_for(None) == 90


def test_no_config_file_means_defaults(tmp_path: Path) -> None:
    """A missing config file gives the published defaults."""
    assert load_due_policy(tmp_path / "absent.toml") == DuePolicy()


@pytest.mark.parametrize(
    ("settings", "phrase"),
    [
        ({"SEV9": 10}, "'SEV9' is not a severity"),
        ({"urgent": 10}, "'urgent' is not a severity"),
        ({"SEV1": 0}, "SEV1 must be a whole number of days"),
        ({"SEV1": -5}, "SEV1 must be a whole number of days"),
        ({"SEV2": "ten"}, "not 'ten'"),
        ({"SEV2": 1.5}, "not 1.5"),
        ({"default": True}, "not True"),
        ({"SEV1": 100_000}, "from 1 to 3650"),
    ],
)
def test_bad_settings_are_one_clear_sentence(settings: dict[str, object], phrase: str) -> None:
    """A typo in [due_policy] is refused, naming the key, instead of being ignored."""
    with pytest.raises(PolicyError, match="due_policy") as info:
        policy_from_settings(settings)
    assert phrase in str(info.value)


def test_past_policy_only_after_the_window() -> None:
    """An open item is flagged the day after its policy window ends, not on the last day."""
    policy = DuePolicy()
    last_day = date(2026, 3, 16)
    assert not policy.is_past_policy(Severity.SEV1, CREATED, ActionStatus.OPEN, last_day)
    assert policy.is_past_policy(Severity.SEV1, CREATED, "in_progress", date(2026, 3, 17))


def test_closed_items_are_never_past_policy() -> None:
    """Done and won't-do items are finished, however long they took."""
    policy = DuePolicy()
    late = date(2027, 1, 1)
    assert not policy.is_past_policy(Severity.SEV1, CREATED, ActionStatus.DONE, late)
    assert not policy.is_past_policy(Severity.SEV1, CREATED, ActionStatus.WONT_DO, late)
