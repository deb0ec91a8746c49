"""Participant names: what a person may call themselves in a meeting."""

from __future__ import annotations

import unicodedata

NAME_MAX = 60


def participant_name(raw: str) -> str | None:
    """The name a person gave, tidied (spaces collapsed, at most NAME_MAX characters), or
    None when nothing printable is left. Control and format characters are dropped: a name
    is shown on every participant's screen and must not carry terminal sequences."""
    kept = "".join(
        char if unicodedata.category(char)[0] not in "CZ" else " "
        for char in raw
        if unicodedata.category(char) not in ("Cc", "Cf") or char in " \t"
    )
    name = " ".join(kept.split())[:NAME_MAX].strip()
    return name or None
