"""Action items: add and edit them with validation, list them across retrospectives, and
find the ones earlier retrospectives left open (the carry-over).

"Today" is always a parameter so tests and the app agree on what is overdue; `now`
(the instant an item is closed) defaults to the local clock, with its UTC offset kept so
the close day is the one the person saw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any, Final

from retrotui.core import limits
from retrotui.core.policy import DuePolicy, policy_from_settings
from retrotui.core.stats import UNASSIGNED, is_open, is_overdue
from retrotui.core.times import offset_minutes, parse_date, with_offset
from retrotui.errors import ValidationError
from retrotui.models import ActionItem, ActionStatus, Priority, Retrospective, Why
from retrotui.services.retros import clean_text
from retrotui.store import errors as store_errors
from retrotui.store.repository import Store, all_rows

# Limits of the trackers these items end up in: Jira's summary takes 255 characters and a
# text field 32,767; longer text would be cut off silently by the CSV import.
MAX_TITLE = limits.ACTION_TITLE
MAX_DESCRIPTION = limits.DESCRIPTION
MAX_SHORT = limits.SHORT

_STATUS_WORDS = {
    "open": ActionStatus.OPEN,
    "todo": ActionStatus.OPEN,
    "in progress": ActionStatus.IN_PROGRESS,
    "doing": ActionStatus.IN_PROGRESS,
    "done": ActionStatus.DONE,
    "closed": ActionStatus.DONE,
    "won't do": ActionStatus.WONT_DO,
    "wont do": ActionStatus.WONT_DO,
}


class Scope(StrEnum):
    """Which action items a list shows."""

    OPEN = "open"
    OVERDUE = "overdue"
    ALL = "all"


class _Unset(Enum):
    UNSET = "unset"


UNSET: Final = _Unset.UNSET
"""Marks an `update_action` field the caller leaves as it is (None means "clear")."""


@dataclass(frozen=True)
class ActionRow:
    """An action item with its retrospective and what today makes of it."""

    action: ActionItem
    retro: Retrospective
    overdue: bool
    past_policy: bool
    today: date

    @property
    def days_overdue(self) -> int:
        """Whole days past the due date; 0 when not overdue."""
        if not self.overdue or self.action.due is None:
            return 0
        return (self.today - self.action.due).days


# -- parsing what people type ----------------------------------------------------------


def parse_status(value: ActionStatus | str) -> ActionStatus:
    if isinstance(value, ActionStatus):
        return value
    word = re.sub(r"[\s_-]+", " ", value.strip().lower())
    status = _STATUS_WORDS.get(word)
    if status is None:
        raise ValidationError(
            f"{value!r} is not an action status; use open, in_progress, done or wont_do."
        )
    return status


def parse_priority(value: Priority | str) -> Priority:
    if isinstance(value, Priority):
        return value
    try:
        return Priority(value.strip().lower())
    except ValueError:
        raise ValidationError(f"{value!r} is not a priority; use high, medium or low.") from None


def parse_scope(value: Scope | str) -> Scope:
    try:
        return Scope(value)
    except ValueError:
        raise ValidationError(f"{value!r} is not a scope; use open, overdue or all.") from None


def parse_due(value: date | str | None, today: date) -> date | None:
    """A due date from a date, ISO text, or relative text such as +14d; blank is none."""
    if value is None or isinstance(value, date):
        return value
    if not value.strip():
        return None
    return parse_date(value, today=today)


def load_due_policy(config: Path | None = None) -> DuePolicy:
    """The team's due-date policy from `[due_policy]` of config.toml (defaults if absent)."""
    from retrotui.settings import section

    return policy_from_settings(section("due_policy", config))


# -- adding and editing ----------------------------------------------------------------


