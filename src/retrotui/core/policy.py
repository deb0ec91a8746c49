"""The due-date policy: how long an action item may take, by incident severity.

Defaults: SEV1 15 days, SEV2 30 days, anything else 60, in line with published practice
(Atlassian's incident handbook gives postmortem "priority actions" an SLO of 4 or 8
weeks; the most severe incidents get the shortest window). Teams override them in
`[due_policy]` of config.toml:

    [due_policy]
    SEV1 = 10
    SEV2 = 21
    default = 45     # every other severity, and retrospectives with none

The policy fills in the due date of a new action item that has none, and flags an open
item that has outlived its policy window, whatever due date people later gave it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from retrotui.errors import UserError
from retrotui.models import ActionStatus, Severity

DEFAULT_DAYS_BY_SEVERITY: Mapping[Severity, int] = {Severity.SEV1: 15, Severity.SEV2: 30}
DEFAULT_OTHER_DAYS = 60
# Keys accepted for "every other severity" in the config file.
OTHER_KEYS = ("default", "other", "others")
MAX_DAYS = 3650


class PolicyError(UserError):
    """A `[due_policy]` setting that cannot be used; one sentence naming the key."""


@dataclass(frozen=True)
class DuePolicy:
    """Days an action item gets, counted from the day it was created."""

    days_by_severity: Mapping[Severity, int] = field(
        default_factory=lambda: dict(DEFAULT_DAYS_BY_SEVERITY)
    )
    other_days: int = DEFAULT_OTHER_DAYS

    def days_for(self, severity: Severity | str | None) -> int:
        if severity is None:
            return self.other_days
        return self.days_by_severity.get(Severity(severity), self.other_days)

    def due_for(self, severity: Severity | str | None, created: date) -> date:
        """The due date the policy gives an item created on `created`."""
        return created + timedelta(days=self.days_for(severity))

    def is_past_policy(
        self,
        severity: Severity | str | None,
        created: date,
        status: ActionStatus | str,
        today: date,
    ) -> bool:
        """An item still open after its policy window (closed items are never flagged)."""
        if ActionStatus(status).is_closed:
            return False
        return today > self.due_for(severity, created)


def policy_from_settings(settings: Mapping[str, Any]) -> DuePolicy:
    """The policy from a `[due_policy]` table; missing keys keep their defaults.

    Keys are severities (`SEV1`, `sev2`, or `1`) or `default`; values are whole days.
    """
    days = dict(DEFAULT_DAYS_BY_SEVERITY)
    other = DEFAULT_OTHER_DAYS
    for key, value in settings.items():
        days_value = _days(key, value)
        name = str(key).strip().upper()
        if name.lower() in OTHER_KEYS:
            other = days_value
            continue
        if name.isdigit():
            name = f"SEV{name}"
        try:
            days[Severity(name)] = days_value
        except ValueError:
            raise PolicyError(
                f"In [due_policy] of the config file, {key!r} is not a severity; "
                "use SEV1 to SEV5 or default."
            ) from None
    return DuePolicy(days_by_severity=days, other_days=other)


def _days(key: str, value: Any) -> int:
    # bool is an int in Python; `SEV1 = true` is a typo, not one day.
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DAYS:
        raise PolicyError(
            f"In [due_policy] of the config file, {key} must be a whole number of days "
            f"from 1 to {MAX_DAYS}, not {value!r}."
        )
    return value
