"""Retrospectives as a whole: create, find by REF, list, load, delete."""

from __future__ import annotations

import os
from collections.abc import Collection
from datetime import datetime
from pathlib import Path
from typing import Any

from retrotui.config import DB_ENV, default_db_path
from retrotui.core.bundle import RetroBundle
from retrotui.core.limits import too_long
from retrotui.core.times import offset_minutes
from retrotui.core.whys import group_chains
from retrotui.errors import AmbiguousRefError, UnknownRefError, UserError, ValidationError
from retrotui.models import (
    ActionItem,
    Note,
    Participant,
    RetroLabel,
    Retrospective,
    RetroStatus,
    Severity,
    TimelineEvent,
    Why,
    WhyChain,
)
from retrotui.store.clocks import read_clocks_and_tombstones
from retrotui.store.engine import url_for_path
from retrotui.store.errors import IncidentRefTakenError
from retrotui.store.listing import RetroListRow
from retrotui.store.repository import Store

MIN_PREFIX = 4


class MissingDatabaseError(UserError):
    """A database named for reading or changing what is there, which does not exist (or
    is an empty file): a mistyped path, not a place for a new database."""


class NoMatchingRetroError(UnknownRefError):
    """A REF long enough to be an id prefix that matches no retrospective."""


def open_store(
    db: str | None, *, must_exist: bool = False, busy_timeout_ms: int | None = None
) -> Store:
    """The Store for `--db` / $RETROTUI_DB / the user data directory.

    Only the default location is created on demand; a path the user named must already
    be in an existing folder, so a typo never scatters databases around the disk. With
    `must_exist` (commands that only read or change what is there) a named database file
    must exist and not be empty: a mistyped path is an error, not a new database.
    """
    url, is_default = resolve_database(db)
    if must_exist and not is_default:
        from retrotui.store.engine import sqlite_path

        path = sqlite_path(url)
        # Only a missing or empty file; anything else that is there (a folder, a pipe) is
        # refused by the store with what it is.
        if path is not None and (not path.exists() or (path.is_file() and not path.stat().st_size)):
            problem = "is empty" if path.exists() else "does not exist"
            raise MissingDatabaseError(f"The database {path} {problem}.")
    if is_default:
        from retrotui.files import reason

        folder = default_db_path().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserError(f"Cannot create the folder {folder}: {reason(exc)}.") from exc
    if busy_timeout_ms is not None:
        return Store.open(url, busy_timeout_ms=busy_timeout_ms)
    return Store.open(url)


def resolve_database(cli_value: str | None) -> tuple[str, bool]:
    """The database URL to use, and whether it is the default location.

    `--db` wins over $RETROTUI_DB, which wins over `url` in the config file's `[database]`
    table, which wins over the user data directory. A value with "://" is taken as a
    SQLAlchemy URL (e.g. postgresql+psycopg://...), anything else as a path.
    """
    value = cli_value or os.environ.get(DB_ENV) or _configured_database()
    if not value:
        return url_for_path(default_db_path()), True
    if "://" in value:
        return value, False
    return url_for_path(Path(value).expanduser().absolute()), False


def _configured_database() -> str:
    """`[database] url = "..."` from the config file, or ""."""
    from retrotui.settings import section

    value = section("database").get("url", "")
    if not isinstance(value, str):
        raise UserError("In the config file, [database] url must be a text (a path or URL).")
    return value


# -- validation ----------------------------------------------------------------------


def clean_text(value: str, what: str, *, required: bool = False) -> str:
    """User text kept as typed, except that NUL (which SQLite and files mangle) is refused."""
    if "\x00" in value:
        raise ValidationError(f"The {what} contains a NUL character, which cannot be stored.")
    if required and not value.strip():
        raise ValidationError(f"The {what} cannot be empty.")
    return value


def parse_severity(value: str | None) -> Severity | None:
    if value is None or value == "":
        return None
    normalized = value.strip().upper()
    if normalized.isdigit():
        normalized = f"SEV{normalized}"
    try:
        return Severity(normalized)
    except ValueError:
        raise ValidationError(f"{value!r} is not a severity; use SEV1 to SEV5.") from None


# -- retrospectives -------------------------------------------------------------------


def create_retrospective(
    store: Store,
    title: str,
    *,
    severity: Severity | None = None,
    incident_ref: str | None = None,
    template: str = "standard",
    started_at: datetime | None = None,
) -> Retrospective:
    title = clean_text(title, "title", required=True).strip()
    ref = clean_text(incident_ref or "", "incident ref").strip() or None
    for name, value in (("title", title), ("incident_ref", ref or "")):
        problem = too_long(value, name)
        if problem is not None:
            raise ValidationError(f"The {name.replace('_', ' ')} {problem}.")
    from retrotui.formats.templates import template_names

    known = template_names()
    if template not in known:
        raise ValidationError(
            f"There is no template {template!r}; the templates are {', '.join(known)}."
        )
    if ref is not None:
        check_ref_free(store, ref)
    retro = Retrospective(
        title=title,
        severity=severity,
        incident_ref=ref,
        template=template,
        started_at=started_at,
        started_at_offset=offset_minutes(started_at) if started_at else None,
        # A new retrospective opens at stage 1, Prepare, where earlier open actions are
        # reviewed before new ones are made.
        current_stage=1,
    )
    try:
        return store.add(retro)
    except IncidentRefTakenError:
        # Another process took the ref between the check and the insert: the database's
        # unique index refused it. Same sentence as the check's.
        check_ref_free(store, ref or "")
        raise


