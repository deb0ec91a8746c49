"""5 Whys chains: several per retrospective, levels added, edited, moved, removed, and
one root cause per chain; what the bundle, the exports and an import make of them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrotui.core.whys import depth_label
from retrotui.errors import UserError
from retrotui.formats.document import document_dict, dump_document
from retrotui.formats.document_reader import parse_document
from retrotui.models import ActionItem, Retrospective, Why, WhyChain
from retrotui.services.actions import add_action
from retrotui.services.export import markdown_export
from retrotui.services.importing import import_document
from retrotui.services.retros import load_bundle
from retrotui.services.whys import (
    add_chain,
    add_why,
    delete_chain,
    delete_why,
    load_chain,
    load_chains,
    move_why,
    set_root_cause,
    update_chain_problem,
    update_why,
)
from retrotui.store.engine import url_for_path
from retrotui.store.repository import Store

TODAY = date(2026, 5, 20)


@pytest.fixture
def retro(store: Store) -> Retrospective:
    return store.add(Retrospective(title="Checkout down", summary="Card payments failed"))


def answers(store: Store, chain_id: str) -> list[str]:
    return [why.answer for why in load_chain(store, chain_id).whys]


def chain_with(store: Store, retro: Retrospective, *texts: str) -> WhyChain:
    chain = add_chain(store, retro.id)
    for text in texts:
        add_why(store, chain.id, answer=text)
    return chain


def test_new_chain_starts_from_the_summary(store: Store, retro: Retrospective) -> None:
    """Without a problem statement a chain takes the retrospective's summary."""
    assert add_chain(store, retro.id).problem == "Card payments failed"
    assert add_chain(store, retro.id, "Alerts were silent").problem == "Alerts were silent"


def test_a_retrospective_holds_several_chains_in_order(store: Store, retro: Retrospective) -> None:
    """Chains load in the order they were started, each with only its own levels."""
    first = chain_with(store, retro, "a1", "a2")
    second = add_chain(store, retro.id, "Second factor")
    add_why(store, second.id, answer="b1")
    add_why(store, first.id, answer="a3")
    chains = load_chains(store, retro.id)
    assert [c.id for c in chains] == [first.id, second.id]
    assert [[w.answer for w in c.whys] for c in chains] == [["a1", "a2", "a3"], ["b1"]]


def test_a_level_asks_why_unless_told_otherwise(store: Store, retro: Retrospective) -> None:
    """The default question is 'Why?'; a blank question is stored as none."""
    chain = add_chain(store, retro.id)
    assert add_why(store, chain.id, answer="x").question == "Why?"
    assert add_why(store, chain.id, question="  ", answer="y").question is None


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("", "The answer cannot be empty."),
        ("   ", "The answer cannot be empty."),
        ("a" * 50_000, "The answer is 50,000 characters long; the limit is 10,000"),
        ("bad\x00byte", "The answer contains a NUL character"),
    ],
)
def test_bad_answers_are_refused_with_one_sentence(
    store: Store, retro: Retrospective, answer: str, message: str
) -> None:
    """Empty, huge or NUL answers are refused on add and on edit; nothing is stored."""
    chain = chain_with(store, retro, "kept")
    why = load_chain(store, chain.id).whys[0]
    with pytest.raises(UserError, match=message):
        add_why(store, chain.id, answer=answer)
    with pytest.raises(UserError, match=message):
        update_why(store, why.id, answer=answer)
    assert answers(store, chain.id) == ["kept"]


def test_problem_statement_is_checked_and_saved(store: Store, retro: Retrospective) -> None:
    """A problem statement can be edited; NUL is refused."""
    chain = add_chain(store, retro.id)
    assert update_chain_problem(store, chain.id, "New problem").problem == "New problem"
    with pytest.raises(UserError, match="problem statement contains a NUL"):
        update_chain_problem(store, chain.id, "x\x00")
    assert load_chain(store, chain.id).problem == "New problem"


def test_update_changes_only_the_given_fields(store: Store, retro: Retrospective) -> None:
    """Editing the answer keeps the question, and the other way round."""
    chain = add_chain(store, retro.id)
    why = add_why(store, chain.id, question="Why slow?", answer="Old")
    assert update_why(store, why.id, answer="New").question == "Why slow?"
    assert update_why(store, why.id, question="Why late?").answer == "New"


