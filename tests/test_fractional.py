"""Laws and oracles of splinekit.fractional (Riesz collocation, issue 4).

Error unit: ``eps`` (float64).  The one-sided Riemann-Liouville derivatives are compared with
mpmath relative to their value; the Riesz derivative ``c_alpha (D_L + D_R)`` relative to its
condition scale ``c_alpha (|D_L| + |D_R|)`` (the sum cancels inside the support, by a factor
up to ``~1/(alpha - 1)``, whatever the algorithm that evaluates the two terms).
"""

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from splinekit import BSpline, knots
from splinekit.fractional import (
    RieszCollocationOperator,
    collocation_matrix,
    collocation_points,
    problems,
    riesz_derivative,
    solve,
    spectrum_report,
    symbol,
)
from splinekit.fractional import matrix as M
from splinekit.fractional import solver as S
from splinekit.fractional._core import c_alpha
from splinekit.fractional.derivative import eval_pairs
from splinekit.reference import fractional as R

EPS = np.finfo(np.float64).eps
ALPHAS = [1.01, 1.2, 1.5, 1.8, 1.99]


def _kappa(alpha):
    """Extra loss near alpha = 1: D_L and D_R each tend to -+N' there, so their O(1) jump terms
    cancel to O(alpha - 1) inside every one-sided derivative (and c_alpha ~ 1/(pi(alpha-1)))."""
    return max(1.0, 0.5 / (alpha - 1.0))


def _ref_scale(t, p, j, x, alpha):
    """(Riesz value, condition scale c_alpha(|D_L| + |D_R|)) from route A."""
    dl = float(R.rl_exact(t, p, j, x, alpha, "left"))
    dr = float(R.rl_exact(t, p, j, x, alpha, "right"))
    return c_alpha(alpha) * (dl + dr), c_alpha(alpha) * (abs(dl) + abs(dr))


# ---------------------------------------------------------------------------------------------
# the kernel against mpmath (route A at 40 digits)
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("alpha", ALPHAS)
@pytest.mark.parametrize("p", [2, 3, 5, 7])
def test_toeplitz_entries_match_mpmath(alpha, p):
    ref = M._Reference(p, alpha, np)
    ks = np.r_[np.arange(11), 1e3, 1e4]  # near, mid and 1e3, 1e4 h away from the support
    got = ref.neg_riesz(np.full(ks.size, p), (p + 1) / 2 + ks)
    a0 = float(R.toeplitz_entry(alpha, p, 0))
    for k, g in zip(ks, got, strict=True):
        x = (p + 1) / 2 + k
        r, scale = _ref_scale(ref.t, p, p, x, alpha)
        # near field: 8 ulps (times _kappa) of the larger of the condition scale and the
        # diagonal a_0 (entries close to the support end are tiny differences of O(a_0) terms
        # when alpha -> 2); each one-sided derivative alone is measured at <= 7 ulps
        assert abs(-g - r) <= 8 * EPS * max(scale, abs(a0)) * _kappa(alpha), (k, g, r)
        if k >= 1e3:  # far field: no cancellation, relative accuracy (measured <= 3 ulps)
            assert abs(-g - r) <= 4 * EPS * abs(r)


@pytest.mark.parametrize("alpha", [1.01, 1.5, 1.99])
@pytest.mark.parametrize("p", [2, 3, 4, 6])
def test_boundary_columns_match_mpmath(alpha, p):
    """d^alpha N_j (xi_i) for the boundary B-splines j = 2..p at the first 2p collocation points."""
    ref = M._Reference(p, alpha, np)
    xi = M._greville_ref(p, 12, np)[: 2 * p]
    js = np.repeat(np.arange(1, p), xi.size)
    xs = np.tile(xi, p - 1)
    got = -ref.neg_riesz(js, xs)
    a0 = float(R.toeplitz_entry(alpha, p, 0))
    for j, x, g in zip(js, xs, got, strict=True):
        r, scale = _ref_scale(ref.t, p, int(j), x, alpha)
        # as in the Toeplitz test, 16 ulps (times _kappa) of max(condition scale, a_0): the
        # boundary B-splines have (p+1)-fold knots and larger jumps (measured <= 12)
        assert abs(g - r) <= 16 * EPS * max(scale, abs(a0)) * _kappa(alpha), (j, x, g, r)


