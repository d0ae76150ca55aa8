"""Parity with scipy.interpolate.BSpline on randomized cases, and with mpmath at 40 digits."""

import numpy as np
import pytest
import scipy.interpolate as si

import splinekit as sk
from splinekit.reference import bspline as ref

EPS = np.finfo(np.float64).eps


def _case(rng, k, uniform):
    if uniform:
        t = sk.knots.uniform(-1.0, 2.0, int(rng.integers(1, 12)), k)
    else:
        t = np.sort(rng.uniform(-1, 2, 2 * k + 2 + int(rng.integers(0, 10))))
    n = len(t) - k - 1
    return t, n


def _scale(t, k, x, nu, ext, cmax):
    ext = True if ext is False else ext
    B, _ = sk.bspline_basis(x, t, k, nu=nu, extrapolate=ext)
    return cmax * np.nanmax(np.abs(B[nu]).sum(axis=-1)) + 1.0


@pytest.mark.parametrize("k", range(8))
@pytest.mark.parametrize("uniform", [False, True])
def test_matches_scipy(k, uniform, rng):
    for _ in range(6):
        t, n = _case(rng, k, uniform)
        c = rng.standard_normal((n, 2, 3))
        axis = int(rng.integers(0, 3))
        cc = np.moveaxis(c, 0, axis)
        a, s = sk.BSpline(t, cc, k, axis=axis), si.BSpline(t, cc, k, axis=axis)
        x = rng.uniform(t[0] - 0.3, t[-1] + 0.3, (3, 4))
        for nu in range(k + 2):
            for ext in (True, False, "periodic"):
                want = s(x, nu=nu, extrapolate=ext)
                got = a(x, nu=nu, extrapolate=ext)
                assert got.shape == want.shape
                # error scale: sum_j |c_j B_j^(nu)(x)|, the condition of the evaluation
                scale = _scale(t, k, x, nu, ext, np.abs(c).max())
                # same algorithm family as FITPACK's: a few ulps of that scale
                np.testing.assert_allclose(got, want, rtol=0, atol=16 * (k + 1) * EPS * scale)
        for a_, b_ in [(t[k] + 0.1, t[n] - 0.2), (t[0] - 0.5, t[-1] + 0.5)]:
            for ext in (True, False):
                np.testing.assert_allclose(
                    a.integrate(a_, b_, ext), s.integrate(a_, b_, ext), rtol=1e-12, atol=1e-12
                )


def test_derivative_antiderivative_match_scipy(rng):
    for k in range(1, 6):
        t, n = _case(rng, k, False)
        c = rng.standard_normal(n)
        a, s = sk.BSpline(t, c, k), si.BSpline(t, c, k)
        x = rng.uniform(t[k], t[n], 20)
        np.testing.assert_allclose(
            a.derivative(2 if k >= 2 else 1)(x),
            s.derivative(2 if k >= 2 else 1)(x),
            rtol=1e-10,
            atol=1e-10,
        )
        np.testing.assert_allclose(
            a.antiderivative(2)(x), s.antiderivative(2)(x), rtol=1e-12, atol=1e-12
        )
        xk = float(rng.uniform(t[k], t[n]))
        np.testing.assert_allclose(a.insert_knot(xk, 2).t, s.insert_knot(xk, 2).t)


def test_design_matrix_matches_scipy(rng):
    for k in range(6):
        t, n = _case(rng, k, False)
        x = rng.uniform(t[k], t[n], 30)
        want = si.BSpline.design_matrix(x, t, k).toarray()
        got = sk.BSpline.design_matrix(x, t, k)
        assert got.shape == want.shape
        np.testing.assert_allclose(got.toarray(), want, atol=16 * (k + 1) * EPS)
        xe = rng.uniform(t[0] - 1, t[-1] + 1, 30)
        for ext in (True, "periodic"):
            np.testing.assert_allclose(
                sk.design_matrix(xe, t, k, extrapolate=ext).toarray(),
                si.BSpline.design_matrix(xe, t, k, extrapolate=ext).toarray(),
                atol=1e-12 * (1 + np.abs(xe).max() ** k),
            )


def test_scipy_round_trip(rng):
    t = sk.knots.uniform(0, 1, 7, 3)
    c = rng.standard_normal((10, 2))
    s = si.make_interp_spline(np.linspace(0, 1, 10), c, k=3)
    a = sk.BSpline.from_scipy(s)
    x = rng.random(50)
    np.testing.assert_allclose(a(x), s(x), atol=1e-13)
    back = a.to_scipy()
    np.testing.assert_allclose(back(x), s(x), atol=1e-13)
    padded = si.splrep(np.linspace(0, 1, 12), np.sin(np.linspace(0, 1, 12)))
    sp = si.BSpline(*padded)  # FITPACK pads c to len(t)
    np.testing.assert_allclose(sk.BSpline.from_scipy(sp)(x), sp(x), atol=1e-13)
    del t


@pytest.mark.parametrize("k", [0, 1, 2, 3, 5, 7])
def test_against_mpmath_40_digits(k, rng):
    t = np.sort(rng.uniform(0, 1, 2 * k + 6))
    n = len(t) - k - 1
    c = rng.standard_normal(n)
    s = sk.BSpline(t, c, k)
    x = rng.uniform(t[k], t[n], 6)
    for nu in range(min(k, 3) + 1):
        got = s(x, nu=nu)
        want = np.array([float(ref.evaluate(t, c, k, xi, nu)) for xi in x])
        B, first = sk.bspline_basis(x, t, k, nu=nu)
        scale = np.max(np.abs(B[nu]), axis=-1) * np.abs(c).max() + 1e-300
        # error relative to the local scale sum|c_j B_j^(nu)|: C = 8(k+1)^2 ulps
        assert np.all(np.abs(got - want) <= 8 * (k + 1) ** 2 * EPS * scale * (k + 1))
    a, b = float(t[k] + 0.01), float(t[n] - 0.02)
    np.testing.assert_allclose(
        float(s.integrate(a, b)),
        float(ref.integrate(t, c, k, a, b)),
        rtol=0,
        atol=64 * EPS * np.abs(c).sum() * (t[n] - t[k]),
    )


@pytest.mark.parametrize("order", ["random", "sorted", "reversed"])
def test_clustered_knots_and_query_order(order, rng):
    """Geometric knots (spans from 1e-12 to 0.5) put many spans in one search bucket; the
    bucket table then falls back to its binary search.  Results must not depend on query order."""
    inner = np.geomspace(1e-12, 0.5, 60)
    t = np.r_[[0.0] * 4, inner, [1.0] * 4]
    c = rng.standard_normal(len(t) - 4)
    x = np.r_[rng.uniform(0, 1, 200), np.geomspace(1e-13, 1, 200), inner]
    if order == "sorted":
        x = np.sort(x)
    elif order == "reversed":
        x = np.sort(x)[::-1].copy()
    got, want = sk.BSpline(t, c, 3)(x), si.BSpline(t, c, 3)(x)
    np.testing.assert_allclose(got, want, rtol=0, atol=64 * EPS * np.abs(c).max())
    B, first = sk.bspline_basis(x, t, 3)
    l = first + 3  # the span: t[l] <= x < t[l+1] (last span closed)
    inside = x < 1.0
    assert np.all(t[l[inside]] <= x[inside]) and np.all(x[inside] < t[l[inside] + 1])
