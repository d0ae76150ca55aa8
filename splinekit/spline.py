"""``BSpline``: a spline ``S(x) = sum_j c_j B_{j,k}(x)`` as a value object (SciPy-compatible).

Same constructor, attributes and methods as ``scipy.interpolate.BSpline`` (``t``, ``c``, ``k``,
``extrapolate``, ``axis``; ``__call__``, ``derivative``, ``antiderivative``, ``integrate``,
``insert_knot``, ``basis_element``, ``design_matrix``, ``construct_fast``), with these
differences, all on the side of saying more:

* ``c`` longer than ``n = len(t) - k - 1`` raises (SciPy silently ignores the extra);
* float32 coefficients give float32 values; CuPy arrays give CuPy results (GPU kernels);
* ``extrapolate="raise"`` raises for points outside the base interval;
* ``design_matrix(..., nu=d, format="packed")`` gives derivative rows and the packed format;
* complex ``x``, object/mpmath arrays and negative ``nu`` raise with a message naming them.
"""

from __future__ import annotations

import numpy as np

from . import _backend, _checks
from .basis import (
    _kernel_ready,
    check_in_base,
    normalize_extrapolate,
    prepare_knots,
    span_table,
    uniform_inv_h,
)
from .basis import (
    design_matrix as _design_matrix,
)

__all__ = ["BSpline"]