@pytest.mark.parametrize("side", ["left", "right"])
def test_one_sided_derivatives_few_ulps(side):
    """D_L and D_R alone (no Riesz cancellation) are within a few ulps of their value."""
    p, alpha = 4, 1.3
    t = knots.uniform(0.0, 8.0, 8, p)
    xs = np.array([0.3, 1.0, 2.5, 4.0, 7.9, 8.5, 20.0, 1e4])
    for j in (0, 1, 2, 5, 8):
        got = eval_pairs(t, p, np.full(xs.size, j), xs, alpha, {"left": 1, "right": 2}[side])
        for x, g in zip(xs, got, strict=True):
            r = float(R.rl_exact(t, p, j, x, alpha, side))
            # 8 ulps relative (measured <= 7); exact zeros (the wrong side of the support) stay 0
            assert abs(g - r) <= 8 * EPS * abs(r), (j, x, g, r)


def test_two_mpmath_routes_agree():
    """Route A (exact jump formula) and route B (tanh-sinh of the Caputo form) agree."""
    p, alpha = 3, 1.5
    t = knots.uniform(0.0, 1.0, 6, p)
    with mp.workdps(30):  # the routes return at the caller's precision
        for j, x, side in [(1, 0.1, "both"), (3, 0.5, "left"), (4, 0.05, "right")]:
            a = R.rl_exact(t, p, j, x, alpha, side, dps=30)
            b = R.rl_quadrature(t, p, j, x, alpha, side, digits=15)
            # route B gives about `digits` digits (tanh-sinh at 2 x digits): 1e-15 relative
            assert abs(a - b) <= 1e-15 * max(1.0, abs(a)), (j, x, side, a, b)
            assert a != 0


@settings(max_examples=15, deadline=None)
@given(
    p=st.integers(2, 5),
    h=st.floats(0.05, 20.0),
    shift=st.floats(-50.0, 50.0),
    x=st.floats(-30.0, 30.0),
    alpha=st.floats(1.05, 1.95),
)
def test_scaling_and_translation_law(p, h, shift, x, alpha):
    """d^alpha [N(./h + s)] = h^-alpha (d^alpha N)(./h + s): the same B-spline, scaled knots."""
    t = np.r_[0.0, 0.0, np.arange(1.0, p + 1.0)]  # a non-uniform local knot vector
    assume(np.abs(x - t).min() > 1e-3)  # (rounding may move a point onto a knot: inf there)
    ts = h * (t - shift)
    xs = h * (x - shift)
    g1 = eval_pairs(t, p, np.array([0]), np.array([x]), alpha, 0)[0]
    g2 = eval_pairs(ts, p, np.array([0]), np.array([xs]), alpha, 0)[0]
    dl = abs(eval_pairs(t, p, np.array([0]), np.array([x]), alpha, 1)[0])
    dr = abs(eval_pairs(t, p, np.array([0]), np.array([x]), alpha, 2)[0])
    scale = c_alpha(alpha) * (dl + dr)
    if not np.isfinite(g1):  # x on a knot where N' jumps: the same infinity (or NaN)
        assert np.isnan(g1) == np.isnan(g2) and (np.isnan(g1) or g1 == g2)
        return
    # the knots and x are rounded when shifted and scaled: each coordinate moves by up to
    # eps * (|shift| + |x| + p) in units of the unit knot spacing, so the geometry carries that
    # relative error; 64 ulps of the condition scale per unit of it (the h^-alpha power, the
    # near/far switch moving with the rounded distances).  Found by hypothesis: shift=36.
    geometry = 1.0 + abs(shift) + abs(x) + p
    assert abs(g2 * h**alpha - g1) <= 64 * EPS * geometry * max(scale, 1e-300)


