"""Timing shared by the benchmark scripts: the best of several wall-clock repeats."""

import time


def best_time(f, repeats, warmup=False):
    """``(best seconds, last result)`` of ``repeats`` calls of ``f``; one untimed call first if
    ``warmup`` (JIT compilation, page faults)."""
    if warmup:
        f()
    best, out = float("inf"), None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t0)
    return best, out
