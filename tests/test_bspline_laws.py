"""Laws of the B-spline basis and of BSpline, on randomized knots (hypothesis).

Tolerances are ``C * eps * scale``: the Cox-de Boor triangle is a sum of convex combinations, so
values carry an error of about ``k`` ulps of the local coefficient magnitude; we allow
``C = 8 (k + 1)``.  Derivatives divide by knot gaps: their scale is ``max|c| / min_gap^nu``.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import splinekit as sk

EPS = np.finfo(np.float64).eps


@st.composite
def knot_vectors(draw, kmax=7):
    k = draw(st.integers(0, kmax))
    n_int = draw(st.integers(1, 8))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    # interior breakpoints bounded away from each other so derivative scales stay moderate
    gaps = rng.uniform(0.2, 1.0, n_int + 1)
    bp = np.concatenate([[0.0], np.cumsum(gaps)])
    clamped = draw(st.booleans())
    t = (
        sk.knots.from_breakpoints(bp, k)
        if clamped
        else sk.knots.from_breakpoints(bp, k, "periodic")
        if k <= n_int
        else sk.knots.from_breakpoints(bp, k)
    )
    return t, k, rng


@settings(max_examples=60, deadline=None)
@given(knot_vectors())
def test_partition_of_unity(args):
    t, k, rng = args
    n = len(t) - k - 1
    x = rng.uniform(t[k], t[n], 50)
    B, first = sk.bspline_basis(x, t, k)
    np.testing.assert_allclose(B[0].sum(axis=-1), 1.0, rtol=0, atol=8 * (k + 1) * EPS)
    assert np.all(B[0] >= -8 * (k + 1) * EPS)
    # derivatives of the partition of unity vanish
    if k >= 1:
        B1, _ = sk.bspline_basis(x, t, k, nu=1)
        scale = k / np.min(np.diff(np.unique(t)))
        np.testing.assert_allclose(B1[1].sum(axis=-1), 0.0, atol=64 * (k + 1) * EPS * scale)
    assert np.all((first >= 0) & (first <= n - k - 1))


@settings(max_examples=40, deadline=None)
@given(knot_vectors())
def test_polynomial_reproduction(args):
    """Marsden's identity: (x - y)^k = sum_j psi_j(y) B_j(x), psi_j(y) = prod (t_{j+i} - y)."""
    t, k, rng = args
    n = len(t) - k - 1
    y = 0.3
    c = np.array([np.prod(t[j + 1 : j + k + 1] - y) for j in range(n)])
    s = sk.BSpline(t, c, k)
    x = rng.uniform(t[k], t[n], 40)
    scale = np.max(np.abs(t)) ** k + 1
    np.testing.assert_allclose(s(x), (x - y) ** k, atol=32 * (k + 1) * EPS * scale)


@settings(max_examples=40, deadline=None)
@given(knot_vectors(kmax=6))
def test_derivative_consistency(args):
    t, k, rng = args
    n = len(t) - k - 1
    c = rng.standard_normal(n)
    s = sk.BSpline(t, c, k)
    x = rng.uniform(t[k], t[n], 30)
    gap = np.min(np.diff(np.unique(t)))
    for nu in range(1, k + 1):
        d = s.derivative(nu)
        scale = np.max(np.abs(c)) * (2 * k / gap) ** nu
        np.testing.assert_allclose(s(x, nu=nu), d(x), atol=64 * (k + 1) * EPS * scale)
    if k >= 2:  # central differences of s vs s' (O(h^2) truncation plus rounding)
        h = 1e-5 * gap
        xi = x[(x > t[k] + 2 * h) & (x < t[n] - 2 * h)]
        kn = np.unique(t)
        xi = xi[np.min(np.abs(xi[:, None] - kn[None, :]), axis=1) > 2 * h]
        fd = (s(xi + h) - s(xi - h)) / (2 * h)
        scale = np.max(np.abs(c)) * (2 * k / gap) ** 3
        np.testing.assert_allclose(s(xi, nu=1), fd, atol=1e-8 * scale + 1e-7)


@settings(max_examples=40, deadline=None)
@given(knot_vectors())
def test_antiderivative_then_derivative_is_identity(args):
    t, k, rng = args
    n = len(t) - k - 1
    c = rng.standard_normal(n)
    s = sk.BSpline(t, c, k)
    r = s.antiderivative(2).derivative(2)
    np.testing.assert_array_equal(r.t, s.t)
    # Each antiderivative is a cumulative sum (magnitude up to max|c| * L, L the base length)
    # and each derivative divides a difference of those by a span (>= gap) / (k + 1): the
    # rounding of the sums is amplified by about ((k + 2) L / gap)^2 over the two steps.
    L, gap = t[n] - t[k], np.min(np.diff(np.unique(t)))
    tol = 16 * EPS * np.max(np.abs(c)) * ((k + 2) * L / gap) ** 2
    np.testing.assert_allclose(r.c, s.c, rtol=0, atol=tol)
    # and the integral equals the antiderivative's difference
    a, b = t[k] + 0.1, t[n] - 0.1
    np.testing.assert_allclose(
        s.integrate(a, b), s.antiderivative()(b) - s.antiderivative()(a), atol=1e-12 * (1 + t[n])
    )