# ---------------------------------------------------------------------------------------------
# riesz_derivative (public)
# ---------------------------------------------------------------------------------------------
def test_spline_is_sum_of_basis_and_matches_scipy_bspline():
    from scipy.interpolate import BSpline as SciPyBSpline

    rng = np.random.default_rng(4)
    t = knots.uniform(-1.0, 2.0, 7, 3)
    c = rng.standard_normal((t.size - 4, 2))
    x = np.linspace(-3.0, 4.0, 23)
    basis = riesz_derivative((t, 3), x, 1.6)
    assert basis.shape == (23, t.size - 4)
    spl = riesz_derivative(BSpline(t, c, 3), x, 1.6)
    assert spl.shape == (23, 2)
    scale = np.abs(basis) @ np.abs(c)
    # 4 ulps of sum |c_j| |D N_j| (the sum itself, in another order)
    np.testing.assert_array_less(np.abs(spl - basis @ c), 4 * EPS * scale + 1e-300)
    sp = riesz_derivative(SciPyBSpline(t, c[:, 0], 3), x, 1.6)
    np.testing.assert_allclose(sp, spl[:, 0], rtol=0, atol=1e-14 * np.abs(spl).max())


def test_riesz_derivative_of_polynomial_solution():
    """u = x^2 (1-x)^2 is a clamped quartic spline on (0,1): its derivative is the T1 source."""
    alpha = 1.5
    u, s = problems.polynomial(alpha, m=2)
    t = knots.uniform(0.0, 1.0, 4, 4)
    # interpolate u exactly (u lies in the space): solve at the Greville points
    g = knots.greville(t, 4)
    B = BSpline.design_matrix(g, t, 4).toarray()
    spl = BSpline(t, np.linalg.solve(B, u(g)), 4)
    x = np.linspace(0.05, 0.95, 7)
    got = -riesz_derivative(spl, x, alpha)
    want = np.array([float(R.t1_source(alpha, 2, xx)) for xx in x])
    # 1e3 eps: interpolation (cond(B) ~ 10) and the cancelling Riesz sum (scale ~ 10 |s|)
    np.testing.assert_allclose(got, want, rtol=1e3 * EPS, atol=1e3 * EPS)


def test_infinite_and_nan_cases():
    t = np.array([0.0, 0.0, 1.0, 2.0, 2.0])  # B_1 is a hat (degree 1): N' jumps at its knots
    d = riesz_derivative((t, 1), np.array([0.0, 1.0, 2.0, 0.5, np.nan]), 1.5)[:, 1]
    assert np.isinf(d[0]) and d[0] > 0 and np.isinf(d[2]) and d[2] > 0
    assert np.isinf(d[1]) and d[1] < 0
    assert np.isfinite(d[3]) and np.isnan(d[4])
    step = np.array([0.0, 1.0])  # degree 0: N jumps, D_L and D_R are opposite infinities
    x0 = np.array([0.0])
    assert np.isnan(riesz_derivative((step, 0), x0, 1.5)[0, 0])
    dl = riesz_derivative((step, 0), x0, 1.5, side="left")[0, 0]
    dr = riesz_derivative((step, 0), x0, 1.5, side="right")[0, 0]
    assert np.isinf(dl) and np.isinf(dr) and dl == -dr