def check_ref_free(store: Store, ref: str, retro_id: str | None = None) -> None:
    """Refuse an incident ref that another retrospective has (ignoring case): refs are
    REFs on the command line, so each names one retrospective."""
    for other in store.find_retrospectives(ref):
        if (other.incident_ref or "").lower() == ref.lower() and other.id != retro_id:
            raise ValidationError(ref_taken_sentence(ref, other.id, other.title))


def ref_taken_sentence(ref: str, holder_id: str, holder_title: str) -> str:
    return (
        f"Incident ref {ref!r} is already used by retrospective {holder_id[:8]} "
        f"({holder_title!r}); refs must be unique."
    )


def short_id(retro: Retrospective) -> str:
    return retro.id[:8]


def resolve_ref(store: Store, ref: str) -> Retrospective:
    """A retrospective by full id, unique id prefix (4+ characters) or incident ref."""
    ref = ref.strip()
    if not ref:
        raise UnknownRefError("The REF is empty; give an id, an id prefix or an incident ref.")
    candidates = store.find_retrospectives(ref)
    exact = [
        r
        for r in candidates
        if ref in (r.id, r.doc_id) or (r.incident_ref or "").lower() == ref.lower()
    ]
    if len(exact) == 1:
        return exact[0]
    if len(ref) < MIN_PREFIX and not exact:
        raise UnknownRefError(
            f"No retrospective has the incident ref {ref!r}, and an id prefix needs at "
            f"least {MIN_PREFIX} characters."
        )
    matches = exact or candidates
    if not matches:
        raise NoMatchingRetroError(f"No retrospective matches {ref!r}.")
    if len(matches) == 1:
        return matches[0]
    listed = "; ".join(f"{short_id(r)} {r.incident_ref or '-'} {r.title!r}" for r in matches)
    raise AmbiguousRefError(f"{ref!r} matches {len(matches)} retrospectives: {listed}.")


def list_retrospectives(store: Store) -> list[RetroListRow]:
    """Every retrospective, newest first, with its number of open action items."""
    return store.retro_list()


def delete_retrospective(store: Store, retro_id: str) -> None:
    """Delete it, remembering that it was (an older copy imported later must not bring it
    back unasked)."""
    from retrotui.store.tombstones import delete_retrospective as delete

    delete(store, retro_id)


def load_bundle(store: Store, retro_id: str) -> RetroBundle:
    """Everything a retrospective holds, with its stage clocks and tombstones (for
    Retro Documents), read in one transaction (the meeting screen follows the change feed,
    services/changes.py)."""
    with store.snapshot():
        clocks, buried = read_clocks_and_tombstones(store, retro_id)
        fields = read_parts(store, retro_id, PARTS)
    return RetroBundle(**fields, clocks=clocks, tombstones=buried)


# Every part of a retrospective `read_parts` can read.
PARTS = ("retrospective", "participant", "timeline_event", "note", "why", "action_item")


def read_parts(store: Store, retro_id: str, parts: Collection[str]) -> dict[str, Any]:
    """The RetroBundle fields for the named parts, read again: `replace(bundle, **result)`
    updates a bundle and keeps the other lists the very same objects, so a screen can tell
    what changed. Chains are read with the whys and with the retrospective (editing a
    chain's problem touches the retrospective, not a why)."""
    fields: dict[str, Any] = {}
    if "retrospective" in parts:
        fields["retro"] = store.get(Retrospective, retro_id)
    if "participant" in parts:
        fields["participants"] = store.read_children(Participant, retro_id)
    if "timeline_event" in parts:
        fields["events"] = store.read_children(TimelineEvent, retro_id)
    if "note" in parts:
        fields["notes"] = store.read_children(Note, retro_id)
    if "why" in parts or "retrospective" in parts:
        whys = store.read_children(Why, retro_id)
        fields["whys"] = whys
        fields["chains"] = group_chains(store.read_children(WhyChain, retro_id), whys)
    if "action_item" in parts:
        fields["actions"] = store.read_children(ActionItem, retro_id)
    if "retrospective" in parts:
        fields["labels"] = store.read_children(RetroLabel, retro_id)
    return fields


def set_status(store: Store, retro: Retrospective, status: RetroStatus) -> Retrospective:
    return store.update(Retrospective, retro.id, status=status)
