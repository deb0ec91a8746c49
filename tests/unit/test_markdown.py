"""The Markdown export as a reader of the wiki sees it: golden files for every shipped
template, the parts of the document, determinism and anonymizing.

Golden files live in tests/golden/markdown/; after an intended change, regenerate them
with `UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_markdown.py` and review
the diff.
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrotui.core.anonymize import name_redactor, participant_labels
from retrotui.core.bundle import RetroBundle
from retrotui.core.times import format_short
from retrotui.core.whys import group_chains
from retrotui.formats.markdown import _when, render_markdown
from retrotui.formats.templates import load_template, template_names
from retrotui.models import (
    ActionItem,
    ActionStatus,
    EventKind,
    Note,
    NoteKind,
    Participant,
    Priority,
    RetroLabel,
    Retrospective,
    RetroStatus,
    Role,
    Severity,
    TimelineEvent,
    Why,
    WhyChain,
)
from retrotui.services.export import markdown_export

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "markdown"
SHIPPED = ("standard", "lightweight", "security", "deep-dive")
RETRO_ID = "retro-0001"
CET = timezone(timedelta(hours=1))
START = datetime(2026, 3, 2, 14, 0, tzinfo=CET)
CREATED = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


def sample_bundle(**overrides: str) -> RetroBundle:
    """A fixed retrospective with every kind of record, ids and times included.

    `overrides` replaces free-text fields by name (see FIELD_NAMES in the escaping tests).
    """
    text = {
        "title": "Search results empty for 40 minutes",
        "summary": "A bad index alias sent queries to an empty index.\n"
        "Rolled back by hand; 50% of searches failed.",
        "impact": "Roughly 18,000 searches returned nothing.",
        "incident_ref": "INC-2042",
        "source_url": "https://status.example.com/incidents/2042?tab=postmortem&lang=en",
        "participant": "Ana Lima",
        "event_text": "Alias `products` points at products_v7 (empty)",
        "event_actor": "Deploy bot",
        "note_text": "The dashboard showed the drop within 2 minutes",
        "note_author": "Ben",
        "why_problem": "Searches returned no results for 40 minutes",
        "why_question": "Why did searches return nothing?",
        "why_answer": "The alias pointed at a new, empty index",
        "action_title": "Check the document count before switching an alias",
        "action_description": "Refuse the switch below 90% of the old count",
        "action_owner": "Search team",
        "action_ticket": "SRCH-101",
        "factor": "config-push",
        "tag": "search index",
        **overrides,
    }

    def at(minutes: int) -> datetime:
        return START + timedelta(minutes=minutes)

    retro = Retrospective(
        id=RETRO_ID,
        title=text["title"],
        incident_ref=text["incident_ref"],
        severity=Severity.SEV2,
        status=RetroStatus.IN_REVIEW,
        template="standard",
        source_url=text["source_url"],
        started_at=at(0),
        started_at_offset=60,
        detected_at=at(6),
        detected_at_offset=60,
        mitigated_at=at(31),
        mitigated_at_offset=60,
        resolved_at=at(40),
        resolved_at_offset=60,
        summary=text["summary"],
        impact=text["impact"],
        created_at=CREATED,
        updated_at=CREATED,
    )

    def person(n: int, name: str, role: Role) -> Participant:
        return Participant(id=f"p{n}", retro_id=RETRO_ID, position=n, name=name, role=role)

    participants = [
        person(1, text["participant"], Role.MODERATOR),
        person(2, "Ben", Role.NOTE_TAKER),
        person(3, "Chidi", Role.OBSERVER),
        person(4, "Dana", Role.OBSERVER),
    ]

    def event(
        n: int, minutes: int, kind: EventKind, actor: str, what: str, key: bool
    ) -> TimelineEvent:
        return TimelineEvent(
            id=f"ev{n}",
            retro_id=RETRO_ID,
            position=n,
            time=at(minutes),
            time_offset=60 if n != 5 else None,
            kind=kind,
            actor=actor,
            text=what,
            key=key,
        )

    events = [
        event(1, 0, EventKind.TRIGGER, text["event_actor"], text["event_text"], True),
        event(2, 6, EventKind.DETECTION, "Monitoring", "Zero-result rate above 30%", True),
        event(3, 9, EventKind.ESCALATION, "Ana Lima", "Paged the search on-call", False),
        event(4, 31, EventKind.MITIGATION, "Search on-call", "Alias moved back to v6", True),
        event(5, 40, EventKind.RESOLUTION, "Search on-call", "Zero-result rate normal", False),
    ]

    def note(n: int, kind: NoteKind, what: str, event_id: str | None) -> Note:
        return Note(
            id=f"n{n}",
            retro_id=RETRO_ID,
            position=n,
            kind=kind,
            text=what,
            event_id=event_id,
            author=text["note_author"],
            created_at=CREATED,
        )

    notes = [
        note(1, NoteKind.WENT_WELL, text["note_text"], "ev2"),
        note(2, NoteKind.WENT_WRONG, "Nobody knew the alias switch was automatic", "ev1"),
        note(3, NoteKind.LUCKY, "Ana Lima had done the same rollback last week", "ev4"),
        note(4, NoteKind.QUESTION, "Do other jobs switch aliases?", None),
        note(5, NoteKind.OBSERVATION, "The runbook still names the old cluster", None),
    ]
    chain = WhyChain(id="c1", retro_id=RETRO_ID, position=1, problem=text["why_problem"])
    whys = [
        Why(
            id="w1",
            retro_id=RETRO_ID,
            chain_id="c1",
            position=1,
            question=text["why_question"],
            answer=text["why_answer"],
        ),
        Why(
            id="w2",
            retro_id=RETRO_ID,
            chain_id="c1",
            position=2,
            question="Why was it empty?",
            answer="The reindex job had failed",
        ),
        Why(
            id="w3",
            retro_id=RETRO_ID,
            chain_id="c1",
            position=3,
            question=None,
            answer="The switch does not check the index",
            is_root_cause=True,
        ),
    ]

    def action(n: int, title: str, status: ActionStatus, **extra: Any) -> ActionItem:
        return ActionItem(
            id=f"a{n}", retro_id=RETRO_ID, position=n, title=title, status=status, **extra
        )

    actions = [
        action(
            1,
            text["action_title"],
            ActionStatus.IN_PROGRESS,
            description=text["action_description"],
            owner=text["action_owner"],
            due=date(2026, 3, 20),
            priority=Priority.HIGH,
            ticket=text["action_ticket"],
        ),
        action(
            2,
            "Alert when the reindex job fails",
            ActionStatus.OPEN,
            owner="Ana Lima",
            due=date(2026, 3, 27),
            ticket="https://tracker.example.com/browse/SRCH-102",
        ),
        action(
            3, "Document the alias switch", ActionStatus.DONE, owner="Ben", priority=Priority.LOW
        ),
        action(4, "Rewrite the indexer", ActionStatus.WONT_DO, priority=Priority.LOW),
    ]
    chains = group_chains([chain], whys)
    labels = [
        RetroLabel(id="l1", retro_id=RETRO_ID, position=0, kind="factor", name=text["factor"]),
        RetroLabel(id="l2", retro_id=RETRO_ID, position=1, kind="factor", name="software"),
        RetroLabel(id="l3", retro_id=RETRO_ID, position=2, kind="tag", name=text["tag"]),
    ]
    return RetroBundle(retro, participants, events, notes, whys, actions, chains, labels=labels)


def export_with(
    template: str, bundle: RetroBundle | None = None, *, anonymize: bool = False
) -> str:
    return markdown_export(
        bundle or sample_bundle(), template_name=template, anonymize=anonymize
    ).text


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{name} differs from the golden file"


@pytest.mark.parametrize("template", SHIPPED)
def test_each_shipped_template_matches_its_golden_file(template: str) -> None:
    """Every shipped template turns the sample retrospective into its reviewed document."""
    check_golden(f"{template}.md", export_with(template))


def test_anonymized_export_matches_its_golden_file() -> None:
    """The anonymized standard export is reviewed byte for byte too."""
    check_golden("standard-anonymized.md", export_with("standard", anonymize=True))


def test_every_shipped_template_is_tested() -> None:
    """A new shipped template cannot go without a golden file."""
    assert set(SHIPPED) <= set(template_names())
    assert {p.stem for p in GOLDEN.glob("*.md")} >= set(SHIPPED)


def test_same_data_gives_the_same_bytes() -> None:
    """Two exports of equal data, built separately, are byte-identical."""
    assert export_with("standard") == export_with("standard", sample_bundle())


def test_events_are_in_time_order_whatever_the_bundle_order() -> None:
    """The timeline is sorted by time; notes still point at the right event number."""
    bundle = sample_bundle()
    bundle.events.reverse()
    assert export_with("standard", bundle) == export_with("standard")


def test_metadata_table_holds_milestones_and_durations() -> None:
    """The metadata table shows ref, severity, status, milestones and the three durations."""
    text = export_with("standard")
    for row in (
        "| Incident | INC-2042 |",
        "| Severity | SEV2 |",
        "| Status | in review |",
        "| Started | 2026-03-02 14:00 +01:00 |",
        "| Resolved | 2026-03-02 14:40 +01:00 |",
        "| Duration | 40m |",
        "| Time to detect | 6m |",
        "| Time to mitigate | 31m |",
        "| Time to resolve | 40m |",
    ):
        assert row in text


def test_notes_point_at_their_event() -> None:
    """A note about an event names the event's number and time."""
    text = export_with("standard")
    assert (
        "- The dashboard showed the drop within 2 minutes (event 2, 2026-03-02 14:06 +01:00)"
        in text
    )


