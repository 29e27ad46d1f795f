"""Timing helpers the benchmarks share: samples, percentiles, time spent in the GC."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from typing import Any

from bench.common import percentile


def log(message: str) -> None:
    print(message, flush=True)


class GcMeter:
    """Time spent in the cyclic garbage collector, per generation, while active."""

    def __init__(self) -> None:
        self.seconds = [0.0, 0.0, 0.0]
        self.count = [0, 0, 0]
        self._start = 0.0

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds[info["generation"]] += time.perf_counter() - self._start
            self.count[info["generation"]] += 1

    def __enter__(self) -> GcMeter:
        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self._callback)

    def report(self, measured: float) -> str:
        parts = [f"gen{g} {self.count[g]}x {self.seconds[g] * 1000:.0f} ms" for g in range(3)]
        share = 100 * sum(self.seconds) / measured if measured else 0.0
        return f"  GC during these calls: {', '.join(parts)} ({share:.0f}% of the measured time)"


def summary(label: str, samples: Sequence[float]) -> str:
    values = [s * 1000 for s in samples]
    return (
        f"  {label:<34} p50 {percentile(values, 50):7.1f}  p95 {percentile(values, 95):7.1f}"
        f"  max {max(values):7.1f} ms  (n={len(values)})"
    )


async def timed(calls: Sequence[Callable[[], Any]]) -> tuple[list[float], list[Any]]:
    samples, results = [], []
    for call in calls:
        start = time.perf_counter()
        results.append(await call())
        samples.append(time.perf_counter() - start)
    return samples, results