# ---------------------------------------------------------------------------------------------
# matrix laws
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("p", [2, 3, 4, 5])
def test_matrix_structure_laws(p):
    alpha, n = 1.5, 24
    A = M.dense_naive(alpha, p, n)  # every entry by its own kernel call: no structure assumed
    N = n + p - 2
    h = 1.0 / n
    scale = np.abs(A).max()
    # centrosymmetric J A J = A (the mirror holds to the rounding of the mirrored points)
    assert np.abs(A - A[::-1, ::-1]).max() <= 16 * EPS * scale
    # not symmetric: the law "symmetry of the Riesz matrix" is false for collocation
    assert np.abs(A - A.T).max() > 1e-3 * scale
    op = collocation_matrix(alpha, p, n, format="operator")
    T = op.a[np.abs(np.arange(N)[:, None] - np.arange(N)[None, :])]
    assert np.array_equal(T, T.T)
    R_ = A * h**alpha - T
    w = p - 1
    inner = R_[w : N - w, w : N - w]
    # zero outside the first/last p-1 rows and columns (entries equal up to rounding)
    assert np.abs(inner).max() <= 8 * EPS * np.abs(T).max()
    assert np.linalg.matrix_rank(R_, tol=1e-10 * np.abs(R_).max()) <= 4 * (p - 1)
    # the structured assembly gives the same matrix
    np.testing.assert_allclose(op.to_dense(), A, rtol=0, atol=16 * EPS * scale)


@pytest.mark.parametrize("p", [2, 3, 4])
def test_toeplitz_generator_sums_to_zero_and_decays(p):
    alpha = 1.5
    ref = M._Reference(p, alpha, np)
    k = np.arange(20001, dtype=float)
    a = ref.neg_riesz(np.full(k.size, p), (p + 1) / 2 + k)
    assert np.all(a[1:] < 0)  # off-diagonal entries negative
    C1 = math.gamma(1 + alpha) * math.sin(math.pi * alpha / 2) / math.pi
    kk = k[-1]
    assert abs(a[-1] / (-C1 * kk ** (-1 - alpha)) - 1) < 1e-7  # a_k ~ -C k^(-1-alpha)
    total = a[0] + 2 * a[1:].sum()
    tail = 2 * C1 * kk ** (-alpha) / alpha  # sum_{k > K} |a_k| ~ C K^-alpha / alpha
    assert abs(total) <= 1.01 * tail  # sum_k a_k = f(0) = 0


@pytest.mark.parametrize("p", [2, 3, 5])
def test_alpha_to_2_gives_second_derivative_collocation(p):
    n = 10
    alpha = 2.0 - 1e-7
    A = collocation_matrix(alpha, p, n)
    t = knots.uniform(0.0, 1.0, n, p)
    xi = collocation_points(p, n)
    B2 = BSpline.design_matrix(xi, t, p, nu=2).toarray()[:, 1:-1]
    # d/dalpha of the entries is O(log n) * |A|: 1e-7 * 50 * |A|
    np.testing.assert_allclose(A, -B2, rtol=0, atol=5e-6 * np.abs(B2).max())


def test_matvec_equals_dense_product(rng):
    for p, n in [(2, 9), (3, 40), (6, 33)]:
        op = collocation_matrix(1.7, p, n, format="operator")
        A = op.to_dense()
        V = rng.standard_normal((op.N, 3))
        # FFT Toeplitz product: error ~ log2(L) eps max|a| ||v||_1; 64 eps covers it
        tol = 64 * EPS * np.abs(A).max() * np.abs(V).sum(axis=0)
        assert np.all(np.abs(op @ V - A @ V) <= tol)
        assert np.all(np.abs(op.rmatvec(V) - A.T @ V) <= tol)
        assert np.allclose(op @ V[:, 0], A @ V[:, 0], rtol=0, atol=tol[0])
        lin = op.aslinearoperator()
        assert np.allclose(lin.matvec(V[:, 1]), A @ V[:, 1], rtol=0, atol=tol[1])
    assert isinstance(op, RieszCollocationOperator) and op.nbytes < 200 * op.N * 8


# ---------------------------------------------------------------------------------------------
# symbol and spectrum
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("p", [2, 3, 4, 5, 6])
def test_symbol_matches_mpmath_hurwitz(p):
    th = np.array([0.1, 1.0, 2.0, np.pi])
    got = symbol(1.5, p, th)
    want = np.array([float(R.symbol(1.5, p, x)) for x in th])
    np.testing.assert_allclose(got, want, rtol=1e-13)  # scipy.special.zeta: ~1e-15 relative


