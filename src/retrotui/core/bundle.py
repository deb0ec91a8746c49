"""A retrospective with everything it holds: what the exports, the stats and the app read."""

from __future__ import annotations

from dataclasses import dataclass, field

from retrotui.core.whys import Chain, group_chains
from retrotui.models import (
    ActionItem,
    ActionStatus,
    Note,
    Participant,
    RetroLabel,
    Retrospective,
    StageClock,
    TimelineEvent,
    Tombstone,
    Why,
)


@dataclass
class RetroBundle:
    """One retrospective with everything it holds, in display order.

    `whys` is every level of every chain; `chains` groups them (problem statement, levels
    in order, root cause). Use `why_chains()` to read chains: it also serves bundles built
    with `whys` only.
    """

    retro: Retrospective
    participants: list[Participant] = field(default_factory=list)
    events: list[TimelineEvent] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    whys: list[Why] = field(default_factory=list)
    actions: list[ActionItem] = field(default_factory=list)
    chains: list[Chain] = field(default_factory=list)
    # For Retro Documents: the stage clocks and what was deleted (merges need both).
    clocks: list[StageClock] = field(default_factory=list)
    tombstones: list[Tombstone] = field(default_factory=list)
    # Contributing factors and free tags (`core.factors`), in the order they were added.
    labels: list[RetroLabel] = field(default_factory=list)

    @property
    def factors(self) -> list[str]:
        return [label.name for label in self.labels if label.kind == "factor"]

    @property
    def tags(self) -> list[str]:
        return [label.name for label in self.labels if label.kind == "tag"]

    @property
    def open_actions(self) -> list[ActionItem]:
        return [a for a in self.actions if not ActionStatus(a.status).is_closed]

    def why_chains(self) -> list[Chain]:
        """The chains, or, when the bundle was built from `whys` alone, those as one chain
        whose problem is the summary."""
        if self.chains:
            return self.chains
        return group_chains((), self.whys, self.retro.summary)
