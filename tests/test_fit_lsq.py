"""make_lsq_spline: exactness on the spline space, SciPy parity, QR = normal equations,
determinism, Schoenberg-Whitney errors naming the span, bad input."""

import numba
import numpy as np
import pytest
import scipy.interpolate as si
from hypothesis import given, settings
from hypothesis import strategies as st

from splinekit import BSpline
from splinekit.fitting import make_lsq_spline
from splinekit.fitting.lsq import schoenberg_whitney

EPS = np.finfo(np.float64).eps


def _knots(rng, k, n_inner=12):
    # jittered uniform knots: every span keeps data (random knots could leave one empty)
    inner = np.linspace(0.05, 0.95, n_inner)
    inner += rng.uniform(-0.3, 0.3, n_inner) * (0.9 / n_inner)
    return np.r_[[0.0] * (k + 1), inner, [1.0] * (k + 1)]


def _data(rng, m=400):
    x = np.sort(rng.random(m))
    x[0], x[-1] = 0.0, 1.0
    return x


# Normal equations of a well-spread fit have kappa(M) < ~1e3 (the returned .cond); the solution
# error is then ~ kappa * eps * |c|.  C = 1e4 leaves a decade of margin.
C = 1e4


@pytest.mark.parametrize("k", [0, 1, 2, 3, 4, 5])
def test_recovers_a_spline_of_the_space(rng, k):
    t = _knots(rng, k)
    c = rng.standard_normal((t.size - k - 1, 2))
    x = _data(rng)
    s = make_lsq_spline(x, BSpline(t, c, k)(x), t, k)
    assert s.cond < 1e3
    assert np.abs(s.c - c).max() <= C * EPS * np.abs(c).max()


@pytest.mark.parametrize("k", [1, 2, 3, 5])
@pytest.mark.parametrize("method", ["auto", "norm-eq", "qr"])
def test_scipy_parity(rng, k, method):
    t = _knots(rng, k)
    x = _data(rng)
    y = rng.standard_normal((x.size, 3))
    w = rng.uniform(0.2, 2.0, x.size)
    ref = si.make_lsq_spline(x, y, t, k, w=w)
    s = make_lsq_spline(x, y, t, k, w=w, method=method)
    assert np.abs(s.c - ref.c).max() <= C * EPS * np.abs(ref.c).max()


def test_qr_fallback_on_ill_conditioning():
    # B_4 (support [0.5, 1]) sees one site where it is 6e-5: kappa(M) ~ 1e10 > 1e8, so "auto"
    # switches to QR, whose error is ~ kappa(A) eps ~ 1e-11 (SciPy's QR agrees to that)
    x = np.r_[np.linspace(0, 0.5, 200, endpoint=False), 0.52]
    t = np.r_[[0.0] * 4, 0.5, [1.0] * 4]
    y = np.cos(3 * x)
    s = make_lsq_spline(x, y, t)
    ref = si.make_lsq_spline(x, y, t, 3)  # SciPy's QR
    assert s.cond > 1e8
    assert np.abs(s(x) - ref(x)).max() <= 1e-8
    ne = make_lsq_spline(x, y, t, method="norm-eq")
    assert ne.cond == s.cond


def test_unsorted_duplicates_zero_weights(rng):
    t = _knots(rng, 3)
    x = _data(rng)
    y = np.sin(4 * x)
    ref = make_lsq_spline(x, y, t)
    p = rng.permutation(x.size)
    s = make_lsq_spline(x[p], y[p], t)  # any order
    assert np.abs(s.c - ref.c).max() <= C * EPS
    # Givens with early exit is exact only for rows sorted by span: QR must sort internally
    q = make_lsq_spline(x[p], y[p], t, method="qr")
    assert np.abs(q.c - ref.c).max() <= C * EPS
    # a duplicated point with weight w counts like one with weight sqrt(2) w
    xd, yd = np.r_[x, x[:50]], np.r_[y, y[:50]]
    w = np.r_[np.ones(50) * np.sqrt(2), np.ones(x.size - 50)]
    a = make_lsq_spline(xd, yd, t)
    b = make_lsq_spline(x, y, t, w=w)
    assert np.abs(a.c - b.c).max() <= C * EPS
    # zero weight: the point is ignored
    yz = y.copy()
    yz[7] = 1e6
    wz = np.ones(x.size)
    wz[7] = 0.0
    c = make_lsq_spline(x, yz, t, w=wz)
    d = make_lsq_spline(np.delete(x, 7), np.delete(y, 7), t)
    assert np.abs(c.c - d.c).max() <= C * EPS