@settings(max_examples=40, deadline=None)
@given(knot_vectors(), st.floats(0.0, 1.0), st.integers(1, 3))
def test_insert_knot_leaves_values(args, u, m):
    t, k, rng = args
    n = len(t) - k - 1
    c = rng.standard_normal((n, 2))
    s = sk.BSpline(t, c, k)
    xk = t[k] + u * (t[n] - t[k])
    s2 = s.insert_knot(xk, m=m)
    assert s2.t.shape[0] == t.shape[0] + m and s2.c.shape == (n + m, 2)
    x = rng.uniform(t[k], t[n], 40)
    np.testing.assert_allclose(s2(x), s(x), atol=64 * (k + 1) * EPS * np.max(np.abs(c)))


@settings(max_examples=40, deadline=None)
@given(knot_vectors())
def test_design_matrix_times_c_is_evaluation(args):
    t, k, rng = args
    n = len(t) - k - 1
    c = rng.standard_normal(n)
    x = rng.uniform(t[k], t[n], 25)
    s = sk.BSpline(t, c, k)
    for nu in range(min(k, 2) + 1):
        A = sk.design_matrix(x, t, k, nu=nu)
        gap = np.min(np.diff(np.unique(t)))
        scale = np.max(np.abs(c)) * (2 * k / gap) ** nu
        np.testing.assert_allclose(A @ c, s(x, nu=nu), atol=32 * (k + 1) * EPS * scale)
        vals, first = sk.design_matrix(x, t, k, nu=nu, format="packed")
        np.testing.assert_array_equal(
            vals, A.toarray()[np.arange(len(x))[:, None], first[:, None] + np.arange(k + 1)]
        )


def test_basis_element_and_symmetry():
    b = sk.BSpline.basis_element([0.0, 1.0, 2.0, 3.0])
    x = np.linspace(-0.5, 3.5, 41)
    y = b(x)
    np.testing.assert_allclose(y, y[::-1], atol=4 * EPS)  # symmetric cardinal B-spline
    assert float(b(1.5)) == pytest.approx(0.75)
    # outside [t0, t_last] the end polynomials extrapolate, as in SciPy
    assert float(b(-0.25)) == pytest.approx(0.03125)
    assert np.isnan(sk.BSpline.basis_element([0.0, 1.0, 2.0, 3.0], extrapolate=False)(-0.25))
    assert float(b.integrate(0, 3)) == pytest.approx(1.0, abs=4 * EPS)


def test_periodic_extrapolation_and_integral():
    k = 3
    t = sk.knots.from_breakpoints(np.linspace(0, 2 * np.pi, 9), k, "periodic")
    n = len(t) - k - 1
    c = np.random.default_rng(3).standard_normal(n)
    c[-k:] = c[:k]  # a genuinely periodic spline
    s = sk.BSpline(t, c, k, extrapolate="periodic")
    x = np.linspace(0, 2 * np.pi, 17)
    np.testing.assert_allclose(s(x + 2 * np.pi), s(x), atol=1e-13)
    np.testing.assert_allclose(s(x - 6 * np.pi), s(x), atol=1e-13)
    full = s.integrate(0, 2 * np.pi)
    np.testing.assert_allclose(s.integrate(1.0, 1.0 + 4 * np.pi), 2 * full, atol=1e-12)


def test_float32_stays_float32_and_complex():
    t = sk.knots.uniform(0, 1, 10, 3)
    c = np.random.default_rng(0).standard_normal(13)
    s32 = sk.BSpline(t, c.astype(np.float32), 3)
    x = np.linspace(0, 1, 7, dtype=np.float32)
    y = s32(x)
    assert y.dtype == np.float32
    np.testing.assert_allclose(
        y, sk.BSpline(t, c, 3)(x), rtol=0, atol=64 * np.finfo(np.float32).eps * np.abs(c).max()
    )
    sc = sk.BSpline(t, c + 1j * c[::-1], 3)
    yc = sc(x)
    assert yc.dtype == np.complex128
    np.testing.assert_allclose(yc.real, sk.BSpline(t, c, 3)(x), atol=1e-14)
    np.testing.assert_allclose(yc.imag, sk.BSpline(t, c[::-1].copy(), 3)(x), atol=1e-14)


def test_nan_only_at_that_point_and_nu_above_k():
    t = sk.knots.uniform(0, 1, 5, 2)
    s = sk.BSpline(t, np.arange(7.0), 2)
    y = s([0.1, np.nan, 0.5])
    assert np.isnan(y[1]) and np.isfinite(y[[0, 2]]).all()
    np.testing.assert_array_equal(s([0.1, 0.5], nu=3), 0.0)


def test_high_degree_and_large_knot_count():
    k = 10
    t = sk.knots.uniform(-1, 1, 30, k)
    B, _ = sk.bspline_basis(np.linspace(-1, 1, 101), t, k)
    np.testing.assert_allclose(B[0].sum(-1), 1.0, atol=16 * (k + 1) * EPS)
    t = np.sort(np.random.default_rng(0).random(100_000))
    t = np.r_[[t[0]] * 3, t, [t[-1]] * 3]
    s = sk.BSpline(t, np.ones(len(t) - 4), 3)
    np.testing.assert_allclose(
        s(np.random.default_rng(1).uniform(t[0], t[-1], 1000)), 1.0, atol=32 * EPS
    )
