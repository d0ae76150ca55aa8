"""Overhead of autoknots (everything except f): O(N log N), 1e5 knots under 1 s with a cheap f.

Peer: the faithful AutoKnots mode of the same library on the same f and tolerance (NumCosmo
itself is C and not installed here), and SciPy's ``make_interp_spline`` on the same number of
nodes (the cost of a single interpolant build, a floor for any method that rebuilds).
"""

from __future__ import annotations

import time

import numpy as np
from _timing import best_time
from scipy.interpolate import make_interp_spline as scipy_interp

from splinekit.adaptive import autoknots


def _best(fn, repeats):
    return best_time(fn, repeats)


def _f(x):
    return np.sin(500.0 * x)


def run(quick):
    repeats = 2 if quick else 3
    t0 = time.perf_counter()
    autoknots(_f, 0.0, 1.0, rtol=0.0, atol=1e-6, vectorized=True)  # JIT warm-up (cached)
    warm = time.perf_counter() - t0
    rows = []
    # atol -> N: N ~ atol^(-1/4); 5e-12 gives ~1e5 nodes for sin(500 x) on [0, 1]
    sizes = [(2.5e-9, "~2e4"), (5e-12, "~1e5")] + ([] if quick else [(3e-13, "~2e5")])
    for atol, label in sizes:
        t_sk, s = _best(
            lambda a=atol: autoknots(_f, 0.0, 1.0, rtol=0.0, atol=a, vectorized=True), repeats
        )
        t_ak, ak = _best(
            lambda a=atol: autoknots(
                _f, 0.0, 1.0, rtol=0.0, atol=a, method="autoknots", vectorized=True
            ),
            1,
        )
        n = s.info.evaluations
        x = np.linspace(0.0, 1.0, n)
        t_sc, _ = _best(lambda x=x: scipy_interp(x, _f(x), k=3), repeats)
        rows.append(
            dict(
                name=f"autoknots sin(500x) atol={atol:g}: {n} knots ({label}), vectorized",
                splinekit_s=t_sk,
                peer="faithful mode",
                peer_s=t_ak,
                target="< 1 s at 1e5 knots" if label == "~1e5" else "O(N log N)",
                extra=(
                    f"{t_sk / n * 1e6:.2f} us/knot, {s.info.passes} passes; faithful "
                    f"{ak.info.evaluations} knots; one SciPy build of {n} nodes "
                    f"{t_sc * 1e3:.1f} ms; warm-up {warm:.1f} s"
                ),
            )
        )
    t_sc, s = _best(
        lambda: autoknots(lambda x: float(np.sin(500.0 * x)), 0.0, 1.0, rtol=0.0, atol=2.5e-9),
        repeats,
    )
    rows.append(
        dict(
            name=f"autoknots scalar f calls: {s.info.evaluations} knots",
            splinekit_s=t_sc,
            peer="",
            peer_s=None,
            target="",
            extra=f"{t_sc / s.info.evaluations * 1e6:.2f} us/knot incl. Python calls",
        )
    )
    return rows
