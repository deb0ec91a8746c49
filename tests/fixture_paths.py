"""Where the tests' own fixtures live: everything a test reads is in the repository."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The published Retro Document examples, copied from the format's spec (docs/formats/).
DOCUMENT_EXAMPLES = FIXTURES / "documents"


def document_examples() -> list[Path]:
    """Every example document; an empty list is an error, never a silently empty test."""
    found = sorted(DOCUMENT_EXAMPLES.glob("*.json"))
    if not found:
        raise FileNotFoundError(f"no example documents in {DOCUMENT_EXAMPLES}")
    return found
