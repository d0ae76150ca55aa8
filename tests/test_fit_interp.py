"""make_interp_spline: laws (data reproduced, polynomials reproduced, end conditions hold,
periodicity), SciPy parity on randomized data, shapes/dtypes, and errors in the user's words."""

import numpy as np
import pytest
import scipy.interpolate as si
from hypothesis import given, settings
from hypothesis import strategies as st

from splinekit import BSpline
from splinekit.fitting import make_interp_spline

EPS = np.finfo(np.float64).eps


def _sites(rng, m, spread=0.8):
    """Sorted random sites with spacing between (1-spread) and (1+spread) times uniform."""
    h = 1.0 + spread * (2 * rng.random(m - 1) - 1)
    return np.r_[0.0, np.cumsum(h)] / h.sum()


# Collocation matrices of random (mesh ratio <= 9) sites and degree <= 5 have 1-norm condition
# numbers below ~1e3; a backward-stable solve then reproduces data to ~cond * eps * |y|.
C_DATA = 1e3


@pytest.mark.parametrize("k", [0, 1, 2, 3, 4, 5, 6])
def test_reproduces_data_not_a_knot(rng, k):
    x = _sites(rng, 40)
    y = rng.standard_normal((40, 3))
    s = make_interp_spline(x, y, k=k)
    assert isinstance(s, BSpline)
    assert np.abs(s(x) - y).max() <= C_DATA * EPS * np.abs(y).max()


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("bc", [None, "derivs", "periodic"])
def test_reproduces_polynomials(rng, k, bc):
    # S is unique and polynomials of degree <= k lie in the spline space, so S == p exactly
    # (to rounding: C_DATA * eps * |p|, plus the extrapolated derivatives' own scale).
    x = _sites(rng, 15)
    coef = rng.standard_normal(k + 1)
    p = np.polynomial.Polynomial(coef)
    bc_type = None
    if bc == "derivs":
        nl = (k - 1) // 2 + (k - 1) % 2
        bc_type = (
            [(o, p.deriv(o)(x[0])) for o in range(1, nl + 1)],
            [(o, p.deriv(o)(x[-1])) for o in range(1, k - nl)],
        )
    if bc == "periodic":
        p = np.polynomial.Polynomial([coef[0]])  # only constants are periodic
    s = make_interp_spline(x, p(x), k=k, bc_type=bc_type if bc != "periodic" else "periodic")
    xx = np.linspace(0, 1, 101)
    assert np.abs(s(xx) - p(xx)).max() <= C_DATA * EPS * np.abs(coef).sum()


