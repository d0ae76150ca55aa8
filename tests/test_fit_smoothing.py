"""make_smoothing_spline and make_pspline: SciPy parity at fixed lam, GCV optimality, limits
(lam -> 0 interpolates, lam -> inf is the polynomial LSQ fit), natural ends, polynomial
reproduction in the penalty null space, duplicates/order, bad input."""

import numpy as np
import pytest
import scipy.interpolate as si

from splinekit.fitting import make_lsq_spline, make_pspline, make_smoothing_spline
from splinekit.fitting.pspline import difference_penalty

EPS = np.finfo(np.float64).eps


@pytest.fixture
def noisy(rng):
    x = np.sort(rng.random(300))
    y = np.sin(6 * x) + 0.1 * rng.standard_normal(300)
    return x, y


@pytest.mark.parametrize("lam", [1e-7, 1e-5, 1e-3, 1e-1])
def test_smoothing_scipy_parity(rng, noisy, lam):
    # jittered grid: spacing >= h_min = 0.2/300 keeps the systems' condition moderate
    x = (np.arange(300) + rng.uniform(-0.4, 0.4, 300)) / 300
    y = noisy[1]
    w = rng.uniform(0.5, 2.0, x.size)
    ref = si.make_smoothing_spline(x, y, w=w, lam=lam)
    s = make_smoothing_spline(x, y, w=w, lam=lam)
    np.testing.assert_array_equal(s.t, ref.t)
    # both solve (G + lam Omega) c = r (in different bases): kappa ~ 1 + lam / h_min^3, and the
    # two results differ by rounding amplified by kappa
    kappa = 1.0 + lam / (np.diff(x).min() ** 3)
    assert np.abs(s(x) - ref(x)).max() <= 10 * kappa * EPS * np.abs(y).max()
    assert s.lam == lam


def test_smoothing_gcv_is_optimal(noisy):
    x, y = noisy
    s = make_smoothing_spline(x, y)
    # the chosen lam minimizes the GCV score (fixed-lam fits report their score too)
    for f in (0.5, 2.0):
        assert s.gcv <= make_smoothing_spline(x, y, lam=s.lam * f).gcv
    # SciPy's GCV (same criterion for unit weights; it works at this size) finds the same curve
    ref = si.make_smoothing_spline(x, y)
    assert np.abs(s(x) - ref(x)).max() <= 1e-2
    assert 3 < s.edf < 30


def test_smoothing_limits_and_natural_ends(rng, noisy):
    x, y = noisy
    s0 = make_smoothing_spline(x, y, lam=0.0)  # the natural interpolating spline
    assert np.abs(s0(x) - y).max() <= 1e4 * EPS * np.abs(y).max()
    s = make_smoothing_spline(x, y, lam=1e-4)
    scale = np.abs(s(x, nu=2)).max()
    assert abs(s(x[0], nu=2)) <= 1e-8 * scale and abs(s(x[-1], nu=2)) <= 1e-8 * scale
    big = make_smoothing_spline(x, y, lam=1e9)  # -> least-squares straight line
    line = np.polynomial.Polynomial.fit(x, y, 1)
    assert np.abs(big(x) - line(x)).max() <= 1e-5


def test_smoothing_order_duplicates_columns(rng, noisy):
    x, y = noisy
    p = rng.permutation(x.size)
    a = make_smoothing_spline(x, y, lam=1e-4)
    b = make_smoothing_spline(x[p], y[p], lam=1e-4)
    assert np.abs(a.c - b.c).max() <= 1e3 * EPS
    # a site given twice with the same value counts as weight 2
    xd, yd = np.r_[x, x[10]], np.r_[y, y[10]]
    w = np.ones(x.size)
    w[10] = 2.0
    c = make_smoothing_spline(xd, yd, lam=1e-4)
    d = make_smoothing_spline(x, y, w=w, lam=1e-4)
    assert np.abs(c(x) - d(x)).max() <= 1e3 * EPS
    Y = np.stack([y, 2 * y + 1], axis=1)
    m = make_smoothing_spline(x, Y)
    assert m.lam.shape == (2,) and m(x).shape == (x.size, 2)
    # scaling y by 2 and shifting by 1 leaves the GCV-optimal lam unchanged
    assert abs(np.log10(m.lam[1] / m.lam[0])) <= 0.05


