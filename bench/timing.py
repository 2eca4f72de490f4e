"""Timing for the benchmarks: the best of several runs (the least disturbed one)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping


def best_of(runs: int, work: Callable[[], object]) -> float:
    """Seconds taken by the fastest of ``runs`` calls of ``work``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def best_of_each(runs: int, works: Mapping[str, Callable[[], object]]) -> dict[str, float]:
    """Seconds taken by the fastest call of each of ``works``, called in turn ``runs``
    times: a disturbance (another process, a collection) falls on all of them alike, so
    their ratios hold even on a busy machine."""
    best = dict.fromkeys(works, float("inf"))
    for _ in range(runs):
        for name, work in works.items():
            start = time.perf_counter()
            work()
            best[name] = min(best[name], time.perf_counter() - start)
    return best