def test_marked_why_is_the_root_cause_and_missing_question_reads_why() -> None:
    """The chain states its problem, is numbered, marks the level chosen as the root cause,
    and shows a blank question as 'Why?'."""
    text = export_with("standard")
    assert "**Problem:** Searches returned no results for 40 minutes\n\n1. " in text
    assert (
        "1. **Why did searches return nothing?** The alias pointed at a new, empty index\n" in text
    )
    assert "3. **Why?** The switch does not check the index — **root cause**" in text
    assert text.count("root cause") == 1


def test_task_list_checkboxes_follow_status() -> None:
    """Done and won't-do are ticked (won't-do struck through); open and in progress are not."""
    text = export_with("standard")
    assert "- [ ] Check the document count before switching an alias (in progress)" in text
    assert "- [ ] Alert when the reindex job fails\n" in text
    assert "- [x] Document the alias switch\n" in text
    assert "- [x] ~~Rewrite the indexer~~ (won't do)" in text


def test_ticket_urls_become_links_and_keys_stay_text() -> None:
    """An https ticket is a link (its label escaped so no renderer links it a second time,
    inside the link); a tracker key is plain text."""
    text = export_with("standard")
    assert (
        "[https\\://tracker.example.com/browse/SRCH-102](https://tracker.example.com/browse/SRCH-102)"
        in text
    )
    assert "| SRCH-101 |" in text


