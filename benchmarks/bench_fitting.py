"""Fitting benchmarks: splinekit vs SciPy in the same run (best of several repeats, JIT warm-up
excluded and reported separately)."""

from __future__ import annotations

import time

import numpy as np
import scipy.interpolate as si
from _timing import best_time

from splinekit.fitting import (
    galerkin_matrix,
    make_interp_spline,
    make_lsq_spline,
    make_pspline,
    make_smoothing_spline,
)


def _best(f, repeats):
    return best_time(f, repeats)[0]


def _warm(f):
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


def _interp(quick):
    n = 10**5 if quick else 10**6
    rng = np.random.default_rng(0)
    x = np.sort(rng.random(n))
    y = np.sin(8 * x)
    warm = _warm(lambda: make_interp_spline(x[:100], y[:100]))
    sk = _best(lambda: make_interp_spline(x, y), 5)
    sp = _best(lambda: si.make_interp_spline(x, y), 5)
    return dict(
        name=f"make_interp_spline cubic not-a-knot, n={n:.0e}",
        splinekit_s=sk,
        peer="scipy",
        peer_s=sp,
        target=">= 1x SciPy, aim 2x",
        extra=f"JIT warm-up {warm:.2f} s (first call)",
    )


def _lsq(quick):
    m = 2 * 10**5 if quick else 10**6
    rng = np.random.default_rng(1)
    x = np.sort(rng.random(m))
    y = np.sin(10 * x) + 0.1 * rng.standard_normal(m)
    t = np.r_[[0.0] * 3, np.linspace(0, 1, 1000), [1.0] * 3]
    xw = np.linspace(0, 1, 200)
    make_lsq_spline(xw, np.sin(xw), np.r_[[0.0] * 4, 0.5, [1.0] * 4])  # JIT warm-up
    sk = _best(lambda: make_lsq_spline(x, y, t), 5)
    sp_qr = _best(lambda: si.make_lsq_spline(x, y, t, 3), 1 if not quick else 2)
    sp_ne = _best(lambda: si.make_lsq_spline(x, y, t, 3, method="norm-eq"), 3)
    return [
        dict(
            name=f"make_lsq_spline m={m:.0e}, 1e3 knots (SciPy default qr)",
            splinekit_s=sk,
            peer="scipy qr",
            peer_s=sp_qr,
            target="< 0.1 s and >= 10x SciPy default",
            extra="",
        ),
        dict(
            name=f"make_lsq_spline m={m:.0e}, 1e3 knots (SciPy norm-eq)",
            splinekit_s=sk,
            peer="scipy norm-eq",
            peer_s=sp_ne,
            target="",
            extra="",
        ),
    ]


def _smoothing(quick):
    n = 10**5
    rng = np.random.default_rng(2)
    x = np.linspace(0, 1, n)
    y = np.sin(20 * x) + 0.1 * rng.standard_normal(n)
    make_smoothing_spline(x[::500], y[::500])  # JIT warm-up
    sk = _best(lambda: make_smoothing_spline(x, y), 2 if quick else 3)
    try:
        sp = _best(lambda: si.make_smoothing_spline(x, y), 1)
        note = ""
    except ValueError as exc:
        sp, note = None, f"SciPy GCV raises: {exc}"
    rows = [
        dict(
            name="make_smoothing_spline n=1e5, GCV",
            splinekit_s=sk,
            peer="scipy",
            peer_s=sp,
            target="< 1 s (SciPy fails)",
            extra=note,
        )
    ]
    sk_f = _best(lambda: make_smoothing_spline(x, y, lam=1e-6), 3)
    sp_f = _best(lambda: si.make_smoothing_spline(x, y, lam=1e-6), 3)
    rows.append(
        dict(
            name="make_smoothing_spline n=1e5, fixed lam",
            splinekit_s=sk_f,
            peer="scipy",
            peer_s=sp_f,
            target="",
            extra="",
        )
    )
    return rows


def _pspline(quick):
    m = 2 * 10**5 if quick else 10**6
    rng = np.random.default_rng(3)
    x = rng.random(m)
    y = np.sin(6 * x) + 0.1 * rng.standard_normal(m)
    make_pspline(x[:500], y[:500])  # JIT warm-up
    sk = _best(lambda: make_pspline(x, y, n_knots=100), 3)
    return dict(
        name=f"make_pspline m={m:.0e}, 100 knots, GCV",
        splinekit_s=sk,
        peer="-",
        peer_s=None,
        target="",
        extra="no SciPy equivalent",
    )


def _galerkin(quick):
    n = 10**4 if quick else 10**5
    t = np.r_[[0.0] * 3, np.linspace(0, 1, n), [1.0] * 3]
    galerkin_matrix(t[:20].tolist() + [1.0] * 4, 3)
    sk = _best(lambda: galerkin_matrix(t, 3, (1, 1)), 3)
    return dict(
        name=f"galerkin_matrix cubic stiffness, {n:.0e} knots",
        splinekit_s=sk,
        peer="-",
        peer_s=None,
        target="",
        extra="no SciPy equivalent (BSplineKit.jl)",
    )


def run(quick):
    rows = [_interp(quick)]
    rows += _lsq(quick)
    rows += _smoothing(quick)
    rows += [_pspline(quick), _galerkin(quick)]
    return rows
