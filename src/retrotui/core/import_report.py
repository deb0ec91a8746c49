"""What importing a Retro Document did, or, for a dry run, would do."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass
class Tally:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass
class DocumentImportReport:
    """Counts per kind of record, one line per change (old and new text for updates),
    and every conflict (both copies changed a record since they parted)."""

    retro_id: str
    title: str
    created: bool
    tallies: dict[str, Tally]
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    changes: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    # When the retrospective had been deleted here (and the import brings it back).
    restored: datetime | None = None

    @property
    def changed(self) -> bool:
        return any(t.added or t.updated or t.deleted for t in self.tallies.values())

    def lines(self, *, detail: bool = False) -> list[str]:
        """The summary; with `detail`, every change per record (what a dry run shows)."""
        verb = "Would create" if self.dry_run else "Created"
        if not self.created:
            verb = "Would merge into" if self.dry_run else "Merged into"
        lines = [f"{verb} {self.title!r} ({self.retro_id[:8]})."]
        if self.restored:
            what = "This would restore" if self.dry_run else "This restores"
            when = f"{self.restored.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"
            lines.append(f"{what} a retrospective deleted here on {when}.")
        for kind, tally in self.tallies.items():
            if tally.added or tally.updated or tally.unchanged or tally.deleted:
                deleted = f", {tally.deleted} deleted" if tally.deleted else ""
                lines.append(
                    f"  {kind}: {tally.added} added, {tally.updated} updated{deleted}, "
                    f"{tally.unchanged} unchanged"
                )
        if detail and self.changes and not self.created:
            lines.append("Changes:")
            lines += [f"  {change}" for change in self.changes]
        if self.conflicts:
            lines.append(f"Conflicts ({len(self.conflicts)}):")
            lines += [f"  {conflict}" for conflict in self.conflicts]
        if not self.created and not self.changed:
            lines.append("Nothing changed: everything in the document was already here.")
        return lines + [f"Warning: {w}" for w in self.warnings]
