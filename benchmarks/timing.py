"""What the benchmarks share: how a figure is timed.

A figure is the median of several repeats of wall-clock time, with the garbage collector left on
(as in a user's run; `timeit` would turn it off)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_seconds(repeats: int, action: Callable[[], object]) -> float:
    """The median wall-clock time of ``repeats`` calls of ``action``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
