"""method="autoknots": NumCosmo's ``_SPLINE`` loop reproduced pass by pass.

Three independent checks: (1) the first pass on f = x^4 redone in exact rational arithmetic
(the 6-node not-a-knot spline solved with Fractions); (2) a cubic, reproduced exactly, whose
whole trace follows by hand; (3) a literal left-to-right transcription of the C loop (one
interval at a time, Python lists) run side by side with the vectorized implementation.
"""

from fractions import Fraction as Fr

import numpy as np
import pytest

from splinekit.adaptive import autoknots
from splinekit.adaptive._faithful import three_point_integral
from splinekit.fitting import make_interp_spline


def _notaknot_x4_exact():
    """Not-a-knot cubic through (j/5, (j/5)^4), j = 0..5: knots 0.4, 0.6 (0.2, 0.8 removed).

    ``S(x) = a0 + a1 x + a2 x^2 + a3 x^3 + b1 (x - 2/5)_+^3 + b2 (x - 3/5)_+^3``; returns a
    function evaluating S and its exact integral over [u, v] (both on Fractions).
    """
    xs = [Fr(j, 5) for j in range(6)]

    def row(x):
        return [Fr(1), x, x**2, x**3, max(x - Fr(2, 5), 0) ** 3, max(x - Fr(3, 5), 0) ** 3]

    A = [row(x) + [x**4] for x in xs]
    for c in range(6):  # Gauss-Jordan in exact arithmetic
        p = next(r for r in range(c, 6) if A[r][c] != 0)
        A[c], A[p] = A[p], A[c]
        A[c] = [v / A[c][c] for v in A[c]]
        for r in range(6):
            if r != c:
                A[r] = [vr - A[r][c] * vc for vr, vc in zip(A[r], A[c], strict=True)]
    coef = [A[r][6] for r in range(6)]

    def S(x):
        return sum(ci * bi for ci, bi in zip(coef, row(x), strict=True))

    def anti(x):
        a0, a1, a2, a3, b1, b2 = coef
        v = a0 * x + a1 * x**2 / 2 + a2 * x**3 / 3 + a3 * x**4 / 4
        return v + b1 * max(x - Fr(2, 5), 0) ** 4 / 4 + b2 * max(x - Fr(3, 5), 0) ** 4 / 4

    return S, lambda u, v: anti(v) - anti(u)


def test_first_pass_matches_exact_rational_arithmetic():
    S, integral = _notaknot_x4_exact()
    atol = 1e-4  # between the residuals: some intervals pass, some fail (checked below)
    expected = []
    for j in range(5):
        x0, x1 = Fr(j, 5), Fr(j + 1, 5)
        xm = (x0 + x1) / 2
        point = abs(xm**4 - S(xm)) <= Fr(atol)
        simpson = (x1 - x0) * (x0**4 + 4 * xm**4 + x1**4) / 6
        integ = abs(simpson - integral(x0, x1)) <= Fr(atol) * (x1 - x0)
        expected.append(bool(point and integ))
    assert 0 < sum(expected) < 5, "atol must split the intervals for the test to mean much"
    s = autoknots(lambda x: x**4, 0.0, 1.0, rtol=0.0, atol=atol, method="autoknots")
    first = s.info.trace[0]
    assert (first["tested"], first["new"], first["knots"]) == (5, 5, 11)
    assert first["failed"] == 5 - sum(expected)
    # The second pass tests exactly the two halves of every failed interval.
    assert s.info.trace[1]["tested"] == 2 * first["failed"]


def test_cubic_trace_by_hand():
    # A cubic is reproduced exactly by the not-a-knot spline: pass 1 tests the 5 midpoints of
    # the 6-node grid, all pass; the 10 intervals then have equal widths (sd = 0), so the
    # plateau re-test finds nothing wider than mean + sd and the loop stops.
    s = autoknots(lambda x: x**3 + x + 1.0, 0.0, 1.0, rtol=1e-10, method="autoknots")
    assert s.info.trace == [dict(tested=5, failed=0, new=5, knots=11, reopened=0, **{"pass": 1})]
    np.testing.assert_allclose(s.info.x, np.linspace(0.0, 1.0, 11), rtol=0, atol=1e-15)
    assert s.info.evaluations == 11 and s.info.converged


