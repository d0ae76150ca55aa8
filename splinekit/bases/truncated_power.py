r"""The truncated-power basis of the spline space (TruKAN's basis).

For a degree ``k >= 0`` and strictly increasing knots ``t_1 < ... < t_M``:

.. math::

    \phi_d(x) = x^d \quad (d = 0..k), \qquad
    \phi_{k+m}(x) = (x - t_m)_+^k \quad (m = 1..M), \qquad
    u_+^k = \max(u, 0)^k,\ u_+^0 = [u \ge 0].

These ``k + 1 + M`` functions span exactly the splines of degree ``k`` with simple knots
``t_m`` (``C^{k-1}`` there), on all of the real line: the space of :class:`splinekit.BSpline`
of degree ``k`` on the clamped knots ``[a]*(k+1) + t + [b]*(k+1)`` (``a < t_1``, ``t_M < b``)
extrapolated by its end polynomials.  B-splines are the ``(k+1)``-th divided differences of
truncated powers; :mod:`splinekit.bases.convert` gives the exact change of basis both ways.

The monomials are about the origin (as in TruKAN), so the basis is badly conditioned when the
knots are far from 0 or spread widely; see ``validation/study_bases.py`` for the measured
condition numbers against the B-spline basis.
"""

from __future__ import annotations

import numpy as np

from .. import _backend, _checks

__all__ = ["TruncatedPowerBasis"]


def _strict_knots(knots):
    t = _checks.as_float_array(_backend.to_numpy(knots), "knots", np, dtype=np.float64)
    if t.ndim != 1:
        raise ValueError(f"knots must be 1-dimensional; got shape {tuple(t.shape)}")
    _checks.check_finite(t, "knots")
    bad = np.nonzero(t[1:] <= t[:-1])[0]
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"knots must be strictly increasing; knots[{i}]={float(t[i])!r} >= "
            f"knots[{i + 1}]={float(t[i + 1])!r}"
        )
    return t


def default_interval(knots):
    """``(t_1 - h, t_M + h)`` with ``h`` the mean knot spacing (``h = 1`` for fewer than 2 knots;
    ``(-1, 1)`` without knots)."""
    if knots.shape[0] == 0:
        return -1.0, 1.0
    h = float(np.mean(np.diff(knots))) if knots.shape[0] > 1 else 1.0
    return float(knots[0]) - h, float(knots[-1]) + h


class TruncatedPowerBasis:
    r"""Basis ``1, x, ..., x^k, (x - t_1)_+^k, ..., (x - t_M)_+^k`` of degree-``k`` splines.

    Parameters
    ----------
    knots : array_like, shape (M,)
        Strictly increasing, finite (may be empty: polynomials of degree ``k``).
    k : int
        Degree, ``k >= 0``.
    interval : (float, float), optional
        The base interval ``[a, b]`` of the equivalent B-spline (``a < t_1``, ``t_M < b``);
        default :func:`default_interval`.  It does not change the functions, only the knot
        vector :func:`splinekit.bases.to_bspline` builds.

    Attributes
    ----------
    knots : ndarray (M,), float64
    k : int
    size : int
        ``k + 1 + M``, the number of basis functions.
    interval : (float, float)

    Raises
    ------
    ValueError
        Knots not 1-D, not finite or not strictly increasing; ``interval`` not enclosing the
        knots or with ``a >= b``.
    TypeError
        Non-integer ``k``.

    References
    ----------
    C. de Boor, *A Practical Guide to Splines*, rev. ed., Springer 2001, ch. IX (truncated
    powers, divided differences).  TruKAN, arXiv:2602.03879.

    Examples
    --------
    >>> from splinekit.bases import TruncatedPowerBasis
    >>> tp = TruncatedPowerBasis([0.0, 0.5], k=1)
    >>> tp.design_matrix([-1.0, 0.25, 1.0]).tolist()
    [[1.0, -1.0, 0.0, 0.0], [1.0, 0.25, 0.25, 0.0], [1.0, 1.0, 1.0, 0.5]]
    """

    def __init__(self, knots, k, interval=None):
        self.k = _checks.check_degree(k)
        self.knots = _strict_knots(knots)
        self.interval = self._interval(interval)

    def _interval(self, interval):
        if interval is None:
            return default_interval(self.knots)
        try:
            a, b = (float(v) for v in interval)
        except (TypeError, ValueError):
            raise ValueError(
                f"interval must be a pair (a, b) of numbers; got {interval!r}"
            ) from None
        if not (np.isfinite(a) and np.isfinite(b) and a < b):
            raise ValueError(f"interval (a, b) must be finite with a < b; got ({a!r}, {b!r})")
        if self.knots.shape[0] and not (a < self.knots[0] and self.knots[-1] < b):
            raise ValueError(
                f"interval ({a!r}, {b!r}) must enclose the knots strictly: need a < "
                f"knots[0]={float(self.knots[0])!r} and knots[-1]={float(self.knots[-1])!r} < b"
            )
        return a, b

    @property
    def size(self):
        return self.k + 1 + self.knots.shape[0]

    def __repr__(self):
        return (
            f"TruncatedPowerBasis(k={self.k}, M={self.knots.shape[0]} knots, "
            f"interval={self.interval})"
        )

    def design_matrix(self, x, nu=0):
        r"""``A[i, j] = \phi_j^{(nu)}(x_i)``, a dense ``(len(x), k + 1 + M)`` array.

        Parameters
        ----------
        x : array_like, shape (m,)
            Finite points (any real values: the basis is defined on the whole line).  float32
            stays float32; CuPy input runs the GPU kernel and returns CuPy.
        nu : int
            Derivative order, ``nu >= 0``: ``d!/(d-nu)! x^{d-nu}`` and
            ``k!/(k-nu)! (x - t_m)_+^{k-nu}``; zero for ``nu > k``.

        Raises
        ------
        ValueError
            ``x`` not 1-D or not finite; negative ``nu``.
        """
        xp = _backend.array_namespace(x)
        nu = _checks.check_nonneg_int(nu, "nu")
        x = _checks.as_float_array(x, "x", xp, ndim=1)
        _checks.check_finite(x, "x", xp)
        tau = xp.asarray(self.knots.astype(x.dtype))
        out = xp.empty((x.shape[0], self.size), dtype=x.dtype)
        if x.shape[0]:
            _backend.kernels_for(xp, "truncated_power").design(x, tau, self.k, nu, out)
        return out

    def evaluate(self, coef, x, nu=0):
        r"""``sum_j coef_j \phi_j^{(nu)}(x)`` for 1-D ``x``; ``coef`` of shape (size, ...)."""
        A = self.design_matrix(x, nu)
        xp = _backend.array_namespace(A)
        coef = _checks.as_float_array(coef, "coef", xp, allow_complex=True)
        self.check_coef(coef)
        return xp.tensordot(A, coef.astype(np.result_type(A.dtype, coef.dtype)), axes=(1, 0))

    def check_coef(self, coef):
        """Raise unless ``coef`` has ``size`` rows and finite entries."""
        if coef.ndim < 1 or coef.shape[0] != self.size:
            got = tuple(coef.shape)
            raise ValueError(
                f"coef must have k + 1 + M = {self.size} entries along axis 0 (k={self.k}, "
                f"M={self.knots.shape[0]}); got shape {got}"
            )
        _checks.check_finite(coef, "coef", _backend.array_namespace(coef))