@pytest.mark.parametrize("p", [2, 3, 4])
def test_symbol_equals_fourier_sum_of_entries(p):
    alpha = 1.5
    ref = M._Reference(p, alpha, np)
    K = 200000
    k = np.arange(K + 1, dtype=float)
    a = ref.neg_riesz(np.full(k.size, p), (p + 1) / 2 + k)
    th = np.array([0.7, 1.5, 2.5, np.pi])
    four = a[0] + 2 * np.cos(np.outer(th, k[1:])) @ a[1:]
    C1 = math.gamma(1 + alpha) * math.sin(math.pi * alpha / 2) / math.pi
    # tail of an alternating-phase sum: |sum_{k>K} a_k cos(k th)| <= C K^(-1-alpha)/sin(th/2)
    tail = 2 * C1 * K ** (-1 - alpha) / np.sin(th / 2)
    assert np.all(np.abs(four - symbol(alpha, p, th)) <= tail + 1e-13)


def test_symbol_properties():
    th = np.linspace(1e-3, np.pi, 200)
    for p in (2, 3, 5):
        f = symbol(1.5, p, th)
        assert np.all(f > 0) and symbol(1.5, p, 0.0) == 0.0
        np.testing.assert_allclose(symbol(1.5, p, -th), f)
        # theta + 2 pi is rounded: an absolute 1e-15 change of theta
        np.testing.assert_allclose(symbol(1.5, p, th + 2 * np.pi), f, rtol=1e-12, atol=1e-15)
        # f ~ |theta|^alpha at 0
        assert abs(symbol(1.5, p, 1e-4) / 1e-4**1.5 - 1) < 1e-6
    fpi = [float(symbol(1.5, p, np.pi)) for p in range(2, 9)]
    assert all(b < a for a, b in zip(fpi[1:], fpi[2:], strict=False))  # decays with p


def test_spectrum_report():
    rep = spectrum_report(1.5, 3, 48, plot=False)
    assert rep.N == 49 and rep.max_imag < 1e-8
    assert len(rep.outliers) >= 1 and rep.bulk_gap < 0.1
    assert rep.cond > 1 and rep.lambda_min > 0 and "outliers" in str(rep)


# ---------------------------------------------------------------------------------------------
# solve
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("p", [4, 5])
def test_exact_when_solution_in_spline_space(p):
    u, s = problems.polynomial(1.5, m=2)
    for n in (8, 32):
        spl, info = solve(s, 1.5, p, n, method="direct")
        x = np.linspace(0, 1, 301)
        spl = spl.to_scipy()  # (the core's evaluation is exercised below; saves JIT time)
        # u in S_p: only rounding; cond(A) ~ n^alpha times a few eps
        assert np.abs(spl(x) - u(x)).max() <= 50 * EPS * n**1.5
        assert info.method == "direct" and info.residual < 1e-13


def test_solve_returns_bspline_and_gmres_matches_direct():
    u, s = problems.polynomial(1.3, m=4, domain=(-1.0, 2.0))
    d, info_d = solve(s, 1.3, 3, 40, domain=(-1.0, 2.0), method="direct")
    g, info_g = solve(s, 1.3, 3, 40, domain=(-1.0, 2.0), method="gmres", tol=1e-12)
    assert isinstance(d, BSpline) and d.k == 3
    np.testing.assert_array_equal(d.t, knots.uniform(-1.0, 2.0, 40, 3))
    assert d.c[0] == 0 and d.c[-1] == 0
    assert info_g.method == "gmres" and info_g.precond == "tau" and info_g.converged
    assert info_g.residual <= 1e-12 and info_g.iterations > 0
    np.testing.assert_allclose(g.c, d.c, rtol=0, atol=1e-10 * np.abs(d.c).max())
    assert np.isnan(d(np.array([2.5]))[0])  # outside [a, b]: NaN (the solution is 0 there)
    x = np.linspace(-1, 2, 101)
    assert np.abs(d(x) - u(x)).max() < 1e-4


