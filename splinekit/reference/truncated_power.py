"""mpmath truncated powers: basis values/derivatives and the change of basis by a linear solve.

Independent of ``splinekit.bases.convert`` (which uses closed forms): here the B-spline
coefficients of a truncated-power function are found by *interpolating* it, in high precision,
at the Greville abscissae with the mpmath Cox-de Boor basis of ``splinekit.reference.bspline``.

* ``basis(x, knots, k, nu)`` -> list of the ``k + 1 + M`` values ``phi_j^{(nu)}(x)``;
* ``evaluate(coef, x, knots, k, nu)``;
* ``bspline_coefficients(coef, knots, k, interval)`` -> B-spline coefficients on the clamped
  knots ``[a]*(k+1) + knots + [b]*(k+1)``.
"""

from __future__ import annotations

import mpmath

from . import bspline as _bs

__all__ = ["basis", "bspline_coefficients", "evaluate"]


def _falling(d, nu):
    f = mpmath.mpf(1)
    for r in range(nu):
        f *= d - r
    return f


def _row(x, knots, k, nu):
    x = mpmath.mpf(x)
    row = [_falling(d, nu) * x ** (d - nu) if d >= nu else mpmath.mpf(0) for d in range(k + 1)]
    for t in knots:
        u = x - mpmath.mpf(t)
        on = nu <= k and u >= 0
        row.append(_falling(k, nu) * u ** (k - nu) if on else mpmath.mpf(0))
    return row


def basis(x, knots, k, nu=0, dps=40):
    """``[phi_j^{(nu)}(x)]``: ``x^d`` (d = 0..k) then ``(x - t_m)_+^k``, ``u_+^0 = [u >= 0]``."""
    with mpmath.mp.workdps(dps):
        return [+v for v in _row(x, knots, k, nu)]


def evaluate(coef, x, knots, k, nu=0, dps=40):
    """``sum_j coef_j phi_j^{(nu)}(x)``."""
    with mpmath.mp.workdps(dps):
        return +mpmath.fsum(
            mpmath.mpf(c) * v for c, v in zip(coef, _row(x, knots, k, nu), strict=True)
        )


def bspline_coefficients(coef, knots, k, interval, dps=40):
    """B-spline coefficients of ``sum coef_j phi_j`` by interpolation at the Greville points."""
    with mpmath.mp.workdps(dps):
        a, b = (mpmath.mpf(v) for v in interval)
        t = [a] * (k + 1) + [mpmath.mpf(v) for v in knots] + [b] * (k + 1)
        n = len(t) - k - 1
        if k == 0:
            xs = [(t[i] + t[i + 1]) / 2 for i in range(n)]
        else:
            xs = [mpmath.fsum(t[i + 1 : i + k + 1]) / k for i in range(n)]
        A = mpmath.matrix(n, n)
        for r, xv in enumerate(xs):
            for i in range(n):
                A[r, i] = _bs.basis(t, k, i, xv, dps)
        rhs = mpmath.matrix([evaluate(coef, xv, knots, k, 0, dps) for xv in xs])
        sol = mpmath.lu_solve(A, rhs)
        return [+sol[i] for i in range(n)]
