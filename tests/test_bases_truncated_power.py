"""Truncated-power basis: values, derivatives, exact changes of basis to and from B-splines."""

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from splinekit import BSpline
from splinekit.bases import TruncatedPowerBasis, from_bspline, to_bspline
from splinekit.bases.convert import bspline_matrix, clamped_knots, power_matrix
from splinekit.reference import truncated_power as ref

EPS = np.finfo(np.float64).eps


def _basis(M=5, k=3, lo=-1.0, hi=1.0):
    knots = np.linspace(lo, hi, M + 2)[1:-1]  # TruKAN: uniform in the open interval
    return TruncatedPowerBasis(knots, k, interval=(lo, hi))


@pytest.mark.parametrize("k", [0, 1, 3])
def test_design_matrix_matches_mpmath_for_every_derivative(k, rng):
    tp = _basis(4, k)
    x = np.concatenate([rng.uniform(-1.5, 1.5, 9), tp.knots])  # the knots themselves too
    for nu in range(k + 2):
        A = tp.design_matrix(x, nu)
        R = np.array([[float(v) for v in ref.basis(xi, tp.knots, k, nu)] for xi in x])
        # each entry is a product of <= k factors, each rounded once: k+1 ulps of the value
        assert np.all(np.abs(A - R) <= (k + 2) * EPS * np.maximum(1.0, np.abs(R)))


def test_derivative_columns_are_derivatives_by_finite_differences(rng):
    tp = _basis(5, 3)
    x = rng.uniform(-0.95, 0.95, 20)
    h = 1e-6
    fd = (tp.design_matrix(x + h) - tp.design_matrix(x - h)) / (2 * h)
    # central difference error h^2 |f'''|/6 ~ 1e-12, rounding eps/h ~ 2e-10
    np.testing.assert_allclose(tp.design_matrix(x, 1), fd, atol=1e-8)


def test_kth_derivative_is_right_continuous_step_at_a_knot():
    tp = TruncatedPowerBasis([0.0], 2)
    A = tp.design_matrix([-1e-300, 0.0, 1.0], nu=2)
    assert A[:, 3].tolist() == [0.0, 2.0, 2.0]  # 2! [x >= 0]
    assert np.all(tp.design_matrix([0.3], nu=3) == 0.0)


def _tolerance_scale(tp, coef, x=None):
    # converting then evaluating: each B-spline coefficient carries ~k ulps of
    # sum_j |T_ij| |coef_j|, the B-spline evaluation ~k ulps of the largest coefficient, and the
    # truncated-power sum itself ~k ulps of sum_j |coef_j| |phi_j(x)|
    s = float(np.max(np.abs(bspline_matrix(tp)) @ np.abs(coef)))
    if x is not None:
        s += float(np.max(np.abs(tp.design_matrix(x)) @ np.abs(coef)))
    return s


@settings(max_examples=30, deadline=None)
@given(
    k=st.integers(0, 4),
    M=st.integers(0, 8),
    seed=st.integers(0, 2**32 - 1),
)
def test_bspline_form_equals_truncated_power_form_everywhere(k, M, seed):
    rng = np.random.default_rng(seed)
    knots = np.sort(rng.uniform(-2, 2, M))
    if M > 1 and np.min(np.diff(knots)) < 1e-3:
        knots = np.linspace(-2, 2, M)
    tp = TruncatedPowerBasis(knots, k)
    coef = rng.standard_normal(tp.size)
    s = to_bspline(coef, tp)
    a, b = tp.interval
    x = np.linspace(a, b, 301)
    if k == 0:  # a step function: stay off its jumps
        x = x[np.min(np.abs(x[:, None] - knots[None, :]), axis=1, initial=1) > 1e-9]
    err = np.max(np.abs(s(x) - tp.design_matrix(x) @ coef))
    # 8 (k + 1) ulps of the scale: k+1 rounded operations per term, a factor 8 of headroom
    assert err <= 8 * (k + 1) * EPS * _tolerance_scale(tp, coef, x)
    # outside, the end polynomials reproduce the outer pieces; an end polynomial evaluated a
    # distance d beyond its span of length h amplifies coefficient rounding by <= (1 + 2d/h)^k
    t = clamped_knots(tp)
    h = min(t[k + 1] - t[k], t[-k - 1] - t[-k - 2])
    xo = np.concatenate([np.linspace(a - 1, a, 20), np.linspace(b, b + 1, 20)])
    err = np.max(np.abs(s(xo) - tp.design_matrix(xo) @ coef))
    assert err <= 8 * (k + 1) * EPS * _tolerance_scale(tp, coef, xo) * (1 + 2 / h) ** k


