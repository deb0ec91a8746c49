"""Search across every retrospective: what matched, where it belongs, and how to get there."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa

from retrotui.core.agenda import Stage
from retrotui.core.search_query import parse_query
from retrotui.errors import UserError
from retrotui.models import Note, Retrospective, TimelineEvent
from retrotui.store.repository import Store
from retrotui.store.search import MATCH_END, MATCH_START, engine_for

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
    with store.engine.connect() as conn:
        hits = engine_for(conn).search(conn, query, limit)
        retros = _retros(conn, {hit.retro_id for hit in hits})
        notes = _note_events(conn, [hit.record_id for hit in hits if hit.kind == "note"])
        numbers = _event_numbers(conn, [hit.record_id for hit in hits if hit.kind == "event"])
    results = []
    for hit in hits:
        event_id = hit.record_id if hit.kind == "event" else notes.get(hit.record_id)
        title, ref = retros.get(hit.retro_id, ("", hit.retro_id[:8]))
        results.append(
            SearchResult(
                kind=hit.kind,
                record_id=hit.record_id,
                retro_id=hit.retro_id,
                retro_title=title,
                retro_ref=ref,
                event_id=event_id,
                event_number=numbers.get(hit.record_id),
                snippet=hit.snippet,
            )
        )
    return results


def _retros(conn: sa.Connection, ids: set[str]) -> dict[str, tuple[str, str]]:
    if not ids:
        return {}
    table = Retrospective.__table__  # type: ignore[attr-defined]
    rows = conn.execute(
        sa.select(table.c.id, table.c.title, table.c.incident_ref).where(table.c.id.in_(ids))
    )
    return {rid: (title, ref or rid[:8]) for rid, title, ref in rows}


def _note_events(conn: sa.Connection, note_ids: list[str]) -> dict[str, str]:
    if not note_ids:
        return {}
    table = Note.__table__  # type: ignore[attr-defined]
    rows = conn.execute(
        sa.select(table.c.id, table.c.event_id).where(
            table.c.id.in_(note_ids), table.c.event_id.is_not(None)
        )
    )
    return {note_id: event_id for note_id, event_id in rows}


def _event_numbers(conn: sa.Connection, event_ids: list[str]) -> dict[str, int]:
    """Each event's number in its timeline (time order, ties in entry order), as the
    meeting and the export number them; one query for all of them."""
    if not event_ids:
        return {}
    e = TimelineEvent.__table__.alias("e")  # type: ignore[attr-defined]
    x = TimelineEvent.__table__.alias("x")  # type: ignore[attr-defined]
    before = sa.or_(
        x.c.time < e.c.time,
        sa.and_(
            x.c.time == e.c.time,
            sa.or_(
                x.c.position < e.c.position,
                sa.and_(x.c.position == e.c.position, x.c.id < e.c.id),
            ),
        ),
    )
    earlier = (
        sa.select(sa.func.count()).where(x.c.retro_id == e.c.retro_id, before).scalar_subquery()
    )
    rows = conn.execute(sa.select(e.c.id, earlier + 1).where(e.c.id.in_(event_ids)))
    return {event_id: int(number) for event_id, number in rows}


def focus(store: Store, result: SearchResult) -> None:
    """Make the retrospective open where the match is: its stage, and its event."""
    changes: dict[str, object] = {"current_stage": result.stage}
    if result.event_id is not None:
        changes["current_event_id"] = result.event_id
    store.update(Retrospective, result.retro_id, **changes)
