"""B-spline core against mpmath at 40 digits: basis values, derivatives, integrals.

Random knot vectors (clamped, interior knots uniform-random, so gaps vary by orders of
magnitude), degrees 0..10, derivative orders 0..min(k, 3).  The error of a float64 result is
reported in ulps of its *local scale* ``sum_j |B_j^(nu)(x)|`` (values) or
``sum_j |c_j| int |B_j|`` (integrals): the natural unit for a sum of ``k + 1`` terms, so that an
entry that is small by cancellation is not judged by its own tiny size.
"""

import mpmath
import numpy as np

import splinekit as sk
from splinekit.reference import bspline as ref

TITLE = "B-spline core vs mpmath (40 digits)"
EPS = np.finfo(np.float64).eps


def _knots(rng, k, n_int):
    inner = np.sort(rng.uniform(0.0, 1.0, n_int))
    return np.r_[[0.0] * (k + 1), inner, [1.0] * (k + 1)]


def _basis_errors(rng, k, n_points, dps):
    t = _knots(rng, k, 6)
    n = len(t) - k - 1
    x = rng.uniform(0.0, 1.0, n_points)
    numax = min(k, 3)
    B, first = sk.bspline_basis(x, t, k, nu=numax)
    worst = np.zeros(numax + 1)
    for i, xi in enumerate(x):
        for nu in range(numax + 1):
            row = B[nu, i]
            want = np.array(
                [
                    float(ref.basis_derivative(t, k, int(first[i]) + r, xi, nu, dps))
                    for r in range(k + 1)
                ]
            )
            scale = max(np.abs(want).sum(), 1e-300)
            worst[nu] = max(worst[nu], np.max(np.abs(row - want)) / (EPS * scale))
    del n
    return worst


def _integral_error(rng, k, dps):
    t = _knots(rng, k, 5)
    n = len(t) - k - 1
    c = rng.standard_normal(n)
    a, b = np.sort(rng.uniform(0, 1, 2))
    got = float(sk.BSpline(t, c, k).integrate(a, b))
    with mpmath.mp.workdps(dps):
        want = ref.integrate(t, c, k, a, b, dps)
        err = abs(mpmath.mpf(got) - want)
    scale = np.sum(np.abs(c) * (t[k + 1 : k + 1 + n] - t[:n]) / (k + 1))
    return float(err) / (EPS * scale)


def run(report, quick):
    rng = np.random.default_rng(2026)
    dps = 40
    degrees = [0, 1, 2, 3, 5, 7] if quick else list(range(11))
    n_points = 6 if quick else 25
    rows = []
    worst_all = 0.0
    for k in degrees:
        w = _basis_errors(rng, k, n_points, dps)
        wi = max(_integral_error(rng, k, dps) for _ in range(2 if quick else 5))
        rows.append([k] + [f"{v:.2f}" for v in w] + ["-"] * (4 - len(w)) + [f"{wi:.2f}"])
        worst_all = max(worst_all, float(np.max(w)))
        # Cox-de Boor: each value is a sum of convex combinations of k+1 terms; 2(k+1) ulps of
        # the local scale is the classical bound (de Boor, Practical Guide, ch. X) with slack.
        report.check(
            f"k={k}: basis values and derivatives within 2(k+1)+4 ulps of mpmath",
            float(np.max(w)),
            2 * (k + 1) + 4,
            unit="ulp",
        )
        report.check(
            f"k={k}: integrals within 8(k+1) ulps of the coefficient scale",
            wi,
            8 * (k + 1),
            unit="ulp",
        )
    report.table(
        "worst error in ulps of the local scale",
        ["k", "nu=0", "nu=1", "nu=2", "nu=3", "integral"],
        rows,
    )
    report.note(
        f"Worst basis/derivative error over all degrees: {worst_all:.2f} ulp "
        f"({len(degrees)} degrees, {n_points} random points each, random knots)."
    )