class BSpline:
    """Univariate spline in the B-spline basis, ``S(x) = sum_{j<n} c_j B_{j,k}(x)``.

    Parameters
    ----------
    t : array_like, shape (n + k + 1,)
        Knots: finite, non-decreasing, at least ``2k + 2`` of them, with ``t[k] < t[n]``.
    c : array_like, shape (n, ...) along ``axis``
        Coefficients; trailing dimensions hold many splines on the same knots.  Real (float32
        stays float32) or complex.
    k : int
        Degree, ``k >= 0``.
    extrapolate : bool, "periodic" or "raise"
        Behaviour outside the base interval ``[t[k], t[n]]``: end polynomials (``True``), NaN
        (``False``), periodic wrap, or ``ValueError``.
    axis : int
        The interpolation axis of ``c``.

    Raises
    ------
    ValueError
        Invalid knots, ``c`` of the wrong length along ``axis``, invalid ``axis``.
    TypeError
        Non-integer ``k``, object/mpmath arrays.

    Examples
    --------
    >>> import numpy as np
    >>> from splinekit import BSpline
    >>> s = BSpline([0, 0, 0, 1, 2, 2, 2], [1.0, 2.0, 0.0, 3.0], 2)
    >>> float(s(1.0)), float(s.integrate(0, 2))
    (1.0, 2.6666666666666665)
    """

    def __init__(self, t, c, k, extrapolate=True, axis=0):
        xp = _backend.array_namespace(t, c)
        self.k = _checks.check_degree(k)
        t = prepare_knots(t, self.k, xp)
        c = _checks.as_float_array(c, "c", xp, allow_complex=True)
        if c.ndim < 1:
            raise ValueError("c must be at least 1-dimensional; got a scalar")
        if not -c.ndim <= axis < c.ndim:
            raise ValueError(f"axis={axis} is out of range for c of shape {tuple(c.shape)}")
        axis = axis % c.ndim
        c = xp.ascontiguousarray(xp.moveaxis(c, axis, 0))
        n = t.shape[0] - self.k - 1
        if c.shape[0] != n:
            raise ValueError(
                f"c has {c.shape[0]} coefficients along axis {axis}, but knots of length "
                f"{t.shape[0]} and degree k={self.k} need exactly n = len(t) - k - 1 = {n}"
            )
        self._set(t, c, normalize_extrapolate(extrapolate), axis, xp)

    def _set(self, t, c, extrapolate, axis, xp):
        self._t, self._c, self.extrapolate, self.axis, self._xp = t, c, extrapolate, axis, xp
        self._search = None

    @classmethod
    def construct_fast(cls, t, c, k, extrapolate=True, axis=0):
        """Build without checks: ``t`` float64 1-D, ``c`` of shape (n, ...) (already moved)."""
        self = object.__new__(cls)
        self.k = k
        self._set(t, c, extrapolate, axis, _backend.array_namespace(t, c))
        return self

    # -- attributes ---------------------------------------------------------------------------
    @property
    def t(self):
        return self._t

    @t.setter
    def t(self, t):
        self._t = self._xp.ascontiguousarray(t, dtype=np.float64)
        self._search = None

    @property
    def c(self):
        return self._c

    @c.setter
    def c(self, c):
        self._c = self._xp.asarray(c)

    @property
    def tck(self):
        return self._t, self._c, self.k

    @property
    def _n(self):
        return self._t.shape[0] - self.k - 1

    def _search_data(self):
        """``(inv_h, table)`` for the kernels, computed once per knot vector."""
        if self._search is None:
            xp = self._xp
            self._search = (uniform_inv_h(self._t, self.k, xp), span_table(self._t, self.k, xp))
        return self._search

    def __repr__(self):
        return (
            f"BSpline(k={self.k}, n={self._n}, base interval=[{float(self._t[self.k])}, "
            f"{float(self._t[self._n])}], c.shape={tuple(self._c.shape)}, "
            f"dtype={self._c.dtype}, extrapolate={self.extrapolate!r})"
        )

    # -- evaluation ---------------------------------------------------------------------------
    def _x_dtype(self, x):
        c32 = self._c.dtype in (np.float32, np.complex64)
        return np.float32 if c32 and getattr(x, "dtype", None) == np.float32 else np.float64

    def __call__(self, x, nu=0, extrapolate=None):
        """Evaluate the spline (or its ``nu``-th derivative) at ``x``.

        Returns an array of shape ``c.shape[:axis] + x.shape + c.shape[axis+1:]`` and of
        ``c``'s dtype.  NaN in ``x`` gives NaN at that point only.
        """
        xp = self._xp
        nu = _checks.check_nonneg_int(nu, "nu")
        extrapolate = self.extrapolate if extrapolate is None else extrapolate
        x = _checks.as_float_array(x, "x", xp, dtype=self._x_dtype(x))
        mode = _kernel_ready(x, self._t, self.k, nu, extrapolate, xp)
        xf = x.ravel()
        c2 = self._c.reshape(self._n, -1)
        if not c2.flags.c_contiguous:
            c2 = xp.ascontiguousarray(c2)
        out = xp.empty((xf.shape[0], c2.shape[1]), dtype=self._c.dtype)
        inv_h, table = self._search_data()
        _backend.kernels_for(xp).evaluate(self._t, c2, self.k, xf, nu, mode, inv_h, table, out)
        out = out.reshape(x.shape + self._c.shape[1:])
        if self.axis != 0:
            order = list(range(out.ndim))
            order = (
                order[x.ndim : x.ndim + self.axis] + order[: x.ndim] + order[x.ndim + self.axis :]
            )
            out = out.transpose(order)
        return out

    # -- calculus -----------------------------------------------------------------------------
    def derivative(self, nu=1):
        """The ``nu``-th derivative as a ``BSpline`` of degree ``k - nu`` on ``t[nu:-nu]``.

        ``c'_i = k (c_{i+1} - c_i) / (t_{i+k+1} - t_{i+1})`` applied ``nu`` times (zero where the
        denominator vanishes, i.e. across a knot of multiplicity ``k + 1``).
        """
        nu = _checks.check_nonneg_int(nu, "nu")
        if nu > self.k:
            raise ValueError(f"derivative order nu={nu} must be <= the degree k={self.k}")
        xp, t, c, k = self._xp, self._t, self._c, self.k
        for _ in range(nu):
            n = t.shape[0] - k - 1
            dt = (t[k + 1 : k + n] - t[1:n]).reshape((-1,) + (1,) * (c.ndim - 1))
            safe = xp.where(dt > 0, dt, 1.0)
            c = xp.where(dt > 0, k * (c[1:] - c[:-1]) / safe, 0.0).astype(c.dtype)
            t, k = t[1:-1], k - 1
        return BSpline.construct_fast(
            xp.ascontiguousarray(t), xp.ascontiguousarray(c), k, self.extrapolate, self.axis
        )

    def antiderivative(self, nu=1):
        """The ``nu``-th antiderivative (zero at ``t[k]``) as a ``BSpline`` of degree ``k + nu``.

        One step: knots ``[t_0, t, t_last]``, ``C_0 = 0``,
        ``C_{i+1} = C_i + c_i (t_{i+k+1} - t_i) / (k + 1)``.  A periodic spline's antiderivative
        is not periodic: its ``extrapolate`` becomes ``False`` (as SciPy).
        """
        nu = _checks.check_nonneg_int(nu, "nu")
        xp, t, c, k = self._xp, self._t, self._c, self.k
        for _ in range(nu):
            n = t.shape[0] - k - 1
            dt = ((t[k + 1 : k + 1 + n] - t[:n]) / (k + 1)).reshape((-1,) + (1,) * (c.ndim - 1))
            cs = xp.cumsum(c * dt, axis=0)
            c = xp.concatenate([xp.zeros((1,) + c.shape[1:], dtype=c.dtype), cs.astype(c.dtype)])
            t = xp.concatenate([t[:1], t, t[-1:]])
            k += 1
        ext = False if self.extrapolate == "periodic" else self.extrapolate
        return BSpline.construct_fast(t, c, k, ext, self.axis)

    def _eval_raw(self, xs, extrapolate):
        """Values at a few host points, shape (len(xs), ...), no axis transposition."""
        xp = self._xp
        x = xp.asarray(np.asarray(xs, dtype=np.float64))
        c2 = xp.ascontiguousarray(self._c.reshape(self._n, -1))
        out = xp.empty((x.shape[0], c2.shape[1]), dtype=self._c.dtype)
        mode = {True: 0, False: 1, "periodic": 2}[extrapolate]
        inv_h, table = self._search_data()
        _backend.kernels_for(xp).evaluate(self._t, c2, self.k, x, 0, mode, inv_h, table, out)
        return out.reshape((x.shape[0],) + self._c.shape[1:])

    def integrate(self, a, b, extrapolate=None):
        """Definite integral of the spline over ``[a, b]`` (``-`` the integral if ``b < a``).

        ``extrapolate``: ``True`` integrates the end polynomials beyond the base interval,
        ``False`` (and ``"raise"``... which raises for limits outside) takes the spline as zero
        there, ``"periodic"`` integrates the periodic extension.  Returns an array of shape
        ``c.shape[1:]`` (0-d for a single spline).
        """
        ext = self.extrapolate if extrapolate is None else normalize_extrapolate(extrapolate)
        a, b = float(a), float(b)
        if not (np.isfinite(a) and np.isfinite(b)):
            raise ValueError(f"integration limits must be finite; got a={a!r}, b={b!r}")
        xp = self._xp
        sign = 1.0
        if b < a:
            a, b, sign = b, a, -1.0
        ts, te = float(self._t[self.k]), float(self._t[self._n])
        if ext == "raise":
            check_in_base(np.array([a, b]), np.array([ts, te]), 0, np, what="[a, b]")
            ext = True
        anti = self.antiderivative()
        zero = xp.zeros(self._c.shape[1:], dtype=self._c.dtype)
        if ext == "periodic":
            period = te - ts
            n_periods, left = divmod(b - a, period)
            total = zero.copy()
            if n_periods > 0:
                v = anti._eval_raw([ts, te], False)
                total = total + n_periods * (v[1] - v[0])
            a = ts + (a - ts) % period
            b = a + left
            if b <= te:
                v = anti._eval_raw([a, b], False)
                total = total + (v[1] - v[0])
            else:
                v = anti._eval_raw([a, te, ts, ts + b - te], False)
                total = total + (v[1] - v[0]) + (v[3] - v[2])
            return sign * total
        if not ext:
            a, b = max(a, ts), min(b, te)
            if a >= b:
                return zero
        v = anti._eval_raw([a, b], True)
        return sign * (v[1] - v[0])

    # -- knot insertion -----------------------------------------------------------------------
    def insert_knot(self, x, m=1):
        """Insert the knot ``x`` ``m`` times (Boehm's algorithm); the function is unchanged.

        For a periodic spline the periodic boundary knots and coefficients are kept consistent
        (as FITPACK's ``insert`` and SciPy do).
        """
        x = float(x)
        m = _checks.check_nonneg_int(m, "m", minimum=1)
        ts, te = float(self._t[self.k]), float(self._t[self._n])
        if not ts <= x <= te:
            raise ValueError(
                f"cannot insert a knot at x={x!r}: outside the base interval [{ts!r}, {te!r}]"
            )
        xp = self._xp
        t, c = _backend.to_numpy(self._t).copy(), _backend.to_numpy(self._c).copy()
        for _ in range(m):
            t, c = _insert_one(x, t, c, self.k, self.extrapolate == "periodic")
        return BSpline.construct_fast(
            xp.asarray(t), xp.asarray(c), self.k, self.extrapolate, self.axis
        )

    def to_truncated_power(self):
        """This spline in the truncated-power basis ``1, x, ..., x^k, (x - t_m)_+^k``.

        Returns ``(coef, basis)`` with ``basis`` a ``splinekit.bases.TruncatedPowerBasis``; see
        ``splinekit.bases.from_bspline`` (exact change of basis; round trips to rounding).
        """
        from .bases.convert import from_bspline  # bases/convert sits above spline (it builds us)

        return from_bspline(self)

    # -- constructors -------------------------------------------------------------------------
    @classmethod
    def basis_element(cls, t, extrapolate=True):
        """The single B-spline ``B(x | t[0], ..., t[k+1])`` of degree ``k = len(t) - 2``."""
        xp = _backend.array_namespace(t)
        t = _checks.as_float_array(t, "t", xp, dtype=np.float64, ndim=1)
        k = t.shape[0] - 2
        if k < 0:
            raise ValueError(f"basis_element needs at least 2 knots; got {t.shape[0]}")
        tt = xp.concatenate([xp.full(k, float(t[0]) - 1.0), t, xp.full(k, float(t[-1]) + 1.0)])
        c = xp.zeros(tt.shape[0] - k - 1)
        c[k] = 1.0
        return cls(tt, c, k, extrapolate)

    @classmethod
    def design_matrix(cls, x, t, k, extrapolate=False, *, nu=0, format="csr"):
        """Sparse design matrix ``A[i, j] = B^{(nu)}_j(x_i)``; see ``splinekit.design_matrix``."""
        return _design_matrix(x, t, k, extrapolate=extrapolate, nu=nu, format=format)

    @classmethod
    def from_scipy(cls, spl):
        """Convert a ``scipy.interpolate.BSpline`` (its padded ``c`` is trimmed to ``n``)."""
        n = spl.t.shape[0] - spl.k - 1
        c = np.moveaxis(np.asarray(spl.c)[:n], 0, spl.axis)
        return cls(spl.t, c, spl.k, extrapolate=spl.extrapolate, axis=spl.axis)

    def to_scipy(self):
        """The equivalent ``scipy.interpolate.BSpline`` (on the host; ``"raise"`` -> ``False``)."""
        from scipy.interpolate import BSpline as _SciPyBSpline

        c = np.moveaxis(_backend.to_numpy(self._c), 0, self.axis)
        ext = False if self.extrapolate == "raise" else self.extrapolate
        return _SciPyBSpline(_backend.to_numpy(self._t), c, self.k, extrapolate=ext, axis=self.axis)


