"""Contributing factors and tags: the taxonomy files, and storing labels per retrospective."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrotui.config import shipped_data
from retrotui.core.factors import (
    DATA_FILE,
    load_taxonomy,
    normalise_tag,
    parse_taxonomy,
    shipped_taxonomy,
)
from retrotui.errors import UserError
from retrotui.models import Retrospective
from retrotui.services.labels import change_labels, labels_of, set_labels
from retrotui.services.retros import load_bundle
from retrotui.store.repository import Store


def test_shipped_taxonomy_has_googles_triggers_and_root_causes() -> None:
    taxonomy = load_taxonomy(include_user=False)
    groups = {f.group for f in taxonomy.factors}
    assert groups == {"Trigger", "Root cause"}
    ids = [f.id for f in taxonomy.factors]
    for wanted in ("binary-push", "config-push", "capacity", "software", "network"):
        assert wanted in ids
    assert taxonomy.resolve("Configuration PUSH") == "config-push"
    assert taxonomy.name_of("gone-factor") == "gone-factor"


def test_the_python_copy_of_the_shipped_factors_is_the_toml_file() -> None:
    """core/shipped_factors.py (read by every command) holds exactly data/factors.toml."""
    from_toml = parse_taxonomy(shipped_data(DATA_FILE), source=DATA_FILE)
    lines = "".join(f"    {(f.id, f.name, f.group, f.hint)!r},\n" for f in from_toml.factors)
    assert shipped_taxonomy() == from_toml, f"shipped_factors.FACTORS should be:\n{lines}"


def test_a_team_file_extends_the_list(tmp_path: Path) -> None:
    user = tmp_path / "factors.toml"
    user.write_text('[[factors]]\nid = "cert-expiry"\nname = "Certificate expiry"\n')
    taxonomy = load_taxonomy(user)
    assert taxonomy.resolve("cert-expiry") == "cert-expiry"
    assert taxonomy.resolve("binary-push") == "binary-push"


def test_a_team_file_can_replace_the_list(tmp_path: Path) -> None:
    user = tmp_path / "factors.toml"
    user.write_text('replace = true\n[[factors]]\nid = "ours"\nname = "Ours"\n')
    taxonomy = load_taxonomy(user)
    assert [f.id for f in taxonomy.factors] == ["ours"]
    with pytest.raises(
        UserError, match="No contributing factor 'binary-push'; known factors: ours"
    ):
        taxonomy.resolve("binary-push")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[factors]]\nid = "a"\nname = "A"\n\n[[factors]]\nid = "Bad Id"\nname = "B"\n', "line 6"),
        ('[[factors]]\nid = "a"\n', "line 1: factor 1 needs name"),
        ('[[factors]]\nid = "a"\nname = "A"\ncolour = "red"\n', "line 4: factor 1: unknown key"),
        ('[[factors]]\nid = "a"\nname = "A"\n[[factors]]\nid = "a"\nname = "B"\n', "line 5"),
        ('factors = "x"\n', "line 1: factors must be written as [[factors]]"),
        ("[[factors]\n", "not valid TOML"),
        ('replace = "yes"\n', "line 1: replace must be true or false"),
        ("replace = true\n", "the list of factors is empty"),
    ],
)
def test_a_bad_file_is_one_sentence_with_its_line(text: str, expected: str) -> None:
    base = load_taxonomy(include_user=False)
    with pytest.raises(UserError) as caught:
        parse_taxonomy(text, source="factors.toml", base=base)
    message = str(caught.value)
    assert expected in message and message.startswith("factors.toml")
    assert "\n" not in message


def test_tags_are_folded_and_checked() -> None:
    assert normalise_tag("  Search   Index ") == "search index"
    for bad in ("", "   ", "x" * 65, "bell\x07"):
        with pytest.raises(UserError):
            normalise_tag(bad)


def test_labels_are_stored_once_removed_and_in_the_bundle(store: Store) -> None:
    retro = store.add(Retrospective(title="Checkout down"))
    other = store.add(Retrospective(title="Other"))
    labels = change_labels(
        store, retro, add_factors=["Binary push", "software", "binary-push"], add_tags=["DB", "db"]
    )
    assert labels.factors == ("binary-push", "software") and labels.tags == ("db",)
    labels = change_labels(store, retro, remove_factors=["Binary Push"], add_tags=["cache"])
    assert labels.factors == ("software",) and labels.tags == ("db", "cache")
    assert labels_of(store, other.id).factors == ()
    bundle = load_bundle(store, retro.id)
    assert bundle.factors == ["software"] and bundle.tags == ["db", "cache"]
    labels = set_labels(store, retro, factors=["network"], tags=["cache"])
    assert labels.factors == ("network",) and labels.tags == ("cache",)


def test_a_bad_name_changes_nothing(store: Store) -> None:
    retro = store.add(Retrospective(title="Checkout down"))
    with pytest.raises(UserError, match="No contributing factor 'cosmic rays'"):
        change_labels(store, retro, add_tags=["fine"], add_factors=["cosmic rays"])
    assert labels_of(store, retro.id).tags == ()


def test_labels_go_with_their_retrospective(store: Store) -> None:
    from retrotui.models import RetroLabel
    from retrotui.store.repository import count_rows

    retro = store.add(Retrospective(title="Checkout down"))
    change_labels(store, retro, add_factors=["software"], add_tags=["db"])
    store.delete(Retrospective, retro.id)
    assert count_rows(store, RetroLabel) == 0