def test_tau_iterations_do_not_grow_with_n():
    its = {}
    for n in (64, 256, 1024, 4096):
        _, info = solve(1.0, 1.5, 3, n, method="gmres", precond="tau", tol=1e-10)
        its[n] = info.iterations
        assert info.converged
    assert max(its.values()) - min(its.values()) <= 3, its
    _, none = solve(1.0, 1.5, 3, 1024, method="gmres", precond=None, tol=1e-10)
    assert none.iterations > 4 * its[1024]
    _, circ = solve(1.0, 1.5, 3, 1024, method="gmres", precond="circulant", tol=1e-10)
    assert circ.converged


def test_constant_source_positive_solution_and_order():
    u, s = problems.constant_source(1.5)
    errs = []
    for n in (32, 128):
        spl, _ = solve(s, 1.5, 2, n)
        spl = spl.to_scipy()
        x = np.linspace(0, 1, 2001)
        assert np.all(spl(x[1:-1]) > 0)
        errs.append(np.abs(spl(x) - u(x)).max())
    order = math.log(errs[0] / errs[1], 4)
    assert abs(order - 0.75) < 0.15  # alpha / 2


def test_dst_by_fft_matches_scipy(rng):
    from scipy import fft

    v = rng.standard_normal((17, 2))
    np.testing.assert_allclose(
        S._dst1_fft(v, np), fft.dst(v, type=1, norm="ortho", axis=0), atol=1e-14
    )


def test_gmres_on_small_dense_system(rng):
    A = np.eye(30) + 0.1 * rng.standard_normal((30, 30))
    b = rng.standard_normal(30)
    x, its, res = S.gmres(lambda v: A @ v, b, tol=1e-12, restart=7, maxiter=500)
    assert res <= 1e-12 and np.allclose(A @ x, b, atol=1e-10) and its > 7


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kwargs, exc, match",
    [
        (dict(alpha=2.0), ValueError, r"alpha must lie in the open interval \(1, 2\).*second"),
        (dict(alpha=1.0), ValueError, r"alpha must lie in the open interval \(1, 2\)"),
        (dict(alpha="x"), TypeError, "alpha must be a real number"),
        (dict(p=1), ValueError, r"p \(the degree\) must be >= 2.*Greville"),
        (dict(p=2.0), TypeError, "p"),
        (dict(n=2, p=3), ValueError, r"n \(the number of intervals\) must be >= max\(p, 2\) = 3"),
        (dict(domain=(1.0, 0.0)), ValueError, "domain must be"),
        (dict(format="csr"), ValueError, "format must be 'dense' or 'operator'"),
    ],
)
def test_bad_matrix_input(kwargs, exc, match):
    args = dict(alpha=1.5, p=3, n=8, domain=(0.0, 1.0), format="dense")
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        collocation_matrix(**args)


def test_bad_solve_input():
    def bad(x):
        y = np.ones_like(x)
        y[3] = np.nan
        return y

    xi = collocation_points(3, 8)
    with pytest.raises(ValueError, match=rf"source must be finite.*x\[3\] = {float(xi[3])!r}"):
        solve(bad, 1.5, 3, 8)
    with pytest.raises(ValueError, match=r"source.*shape \(9,\)"):
        solve(np.ones(4), 1.5, 3, 8)
    with pytest.raises(ValueError, match="method must be"):
        solve(1.0, 1.5, 3, 8, method="lu")
    with pytest.raises(ValueError, match="precond must be"):
        solve(1.0, 1.5, 3, 8, precond="ilu")
    with pytest.raises(ValueError, match="alpha must lie"):
        solve(1.0, 2.5, 3, 8)