def test_unknown_ids_get_a_sentence(store: Store, retro: Retrospective) -> None:
    """Missing chains and levels are UserErrors, not database errors."""
    with pytest.raises(UserError, match="No 5 Whys chain has the id 'nope'"):
        add_why(store, "nope", answer="x")
    with pytest.raises(UserError, match="No why level has the id 'nope'"):
        update_why(store, "nope", answer="x")
    with pytest.raises(UserError, match="No why level"):
        move_why(store, "nope", 1)
    with pytest.raises(UserError, match="No retrospective"):
        add_chain(store, "nope")


def test_move_reorders_within_the_chain_and_stops_at_the_ends(
    store: Store, retro: Retrospective
) -> None:
    """Moving up or down swaps neighbours; past either end it stays put."""
    chain = chain_with(store, retro, "a", "b", "c")
    other = chain_with(store, retro, "x")
    c = load_chain(store, chain.id).whys[2]
    assert [w.answer for w in move_why(store, c.id, -1)] == ["a", "c", "b"]
    move_why(store, c.id, -5)
    assert answers(store, chain.id) == ["c", "a", "b"]
    move_why(store, c.id, 10)
    assert answers(store, chain.id) == ["a", "b", "c"]
    assert answers(store, other.id) == ["x"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moves=st.lists(st.tuples(st.integers(0, 3), st.integers(-4, 4)), max_size=6))
def test_moves_behave_like_moving_items_in_a_list(
    store: Store, moves: list[tuple[int, int]]
) -> None:
    """Any sequence of moves gives the order the same moves give on a plain list."""
    retro = store.add(Retrospective(title="t"))
    chain = chain_with(store, retro, "a", "b", "c", "d")
    expected = ["a", "b", "c", "d"]
    for index, delta in moves:
        why = load_chain(store, chain.id).whys[index]
        move_why(store, why.id, delta)
        item = expected.pop(index)
        expected.insert(min(max(index + delta, 0), 3), item)
    assert answers(store, chain.id) == expected


def test_at_most_one_root_cause_per_chain(store: Store, retro: Retrospective) -> None:
    """Marking a level clears the previous mark in that chain only; it can be unmarked."""
    chain = chain_with(store, retro, "a", "b", "c")
    other = chain_with(store, retro, "x")
    a, b, _ = load_chain(store, chain.id).whys
    x = load_chain(store, other.id).whys[0]
    set_root_cause(store, a.id)
    set_root_cause(store, x.id)
    set_root_cause(store, b.id)
    loaded = load_chain(store, chain.id)
    assert [w.is_root_cause for w in loaded.whys] == [False, True, False]
    assert loaded.root_cause_level == 2
    assert load_chain(store, other.id).root_cause is not None
    set_root_cause(store, b.id, on=False)
    assert load_chain(store, chain.id).root_cause is None


def test_deleting_a_level_unlinks_the_actions_that_address_it(
    store: Store, retro: Retrospective
) -> None:
    """The action item stays, without its why link."""
    chain = chain_with(store, retro, "a", "b")
    a, b = load_chain(store, chain.id).whys
    action = add_action(store, retro, "Fix", today=TODAY, why_id=a.id)
    kept = add_action(store, retro, "Keep", today=TODAY, why_id=b.id)
    delete_why(store, a.id)
    assert answers(store, chain.id) == ["b"]
    assert store.get(ActionItem, action.id).why_id is None
    assert store.get(ActionItem, kept.id).why_id == b.id


def test_deleting_a_chain_removes_its_levels_and_unlinks_actions(
    store: Store, retro: Retrospective
) -> None:
    """Levels go with their chain; other chains and the action items stay."""
    chain = chain_with(store, retro, "a", "b")
    other = chain_with(store, retro, "x")
    action = add_action(
        store, retro, "Fix", today=TODAY, why_id=load_chain(store, chain.id).whys[1].id
    )
    delete_chain(store, chain.id)
    assert [c.id for c in load_chains(store, retro.id)] == [other.id]
    assert [w.answer for w in store.children(Why, retro.id)] == ["x"]
    assert store.get(ActionItem, action.id).why_id is None