def add_action(
    store: Store,
    retro: Retrospective,
    title: str,
    *,
    today: date,
    description: str = "",
    owner: str = "",
    due: date | str | None = None,
    priority: Priority | str = Priority.MEDIUM,
    status: ActionStatus | str = ActionStatus.OPEN,
    ticket: str = "",
    why_id: str | None = None,
    policy: DuePolicy | None = None,
    now: datetime | None = None,
    author: str = "",
) -> ActionItem:
    """Record a new action item, typed by `author` (who is not necessarily its owner).
    With no due date, the severity policy picks one and marks it `due_is_default`, so the
    UI can show it as a suggestion."""
    fields: dict[str, Any] = {
        "title": _title(title),
        "description": _description(description),
        "owner": _one_line(owner, "owner", MAX_SHORT),
        "priority": parse_priority(priority),
        "ticket": _one_line(ticket, "ticket", MAX_SHORT),
        "why_id": _why_of(store, retro, why_id),
        "author": _one_line(author, "author", MAX_SHORT),
    }
    chosen_due = parse_due(due, today)
    if chosen_due is None:
        policy = policy or load_due_policy()
        fields.update(due=policy.due_for(retro.severity, today), due_is_default=True)
    else:
        fields.update(due=chosen_due, due_is_default=False)
    fields.update(_status_fields(parse_status(status), None, now))
    action = store.add(ActionItem(retro_id=retro.id, **fields))
    store.touch(retro.id)
    return action


def update_action(
    store: Store,
    action_id: str,
    *,
    today: date,
    title: str | _Unset = UNSET,
    description: str | _Unset = UNSET,
    owner: str | _Unset = UNSET,
    due: date | str | _Unset | None = UNSET,
    priority: Priority | str | _Unset = UNSET,
    status: ActionStatus | str | _Unset = UNSET,
    ticket: str | _Unset = UNSET,
    why_id: str | _Unset | None = UNSET,
    now: datetime | None = None,
) -> ActionItem:
    """Change the given fields of one action item and return it as stored.

    Setting `due` (even to the same day) makes it a person's choice, no longer the
    policy's default; `due=None` clears it. Status changes set or clear `closed_at`.
    """
    current = _get_action(store, action_id)
    changes: dict[str, Any] = {}
    if not isinstance(title, _Unset):
        changes["title"] = _title(title)
    if not isinstance(description, _Unset):
        changes["description"] = _description(description)
    if not isinstance(owner, _Unset):
        changes["owner"] = _one_line(owner, "owner", MAX_SHORT)
    if not isinstance(due, _Unset):
        changes.update(due=parse_due(due, today), due_is_default=False)
    if not isinstance(priority, _Unset):
        changes["priority"] = parse_priority(priority)
    if not isinstance(ticket, _Unset):
        changes["ticket"] = _one_line(ticket, "ticket", MAX_SHORT)
    if not isinstance(why_id, _Unset):
        retro = store.get(Retrospective, current.retro_id)
        changes["why_id"] = _why_of(store, retro, why_id)
    if not isinstance(status, _Unset):
        changes.update(_status_fields(parse_status(status), current, now))
    if not changes:
        return current
    updated = store.update(ActionItem, action_id, **changes)
    store.touch(current.retro_id)
    return updated


def set_action_status(
    store: Store, action_id: str, status: ActionStatus | str, *, now: datetime | None = None
) -> ActionItem:
    """Move an item to `status`: closing stamps `closed_at`, reopening clears it."""
    current = _get_action(store, action_id)
    changes = _status_fields(parse_status(status), current, now)
    updated = store.update(ActionItem, action_id, **changes)
    store.touch(current.retro_id)
    return updated


def delete_action(store: Store, action_id: str) -> None:
    current = _get_action(store, action_id)
    store.delete(ActionItem, action_id)
    store.touch(current.retro_id)


# -- lists -----------------------------------------------------------------------------


def list_actions(
    store: Store,
    *,
    today: date,
    scope: Scope | str = Scope.OPEN,
    owner: str | None = None,
    retro: Retrospective | None = None,
    policy: DuePolicy | None = None,
) -> list[ActionRow]:
    """Action items across retrospectives, soonest due first (no due date last).

    `owner` matches case-insensitively; "(unassigned)" matches items with no owner. An
    owner nobody has gives an empty list, not an error.
    """
    scope = parse_scope(scope)
    rows = _rows(store, today, policy)
    if retro is not None:
        rows = [row for row in rows if row.retro.id == retro.id]
    if owner is not None:
        wanted = owner.strip().casefold()
        rows = [row for row in rows if _owner_key(row.action.owner) == wanted]
    if scope is Scope.OPEN:
        rows = [row for row in rows if is_open(row.action)]
    elif scope is Scope.OVERDUE:
        rows = [row for row in rows if row.overdue]
    return sorted(rows, key=_due_order)


