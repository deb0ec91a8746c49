"""Search across every retrospective: what matched, where it belongs, and how to get there."""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrotui.core.agenda import Stage
from retrotui.core.search_query import parse_query
from retrotui.errors import UserError
from retrotui.models import Retrospective
from retrotui.store.repository import Store
from retrotui.store.search import MATCH_END, MATCH_START
from retrotui.store.search_results import find_hits

DEFAULT_LIMIT = 20
MAX_LIMIT = 500

# Where a match of each kind opens the meeting.
STAGE_OF = {
    "retro": Stage.PREPARE,
    "event": Stage.TIMELINE,
    "note": Stage.DISCUSSION,
    "chain": Stage.WHYS,
    "why": Stage.WHYS,
    "action": Stage.ACTIONS,
    "label": Stage.WRAP_UP,
}
_WHAT = {
    "retro": "title, summary or impact",
    "note": "a note",
    "chain": "a 5 Whys problem",
    "why": "a why",
    "action": "an action",
    "label": "a factor or tag",
}


@dataclass(frozen=True)
class SearchResult:
    kind: str
    record_id: str
    retro_id: str
    retro_title: str
    retro_ref: str  # the incident ref, else the short id
    event_id: str | None  # the event to open on (an event, or the event a note is on)
    event_number: int | None
    snippet: str  # with store.search.MATCH_START / MATCH_END around matches

    @property
    def where(self) -> str:
        """What the match belongs to: "event 12 of INC-4711", "an action of INC-4711"."""
        if self.kind == "event":
            return f"event {self.event_number} of {self.retro_ref}"
        return f"{_WHAT.get(self.kind, self.kind)} of {self.retro_ref}"

    @property
    def stage(self) -> int:
        return STAGE_OF.get(self.kind, Stage.PREPARE)

    def segments(self) -> list[tuple[str, bool]]:
        """The snippet as (text, is_match) pieces on one line; the fields a record's text
        is folded from are separated by " · "."""
        folded = re.sub(r"\s*\n\s*", " · ", self.snippet).strip(" ·")
        folded = re.sub(r"[ \t\r\f\v]+", " ", folded)
        out: list[tuple[str, bool]] = []
        for n, piece in enumerate(folded.split(MATCH_START)):
            match, _, rest = piece.partition(MATCH_END) if n else ("", "", piece)
            if match:
                out.append((match, True))
            if rest:
                out.append((rest, False))
        return out

    @property
    def plain_snippet(self) -> str:
        return "".join(text for text, _ in self.segments())


def search(store: Store, text: str, *, limit: int = DEFAULT_LIMIT) -> list[SearchResult]:
    """The best matches for `text` (see core.search_query for the syntax), best first."""
    if not 1 <= limit <= MAX_LIMIT:
        raise UserError(f"The limit must be between 1 and {MAX_LIMIT}.")
    query = parse_query(text)
    found = find_hits(store, query, limit)
    results = []
    for hit in found.hits:
        event_id = hit.record_id if hit.kind == "event" else found.note_events.get(hit.record_id)
        title, ref = found.retros.get(hit.retro_id, ("", hit.retro_id[:8]))
        results.append(
            SearchResult(
                kind=hit.kind,
                record_id=hit.record_id,
                retro_id=hit.retro_id,
                retro_title=title,
                retro_ref=ref,
                event_id=event_id,
                event_number=found.event_numbers.get(hit.record_id),
                snippet=hit.snippet,
            )
        )
    return results


def focus(store: Store, result: SearchResult) -> None:
    """Make the retrospective open where the match is: its stage, and its event."""
    changes: dict[str, object] = {"current_stage": result.stage}
    if result.event_id is not None:
        changes["current_event_id"] = result.event_id
    store.update(Retrospective, result.retro_id, **changes)
