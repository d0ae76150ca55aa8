r"""Exact changes of basis between truncated powers and B-splines on the same knots.

With the clamped knot vector ``t = [a]*(k+1) + (t_1..t_M) + [b]*(k+1)`` (``n = k+1+M``
B-splines), both bases span the same spline space, and the matrices are explicit:

* **truncated power -> B-spline** (de Boor, Marsden's identity and the blossom):

  .. math::

     x^d = \sum_i \frac{e_d(t_{i+1}, \dots, t_{i+k})}{\binom{k}{d}} B_{i,k}(x), \qquad
     (x - \tau)_+^k = \sum_{i \ge r} \prod_{j=1}^{k} (t_{i+j} - \tau)\, B_{i,k}(x),

  with ``e_d`` the elementary symmetric polynomial and ``t_r = \tau`` (a knot of the vector);
* **B-spline -> truncated power**: the polynomial part is the Taylor expansion at 0 of the first
  polynomial piece, ``a_d = S_0^{(d)}(0) / d!`` (the first span's B-splines evaluated at 0 by the
  Cox-de Boor triangle, extrapolating if 0 lies outside it), and the coefficient of
  ``(x - t_m)_+^k`` is the jump of ``S^{(k)}`` there divided by ``k!``.

Both are finite sequences of arithmetic operations (no solve); a round trip is exact up to
rounding amplified by the conditioning of the truncated-power basis.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _backend, _checks
from .._kernels.scalar import bspline as _bspline_src
from ..spline import BSpline
from .truncated_power import TruncatedPowerBasis

__all__ = ["bspline_matrix", "clamped_knots", "from_bspline", "power_matrix", "to_bspline"]


def clamped_knots(basis):
    """``[a]*(k+1) + knots + [b]*(k+1)`` for ``basis.interval = (a, b)``."""
    a, b = basis.interval
    k1 = basis.k + 1
    return np.concatenate([np.full(k1, a), basis.knots, np.full(k1, b)])


def _elementary_symmetric(v, d):
    """``e_d(v)`` by the recurrence ``E_j <- E_j + v_i E_{j-1}``."""
    E = np.zeros(d + 1)
    E[0] = 1.0
    for vi in v:
        for j in range(d, 0, -1):
            E[j] += vi * E[j - 1]
    return E[d]


def bspline_matrix(basis):
    """``T`` (n, n): column ``j`` holds the B-spline coefficients of the ``j``-th truncated power.

    ``BSpline(clamped_knots(basis), T @ coef, k)`` equals ``sum_j coef_j phi_j``.
    """
    k, t = basis.k, clamped_knots(basis)
    n = basis.size
    T = np.zeros((n, n))
    for d in range(k + 1):
        for i in range(n):
            T[i, d] = _elementary_symmetric(t[i + 1 : i + k + 1], d) / math.comb(k, d)
    for m in range(basis.knots.shape[0]):
        tau, r = t[k + 1 + m], k + 1 + m
        for i in range(r, n):
            T[i, k + 1 + m] = np.prod(t[i + 1 : i + k + 1] - tau)
    return T


def _first_piece_taylor(t, k):
    """``R`` (k+1, k+1): ``R[d, r] = B_r^{(d)}(0) / d!`` for the B-splines of the first span."""
    N, left, right = np.empty(k + 1), np.empty(k + 1), np.empty(k + 1)
    R = np.empty((k + 1, k + 1))
    for d in range(k + 1):
        _bspline_src.basis_nonzero(t, k, k, 0.0, d, N, left, right)
        R[d] = N / math.factorial(d)
    return R


def _kth_derivative_rows(t, k, n):
    """``D`` (n-k, n): ``D[l-k] @ c`` is ``S^{(k)}`` on span ``l`` (a constant)."""
    N, left, right = np.empty(k + 1), np.empty(k + 1), np.empty(k + 1)
    D = np.zeros((n - k, n))
    for l in range(k, n):
        _bspline_src.basis_nonzero(t, k, l, 0.5 * (t[l] + t[l + 1]), k, N, left, right)
        D[l - k, l - k : l + 1] = N
    return D


def power_matrix(t, k):
    """``P`` (n, n), the inverse of :func:`bspline_matrix`: truncated-power coefficients of ``c``.

    ``t`` a knot vector whose base-interval knots ``t[k..n]`` are strictly increasing.
    """
    n = t.shape[0] - k - 1
    P = np.zeros((n, n))
    P[: k + 1, : k + 1] = _first_piece_taylor(t, k)
    D = _kth_derivative_rows(t, k, n)
    P[k + 1 :] = (D[1:] - D[:-1]) / math.factorial(k)
    return P


def to_bspline(coef, basis, axis=0, extrapolate=True):
    r"""The :class:`splinekit.BSpline` equal to ``sum_j coef_j phi_j`` (exact change of basis).

    Parameters
    ----------
    coef : array_like, shape (k + 1 + M, ...) along ``axis``
        Truncated-power coefficients (polynomial ``x^0..x^k`` first, then one per knot); finite.
    basis : TruncatedPowerBasis
    axis : int
        The basis axis of ``coef`` (becomes the spline's ``axis``).
    extrapolate : bool
        Passed to the spline.  With ``True`` (default) the spline equals the truncated-power
        function on the whole line (its end polynomials are the outer pieces).

    Returns
    -------
    BSpline
        Degree ``k`` on ``[a]*(k+1) + knots + [b]*(k+1)``, ``(a, b) = basis.interval``; same array
        type as ``coef``; float32 ``coef`` gives float32 coefficients (computed in float64).

    Raises
    ------
    TypeError
        ``basis`` is not a :class:`TruncatedPowerBasis`.
    ValueError
        ``coef`` of the wrong length along ``axis`` or not finite.

    Examples
    --------
    >>> import numpy as np
    >>> from splinekit.bases import TruncatedPowerBasis, to_bspline
    >>> tp = TruncatedPowerBasis([0.0], k=1, interval=(-1, 1))
    >>> s = to_bspline([0.0, 0.0, 1.0], tp)           # (x)_+ = relu on [-1, 1]
    >>> s.c.tolist(), float(s(0.5)), float(s(-0.5))
    ([0.0, 0.0, 1.0], 0.5, 0.0)
    """
    if not isinstance(basis, TruncatedPowerBasis):
        raise TypeError(f"basis must be a TruncatedPowerBasis; got {type(basis).__name__}")
    xp = _backend.array_namespace(coef)
    coef = _checks.as_float_array(coef, "coef", xp, allow_complex=True)
    if coef.ndim < 1 or not -coef.ndim <= axis < coef.ndim:
        raise ValueError(f"axis={axis} is out of range for coef of shape {tuple(coef.shape)}")
    c0 = xp.moveaxis(coef, axis, 0)
    basis.check_coef(c0)
    T = xp.asarray(bspline_matrix(basis))
    wide = np.result_type(coef.dtype, np.float64)
    c = xp.tensordot(T, c0.astype(wide), axes=(1, 0)).astype(coef.dtype)
    t = xp.asarray(clamped_knots(basis))
    return BSpline(t, xp.moveaxis(c, 0, axis), basis.k, extrapolate=extrapolate, axis=axis)


def _as_splinekit(spline):
    if isinstance(spline, BSpline):
        return spline
    from scipy.interpolate import BSpline as _SciPyBSpline

    if isinstance(spline, _SciPyBSpline):
        return BSpline.from_scipy(spline)
    raise TypeError(
        f"spline must be a splinekit.BSpline or scipy.interpolate.BSpline; got "
        f"{type(spline).__name__}"
    )


def _check_simple_base_knots(t, k, n):
    d = np.diff(t[k : n + 1])
    bad = np.nonzero(d <= 0)[0]
    if bad.size:
        i = k + int(bad[0])
        raise ValueError(
            f"the truncated-power basis needs simple knots inside the base interval; t[{i}] = "
            f"t[{i + 1}] = {float(t[i])!r} is repeated (k={k}); a knot of multiplicity > 1 "
            f"lowers the smoothness, which (x - t)_+^k cannot express"
        )


def from_bspline(spline):
    r"""Truncated-power form of a spline: ``(coef, basis)`` with ``sum_j coef_j phi_j = S``.

    Parameters
    ----------
    spline : splinekit.BSpline or scipy.interpolate.BSpline
        Any knot vector whose knots inside the base interval ``[t[k], t[n]]`` are simple.

    Returns
    -------
    coef : array, shape of ``spline.c`` (basis axis along ``spline.axis``)
        Polynomial part ``x^0..x^k`` (Taylor coefficients at 0 of the first piece), then the
        jumps ``(S^{(k)}(t_m+) - S^{(k)}(t_m-)) / k!``.  Same array type and dtype as ``c``.
    basis : TruncatedPowerBasis
        Knots ``t[k+1 : n]``, degree ``k``, ``interval = (t[k], t[n])``.

    The two agree on the base interval, and everywhere when the spline extrapolates with its
    end polynomials (``extrapolate=True``); a periodic or non-extrapolating spline's behaviour
    outside the base interval is not represented.

    Raises
    ------
    ValueError
        A repeated knot inside the base interval.
    TypeError
        Not a spline.

    Examples
    --------
    >>> from splinekit import BSpline
    >>> from splinekit.bases import from_bspline
    >>> coef, basis = from_bspline(BSpline([-1, -1, 0, 1, 1], [0.0, 0.0, 1.0], 1))
    >>> coef.tolist(), basis.knots.tolist()
    ([0.0, 0.0, 1.0], [0.0])
    """
    spline = _as_splinekit(spline)
    xp, k = spline._xp, spline.k
    t = _backend.to_numpy(spline.t)
    n = t.shape[0] - k - 1
    _check_simple_base_knots(t, k, n)
    basis = TruncatedPowerBasis(t[k + 1 : n], k, interval=(float(t[k]), float(t[n])))
    c = spline.c
    wide = np.result_type(c.dtype, np.float64)
    coef = xp.tensordot(xp.asarray(power_matrix(t, k)), c.astype(wide), axes=(1, 0))
    return xp.moveaxis(coef.astype(c.dtype), 0, spline.axis), basis