def test_deterministic_across_threads(rng):
    # per-chunk partial sums added in a fixed order: bitwise equal for any thread count
    t = _knots(rng, 3, 50)
    x = rng.random(200_000)
    y = np.sin(7 * x)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        a = make_lsq_spline(x, y, t).c
        numba.set_num_threads(before)
        b = make_lsq_spline(x, y, t).c
    finally:
        numba.set_num_threads(before)
    np.testing.assert_array_equal(a, b)


def test_axis_trailing_float32(rng):
    t = _knots(rng, 3)
    x = _data(rng, 100)
    y = rng.standard_normal((2, 100, 3)).astype(np.float32)
    s = make_lsq_spline(x, y, t, axis=1)
    ref = si.make_lsq_spline(x, y.astype(np.float64), t, 3, axis=1)
    assert s.c.dtype == np.float32
    xx = np.linspace(0, 1, 9)
    assert s(xx).shape == ref(xx).shape
    assert np.abs(s(xx) - ref(xx)).max() <= 1e-5  # float32 rounding of c


@settings(max_examples=25, deadline=None)
@given(k=st.integers(1, 5), n_inner=st.integers(1, 20), seed=st.integers(0, 2**31 - 1))
def test_residual_orthogonal_to_the_space(k, n_inner, seed):
    # the least-squares residual is W^2-orthogonal to every B-spline: A^T W^2 (y - A c) = 0
    rng = np.random.default_rng(seed)
    t = np.r_[[0.0] * (k + 1), np.linspace(0, 1, n_inner + 2)[1:-1], [1.0] * (k + 1)]
    x = np.sort(rng.random(30 * (n_inner + k + 1)))
    y = rng.standard_normal(x.size)
    w = rng.uniform(0.5, 1.5, x.size)
    s = make_lsq_spline(x, y, t, k, w=w)
    A = BSpline.design_matrix(x, t, k).toarray()
    g = A.T @ (w**2 * (y - s(x)))
    assert np.abs(g).max() <= C * EPS * np.abs(A.T @ (w**2 * np.abs(y))).max()


# -- bad input --------------------------------------------------------------------------------
def test_schoenberg_whitney_names_the_span():
    x = np.linspace(0, 0.5, 100)
    t = np.r_[[0.0] * 4, np.linspace(0.1, 0.9, 9), [1.0] * 4]
    with pytest.raises(
        ValueError,
        match=r"Schoenberg-Whitney.*knot span \[t\[9\], t\[10\]\] = "
        r"\[0.6, 0.7\d*\] holds 0 distinct sites",
    ):
        make_lsq_spline(x, np.sin(x), t)
    with pytest.raises(ValueError, match="Schoenberg-Whitney"):
        make_lsq_spline(x, np.sin(x), t, method="norm-eq")
    assert schoenberg_whitney(np.linspace(0, 1, 50), t, 3) is None


def test_errors(rng):
    t = np.r_[[0.0] * 4, 0.3, 0.6, [1.0] * 4]
    x = np.linspace(0, 1, 20)
    y = x**2
    with pytest.raises(ValueError, match=r"need at least n = len\(t\)-k-1 = 6 data points.*got 4"):
        make_lsq_spline(x[:4], y[:4], t)
    with pytest.raises(ValueError, match=r"w must be non-negative; w\[3\]=-1.0"):
        make_lsq_spline(x, y, t, w=np.where(np.arange(20) == 3, -1.0, 1.0))
    with pytest.raises(ValueError, match=r"w must be finite; w\[2\] is nan"):
        make_lsq_spline(x, y, t, w=np.where(np.arange(20) == 2, np.nan, 1.0))
    with pytest.raises(ValueError, match=r"x\[19\]=1.5 is outside the base interval"):
        make_lsq_spline(np.r_[x[:-1], 1.5], y, t)
    with pytest.raises(ValueError, match=r"y must be finite; y\[4\] is nan"):
        make_lsq_spline(x, np.where(np.arange(20) == 4, np.nan, y), t)
    with pytest.raises(ValueError, match="method must be"):
        make_lsq_spline(x, y, t, method="svd")
    with pytest.raises(ValueError, match="knots must be non-decreasing"):
        make_lsq_spline(x, y, t[::-1])