def test_smoothing_large_n_recovers_function(rng):
    n = 100_000
    x = np.linspace(0, 1, n)
    f = np.sin(20 * x)
    s = make_smoothing_spline(x, f + 0.1 * rng.standard_normal(n))
    assert np.abs(s(x) - f).max() <= 0.1 / 3  # well within the noise level
    assert s.lam > 0


def test_smoothing_errors(noisy):
    x, y = noisy
    with pytest.raises(ValueError, match="need at least 5 distinct sites in x; got 4"):
        make_smoothing_spline(x[:4], y[:4])
    with pytest.raises(ValueError, match="lam must be finite and >= 0"):
        make_smoothing_spline(x, y, lam=-1.0)
    with pytest.raises(ValueError, match=r"w must be non-negative; w\[0\]=-2.0"):
        make_smoothing_spline(x, y, w=np.r_[-2.0, np.ones(x.size - 1)])
    with pytest.raises(ValueError, match=r"x must be finite; x\[3\] is inf"):
        make_smoothing_spline(np.where(np.arange(x.size) == 3, np.inf, x), y)
    with pytest.raises(TypeError, match="needs real y"):
        make_smoothing_spline(x, y + 1j)


# -- P-splines ----------------------------------------------------------------------------------
@pytest.mark.parametrize("k", [0, 1, 2, 3, 5])
@pytest.mark.parametrize("d", [1, 2, 3])
def test_pspline_reproduces_null_space(rng, k, d):
    x = rng.random(200)
    p = np.polynomial.Polynomial(rng.standard_normal(d))  # degree d-1: no penalty at all
    if d - 1 > k:
        pytest.skip("polynomial above the degree")
    s = make_pspline(x, p(x), k=k, penalty_order=d, lam=1e6)
    assert np.abs(s(x) - p(x)).max() <= 1e6 * 1e3 * EPS * np.abs(p.coef).sum()


def test_pspline_lam_zero_is_least_squares(rng):
    x = rng.random(500)
    y = np.cos(5 * x) + 0.05 * rng.standard_normal(500)
    w = rng.uniform(0.5, 2, 500)
    s = make_pspline(x, y, k=3, n_knots=12, lam=0.0, w=w)
    ref = make_lsq_spline(x, y, s.t, 3, w=np.sqrt(w))  # lsq weights multiply residuals
    assert np.abs(s.c - ref.c).max() <= 1e3 * EPS * np.abs(ref.c).max()


def test_pspline_large_lam_is_polynomial_fit(rng):
    x = rng.random(400)
    y = np.sin(4 * x) + 0.05 * rng.standard_normal(400)
    s = make_pspline(x, y, penalty_order=2, lam=1e12)
    line = np.polynomial.Polynomial.fit(x, y, 1)
    assert np.abs(s(x) - line(x)).max() <= 1e-4


def test_pspline_gcv(rng):
    x = rng.random(2000)
    y = np.sin(6 * x) + 0.1 * rng.standard_normal(2000)
    s = make_pspline(x, y, k=3, penalty_order=2)
    xx = np.linspace(0.01, 0.99, 99)
    assert np.abs(s(xx) - np.sin(6 * xx)).max() < 0.05
    for f in (0.5, 2.0):
        assert s.gcv <= make_pspline(x, y, k=3, penalty_order=2, lam=s.lam * f).gcv
    assert 2 < s.edf < 42


def test_difference_penalty_matches_dense():
    for n, d in [(7, 0), (7, 1), (9, 2), (9, 4)]:
        D = np.diff(np.eye(n), d, axis=0)
        P = D.T @ D
        band = difference_penalty(n, d)
        for e in range(d + 1):
            np.testing.assert_array_equal(band[: n - e, e], np.diag(P, -e))


def test_pspline_errors(rng):
    x = rng.random(50)
    y = x**2
    with pytest.raises(ValueError, match="penalty_order=12 must be below the number of coeff"):
        make_pspline(x, y, n_knots=5, penalty_order=12)
    with pytest.raises(ValueError, match=r"n_knots must be >= 2; got 1"):
        make_pspline(x, y, n_knots=1)
    with pytest.raises(ValueError, match="outside the base interval"):
        make_pspline(x, y, t=np.r_[[0.2] * 4, 0.5, [0.9] * 4])
    with pytest.raises(TypeError, match="penalty_order must be an integer"):
        make_pspline(x, y, penalty_order=1.5)
