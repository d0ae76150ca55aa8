"""Argument checks of the fractional module (in the user's words: argument, expected, got)."""

from __future__ import annotations

import math
import numbers

from .. import _checks

SIDES = {"both": 0, "left": 1, "right": 2}


def check_alpha(alpha):
    """``alpha`` as a float in the open interval (1, 2)."""
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"alpha must be a real number in (1, 2); got {alpha!r}")
    a = float(alpha)
    if not (1.0 < a < 2.0):
        why = (
            "alpha = 2 is the classical second derivative (use ordinary collocation)"
            if a >= 2.0
            else "for alpha <= 1 the Riesz operator is of order <= 1 and the Greville points "
            "(knots for odd p) make the collocation entries singular"
        )
        raise ValueError(f"alpha must lie in the open interval (1, 2): {why}; got alpha={alpha!r}")
    if not math.isfinite(a):
        raise ValueError(f"alpha must be finite; got {alpha!r}")
    return a


def check_p(p):
    """Collocation degree ``p >= 2`` (``p = 1`` is impossible: its Greville points are knots
    where the derivative of a hat function is infinite)."""
    p = _checks.check_nonneg_int(p, "p (the degree)")
    if p < 2:
        raise ValueError(
            "p (the degree) must be >= 2: for p = 1 the Greville collocation points are knots, "
            f"where d^alpha of a hat function is infinite (1 - alpha < 0); got p={p}"
        )
    from .._kernels.scalar.fractional import MAXP

    if p > MAXP:
        raise ValueError(f"p (the degree) must be <= {MAXP}; got p={p}")
    return p


def check_n(n, p):
    """Number of uniform intervals: at least ``p`` (so the two boundary blocks do not meet)."""
    n = _checks.check_nonneg_int(n, "n (the number of intervals)")
    if n < max(p, 2):
        raise ValueError(
            f"n (the number of intervals) must be >= max(p, 2) = {max(p, 2)} for p={p} (the "
            f"{p - 1} boundary B-splines at each end must not overlap); got n={n}"
        )
    return n


def check_domain(domain):
    """``(a, b)`` as floats with ``a < b``, both finite."""
    try:
        a, b = (float(v) for v in domain)
    except (TypeError, ValueError):
        raise TypeError(f"domain must be a pair (a, b) of real numbers; got {domain!r}") from None
    if not (math.isfinite(a) and math.isfinite(b) and a < b):
        raise ValueError(f"domain must be (a, b) with finite a < b; got a={a!r}, b={b!r}")
    return a, b


def check_side(side):
    if side not in SIDES:
        raise ValueError(f"side must be 'both', 'left' or 'right'; got {side!r}")
    return SIDES[side]


def check_local_knots(t, k, xp):
    """Knots of B-splines of degree ``k``: 1-D, finite, non-decreasing, ``len(t) >= k + 2``
    (one B-spline is enough here: a fractional derivative needs no base interval)."""
    if t.ndim != 1:
        raise ValueError(f"t must be 1-dimensional; got shape {tuple(t.shape)}")
    if t.shape[0] < k + 2:
        raise ValueError(f"t needs at least k+2 = {k + 2} knots for degree k={k}; got {t.shape[0]}")
    _checks.check_finite(t, "t", xp)
    dec = t[1:] < t[:-1]
    if bool(dec.any()):
        i = int(xp.argmax(dec))
        raise ValueError(
            f"t must be non-decreasing; t[{i + 1}] = {float(t[i + 1])!r} < t[{i}] = {float(t[i])!r}"
        )
    if not bool(t[-1] > t[0]):
        raise ValueError("t must span an interval of positive length")
    return t
