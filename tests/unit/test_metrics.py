"""Per-retrospective metrics: milestones, fallbacks to events, bad orders, time zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from retrotui.core.metrics import RetroMetrics, format_duration, retro_metrics
from retrotui.models import EventKind, Retrospective, TimelineEvent

T0 = datetime(2026, 5, 14, 9, 0, tzinfo=UTC)


def event(minutes: int, kind: EventKind, tz: timezone = UTC) -> TimelineEvent:
    return TimelineEvent(
        retro_id="r", time=(T0 + timedelta(minutes=minutes)).astimezone(tz), text="", kind=kind
    )


def retro(**minutes: int | None) -> Retrospective:
    fields = {
        f"{name}_at": None if value is None else T0 + timedelta(minutes=value)
        for name, value in minutes.items()
    }
    return Retrospective(title="t", **fields)


def test_all_milestones_give_all_figures() -> None:
    """With every milestone set, each figure is the distance from the start."""
    m = retro_metrics(retro(started=0, detected=9, mitigated=51, resolved=95), [])
    assert m.time_to_detect == timedelta(minutes=9)
    assert m.time_to_mitigate == timedelta(minutes=51)
    assert m.time_to_resolve == timedelta(minutes=95)
    assert m.duration == timedelta(minutes=95)
    assert m.warnings == () and m.from_events == ()


def test_missing_milestones_fall_back_to_first_event_of_kind() -> None:
    """No milestones: the earliest trigger/detection/mitigation/resolution events stand in."""
    events = [
        event(40, EventKind.MITIGATION),
        event(12, EventKind.DETECTION),
        event(5, EventKind.TRIGGER),
        event(30, EventKind.MITIGATION),
        event(80, EventKind.RESOLUTION),
        event(8, EventKind.DETECTION),
        event(120, EventKind.COMMUNICATION),
    ]
    m = retro_metrics(retro(), events)
    assert m.time_to_detect == timedelta(minutes=3)
    assert m.time_to_mitigate == timedelta(minutes=25)
    assert m.time_to_resolve == timedelta(minutes=75)
    # Start to resolution: the communication an hour later is not part of the incident.
    assert m.duration == timedelta(minutes=75) and not m.ongoing
    assert set(m.from_events) == {"started_at", "detected_at", "mitigated_at", "resolved_at"}


def test_an_unresolved_incident_lasts_until_the_latest_record_so_far() -> None:
    """No resolution yet: the duration runs to the latest milestone or event, marked
    ongoing so the document can say so."""
    events = [event(5, EventKind.TRIGGER), event(50, EventKind.COMMUNICATION)]
    m = retro_metrics(retro(mitigated=30), events)
    assert m.duration == timedelta(minutes=45) and m.ongoing
    assert m.time_to_resolve is None


def test_milestone_wins_over_event() -> None:
    """A milestone set by the team is used even when an event of that kind exists."""
    m = retro_metrics(retro(started=0, detected=20), [event(5, EventKind.DETECTION)])
    assert m.time_to_detect == timedelta(minutes=20)
    assert "detected_at" not in m.from_events


def test_missing_everything_gives_none_quietly() -> None:
    """A retrospective with no times at all has no figures and nothing to warn about."""
    assert retro_metrics(retro(), []) == RetroMetrics()


def test_no_start_gives_none_with_a_warning() -> None:
    """Without a start or trigger, nothing is measured, and the reason is given."""
    m = retro_metrics(retro(detected=5, resolved=50), [])
    assert m.time_to_detect is None and m.time_to_resolve is None and m.duration is None
    assert "no start time" in m.warnings[0]


def test_unmeasurable_figure_stays_none() -> None:
    """A missing resolution leaves time to resolve unknown while the others are kept."""
    m = retro_metrics(retro(started=0, detected=9), [])
    assert m.time_to_detect == timedelta(minutes=9)
    assert m.time_to_mitigate is None and m.time_to_resolve is None


def test_milestone_before_start_is_dropped_not_negative() -> None:
    """Detection before the start is reported, never a negative time to detect."""
    m = retro_metrics(retro(started=30, detected=10, resolved=60), [])
    assert m.time_to_detect is None
    assert m.time_to_resolve == timedelta(minutes=30)
    assert any("detection" in w and "before the start" in w for w in m.warnings)


def test_resolved_before_detected_keeps_figures_and_warns() -> None:
    """Resolution before detection: both figures are still from the start, plus a warning."""
    m = retro_metrics(retro(started=0, detected=40, resolved=20), [])
    assert m.time_to_detect == timedelta(minutes=40)
    assert m.time_to_resolve == timedelta(minutes=20)
    assert m.warnings == (
        "The resolution is before the detection; check the milestones and the timeline.",
    )
    for value in (m.time_to_detect, m.time_to_resolve, m.duration):
        assert value is not None and value >= timedelta(0)


def test_time_zones_are_compared_as_instants() -> None:
    """Milestones and events in different UTC offsets measure real elapsed time."""
    tokyo, new_york = timezone(timedelta(hours=9)), timezone(timedelta(hours=-5))
    r = Retrospective(title="t", started_at=T0.astimezone(tokyo))
    events = [event(45, EventKind.DETECTION, new_york)]
    m = retro_metrics(r, events)
    assert m.time_to_detect == timedelta(minutes=45)


def test_naive_times_are_read_as_utc() -> None:
    """An unsaved record with a naive time does not crash the comparison."""
    r = Retrospective(title="t", started_at=T0.replace(tzinfo=None))
    m = retro_metrics(r, [event(10, EventKind.RESOLUTION)])
    assert m.time_to_resolve == timedelta(minutes=10)


def test_format_duration() -> None:
    """Durations read as a person would say them."""
    assert format_duration(None) == "-"
    assert format_duration(timedelta(seconds=59)) == "0m"
    assert format_duration(timedelta(minutes=95)) == "1h 35m"
    assert format_duration(timedelta(hours=2)) == "2h"
    assert format_duration(timedelta(days=3, hours=4, minutes=5)) == "3d 4h"
