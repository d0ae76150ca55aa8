"""B-spline evaluation and design matrices: splinekit vs scipy.interpolate, same inputs, one run.

Cubic splines, 1e6 points (1e5 with --quick), times including the Python call, best of
several repeats after a warm-up call.  Prints points per second too.
"""

import subprocess
import sys

import numpy as np
import scipy.interpolate as si
from _timing import best_time

import splinekit as sk


def _best(f, reps):
    return best_time(f, reps, warmup=True)[0]


def _knots(n_knots, uniform, rng):
    if uniform:
        return sk.knots.uniform(0.0, 1.0, n_knots, 3)
    inner = np.sort(rng.random(n_knots - 1))
    return np.r_[[0.0] * 4, inner, [1.0] * 4]


def _row(name, sk_s, peer_s, target, m):
    return {
        "name": name,
        "splinekit_s": sk_s,
        "peer": "scipy",
        "peer_s": peer_s,
        "target": target,
        "extra": f"{m / sk_s:.2e} pts/s",
    }


def _eval_rows(rng, m, quick):
    rows = []
    x = rng.random(m)
    cases = [
        (1000, False, "random", "ratio >= 5"),
        (1000, False, "sorted", "ratio >= 3"),
        (1000, True, "random", ">= 1e8 pts/s"),
        (100_000, False, "random", "ratio >= 100"),
    ]
    for n_knots, uniform, order, target in cases:
        t = _knots(n_knots, uniform, rng)
        c = rng.standard_normal(len(t) - 4)
        xs = np.sort(x) if order == "sorted" else x
        a, s = sk.BSpline(t, c, 3), si.BSpline(t, c, 3)
        # SciPy's linear walk at 1e5 knots takes minutes on 1e6 random points: time it on a
        # slice and scale (its cost per point is constant for random x)
        m_peer = m if n_knots <= 1000 else max(m // 100, 1000)
        t_sk = _best(lambda a=a, xs=xs: a(xs), 5)
        t_sp = _best(lambda s=s, xs=xs[:m_peer]: s(xs), 2 if m_peer < m else 3) * (m / m_peer)
        kind = "uniform" if uniform else "non-uniform"
        rows.append(
            _row(f"BSpline(x), {order} x, {n_knots} {kind} knots, m={m}", t_sk, t_sp, target, m)
        )
    return rows


def _design_rows(rng, m):
    t = _knots(1000, False, rng)
    x = rng.random(m)
    t_sk = _best(lambda: sk.design_matrix(x, t, 3), 3)
    t_sp = _best(lambda: si.BSpline.design_matrix(x, t, 3), 2)
    return [_row(f"design_matrix, random x, 1000 knots, m={m}", t_sk, t_sp, "ratio >= 5", m)]


_WARM = """
import time
t0 = time.perf_counter()
import numpy as np
import splinekit as sk
t1 = time.perf_counter()
t = sk.knots.uniform(0, 1, 100, 3)
sk.BSpline(t, np.ones(103), 3)(np.random.rand(10))
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def _warmup_rows():
    """Fresh processes: the first may compile (cold cache), the next ones load the cache."""
    runs = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", _WARM], capture_output=True, text=True, check=True
        ).stdout.split()
        runs.append((float(out[0]), float(out[1])))
    imp, first = runs[-1]
    return [
        {
            "name": "fresh process: first evaluation after import (numba + cache load)",
            "splinekit_s": first,
            "peer": "-",
            "peer_s": None,
            "target": "well under 1 s",
            "extra": f"import numpy+splinekit {imp:.2f} s; first run's evaluation "
            f"{runs[0][1]:.2f} s (compiles if the cache is cold)",
        }
    ]


def run(quick):
    rng = np.random.default_rng(0)
    m = 100_000 if quick else 1_000_000
    return _warmup_rows() + _eval_rows(rng, m, quick) + _design_rows(rng, m)