def test_bad_derivative_input():
    t = knots.uniform(0.0, 1.0, 4, 3)
    with pytest.raises(ValueError, match="side must be"):
        riesz_derivative((t, 3), [0.5], 1.5, side="up")
    with pytest.raises(ValueError, match=r"x must be finite or NaN; x\[1\] is infinite"):
        riesz_derivative((t, 3), [0.5, np.inf], 1.5)
    with pytest.raises(TypeError, match="spline_or_basis must be"):
        riesz_derivative([1, 2, 3], [0.5], 1.5)
    with pytest.raises(ValueError, match="alpha must lie"):
        riesz_derivative((t, 3), [0.5], 0.5)
    with pytest.raises(ValueError, match=r"t must be non-decreasing; t\[2\] = 0.0 < t\[1\]"):
        riesz_derivative((np.array([0.0, 1.0, 0.0, 2.0]), 1), [0.5], 1.5)
    with pytest.raises(ValueError, match=r"t needs at least k\+2 = 5 knots"):
        riesz_derivative((np.arange(4.0), 3), [0.5], 1.5)


# ---------------------------------------------------------------------------------------------
# GPU kernels under the simulator
# ---------------------------------------------------------------------------------------------
def test_gpu_kernels_match_cpu_under_simulator(gpu_kernels):
    from splinekit._kernels.cpu import fractional as cpu
    from splinekit.fractional import _core

    gpu = gpu_kernels("fractional")
    p, alpha = 3, 1.4
    t = knots.uniform(0.0, 2.0, 3, p)  # small: the simulator runs every thread in Python
    nb = t.size - p - 1
    # writable copies: the simulator copies every argument back after the launch
    glx, glw = (np.array(a) for a in _core.gauss_legendre_table())
    coef = np.array(_core.coefficients(alpha))
    js = np.arange(nb, dtype=np.int64)
    mc = np.zeros((nb, 21))
    mg = np.zeros((nb, 21))
    cpu.moments(t, p, js, glx, glw, mc)
    gpu.moments(t, p, js, glx, glw, mg)
    np.testing.assert_allclose(mg, mc, rtol=1e-15, atol=1e-300)
    # the simulator runs every thread in Python (about a second per derivative): few points,
    # one per regime: far series, near (jumps + cut + Gauss-Legendre), on a knot, outside
    x = np.array([-40.0, 0.4, 2.0 / 3.0, 2.5])
    jj = np.array([0, 2, 3, 5])
    for side, m in ((0, x.size), (1, 2), (2, 2)):
        oc, og = np.empty(m), np.empty(m)
        cpu.pairs(t, p, jj[:m], x[:m], side, coef, mc, glx, glw, oc)
        gpu.pairs(t, p, jj[:m], x[:m], side, coef, mc, glx, glw, og)
        assert np.all(np.isfinite(oc))
        np.testing.assert_allclose(og, oc, rtol=1e-14, atol=0)
    c = np.linspace(1.0, 2.0, nb * 2).reshape(nb, 2)
    xs = np.array([-40.0])  # the far series: the summation logic at simulator-friendly cost
    oc, og = np.empty((1, 2)), np.empty((1, 2))
    cpu.spline(t, p, c, xs, 0, coef, mc, glx, glw, oc)
    gpu.spline(t, p, c, xs, 0, coef, mc, glx, glw, og)
    assert np.all(np.isfinite(oc))
    np.testing.assert_allclose(og, oc, rtol=1e-13, atol=1e-13 * np.abs(oc).max())


@pytest.mark.gpu
def test_cupy_solve_matches_numpy():
    import cupy

    like = cupy.zeros(1)
    u, s = problems.polynomial(1.5, m=4)
    d, _ = solve(s, 1.5, 3, 300, method="gmres")
    g, info = solve(
        lambda x: cupy.asarray(s(cupy.asnumpy(x))), 1.5, 3, 300, method="gmres", like=like
    )
    assert info.converged
    np.testing.assert_allclose(cupy.asnumpy(g.c), d.c, atol=1e-9 * np.abs(d.c).max())
    A = collocation_matrix(1.5, 3, 40, like=like)
    np.testing.assert_allclose(
        cupy.asnumpy(A),
        collocation_matrix(1.5, 3, 40),
        rtol=1e-13,
        atol=1e-13 * float(abs(A).max()),
    )
