"""Figures across retrospectives: follow-through, days to close, owners, resolve trend."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from retrotui.core.metrics import RetroMetrics
from retrotui.core.stats import (
    FollowThrough,
    closed_on,
    follow_through,
    load_by_owner,
    median_days_to_close,
    resolve_by_severity,
    sparkline,
    team_stats,
)
from retrotui.demo import ensure_demo
from retrotui.models import (
    ActionItem,
    ActionStatus,
    EventKind,
    Retrospective,
    Severity,
    TimelineEvent,
)
from retrotui.services.stats import load_team_stats, metrics_for
from retrotui.store.repository import Store

TODAY = date(2026, 5, 20)
T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def action(
    status: ActionStatus = ActionStatus.OPEN,
    due: date | None = None,
    closed: datetime | None = None,
    owner: str = "",
    created: datetime = T0,
) -> ActionItem:
    return ActionItem(
        retro_id="r", title="t", status=status, due=due, closed_at=closed, owner=owner,
        created_at=created,
    )  # fmt: skip


def test_follow_through_buckets() -> None:
    """Each item lands in exactly one bucket; the rate is on time over measured."""
    due = date(2026, 5, 10)
    actions = [
        action(ActionStatus.DONE, due, datetime(2026, 5, 10, 20, tzinfo=UTC)),  # on the day
        action(ActionStatus.DONE, due, datetime(2026, 5, 11, 9, tzinfo=UTC)),  # a day late
        action(ActionStatus.OPEN, due),  # missed: still open after its due date
        action(ActionStatus.IN_PROGRESS, TODAY),  # due today: not yet due
        action(ActionStatus.OPEN, None),
        action(ActionStatus.WONT_DO, due, datetime(2026, 5, 2, tzinfo=UTC)),
        action(ActionStatus.DONE, due, None),  # imported without a close time
    ]
    result = follow_through(actions, TODAY)
    assert result == FollowThrough(
        on_time=1, missed=2, not_yet_due=1, no_due_date=1, wont_do=1, unknown_close=1
    )
    assert result.measured == 3
    assert result.rate == 1 / 3


def test_follow_through_uses_the_closer_s_calendar_day() -> None:
    """Closed at 23:30 in New York on the due day is on time, although it is the next
    day in UTC."""
    new_york = timezone(timedelta(hours=-5))
    closed = datetime(2026, 5, 10, 23, 30, tzinfo=new_york)
    item = action(ActionStatus.DONE, date(2026, 5, 10), closed.astimezone(UTC))
    item.closed_at_offset = -300
    assert closed_on(item) == date(2026, 5, 10)
    assert follow_through([item], TODAY).on_time == 1


def test_follow_through_rate_is_none_when_nothing_is_measurable() -> None:
    """No actions, or only future ones, give no rate rather than 0% or 100%."""
    assert follow_through([], TODAY).rate is None
    assert follow_through([action(due=TODAY + timedelta(days=1))], TODAY).rate is None


def test_median_days_to_close() -> None:
    """Median over done items; open, won't-do and impossible (negative) spans are left out."""
    actions = [
        action(ActionStatus.DONE, closed=T0 + timedelta(days=2)),
        action(ActionStatus.DONE, closed=T0 + timedelta(days=10)),
        action(ActionStatus.DONE, closed=T0 + timedelta(days=4, hours=12)),
        action(ActionStatus.DONE, closed=T0 - timedelta(days=1)),
        action(ActionStatus.WONT_DO, closed=T0 + timedelta(days=100)),
        action(ActionStatus.OPEN),
    ]
    assert median_days_to_close(actions) == 4.5
    assert median_days_to_close([action()]) is None


def test_load_by_owner() -> None:
    """Open and overdue counts per owner, most overdue first; closed items do not count."""
    past, future = TODAY - timedelta(days=1), TODAY + timedelta(days=1)
    actions = [
        action(owner="Ana", due=future),
        action(owner="Ana", due=future),
        action(owner="Ben", due=past),
        action(owner=" ", due=past),
        action(ActionStatus.DONE, owner="Chidi", due=past),
    ]
    loads = [(o.owner, o.open, o.overdue) for o in load_by_owner(actions, TODAY)]
    assert loads == [("Ben", 1, 1), ("(unassigned)", 1, 1), ("Ana", 2, 0)]


def retro(rid: str, severity: Severity | None, start: datetime) -> Retrospective:
    return Retrospective(id=rid, title=rid, severity=severity, started_at=start)


def test_resolve_by_severity_groups_and_orders_by_start() -> None:
    """Points group by severity (SEV1 first, none last), oldest incident first; unknown
    times to resolve are left out."""
    retros = [
        retro("b", Severity.SEV2, T0 + timedelta(days=5)),
        retro("a", Severity.SEV2, T0),
        retro("c", None, T0),
        retro("d", Severity.SEV1, T0),
        retro("e", Severity.SEV1, T0),
    ]
    metrics = {
        r.id: RetroMetrics(time_to_resolve=timedelta(hours=i + 1), start=r.started_at)
        for i, r in enumerate(retros)
    }
    metrics["e"] = RetroMetrics(start=T0)
    grouped = resolve_by_severity(retros, metrics)
    assert list(grouped) == ["SEV1", "SEV2", "none"]
    assert [p.retro_id for p in grouped["SEV2"]] == ["a", "b"]
    assert [p.retro_id for p in grouped["SEV1"]] == ["d"]


def test_retrospectives_without_actions() -> None:
    """Stats over retrospectives that have no action items are zeros and unknowns."""
    stats = team_stats([retro("a", Severity.SEV3, T0)], [], {}, TODAY)
    assert (stats.retrospectives, stats.actions, stats.open, stats.overdue) == (1, 0, 0, 0)
    assert stats.follow_through.rate is None and stats.median_days_to_close is None
    assert stats.by_owner == () and stats.resolve_by_severity == {}


def test_sparkline() -> None:
    """Lowest value is the shortest bar, highest the tallest; a flat series is level."""
    assert sparkline([]) == ""
    assert sparkline([1, 5, 9]) == "▁▅█"
    assert sparkline([3, 3]) == "▅▅"


def test_metrics_for_reads_events_from_the_store(store: Store) -> None:
    """With no milestones, the stored detection event gives the time to detect."""
    r = store.add(Retrospective(title="r"))
    for minutes, kind in ((0, EventKind.TRIGGER), (7, EventKind.DETECTION)):
        store.add(
            TimelineEvent(retro_id=r.id, time=T0 + timedelta(minutes=minutes), text="", kind=kind)
        )
    assert metrics_for(store, r).time_to_detect == timedelta(minutes=7)


def test_team_stats_on_the_demo(store: Store) -> None:
    """The demo history gives every kind of figure something to show."""
    ensure_demo(store, TODAY)
    stats = load_team_stats(store, today=TODAY)
    assert stats.retrospectives == 6
    assert stats.overdue >= 3 and stats.open > stats.overdue
    ft = stats.follow_through
    assert ft.on_time and ft.missed and ft.not_yet_due and ft.no_due_date and ft.wont_do
    assert stats.median_days_to_close is not None
    assert {"SEV1", "SEV2", "SEV3"} <= set(stats.resolve_by_severity)
    assert len(stats.resolve_by_severity["SEV1"]) == 2
