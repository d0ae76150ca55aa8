"""mpmath B-splines: Cox-de Boor recursion, derivatives, de Boor evaluation and exact integrals.

These are written for clarity, not speed, straight from the definitions, so that they are an
independent route from the float kernels:

* :func:`basis` -- the Cox-de Boor recursion on the full knot vector (not the triangle the
  kernels use), with the last non-empty span closed on the right;
* :func:`basis_derivative` -- the derivative recursion
  ``B'_{i,k} = k (B_{i,k-1}/(t_{i+k}-t_i) - B_{i+1,k-1}/(t_{i+k+1}-t_{i+1}))``;
* :func:`evaluate` -- ``sum_i c_i B^{(nu)}_{i,k}(x)``;
* :func:`integrate` -- Gauss-Legendre quadrature (mpmath ``quad``) span by span, exact for the
  piecewise polynomial up to the working precision.
"""

from __future__ import annotations

import mpmath

__all__ = ["basis", "basis_derivative", "evaluate", "integrate"]


def _mp(v):
    return mpmath.mpf(v) if not isinstance(v, mpmath.mpf) else v


def _last_nonempty(t, k):
    n = len(t) - k - 1
    j = n - 1
    while j > k and t[j] == t[j + 1]:
        j -= 1
    return j


def _b(t, i, k, x, last):
    if k == 0:
        if t[i] <= x < t[i + 1]:
            return mpmath.mpf(1)
        return mpmath.mpf(1) if (i == last and x == t[i + 1]) else mpmath.mpf(0)
    s = mpmath.mpf(0)
    d1 = t[i + k] - t[i]
    if d1 != 0:
        s += (x - t[i]) / d1 * _b(t, i, k - 1, x, last)
    d2 = t[i + k + 1] - t[i + 1]
    if d2 != 0:
        s += (t[i + k + 1] - x) / d2 * _b(t, i + 1, k - 1, x, last)
    return s


def _bd(t, i, k, x, nu, last):
    if nu == 0:
        return _b(t, i, k, x, last)
    if nu > k:
        return mpmath.mpf(0)
    s = mpmath.mpf(0)
    d1 = t[i + k] - t[i]
    if d1 != 0:
        s += k * _bd(t, i, k - 1, x, nu - 1, last) / d1
    d2 = t[i + k + 1] - t[i + 1]
    if d2 != 0:
        s -= k * _bd(t, i + 1, k - 1, x, nu - 1, last) / d2
    return s


def basis(t, k, i, x, dps=40):
    """``B_{i,k}(x)`` on the knots ``t`` (inside the base interval)."""
    return basis_derivative(t, k, i, x, 0, dps)


def basis_derivative(t, k, i, x, nu, dps=40):
    """``d^nu/dx^nu B_{i,k}(x)`` (right derivative at knots; closed at the right end)."""
    with mpmath.mp.workdps(dps):
        tt = [_mp(v) for v in t]
        # the degree-0 indicator that is closed on the right is the last non-empty span
        last = _last_nonempty(tt, k)
        return +_bd(tt, i, k, _mp(x), nu, last)


def evaluate(t, c, k, x, nu=0, dps=40):
    """``S^{(nu)}(x) = sum_i c_i B^{(nu)}_{i,k}(x)`` for a 1-D coefficient list ``c``."""
    with mpmath.mp.workdps(dps):
        tt = [_mp(v) for v in t]
        last = _last_nonempty(tt, k)
        xx = _mp(x)
        return +mpmath.fsum(_mp(ci) * _bd(tt, i, k, xx, nu, last) for i, ci in enumerate(c))


def integrate(t, c, k, a, b, dps=40):
    """``int_a^b S(x) dx`` for ``[a, b]`` inside the base interval, by quadrature per span."""
    with mpmath.mp.workdps(dps):
        tt = [_mp(v) for v in t]
        a, b = _mp(a), _mp(b)
        pts = sorted({a, b} | {v for v in tt if a < v < b})
        total = mpmath.mpf(0)
        for lo, hi in zip(pts[:-1], pts[1:], strict=True):
            # on an open span the spline is one polynomial: Gauss-Legendre is exact there
            f = _on_span(tt, c, k, lo, hi, dps)
            total += mpmath.quad(f, [lo, hi], method="gauss-legendre")
        return +total


def _on_span(tt, c, k, lo, hi, dps):
    mid = (lo + hi) / 2

    def f(x):  # nodes are interior; the midpoint guards the knot's side ambiguity
        return evaluate(tt, c, k, x if lo < x < hi else mid, 0, dps)

    return f