@pytest.mark.parametrize("k", [1, 2, 3])
def test_bspline_coefficients_match_an_mpmath_interpolation(k, rng):
    tp = TruncatedPowerBasis([-0.6, -0.1, 0.3, 0.7], k, interval=(-1, 1))
    coef = rng.standard_normal(tp.size)
    c = to_bspline(coef, tp).c
    c_ref = np.array([float(v) for v in ref.bspline_coefficients(coef, tp.knots, k, tp.interval)])
    np.testing.assert_allclose(c, c_ref, rtol=0, atol=32 * EPS * _tolerance_scale(tp, coef))


def test_change_of_basis_matrices_are_inverse():
    for k in (0, 1, 3, 5):
        tp = _basis(6, k)
        T, P = bspline_matrix(tp), power_matrix(clamped_knots(tp), k)
        err = np.max(np.abs(T @ P - np.eye(tp.size)))
        # cond(T) for these sizes is < 1e4 (see the conditioning study): 1e4 * eps * n
        assert err <= 1e4 * EPS * tp.size


def test_round_trips_to_rounding(rng):
    tp = _basis(7, 3)
    coef = rng.standard_normal(tp.size)
    back, basis = from_bspline(to_bspline(coef, tp))
    np.testing.assert_array_equal(basis.knots, tp.knots)
    assert basis.interval == tp.interval
    np.testing.assert_allclose(back, coef, rtol=0, atol=1e3 * EPS * np.max(np.abs(coef)))
    s = BSpline(clamped_knots(tp), rng.standard_normal(tp.size), 3)
    s2 = to_bspline(*from_bspline(s))
    np.testing.assert_allclose(s2.c, s.c, rtol=0, atol=1e3 * EPS * np.max(np.abs(s.c)))


def test_from_bspline_of_a_scipy_spline_with_unclamped_knots(rng):
    from scipy.interpolate import BSpline as SciPyBSpline

    k = 3
    t = np.arange(-3.0, 12.0) / 4  # uniform, unclamped: base interval [t[3], t[n]]
    c = rng.standard_normal(t.size - k - 1)
    spl = SciPyBSpline(t, c, k)
    coef, basis = from_bspline(spl)
    n = t.size - k - 1
    assert basis.interval == (t[k], t[n])
    x = np.linspace(t[k], t[n], 101)
    np.testing.assert_allclose(basis.design_matrix(x) @ coef, spl(x), atol=1e-12)


def test_vector_valued_coefficients_and_axis(rng):
    tp = _basis(3, 2)
    coef = rng.standard_normal((2, tp.size))  # basis along axis 1
    s = to_bspline(coef, tp, axis=1)
    x = np.linspace(-1, 1, 7)
    np.testing.assert_allclose(s(x), (tp.design_matrix(x) @ coef.T).T, atol=1e-13)
    back, _ = from_bspline(s)
    np.testing.assert_allclose(back, coef, atol=1e-12)


def test_float32_stays_float32():
    tp = _basis(3, 3)
    A = tp.design_matrix(np.linspace(-1, 1, 5, dtype=np.float32))
    assert A.dtype == np.float32
    s = to_bspline(np.ones(tp.size, dtype=np.float32), tp)
    assert s.c.dtype == np.float32


def test_relu_is_one_truncated_power():
    s = to_bspline([0.0, 0.0, 1.0], TruncatedPowerBasis([0.0], 1, interval=(-1, 1)))
    assert s(np.array([-2.0, -0.5, 0.5, 2.0])).tolist() == [0.0, 0.0, 0.5, 2.0]


