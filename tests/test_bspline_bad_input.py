"""Bad input: a clear error naming the argument; never a crash, hang or silent garbage."""

import numpy as np
import pytest

import splinekit as sk

T = sk.knots.uniform(0.0, 1.0, 4, 3)  # 11 knots, n = 7
C = np.arange(7.0)


@pytest.mark.parametrize(
    "t, match",
    [
        ([0, 0, 0, 0, 0.5, 0.3, 1, 1, 1, 1], r"non-decreasing; t\[4\]=0.5 > t\[5\]=0.3"),
        ([0, 0, 0, 0, np.nan, 1, 1, 1, 1], r"knots must be finite; t\[4\] is nan"),
        ([0, 0, 0, 0, np.inf, 1, 1, 1, 1], r"knots must be finite; t\[4\] is inf"),
        ([0, 0, 0, 1, 1, 1], r"at least 2k\+2 = 8 knots for degree k=3; got 6"),
        ([1, 1, 1, 1, 1, 1, 1, 1], r"zero length"),
        ([[0, 1], [2, 3]], r"1-dimensional"),
    ],
)
def test_bad_knots(t, match):
    with pytest.raises(ValueError, match=match):
        sk.BSpline(t, np.zeros(max(len(np.ravel(t)) - 4, 1)), 3)


def test_bad_degree_and_nu():
    with pytest.raises(ValueError, match="k \\(the degree\\) must be >= 0; got -1"):
        sk.BSpline(T, C, -1)
    with pytest.raises(TypeError, match="k \\(the degree\\) must be an integer; got the float 3.0"):
        sk.BSpline(T, C, 3.0)
    s = sk.BSpline(T, C, 3)
    with pytest.raises(ValueError, match="nu must be >= 0; got -1"):
        s(0.5, nu=-1)
    with pytest.raises(TypeError, match="nu must be an integer"):
        s(0.5, nu=1.5)
    with pytest.raises(ValueError, match="derivative order nu=4 must be <= the degree k=3"):
        s.derivative(4)


def test_coefficients_too_short_and_too_long():
    with pytest.raises(
        ValueError, match="c has 6 coefficients.*need exactly n = len\\(t\\) - k - 1 = 7"
    ):
        sk.BSpline(T, C[:6], 3)
    with pytest.raises(ValueError, match="c has 8 coefficients"):  # SciPy silently drops these
        sk.BSpline(T, np.r_[C, 0.0], 3)
    with pytest.raises(ValueError, match="axis=2 is out of range"):
        sk.BSpline(T, np.zeros((7, 2)), 3, axis=2)
    with pytest.raises(ValueError, match="c must be at least 1-dimensional"):
        sk.BSpline(T, 1.0, 3)


def test_complex_x_object_and_mpmath():
    import mpmath

    s = sk.BSpline(T, C, 3)
    with pytest.raises(TypeError, match="x must be real; got a complex array"):
        s(np.array([0.5 + 1j]))
    with pytest.raises(TypeError, match="x holds Python objects.*splinekit.reference"):
        s(np.array([mpmath.mpf("0.5")], dtype=object))
    with pytest.raises(TypeError, match="c holds Python objects.*splinekit.reference"):
        sk.BSpline(T, [mpmath.mpf(1)] * 7, 3)
    with pytest.raises(TypeError, match="x must be numeric"):
        s(np.array(["a"]))


def test_extrapolate_raise_and_design_matrix_bounds():
    s = sk.BSpline(T, C, 3, extrapolate="raise")
    np.testing.assert_allclose(s([0.0, 1.0]), [0.0, 6.0], atol=1e-14)
    with pytest.raises(ValueError, match=r"x\[2\]=1.5 is outside the base interval"):
        s([0.2, 0.3, 1.5])
    with pytest.raises(ValueError, match=r"x\[1\]=-0.5 is outside the base interval"):
        sk.design_matrix([0.5, -0.5], T, 3)
    with pytest.raises(ValueError, match=r"x must be finite; x\[1\] is nan"):
        sk.design_matrix([0.5, np.nan], T, 3)
    with pytest.raises(ValueError, match="extrapolate must be True, False, 'periodic' or 'raise'"):
        s(0.5, extrapolate="linear")
    with pytest.raises(ValueError, match="format must be 'csr' or 'packed'"):
        sk.design_matrix([0.5], T, 3, format="dense")


def test_insert_knot_and_integrate_errors():
    s = sk.BSpline(T, C, 3)
    with pytest.raises(ValueError, match="cannot insert a knot at x=1.5"):
        s.insert_knot(1.5)
    with pytest.raises(ValueError, match="m must be >= 1"):
        s.insert_knot(0.5, m=0)
    with pytest.raises(ValueError, match="integration limits must be finite"):
        s.integrate(0, np.inf)


def test_infinite_x_gives_nan_not_crash():
    s = sk.BSpline(T, C, 3)
    y = s([np.inf, -np.inf, 0.5])
    assert np.isnan(y[:2]).all() and np.isfinite(y[2])
    y = sk.BSpline(np.sort(np.random.default_rng(0).random(12)), np.ones(8), 3)([np.inf, 0.5])
    assert np.isnan(y[0])


def test_mixed_numpy_cupy_refused_without_import():
    class FakeCupy:  # an object whose type claims to live in cupy
        shape = (1,)

    FakeCupy.__module__ = "cupy._core.core"
    from splinekit import _backend

    with pytest.raises(TypeError, match="all be NumPy or all be CuPy"):
        _backend.array_namespace(np.zeros(1), FakeCupy())
