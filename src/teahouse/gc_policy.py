"""How the serving process collects garbage.

A room of thousands holds millions of long-lived objects (each connection brings its
socket, protocol, task, queue and their parts). With CPython's default thresholds
the young generations fill after 700 allocations, survivors are promoted quickly,
and full collections, which walk every object, came every few seconds and paused the
event loop for up to 700 ms at 5,000 members: that was the whole p99 of stage-event
delivery (docs/BENCHMARKS.md §4). Collecting the young generation far less often
lets short-lived objects (messages, futures) die before they are promoted, so full
collections become rare; freezing what exists at start-up (modules, the app) takes
it out of every collection for good.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000
MIDDLE_THRESHOLD = 20
OLD_THRESHOLD = 100


def tune_for_serving() -> None:
    """Call once, in the serving process, just before it starts serving."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, OLD_THRESHOLD)
