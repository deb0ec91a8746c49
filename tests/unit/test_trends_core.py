"""core.trends: factors over time, recurring factors, medians with counts (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from retrotui.core.metrics import retro_metrics
from retrotui.core.trends import (
    Action,
    Incident,
    build_trends,
    chart,
    durations,
    median_of,
    period_of,
    periods_between,
)
from retrotui.models import EventKind, Retrospective, TimelineEvent

TODAY = date(2026, 11, 24)
M = timedelta(minutes=1)


def incident(
    ref: str, day: date, *factors: str, severity: str | None = "SEV2", resolve: int | None = None
) -> Incident:
    return Incident(
        id=f"id-{ref}",
        ref=ref,
        title=ref,
        severity=severity,
        day=day,
        factors=factors,
        time_to_resolve=None if resolve is None else resolve * M,
    )


def test_periods_by_month_and_quarter() -> None:
    assert period_of(date(2026, 5, 14), "month") == "2026-05"
    assert period_of(date(2026, 5, 14), "quarter") == "2026-Q2"
    assert periods_between(date(2025, 11, 30), date(2026, 2, 1), "month") == (
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    )
    assert periods_between(date(2025, 12, 31), date(2026, 4, 1), "quarter") == (
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
    )


def test_chart_bars_start_from_zero() -> None:
    """None is a dot; one of three is a low bar, not the empty bar of a min-max sparkline."""
    assert chart([0, 1, 3, 2], top=3) == "·▃█▅"
    assert chart([0, 0], top=0) == "··"


def test_medians_say_what_they_are_over_and_ignore_outliers() -> None:
    """A week-long outage does not move the median; missing times are counted apart."""
    median = median_of([10 * M, 20 * M, 7 * 24 * 60 * M, None])
    assert (median.value, median.n, median.missing, median.of) == (20 * M, 3, 1, 4)
    assert median_of([None]).value is None


@given(
    st.one_of(st.none(), st.integers(-120, 600)),
    st.one_of(st.none(), st.integers(-120, 600)),
    st.one_of(st.none(), st.integers(-120, 600)),
    st.booleans(),
)
def test_durations_agree_with_core_metrics(
    detected: int | None, mitigated: int | None, resolved: int | None, has_start: bool
) -> None:
    """The fast path measures exactly what a retrospective's own metrics measure."""
    start = datetime(2026, 5, 14, 9, tzinfo=UTC)

    def at(minutes: int | None) -> datetime | None:
        return None if minutes is None else start + minutes * M

    retro = Retrospective(
        title="t",
        started_at=start if has_start else None,
        detected_at=at(detected),
        mitigated_at=at(mitigated),
        resolved_at=at(resolved),
    )
    metrics = retro_metrics(retro, [])
    ours = durations(retro.started_at, at(detected), at(mitigated), at(resolved))
    assert ours == (metrics.time_to_detect, metrics.time_to_mitigate, metrics.time_to_resolve)
    event = TimelineEvent(retro_id="r", time=start, text="x", kind=EventKind.TRIGGER)
    assert retro_metrics(retro, [event]).start == start


def test_factors_counted_per_period_most_frequent_first() -> None:
    incidents = [
        incident("INC-1", date(2026, 9, 3), "config-push", "software"),
        incident("INC-2", date(2026, 9, 20), "config-push"),
        incident("INC-3", date(2026, 11, 2), "config-push", "binary-push"),
        incident("INC-4", date(2026, 10, 9), "binary-push"),
        incident("INC-5", date(2026, 10, 10)),
    ]
    trends = build_trends(incidents, [], today=TODAY, by="month")
    assert trends.periods == ("2026-09", "2026-10", "2026-11")
    assert [(f.factor, f.count, f.per_period) for f in trends.factors] == [
        ("config-push", 3, (2, 0, 1)),
        ("binary-push", 2, (0, 1, 1)),
        ("software", 1, (1, 0, 0)),
    ]
    assert [i.ref for i in trends.factors[0].incidents] == ["INC-3", "INC-2", "INC-1"]
    assert [f.factor for f in trends.recurring] == ["config-push", "binary-push"]
    assert (trends.incidents, trends.with_factors, trends.busiest) == (5, 4, 2)
    quarterly = build_trends(incidents, [], today=TODAY, by="quarter")
    assert quarterly.periods == ("2026-Q3", "2026-Q4")
    assert quarterly.factors[0].per_period == (2, 1)


def test_since_keeps_later_incidents_and_starts_the_chart_there() -> None:
    incidents = [
        incident("INC-1", date(2026, 1, 3), "config-push"),
        incident("INC-2", date(2026, 10, 20), "config-push"),
    ]
    trends = build_trends(incidents, [], today=TODAY, since=date(2026, 9, 15))
    assert trends.incidents == 1 and trends.periods == ("2026-09", "2026-10", "2026-11")
    assert trends.factors[0].per_period == (0, 1, 0) and not trends.recurring


def test_open_and_overdue_actions_per_factor() -> None:
    """Open counts open and in-progress items of the factor's incidents; overdue those
    of them past their due date; done and won't-do items count for neither."""
    incidents = [
        incident("INC-1", date(2026, 9, 3), "config-push"),
        incident("INC-2", date(2026, 10, 3), "config-push", "software"),
    ]
    past, future = date(2026, 11, 1), date(2026, 12, 1)
    actions = [
        Action("a1", "id-INC-1", "Canary config pushes", "open", past),
        Action("a2", "id-INC-1", "Lint config", "in_progress", future),
        Action("a3", "id-INC-2", "Write a runbook", "done", past),
        Action("a4", "id-INC-2", "Stage rollouts", "wont_do", past),
        Action("a5", "id-INC-2", "Alert on errors", "open", None),
    ]
    trends = build_trends(incidents, actions, today=TODAY)
    counts = {f.factor: (f.open_actions, f.overdue_actions) for f in trends.factors}
    assert counts == {"config-push": (3, 1), "software": (1, 0)}


def test_alike_actions_across_retros_oldest_first() -> None:
    incidents = [
        incident("INC-1", date(2026, 3, 3)),
        incident("INC-2", date(2026, 9, 3)),
    ]
    actions = [
        Action("a2", "id-INC-2", "Alert when the connection pool is saturated", "open", None),
        Action("a1", "id-INC-1", "Alert on connection pool saturation", "done", None),
        Action("a3", "id-INC-2", "Write a runbook for failover", "open", None),
    ]
    trends = build_trends(incidents, actions, today=TODAY)
    assert [[a.action.id for a in g] for g in trends.alike_actions] == [["a1", "a2"]]
    assert trends.alike_actions[0][0].incident.ref == "INC-1"


def test_times_per_severity_with_counts() -> None:
    incidents = [
        incident("A", TODAY, severity="SEV2", resolve=30),
        incident("B", TODAY, severity="SEV1", resolve=90),
        incident("C", TODAY, severity="SEV1", resolve=None),
        incident("D", TODAY, severity=None, resolve=10),
    ]
    times = build_trends(incidents, [], today=TODAY).times
    assert [(t.severity, t.incidents) for t in times] == [("SEV1", 2), ("SEV2", 1), ("none", 1)]
    sev1 = times[0].time_to_resolve
    assert (sev1.value, sev1.n, sev1.missing) == (90 * M, 1, 1)
    assert times[0].time_to_detect.n == 0 and times[0].time_to_detect.value is None


def test_nothing_recorded() -> None:
    trends = build_trends([], [], today=TODAY)
    assert trends.incidents == 0 and trends.periods == () and trends.factors == ()
    assert trends.times == () and trends.alike_actions == ()