def test_chain_edits_change_the_fingerprint(store: Store, retro: Retrospective) -> None:
    """The other terminal notices a new chain or a problem statement edit."""
    before = store.fingerprint(retro.id)
    chain = add_chain(store, retro.id)
    middle = store.fingerprint(retro.id)
    update_chain_problem(store, chain.id, "Edited")
    assert before != middle != store.fingerprint(retro.id)


def test_bundle_carries_chains_and_every_why(store: Store, retro: Retrospective) -> None:
    """`chains` groups the levels; `whys` still lists all of them for older callers."""
    chain_with(store, retro, "a", "b")
    chain_with(store, retro, "c")
    bundle = load_bundle(store, retro.id)
    assert [len(c.whys) for c in bundle.chains] == [2, 1]
    assert [w.answer for w in bundle.whys] == ["a", "b", "c"]
    assert bundle.why_chains() is bundle.chains


def test_depth_label_encourages_five_levels() -> None:
    """'why 3 of 5' until a chain grows past five levels, then its own length."""
    assert depth_label(3, 2) == "why 3 of 5"
    assert depth_label(6, 7) == "why 6 of 7"


def test_document_carries_every_chain_with_root_causes(store: Store, retro: Retrospective) -> None:
    """Retro Document v2 carries every chain in order, each level in its chain and place,
    and the root-cause marks (v1 could only carry the first chain's levels)."""
    first = chain_with(store, retro, "a", "b")
    second = chain_with(store, retro, "other")
    move_why(store, load_chain(store, first.id).whys[1].id, -1)
    set_root_cause(store, load_chain(store, first.id).whys[1].id)
    set_root_cause(store, load_chain(store, second.id).whys[0].id)
    doc = document_dict(load_bundle(store, retro.id))
    assert [c["id"] for c in doc["why_chains"]] == [first.id, second.id]
    assert [(w["chain_id"], w["answer"], w["root_cause"]) for w in doc["whys"]] == [
        (first.id, "b", False),
        (first.id, "a", True),
        (second.id, "other", True),
    ]


def test_v1_import_puts_a_documents_whys_into_one_chain(store: Store) -> None:
    """A new retrospective from a v1 document gets one chain, problem = the summary, no
    root cause (the document cannot say which level it is)."""
    text = json.dumps({"title": "T", "summary": "S", "whys": ["one", {"answer": "two"}]})
    report = import_document(store, parse_document(text, source="d.json"))
    chains = load_chains(store, report.retro_id)
    assert [(c.problem, [w.answer for w in c.whys]) for c in chains] == [("S", ["one", "two"])]
    assert chains[0].root_cause is None


def test_v2_import_keeps_every_chain_and_root_cause(
    store: Store, retro: Retrospective, tmp_path: Path
) -> None:
    """Export -> import into an empty database: the same chains, levels and root causes."""
    first = chain_with(store, retro, "a", "b")
    set_root_cause(store, load_chain(store, first.id).whys[0].id)
    chain_with(store, retro, "c")
    text = dump_document(load_bundle(store, first.retro_id))
    other = Store.open(url_for_path(tmp_path / "other.db"))
    report = import_document(other, parse_document(text, source="d.json"))
    chains = load_chains(other, report.retro_id)
    assert [[w.answer for w in c.whys] for c in chains] == [["a", "b"], ["c"]]
    assert [c.root_cause_level for c in chains] == [1, None]
    assert dump_document(load_bundle(other, report.retro_id)) == text
    other.close()


def test_markdown_shows_every_chain_with_problem_and_root_cause(
    store: Store, retro: Retrospective
) -> None:
    """Several chains get a heading each, their problem, and the root cause or its absence."""
    first = chain_with(store, retro, "a", "b")
    set_root_cause(store, load_chain(store, first.id).whys[0].id)
    chain_with(store, retro, "c")
    text = markdown_export(load_bundle(store, retro.id), template_name="standard").text
    section = text[text.index("## 5 Whys") : text.index("## Action items")]
    assert section.count("**Problem:** Card payments failed") == 2
    assert "### Chain 1" in section and "### Chain 2" in section
    assert "1. **Why?** a — **root cause**\n2. **Why?** b\n" in section
    assert section.count("Root cause: not identified yet.") == 1