def test_polynomials_without_knots():
    tp = TruncatedPowerBasis([], 2)
    coef = np.array([1.0, -2.0, 3.0])
    s = to_bspline(coef, tp)
    x = np.linspace(-3, 3, 5)
    np.testing.assert_allclose(s(x), 1 - 2 * x + 3 * x**2, atol=1e-12)


@pytest.mark.parametrize(
    "args, match",
    [
        (([0.0, 0.5, 0.5], 3), "strictly increasing; knots\\[1\\]=0.5 >= knots\\[2\\]=0.5"),
        (([0.0, 1.0], -1), "k \\(the degree\\) must be >= 0"),
        (([0.0, np.nan], 3), "knots must be finite; knots\\[1\\] is nan"),
        (([[0.0, 1.0]], 3), "knots must be 1-dimensional"),
    ],
)
def test_bad_basis_arguments(args, match):
    with pytest.raises(ValueError, match=match):
        TruncatedPowerBasis(*args)


def test_bad_interval_and_coefficients():
    with pytest.raises(ValueError, match="must enclose the knots strictly"):
        TruncatedPowerBasis([0.0, 1.0], 3, interval=(0.0, 2.0))
    with pytest.raises(ValueError, match="a < b"):
        TruncatedPowerBasis([], 3, interval=(1.0, 1.0))
    tp = _basis(3, 3)
    with pytest.raises(ValueError, match="coef must have k \\+ 1 \\+ M = 7 entries"):
        to_bspline(np.ones(6), tp)
    with pytest.raises(ValueError, match="coef must be finite; coef\\[2\\] is inf"):
        to_bspline(np.array([0, 0, np.inf, 0, 0, 0, 0.0]), tp)
    with pytest.raises(TypeError, match="basis must be a TruncatedPowerBasis"):
        to_bspline(np.ones(7), "basis")
    with pytest.raises(ValueError, match="x must be finite; x\\[1\\] is nan"):
        tp.design_matrix([0.0, np.nan])
    with pytest.raises(TypeError, match="nu must be an integer"):
        tp.design_matrix([0.0], nu=1.5)


def test_from_bspline_rejects_a_repeated_interior_knot():
    s = BSpline([0, 0, 0, 0.5, 0.5, 1, 1, 1], np.ones(5), 2)
    with pytest.raises(ValueError, match="t\\[3\\] = t\\[4\\] = 0.5 is repeated"):
        from_bspline(s)
    with pytest.raises(TypeError, match="spline must be a splinekit.BSpline"):
        from_bspline([1, 2, 3])


def _column(knots, j):
    # one argument (mpmath.diff counts them); more digits than diff works in, or its steps vanish
    return lambda v: ref.basis(v, knots, 3, 0, dps=80)[j]


def test_reference_is_consistent_with_mpmath_diff():
    # the oracle itself: its nu = 1 row is the derivative of its nu = 0 row
    knots = [-0.5, 0.25]
    x0 = 0.4
    with mpmath.mp.workdps(30):
        d = [mpmath.diff(_column(knots, j), x0) for j in range(6)]
        r = ref.basis(x0, knots, 3, 1, dps=30)
    assert max(abs(a - b) for a, b in zip(d, r, strict=True)) < 1e-20
    assert math.isclose(float(r[4]), 3 * (x0 + 0.5) ** 2)


def test_bspline_method_is_the_same_change_of_basis(rng):
    tp = _basis(4, 2)
    s = BSpline(clamped_knots(tp), rng.standard_normal(tp.size), 2)
    coef, basis = s.to_truncated_power()
    coef2, _ = from_bspline(s)
    np.testing.assert_array_equal(coef, coef2)
    np.testing.assert_array_equal(basis.knots, tp.knots)


def test_import_pulls_in_no_gpu_stack_and_prints_nothing():
    import subprocess
    import sys

    code = (
        "import sys, splinekit.bases; "
        "print(sorted(m for m in ('cupy', 'torch', 'numba.cuda') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "[]\n" and out.stderr == ""