def _literal(f, a, b, rel, scale, space, refine=1, refine_ns=1.0, n0=6):
    """NumCosmo's loop transcribed literally: lists, one interval at a time, left to right."""
    fwd, inv = {
        "linear": (lambda v: v, lambda v: v),
        "log": (np.log, np.exp),
        "asinh": (np.arcsinh, np.sinh),
    }[space]
    ua, ub = fwd(a), fwd(b)
    xs = [float(v) for v in inv(np.linspace(ua, ub, n0))]
    xs[0], xs[-1] = a, b
    ys = [f(x) for x in xs]
    ok = [False] * (n0 - 1)
    S = make_interp_spline(np.array(xs), np.array(ys), k=3)
    trace = []
    while True:
        w = np.diff(xs)
        mean, sd, wmax = w.mean(), w.std(ddof=1), w.max()
        nx, ny, nok, fails, tested = [xs[0]], [ys[0]], [], 0, 0
        anti = S.antiderivative()
        for i in range(len(xs) - 1):
            x0, x1, y0, y1 = xs[i], xs[i + 1], ys[i], ys[i + 1]
            if ok[i]:
                nx.append(x1), ny.append(y1), nok.append(True)
                continue
            tested += 1
            xm = float(inv((fwd(x0) + fwd(x1)) / 2))
            ym = f(xm)
            ys_ = float(S(xm))
            ic = float(three_point_integral(x0, xm, x1, y0, ym, y1, space == "linear"))
            is_ = float(anti(x1) - anti(x0))
            passed = abs(ym - ys_) <= rel * (abs(ym) + scale) and abs(ic - is_) <= rel * (
                abs(ic) + scale * (x1 - x0)
            )
            fails += not passed
            nx += [xm, x1]
            ny += [ym, y1]
            nok += [passed, passed]
        xs, ys, ok = nx, ny, nok
        S = make_interp_spline(np.array(xs), np.array(ys), k=3)
        trace.append((tested, fails, len(xs)))
        if fails:
            continue
        if space != "linear" or refine < 1:
            break
        refine -= 1
        lim = mean + refine_ns * sd
        if wmax <= lim:
            break
        ok = [o and not (xs[i + 1] - xs[i] > lim) for i, o in enumerate(ok)]
    return np.array(xs), trace


CASES = [
    ("runge", lambda x: 1.0 / (1.0 + 25.0 * x * x), -1.0, 1.0, 1e-5, 0.0, "linear"),
    ("expsinc", lambda x: 0.5 * np.exp(2 * x) + np.sinc(3 * x) ** 2, 0.0, 2.0, 1e-6, 1.0, "linear"),
    ("power", lambda x: x**-1.5 + 0.1 * np.log(x), 1e-2, 1e2, 1e-4, 0.0, "log"),
    ("asinh", lambda x: np.tanh(x / 3.0) + 2.0, -50.0, 50.0, 1e-5, 0.0, "asinh"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_vectorized_loop_equals_literal_transcription(case):
    _, f, a, b, rel, scale, space = case
    xs, trace = _literal(lambda x: float(f(x)), a, b, rel, scale, space)
    s = autoknots(f, a, b, rtol=rel, atol=rel * scale, space=space, method="autoknots")
    got = [(t["tested"], t["failed"], t["knots"]) for t in s.info.trace]
    assert got == trace
    np.testing.assert_array_equal(s.info.x, xs)


def test_plateau_retest_is_exercised():
    # Some literal case must reach the refine step with a re-test (else the test above would
    # not cover it): the Runge function does.
    s = autoknots(CASES[0][1], -1.0, 1.0, rtol=1e-5, method="autoknots")
    assert any(t["reopened"] > 0 for t in s.info.trace)


@pytest.mark.parametrize("d", [0.0, 0.3, -0.45])
def test_three_point_rule_is_exact_for_quadratics(d, rng):
    c = rng.normal(size=3)
    x0, x1 = 0.7, 1.9
    xm = 0.5 * (x0 + x1) + d * 0.5 * (x1 - x0)
    q = np.polynomial.Polynomial(c)
    exact = q.integ()(x1) - q.integ()(x0)
    got = three_point_integral(x0, xm, x1, q(x0), q(xm), q(x1), simpson=(d == 0.0))
    # a handful of roundings of O(1) terms
    assert abs(got - exact) <= 16 * np.finfo(float).eps * (1 + abs(exact))
