"""Python's full garbage-collection passes, moved into the pauses between keys.

A full pass scans every tracked object that is not frozen (ui/live_feed.py freezes the open
retrospective's records): with Textual's line caches that is still tens of thousands of
objects, about 25 ms on the UI thread. Left to Python, one lands in the middle of a step
every few dozen steps, and those are the slowest steps of a meeting. Here Python's own
full passes are made ten times rarer (a safety net for a key held down for minutes), and
the app runs the pass itself when one is due and nobody has pressed a key for a moment.
"""

from __future__ import annotations

import gc
import time

# A full pass is due after this many younger collections (Python's own default) ...
FULL_PASS_DUE = 10
# ... and runs once no key has come for this long (a moderator's pause between events).
QUIET_SECONDS = 0.25
# Python's own full passes, meanwhile, only after ten times as many.
SAFETY_NET = 100
CHECK_SECONDS = 0.1


def full_pass_due(younger_collections: int, quiet_for: float) -> bool:
    """Whether to run a full pass now: one is due, and the keyboard has been quiet."""
    return younger_collections >= FULL_PASS_DUE and quiet_for >= QUIET_SECONDS


class IdleCollector:
    """Started when the app mounts, stopped when it unmounts (which puts Python's
    thresholds back as they were)."""

    def __init__(self) -> None:
        self.last_key = time.monotonic()
        self._thresholds: tuple[int, int, int] | None = None

    def start(self) -> None:
        self._thresholds = gc.get_threshold()
        young, middle, _full = self._thresholds
        gc.set_threshold(young, middle, SAFETY_NET)

    def stop(self) -> None:
        if self._thresholds is not None:
            gc.set_threshold(*self._thresholds)
            self._thresholds = None

    def key_pressed(self) -> None:
        self.last_key = time.monotonic()

    def check(self) -> None:
        """Called every CHECK_SECONDS: run a full pass if one is due in a quiet moment."""
        if full_pass_due(gc.get_count()[2], time.monotonic() - self.last_key):
            gc.collect()
