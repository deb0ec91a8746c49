"""The meeting agenda's stored state: the stage the meeting is on, so reopening resumes
there. Timers are not stored: a timebox restarts with the meeting."""

from __future__ import annotations

from datetime import date

from retrotui.core.agenda import MeetingGaps, Stage, meeting_gaps
from retrotui.errors import ValidationError
from retrotui.models import Retrospective
from retrotui.services.retros import load_bundle
from retrotui.store.repository import Store


def set_current_stage(store: Store, retro_id: str, stage: int) -> Retrospective:
    """Remember the stage (1 Prepare .. 6 Wrap-up) the meeting is on."""
    try:
        chosen = Stage(stage)
    except ValueError:
        raise ValidationError(f"{stage!r} is not a stage; use 1 to 6.") from None
    return store.update(Retrospective, retro_id, current_stage=int(chosen))


def load_gaps(store: Store, retro_id: str, today: date) -> MeetingGaps:
    """Wrap-up's counts for a stored retrospective (the app can also call
    `core.agenda.meeting_gaps` on a bundle it already holds)."""
    return meeting_gaps(load_bundle(store, retro_id), today)
