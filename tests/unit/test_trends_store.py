"""Trends read from a database (store.trends, services.trends) on both engines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from retrotui.core.metrics import MILESTONE_KINDS
from retrotui.models import ActionItem, ActionStatus, EventKind, Retrospective, TimelineEvent
from retrotui.services.labels import change_labels
from retrotui.services.trends import load_trends, quick_trends
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store
from retrotui.store.trends import MILESTONE_EVENT_KINDS, read_sqlite_trends, read_trends

TODAY = date(2026, 11, 24)
START = datetime(2026, 9, 3, 23, 30, tzinfo=UTC)


def fill(store: Store) -> None:
    """Three incidents: milestones in a +02:00 clock, milestones from timeline events
    only, and one without any time."""
    first = store.add(
        Retrospective(
            title="Config push broke checkout",
            incident_ref="INC-1",
            severity="SEV1",
            started_at=START,
            started_at_offset=120,  # 01:30 on Sep 4 for the team
            detected_at=START + timedelta(minutes=5),
            resolved_at=START + timedelta(minutes=95),
        )
    )
    second = store.add(Retrospective(title="Bad deploy", incident_ref="INC-2", severity="SEV1"))
    for minutes, kind in ((0, EventKind.TRIGGER), (30, EventKind.DETECTION), (9, EventKind.NOTE)):
        store.add(
            TimelineEvent(
                retro_id=second.id,
                time=datetime(2026, 10, 1, 8, tzinfo=UTC) + timedelta(minutes=minutes),
                text="e",
                kind=kind,
            )
        )
    third = store.add(Retrospective(title="No times at all", severity="SEV2"))
    change_labels(store, first, add_factors=["config-push", "software"])
    change_labels(store, second, add_factors=["config-push"])
    store.add(
        ActionItem(retro_id=first.id, title="Canary every config push", due=date(2026, 10, 1))
    )
    store.add(
        ActionItem(
            retro_id=second.id,
            title="Canary all config pushes",
            status=ActionStatus.DONE,
        )
    )
    store.add(ActionItem(retro_id=third.id, title="Write it down", due=date(2027, 1, 1)))


def test_the_kinds_agree_with_core_metrics() -> None:
    assert {k: v.value for k, v in MILESTONE_KINDS.items()} == MILESTONE_EVENT_KINDS


def test_trends_from_the_store(store: Store) -> None:
    """Factors, refs, open/overdue items, alike actions and medians, on each engine."""
    fill(store)
    trends = load_trends(store, today=TODAY)
    assert trends.incidents == 3 and trends.with_factors == 2
    config = trends.factors[0]
    assert config.factor == "config-push"
    assert [i.ref for i in config.incidents] == ["INC-2", "INC-1"]
    # INC-1 started on Sep 4 on the team's clock (Sep 3 in UTC).
    assert config.incidents[1].day == date(2026, 9, 4)
    assert (config.open_actions, config.overdue_actions) == (1, 1)
    assert [[a.incident.ref for a in g] for g in trends.alike_actions] == [["INC-1", "INC-2"]]
    sev1 = trends.times[0]
    assert sev1.severity == "SEV1" and sev1.incidents == 2
    # INC-1 from its milestones (5 m), INC-2 from its trigger and detection events (30 m).
    assert sev1.time_to_detect.n == 2 and sev1.time_to_detect.value == timedelta(minutes=17.5)
    assert (sev1.time_to_resolve.n, sev1.time_to_resolve.missing) == (1, 1)
    assert trends.times[1].time_to_detect.n == 0


def test_sqlite_file_read_without_the_store_gives_the_same_rows(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    store = Store.open(url_for_path(path))
    fill(store)
    try:
        assert read_sqlite_trends(path) == read_trends(store)
        assert quick_trends(path, today=TODAY) == load_trends(store, today=TODAY)
    finally:
        store.close()


def test_not_a_current_retrotui_file_goes_through_the_store(tmp_path: Path) -> None:
    stranger = tmp_path / "other.db"
    stranger.write_bytes(b"")
    assert read_sqlite_trends(stranger) is None
    assert read_sqlite_trends(tmp_path / "missing.db") is None
