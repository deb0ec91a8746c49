"""The meeting agenda's stored state: the stage the meeting is on and each stage's clock,
so a reopened (or restarted) meeting resumes where it was, with the time it had spent."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from retrotui.core.agenda import ClockState, MeetingGaps, Stage, meeting_gaps
from retrotui.errors import ValidationError
from retrotui.models import Retrospective
from retrotui.services.retros import load_bundle
from retrotui.store.clocks import read_clocks, write_clocks
from retrotui.store.repository import Store


def set_current_stage(store: Store, retro_id: str, stage: int) -> Retrospective:
    """Remember the stage (1 Prepare .. 6 Wrap-up) the meeting is on."""
    try:
        chosen = Stage(stage)
    except ValueError:
        raise ValidationError(f"{stage!r} is not a stage; use 1 to 6.") from None
    return store.update(Retrospective, retro_id, current_stage=int(chosen))


def load_clocks(store: Store, retro_id: str) -> dict[int, ClockState]:
    """Each stage's stored clock (stages never timed are absent)."""
    rows = read_clocks(store, retro_id)
    return {row.stage: (timedelta(milliseconds=row.banked_ms), row.running_since) for row in rows}


def save_clocks(store: Store, retro_id: str, clocks: Mapping[int, ClockState]) -> None:
    """Store the clocks of the stages given, in one transaction."""
    write_clocks(
        store,
        retro_id,
        {
            int(Stage(stage)): (max(int(banked / timedelta(milliseconds=1)), 0), running_since)
            for stage, (banked, running_since) in clocks.items()
        },
    )


def load_gaps(store: Store, retro_id: str, today: date) -> MeetingGaps:
    """Wrap-up's counts for a stored retrospective (the app can also call
    `core.agenda.meeting_gaps` on a bundle it already holds)."""
    return meeting_gaps(load_bundle(store, retro_id), today)