def carry_over(
    store: Store, retro: Retrospective, *, today: date, policy: DuePolicy | None = None
) -> list[ActionRow]:
    """Open items of retrospectives created before `retro`: overdue first (most days
    late first), then by due date. What the team reviews before making new ones."""
    rows = [
        row
        for row in _rows(store, today, policy)
        if is_open(row.action) and row.retro.created_at < retro.created_at
    ]
    return sorted(rows, key=lambda row: (not row.overdue, *_due_order(row)))


def owners(store: Store) -> list[str]:
    """Every owner named on an action item, for filter pickers; "(unassigned)" last."""
    names: dict[str, str] = {}
    for action in all_rows(store, ActionItem):
        label = action.owner.strip() or UNASSIGNED
        names.setdefault(label.casefold(), label)
    unassigned = names.pop(UNASSIGNED.casefold(), None)
    ordered = sorted(names.values(), key=str.casefold)
    return [*ordered, unassigned] if unassigned else ordered


# -- helpers ---------------------------------------------------------------------------


def _rows(store: Store, today: date, policy: DuePolicy | None) -> list[ActionRow]:
    policy = policy or load_due_policy()
    retros = {retro.id: retro for retro, _ in store.retrospectives()}
    rows = []
    for action in all_rows(store, ActionItem):
        retro = retros[action.retro_id]
        created = with_offset(action.created_at, action.created_at_offset).date()
        rows.append(
            ActionRow(
                action=action,
                retro=retro,
                overdue=is_overdue(action, today),
                past_policy=policy.is_past_policy(retro.severity, created, action.status, today),
                today=today,
            )
        )
    return rows


def _due_order(row: ActionRow) -> tuple[bool, date, datetime, int]:
    due = row.action.due
    return (due is None, due or date.max, row.retro.created_at, row.action.position)


def _owner_key(owner: str) -> str:
    return (owner.strip() or UNASSIGNED).casefold()


def _get_action(store: Store, action_id: str) -> ActionItem:
    try:
        return store.get(ActionItem, action_id)
    except store_errors.NotFoundError:
        raise ValidationError(f"No action item has the id {action_id!r}.") from None


def _status_fields(
    status: ActionStatus, current: ActionItem | None, now: datetime | None
) -> dict[str, Any]:
    was_closed = current is not None and ActionStatus(current.status).is_closed
    if not status.is_closed:
        return {"status": status, "closed_at": None, "closed_at_offset": None}
    if was_closed:
        # done <-> won't do keeps the day it was first closed
        return {"status": status}
    moment = now or datetime.now().astimezone()
    return {"status": status, "closed_at": moment, "closed_at_offset": offset_minutes(moment)}


def _one_line(value: str, what: str, limit: int, *, required: bool = False) -> str:
    """A short field folded onto one line, so tables, CSV rows and task lists stay whole."""
    text = " ".join(clean_text(value, what, required=required).split())
    if len(text) > limit:
        raise ValidationError(
            f"The {what} is {len(text):,} characters long; keep it under {limit + 1:,}."
        )
    return text


def _title(value: str) -> str:
    return _one_line(value, "title", MAX_TITLE, required=True)


def _description(value: str) -> str:
    text = clean_text(value, "description")
    if len(text) > MAX_DESCRIPTION:
        raise ValidationError(
            f"The description is {len(text):,} characters long; trackers take at most "
            f"{MAX_DESCRIPTION:,}, so put the rest in a linked document."
        )
    return text


def _why_of(store: Store, retro: Retrospective, why_id: str | None) -> str | None:
    if why_id is None:
        return None
    try:
        why = store.get(Why, why_id)
    except store_errors.NotFoundError:
        raise ValidationError(f"No why level has the id {why_id!r}.") from None
    if why.retro_id != retro.id:
        raise ValidationError("That why level belongs to another retrospective.")
    return why.id
