"""5 Whys chains as the meeting and the exports see them: each chain with its levels in
order, its root cause and the depth label ("why 3 of 5").

Pure logic on plain records; `services.whys` loads and changes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from retrotui.models import Why, WhyChain

# Five levels are encouraged, not forced: the depth counts up to five, then keeps going.
RECOMMENDED_DEPTH = 5


@dataclass
class Chain:
    """One chain and its levels, first answer first."""

    record: WhyChain
    whys: list[Why] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def problem(self) -> str:
        return self.record.problem

    @property
    def root_cause(self) -> Why | None:
        return next((why for why in self.whys if why.is_root_cause), None)

    @property
    def root_cause_level(self) -> int | None:
        """The 1-based level of the root cause, or None when none is marked."""
        return next((n for n, why in enumerate(self.whys, start=1) if why.is_root_cause), None)

    def depth_label(self, level: int) -> str:
        """ "why 3 of 5": the level, out of five or out of the chain's length if longer."""
        return depth_label(level, len(self.whys))


def depth_label(level: int, count: int) -> str:
    return f"why {level} of {max(RECOMMENDED_DEPTH, count)}"


def group_chains(chains: Sequence[WhyChain], whys: Sequence[Why], summary: str = "") -> list[Chain]:
    """The chains in order, each with its whys in the order given (sort them first).

    Whys whose chain is not among `chains` (bundles built by hand, without chain records)
    are gathered into one unsaved chain whose problem is `summary`, after the others, so
    no level is ever left out of a view or an export.
    """
    grouped = [Chain(record) for record in sorted(chains, key=lambda c: (c.position, c.id))]
    by_id = {chain.id: chain for chain in grouped}
    strays: list[Why] = []
    for why in whys:
        chain = by_id.get(why.chain_id)
        if chain is None:
            strays.append(why)
        else:
            chain.whys.append(why)
    if strays:
        loose = WhyChain(id="", retro_id=strays[0].retro_id, problem=summary)
        grouped.append(Chain(loose, strays))
    return grouped