def test_anonymize_replaces_names_with_roles_everywhere() -> None:
    """With --anonymize no participant's name is left, in any field; roles are numbered."""
    text = export_with("standard", anonymize=True)
    for name in ("Ana Lima", "Ben", "Chidi", "Dana"):
        assert name not in text
    assert "| Moderator | Paged the search on-call |" in text  # an event actor
    assert "- Moderator had done the same rollback last week" in text  # free text
    assert "- Observer 1\n- Observer 2\n" in text


def test_anonymize_only_replaces_whole_words() -> None:
    """A name inside a longer word ("Ben" in "Benchmark") is left alone."""
    redact = name_redactor({"Ben": "Note taker"})
    assert redact("Benchmark by Ben.") == "Benchmark by Note taker."


def test_participant_labels_number_shared_roles_only() -> None:
    """Two observers are 'Observer 1' and 'Observer 2'; a lone moderator is 'Moderator'."""
    labels = participant_labels(sample_bundle().participants)
    assert labels == {
        "Ana Lima": "Moderator",
        "Ben": "Note taker",
        "Chidi": "Observer 1",
        "Dana": "Observer 2",
    }


def test_empty_retrospective_exports_with_every_section() -> None:
    """A retrospective with nothing in it still exports every section, saying so."""
    bundle = RetroBundle(Retrospective(id="empty", title="Nothing yet"))
    for template in SHIPPED:
        text = export_with(template, bundle)
        assert "None recorded." in text
        assert "| Duration | — |" in text


def test_an_unresolved_incident_says_its_duration_is_so_far() -> None:
    """Before a resolution is recorded, the duration runs to the latest record and the
    document says it is not resolved, rather than passing it off as the incident's length."""
    bundle = sample_bundle()
    bundle.retro.resolved_at = None
    bundle.events = [e for e in bundle.events if e.kind != EventKind.RESOLUTION]
    assert "so far (not resolved) |" in export_with("standard", bundle)
    assert "so far" not in export_with("standard")


def test_unknown_retro_template_falls_back_to_standard_with_a_notice() -> None:
    """An imported retrospective naming a template we do not have still exports."""
    bundle = sample_bundle()
    bundle.retro.template = "gone"
    result = markdown_export(bundle)
    assert result.text == export_with("standard")
    assert result.notices and "'gone'" in result.notices[0]


def test_renderer_is_reachable_without_the_service() -> None:
    """The app can render with a Template it already loaded."""
    template = load_template("lightweight")
    assert render_markdown(sample_bundle(), template).startswith("# Search results empty")


@settings(max_examples=200, deadline=None)
@given(
    # Years before 1000 are left out: glibc's strftime drops their leading zero.
    moment=st.datetimes(
        min_value=datetime(1000, 1, 2),
        max_value=datetime(9999, 12, 30),
        # Stored instants are UTC; documents and forms can hand over other zones.
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=-7)), timezone(timedelta(0))]),
    ),
    offset=st.none() | st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_fast_time_labels_match_the_shared_format(moment: datetime, offset: int | None) -> None:
    """The export's own time formatting agrees with core.times.format_short everywhere."""
    assert _when(moment, offset) == format_short(moment, offset)
