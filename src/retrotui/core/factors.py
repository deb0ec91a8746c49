"""Contributing factors and free tags: the taxonomy file and the rules for names.

The shipped taxonomy lives in `retrotui/data/factors.toml` (its comments describe the
layout; `core/shipped_factors.py` holds the same factors as Python, which is what commands
read); a team adds to it, or replaces it (`replace = true`), with `factors.toml` in the
config directory. A file that cannot be used is a UserError naming the file and the line.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from retrotui.config import DataFileLines
from retrotui.errors import UserError

DATA_FILE = "factors.toml"
FACTOR = "factor"
TAG = "tag"
KINDS = (FACTOR, TAG)
MAX_NAME = 64
FACTOR_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Factor(NamedTuple):
    id: str
    name: str
    group: str = ""
    hint: str = ""


class Taxonomy(NamedTuple):
    factors: tuple[Factor, ...]

    def find(self, text: str) -> Factor | None:
        """The factor whose id or name is `text` (any case, any spacing; spaces may stand
        for the dashes of an id)."""
        wanted = " ".join(text.split()).casefold()
        as_id = wanted.replace(" ", "-")
        for factor in self.factors:
            if as_id == factor.id or wanted == factor.name.casefold():
                return factor
        return None

    def resolve(self, text: str) -> str:
        """The id to store for `text`, or a UserError listing what is known."""
        factor = self.find(text)
        if factor is None:
            known = ", ".join(f.id for f in self.factors)
            raise UserError(f"No contributing factor {text.strip()!r}; known factors: {known}.")
        return factor.id

    def name_of(self, factor_id: str) -> str:
        """What people read for a stored id (the id itself when the list no longer has it)."""
        factor = self.find(factor_id)
        return factor.name if factor else factor_id

    def group_of(self, factor_id: str) -> str:
        factor = self.find(factor_id)
        return factor.group if factor else ""


def factor_names(factor_ids: list[str]) -> list[str]:
    """What people read for stored factor ids, by the default taxonomy (read only when
    there is something to name)."""
    if not factor_ids:
        return []
    return [default_taxonomy().name_of(factor) for factor in factor_ids]


def normalise_tag(text: str) -> str:
    """A free tag as stored: words joined by single spaces, lower case, checked."""
    tag = " ".join(text.split()).casefold()
    if not tag:
        raise UserError("A tag cannot be empty.")
    if len(tag) > MAX_NAME:
        raise UserError(f"A tag can be at most {MAX_NAME} characters long.")
    if any(not ch.isprintable() for ch in tag):
        raise UserError("A tag cannot hold control characters.")
    return tag


# -- the taxonomy files ---------------------------------------------------------------------


def default_taxonomy() -> Taxonomy:
    """The shipped factors with the user's file applied, read once per process and file."""
    return _cached(str(user_taxonomy_path()))


@lru_cache(maxsize=4)
def _cached(user_file: str) -> Taxonomy:
    return load_taxonomy(Path(user_file))


def user_taxonomy_path() -> Path:
    from retrotui.config import user_config_dir

    return user_config_dir() / DATA_FILE


def shipped_taxonomy() -> Taxonomy:
    """The factors of the shipped `data/factors.toml`, from their Python copy
    (core.shipped_factors): no TOML parser unless a team file needs one."""
    from retrotui.core.shipped_factors import FACTORS

    return Taxonomy(tuple(Factor(*factor) for factor in FACTORS))


def load_taxonomy(user_file: Path | None = None, *, include_user: bool = True) -> Taxonomy:
    from retrotui.config import read_user_file

    taxonomy = shipped_taxonomy()
    if not include_user:
        return taxonomy
    path = user_file or user_taxonomy_path()
    text = read_user_file(path)
    if text is None:
        return taxonomy
    return parse_taxonomy(text, source=str(path), base=taxonomy)


def parse_taxonomy(text: str, *, source: str, base: Taxonomy | None = None) -> Taxonomy:
    """The factors of a taxonomy file; with `base`, the file extends (or replaces) those."""
    from retrotui.config import parse_toml

    data = parse_toml(text, source)
    reader = _Reader(text, source)
    unknown = set(data) - {"factors", "replace"}
    if unknown:
        key = sorted(unknown)[0]
        reader.fail(key, f"unknown key {key!r}; use factors or replace")
    replace = data.get("replace", False)
    if not isinstance(replace, bool):
        reader.fail("replace", "replace must be true or false")
    items = data.get("factors", [])
    if not isinstance(items, list):
        reader.fail("factors", "factors must be written as [[factors]] tables")
    inherited = () if base is None or replace else base.factors
    factors = list(inherited)
    seen = {f.id for f in factors}
    for index, item in enumerate(items):
        factor = reader.factor(index, item)
        if factor.id in seen:
            reader.fail("id", f"factor {index + 1}: the id {factor.id!r} is used twice", index)
        seen.add(factor.id)
        factors.append(factor)
    if not factors:
        reader.fail("factors", "the list of factors is empty; add [[factors]] tables")
    return Taxonomy(tuple(factors))


class _Reader(DataFileLines):
    """Checks the parsed file; `fail` names the line of what is wrong."""

    def __init__(self, text: str, source: str) -> None:
        super().__init__(text, source, table="factors")

    def text(
        self, item: dict[str, Any], key: str, where: str, index: int, *, required: bool
    ) -> str:
        value = item.get(key, "")
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(key, f"{where} needs {key}: a line of text", index)
        folded = " ".join(value.split())
        if len(folded) > 200 or any(not ch.isprintable() for ch in folded):
            self.fail(
                key, f"{where}: {key} must be one printable line of at most 200 characters", index
            )
        return folded

    def factor(self, index: int, item: Any) -> Factor:
        where = f"factor {index + 1}"
        if not isinstance(item, dict):
            self.fail("factors", f"{where} must be a table", index)
        unknown = set(item) - {"id", "name", "group", "hint"}
        if unknown:
            key = sorted(unknown)[0]
            self.fail(key, f"{where}: unknown key {key!r}; use id, name, group, hint", index)
        factor_id = self.text(item, "id", where, index, required=True)
        if not FACTOR_ID.match(factor_id) or len(factor_id) > MAX_NAME:
            self.fail(
                "id",
                f"{where}: the id {factor_id!r} must be lower case letters, digits and dashes",
                index,
            )
        return Factor(
            id=factor_id,
            name=self.text(item, "name", where, index, required=True),
            group=self.text(item, "group", where, index, required=False),
            hint=self.text(item, "hint", where, index, required=False),
        )
