"""Delete a note, event, why level, chain or action item so that it can be put back (the
app's ctrl+z), and say what was put back."""

from __future__ import annotations

from retrotui.errors import ValidationError
from retrotui.formats.lines import one_line
from retrotui.store import undo as store_undo
from retrotui.store.errors import NotFoundError
from retrotui.store.repository import Store
from retrotui.store.undo import Removed

WHAT = {
    "note": "the note",
    "event": "the event",
    "why": "the why level",
    "chain": "the 5 Whys chain",
    "action": "the action item",
}
# The field that names a record of each kind in a sentence.
NAMED_BY = {"note": "text", "event": "text", "why": "answer", "chain": "problem", "action": "title"}
QUOTE_UP_TO = 60


def delete(store: Store, kind: str, record_id: str) -> Removed:
    """Delete one record (as the app's delete keys do); what it returns undoes it."""
    if kind not in store_undo.MODELS:
        raise ValueError(f"cannot delete a {kind!r} with undo")
    try:
        return store_undo.remove(store, kind, record_id)
    except NotFoundError:
        raise ValidationError(
            f"{WHAT[kind].capitalize()} is already gone (deleted in another terminal?)."
        ) from None


def restore(store: Store, removed: Removed) -> str:
    """Put a deleted record back; the sentence that says what came back."""
    store_undo.restore(store, removed)
    return restored_sentence(removed)


def restored_sentence(removed: Removed) -> str:
    """'Restored the event “Rolled back the deploy” with its 2 notes.'"""
    text = one_line(str(removed.row.get(NAMED_BY[removed.kind]) or ""))
    if len(text) > QUOTE_UP_TO:
        text = text[: QUOTE_UP_TO - 1] + "…"
    sentence = f"Restored {WHAT[removed.kind]}"
    if text:
        sentence += f" “{text}”"
    extra = []
    if removed.kind == "event" and removed.links:
        extra.append(f"its {_count(len(removed.links), 'note')}")
    if removed.kind == "chain" and len(removed.rows) > 1:
        extra.append(f"its {_count(len(removed.rows) - 1, 'level')}")
    if removed.kind in ("why", "chain") and removed.links:
        extra.append(f"the link of {_count(len(removed.links), 'action item')}")
    if extra:
        sentence += " with " + " and ".join(extra)
    return sentence + "."


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