def _insert_one(xval, t, c, k, periodic):
    """Insert one knot (FITPACK ``insert`` / Boehm); host arrays, ``c`` of shape (n, ...)."""
    n = t.shape[0] - k - 1
    l = int(np.searchsorted(t, xval, side="right") - 1)
    l = min(max(l, k), n - 1)
    if t[l] == t[l + k + 1]:  # a knot of multiplicity > k + 1
        l -= 1
    if periodic and (l + 1 <= 2 * k) and (l + 1 >= t.shape[0] - 2 * k):
        raise ValueError("not enough interior knots to insert a knot into a periodic spline")
    tt = np.concatenate([t[: l + 1], [xval], t[l + 1 :]])
    cc = np.zeros((c.shape[0] + 1,) + c.shape[1:], dtype=c.dtype)
    cc[l + 1 :] = c[l:]
    for i in range(l, l - k, -1):
        fac = (xval - tt[i]) / (tt[i + k + 1] - tt[i])
        cc[i] = fac * c[i] + (1.0 - fac) * c[i - 1]
    cc[: l - k + 1] = c[: l - k + 1]
    if periodic:
        nn = tt.shape[0]
        nk, n2k = nn - k - 1, nn - 2 * k - 1
        period = tt[nk] - tt[k]
        if l >= nk - k:
            tt[:k] = tt[nk - k : nk] - period
            cc[:k] = cc[n2k : n2k + k]
        if l <= 2 * k - 1:
            tt[nn - k :] = tt[k + 1 : 2 * k + 1] + period
            cc[n2k : n2k + k] = cc[:k]
    return tt, cc
