"""The one set of text limits, for every way text comes in: the app, the services, the
command line and every importer (documents, CSV, JSON Lines, Slack).

Generous for any note or answer, small enough that a paste accident (a whole log file)
or a hostile file is refused with a sentence instead of filling the database, the
screen and the export.
"""

from __future__ import annotations

TEXT = 10_000  # notes, summary, impact, event text, answers, problems
TITLE = 300  # titles of retrospectives, names, actors, authors
ACTION_TITLE = 255  # an action item's title: what issue trackers take as a summary
DESCRIPTION = 32_767  # an action item's description
SHORT = 200  # owner, ticket, incident ref, template, record ids
URL = 2_000  # links

# By field name, as models, forms and file formats call them; any other text: TEXT.
FIELDS: dict[str, int] = {
    "title": TITLE,
    "name": TITLE,
    "actor": TITLE,
    "author": TITLE,
    "source": TITLE,
    "action_title": ACTION_TITLE,
    "description": DESCRIPTION,
    "owner": SHORT,
    "ticket": SHORT,
    "incident_ref": SHORT,
    "template": SHORT,
    "id": SHORT,
    "doc_id": SHORT,
    "event_id": SHORT,
    "why_id": SHORT,
    "chain_id": SHORT,
    "source_url": URL,
}

# A Slack export zip: the most one member may inflate to, and the most it may grow by.
ZIP_MEMBER_BYTES = 64 * 1024 * 1024
ZIP_RATIO = 200


def limit_for(field: str) -> int:
    return FIELDS.get(field, TEXT)


def too_long(value: str, field: str) -> str | None:
    """Why `value` is too long for `field` ("is 12,000 characters long; ..."), or None."""
    limit = limit_for(field)
    if len(value) <= limit:
        return None
    return f"is {len(value):,} characters long; the limit for {field} is {limit:,}"
