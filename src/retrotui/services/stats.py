"""Metrics for one retrospective and figures across all of them, read from the store.

The arithmetic lives in `core.metrics` and `core.stats`; this module only gathers the
records. For the team figures, timeline events are read once for all retrospectives and
only the kinds that stand in for milestones are kept (enough for time to resolve, not for
`duration`), so the stats stay quick on long timelines.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from retrotui.core.metrics import MILESTONE_KINDS, RetroMetrics, retro_metrics
from retrotui.core.stats import TeamStats, team_stats
from retrotui.models import ActionItem, Retrospective, TimelineEvent
from retrotui.store.repository import Store, all_rows

_STAND_IN_KINDS = {kind.value for kind in MILESTONE_KINDS.values()}


def metrics_for(store: Store, retro: Retrospective) -> RetroMetrics:
    """Time to detect, mitigate and resolve for one retrospective."""
    return retro_metrics(retro, store.children(TimelineEvent, retro.id))


def load_team_stats(store: Store, *, today: date) -> TeamStats:
    """Follow-through, days to close, load by owner and time to resolve by severity."""
    retros = [retro for retro, _ in store.retrospectives()]
    actions = list(all_rows(store, ActionItem))
    return team_stats(retros, actions, _metrics(retros, _milestone_events(store)), today)


def _milestone_events(store: Store) -> dict[str, list[TimelineEvent]]:
    events: dict[str, list[TimelineEvent]] = defaultdict(list)
    for event in all_rows(store, TimelineEvent):
        if event.kind in _STAND_IN_KINDS:
            events[event.retro_id].append(event)
    return events


def _metrics(
    retros: list[Retrospective], events: dict[str, list[TimelineEvent]]
) -> dict[str, RetroMetrics]:
    return {retro.id: retro_metrics(retro, events.get(retro.id, [])) for retro in retros}