@pytest.mark.parametrize("k", [2, 3, 5])
def test_end_conditions_hold(rng, k):
    x = _sites(rng, 20)
    y = rng.standard_normal(20)
    left = [(1, 2.0)] if k == 2 else [(o, 0.5 * o) for o in range(1, (k - 1) // 2 + 1)]
    right = [] if k == 2 else [(o, -1.5 * o) for o in range(1, (k - 1) // 2 + 1)]
    s = make_interp_spline(x, y, k=k, bc_type=(left, right or None))
    # derivative of order o scales like h^-o: compare relative to the largest coefficient slope
    scale = np.abs(s.c).max() * 40.0**k
    for o, v in left:
        assert abs(s(x[0], nu=o) - v) <= C_DATA * EPS * scale
    for o, v in right:
        assert abs(s(x[-1], nu=o) - v) <= C_DATA * EPS * scale


@pytest.mark.parametrize("name,order", [("clamped", 1), ("natural", 2)])
def test_named_conditions(rng, name, order):
    x = _sites(rng, 25)
    y = rng.standard_normal(25)
    s = make_interp_spline(x, y, k=3, bc_type=name)
    scale = np.abs(s.c).max() * 25.0**order
    assert abs(s(x[0], nu=order)) <= C_DATA * EPS * scale
    assert abs(s(x[-1], nu=order)) <= C_DATA * EPS * scale


@pytest.mark.parametrize("k", [0, 1, 2, 3, 4, 5])
def test_periodic_is_periodic(rng, k):
    # SciPy 1.17 is not periodic for k = 0, 1 (scipy/scipy#26164); here every degree is.
    x = _sites(rng, 16)
    y = rng.standard_normal(16)
    y[-1] = y[0]
    s = make_interp_spline(x, y, k=k, bc_type="periodic")
    assert s.extrapolate == "periodic"
    assert np.abs(s(x[:-1]) - y[:-1]).max() <= C_DATA * EPS
    for o in range(k):  # C^{k-1} across the period
        d0 = s(x[0] + 1e-300, nu=o) if o else s(x[0])
        d1 = s(np.nextafter(x[-1], 0), nu=o)
        assert abs(d0 - d1) <= 1e-6 * 16.0**o * max(1.0, np.abs(s.c).max())


@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
@pytest.mark.parametrize("bc", [None, "clamped", "natural", "periodic", "pairs"])
def test_scipy_parity(rng, k, bc):
    m = 30
    x = np.sort(rng.random(m))
    y = rng.standard_normal((m, 2))
    if bc == "periodic":
        y[-1] = y[0]
    if bc in ("clamped", "natural") and k != 3:
        pytest.skip("named conditions fit k = 3 only")
    if bc == "pairs":
        if k % 2 == 0 or k == 1:
            pytest.skip("symmetric pairs need odd k > 1")
        half = (k - 1) // 2
        # values with y's trailing shape: SciPy cannot broadcast scalars here
        bc = (
            [(o, np.full(2, 0.3 * o)) for o in range(1, half + 1)],
            [(o, np.full(2, -0.2)) for o in range(1, half + 1)],
        )
    if bc == "periodic" and k < 2:
        pytest.skip("SciPy's periodic k < 2 is wrong (scipy/scipy#26164)")
    ref = si.make_interp_spline(x, y, k=k, bc_type=bc)
    s = make_interp_spline(x, y, k=k, bc_type=bc)
    np.testing.assert_array_equal(s.t, ref.t)
    xx = np.linspace(x[0], x[-1], 200)
    # both solve the same banded system with pivoting; differences are rounding times cond
    scale = np.abs(ref.c).max()
    assert np.abs(s(xx) - ref(xx)).max() <= C_DATA * 10 * EPS * scale


def test_trailing_dims_and_axis(rng):
    x = np.sort(rng.random(12))
    y = rng.standard_normal((2, 12, 3))
    s = make_interp_spline(x, y, axis=1)
    ref = si.make_interp_spline(x, y, axis=1)
    xx = np.linspace(0, 1, 7)
    assert s(xx).shape == ref(xx).shape == (2, 7, 3)
    np.testing.assert_allclose(s(xx), ref(xx), rtol=0, atol=1e-12 * np.abs(ref.c).max())


def test_complex_and_float32(rng):
    x = np.sort(rng.random(10))
    y = rng.standard_normal(10) + 1j * rng.standard_normal(10)
    s = make_interp_spline(x, y, bc_type=([(1, 1j)], [(2, 0.0)]))
    assert s.c.dtype == np.complex128
    np.testing.assert_allclose(s(x), y, atol=C_DATA * EPS * 3)
    assert abs(s(x[0], nu=1) - 1j) <= 1e-9 * np.abs(s.c).max()
    s32 = make_interp_spline(x.astype(np.float32), y.real.astype(np.float32))
    assert s32.c.dtype == np.float32


@settings(max_examples=30, deadline=None)
@given(
    m=st.integers(6, 40),
    k=st.integers(1, 5),
    seed=st.integers(0, 2**31 - 1),
    spread=st.floats(0.0, 0.9),
)
def test_interpolates_random_sites(m, k, seed, spread):
    rng = np.random.default_rng(seed)
    x = _sites(rng, m, spread) * 10.0 - 3.0
    y = rng.standard_normal(m)
    s = make_interp_spline(x, y, k=k)
    assert np.abs(s(x) - y).max() <= C_DATA * 10 * EPS * max(1.0, np.abs(y).max())


# -- bad input --------------------------------------------------------------------------------
def test_errors(rng):
    x = np.linspace(0, 1, 8)
    y = np.sin(x)
    with pytest.raises(ValueError, match=r"x must be strictly increasing; x\[2\].*decreasing"):
        make_interp_spline(x[[0, 1, 3, 2, 4, 5, 6, 7]], y)
    with pytest.raises(ValueError, match=r"x\[3\].*duplicate"):
        make_interp_spline(np.r_[x[:4], x[3:7]], y)
    with pytest.raises(ValueError, match=r"x must be finite; x\[5\] is nan"):
        make_interp_spline(np.where(np.arange(8) == 5, np.nan, x), y)
    with pytest.raises(ValueError, match=r"y must be finite; y\[1\] is inf"):
        make_interp_spline(x, np.where(np.arange(8) == 1, np.inf, y))
    with pytest.raises(ValueError, match=r"need at least k\+1 = 4 data points.*got 3"):
        make_interp_spline(x[:3], y[:3])
    with pytest.raises(ValueError, match=r"same length.*8 sites and 7 values"):
        make_interp_spline(x, y[:7])
    with pytest.raises(ValueError, match=r"unknown bc_type 'foo'.*expected None, 'not-a-knot'"):
        make_interp_spline(x, y, bc_type="foo")
    with pytest.raises(ValueError, match=r"needs exactly k-1 = 1.*even k"):
        make_interp_spline(x, y, k=2, bc_type="clamped")
    with pytest.raises(ValueError, match=r"derivative order 4; a degree k=3 spline takes orders"):
        make_interp_spline(x, y, bc_type=([(4, 0.0)], [(1, 0.0)]))
    with pytest.raises(ValueError, match=r"repeats a derivative order"):
        make_interp_spline(x, y, k=5, bc_type=([(1, 0.0), (1, 1.0)], [(1, 0.0), (2, 0.0)]))
    with pytest.raises(ValueError, match=r"y\[0\] == y\[-1\]; they differ by 0.841"):
        make_interp_spline(x, y, bc_type="periodic")
    with pytest.raises(ValueError, match=r"k=0 takes no boundary conditions"):
        make_interp_spline(x, y, k=0, bc_type="natural")
    with pytest.raises(ValueError, match=r"t of length 10 gives n = len\(t\)-k-1 = 6"):
        make_interp_spline(x, y, t=np.r_[[0.0] * 4, 0.5, 0.6, [1.0] * 4])


def test_singular_system_is_named():
    # all interior knots left of the sites' middle: B-splines with no site -> Schoenberg-Whitney
    x = np.linspace(0, 1, 8)
    t = np.r_[[0.0] * 4, 0.01, 0.02, 0.03, 0.04, [1.0] * 4]
    with pytest.raises(ValueError, match="Schoenberg-Whitney"):
        make_interp_spline(x, np.sin(x), t=t)
