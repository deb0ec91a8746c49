"""The merge rule of Retro Document v2, record by record: pure, so it can be proved.

Every version of a record is ordered by (updated_at, deleted, content): the later edit
wins, a deletion wins a tie with an edit, and two different versions with the same time
are ordered by their content, the same way on every machine. Taking the greater of two
versions is commutative, associative and idempotent, so copies that exchange documents
in any order end up the same, and no newer version is ever replaced by an older one.

A *conflict* is when both sides changed a record since the revision they last shared
(`base`) and ended up different: the newer still wins, and the caller keeps the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Version:
    updated_at: datetime
    deleted: bool = False
    content: str = ""

    def key(self) -> tuple[datetime, bool, str]:
        return (self.updated_at, self.deleted, self.content)


@dataclass(frozen=True)
class Decision:
    take: bool  # the incoming version replaces the local one (or is added)
    changed: bool  # what the record says changes (not only its time)
    conflict: bool  # both changed since base, differently: the loser must be kept


def decide(
    local: Version | None, incoming: Version, base: datetime | None, *, same: bool
) -> Decision:
    """What to do with one incoming version. `same`: both say the same (equal values, or
    both deleted), whatever their times."""
    if local is None:
        return Decision(take=True, changed=not incoming.deleted, conflict=False)
    if same:
        # Same content: adopt the later time, so both copies agree on it too.
        return Decision(take=incoming.updated_at > local.updated_at, changed=False, conflict=False)
    take = incoming.key() > local.key()
    conflict = base is not None and local.updated_at > base and incoming.updated_at > base
    return Decision(take=take, changed=take, conflict=conflict)


def merged(local: Version | None, incoming: Version, *, same: bool) -> Version:
    """The version a copy holds after taking in `incoming`."""
    if local is None:
        return incoming
    return incoming if decide(local, incoming, None, same=same).take else local
