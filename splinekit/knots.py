"""Knot vectors: clamped/open uniform, periodic, from breakpoints, not-a-knot; Greville points.

A knot vector ``t`` of degree ``k`` has ``n = len(t) - k - 1`` B-splines ``B_0 .. B_{n-1}`` and
the base interval ``[t[k], t[n]]``.

* *clamped*: the end knots repeated ``k + 1`` times (the spline interpolates its end
  coefficients);
* *open* (unclamped) uniform: equally spaced knots extended ``k`` spans past each end;
* *periodic*: the interior breakpoints extended periodically, so that ``B_{n-k+j}`` continues
  ``B_j`` across the period;
* *not-a-knot*: SciPy's interpolation knots (data sites with ``k - 1`` interior sites dropped).
"""

from __future__ import annotations

import numpy as np

from . import _checks

__all__ = ["from_breakpoints", "greville", "not_a_knot", "uniform"]


def _breakpoints(bp, name="breakpoints"):
    bp = _checks.as_float_array(bp, name, dtype=np.float64, ndim=1)
    _checks.check_finite(bp, name)
    if bp.shape[0] < 2:
        raise ValueError(f"{name} must hold at least 2 values; got {bp.shape[0]}")
    inc = bp[1:] <= bp[:-1]
    if inc.any():
        i = int(np.nonzero(inc)[0][0])
        raise ValueError(
            f"{name} must be strictly increasing; {name}[{i}]={float(bp[i])!r} >= "
            f"{name}[{i + 1}]={float(bp[i + 1])!r}"
        )
    return bp


def from_breakpoints(breakpoints, k, kind="clamped"):
    """Knot vector of degree ``k`` on strictly increasing ``breakpoints``.

    Parameters
    ----------
    breakpoints : array_like, shape (p,)
        Strictly increasing, ``p >= 2``.
    k : int
        Degree, ``k >= 0``.
    kind : {"clamped", "periodic"}
        ``"clamped"`` repeats each end ``k`` more times (length ``p + 2k``, ``n = p + k - 1``
        B-splines).  ``"periodic"`` extends the spacing periodically by ``k`` knots on each side
        (length ``p + 2k``); a periodic spline then has ``p - 1`` free coefficients, the last
        ``k`` equal to the first ``k``.

    Returns
    -------
    t : ndarray, shape (p + 2k,)

    Raises
    ------
    ValueError
        Unknown ``kind``, too few or non-increasing breakpoints, or a periodic extension longer
        than one period (``k > p - 1``).

    Examples
    --------
    >>> from splinekit import knots
    >>> knots.from_breakpoints([0.0, 0.5, 1.0], 2)
    array([0. , 0. , 0. , 0.5, 1. , 1. , 1. ])
    """
    k = _checks.check_degree(k)
    bp = _breakpoints(breakpoints)
    if kind == "clamped":
        return np.r_[[bp[0]] * k, bp, [bp[-1]] * k]
    if kind == "periodic":
        p = bp.shape[0]
        if k > p - 1:
            raise ValueError(
                f"periodic knots of degree k={k} need at least k+1={k + 1} breakpoints; got {p}"
            )
        period = bp[-1] - bp[0]
        left = bp[p - 1 - k : p - 1] - period
        right = bp[1 : k + 1] + period
        return np.r_[left, bp, right]
    raise ValueError(f"kind must be 'clamped' or 'periodic'; got {kind!r}")


def uniform(a, b, n_spans, k, kind="clamped"):
    """Uniform knots on ``[a, b]`` with ``n_spans`` equal spans.

    ``kind`` is ``"clamped"``, ``"periodic"`` (see :func:`from_breakpoints`) or ``"open"``
    (equally spaced everywhere: ``k`` extra spans beyond each end; ``n = n_spans + k``).

    Examples
    --------
    >>> from splinekit import knots
    >>> knots.uniform(0.0, 1.0, 2, 1, kind="open")
    array([-0.5,  0. ,  0.5,  1. ,  1.5])
    """
    k = _checks.check_degree(k)
    n_spans = _checks.check_nonneg_int(n_spans, "n_spans", minimum=1)
    a, b = float(a), float(b)
    if not (np.isfinite(a) and np.isfinite(b) and a < b):
        raise ValueError(f"need finite a < b; got a={a!r}, b={b!r}")
    if kind == "open":
        h = (b - a) / n_spans
        return a + h * np.arange(-k, n_spans + k + 1, dtype=np.float64)
    return from_breakpoints(np.linspace(a, b, n_spans + 1), k, kind=kind)


def not_a_knot(x, k):
    """SciPy's not-a-knot knots for interpolating at the sites ``x`` with degree ``k``.

    ``k = 0``: ``[x, x[-1]]``.  Odd ``k``: clamped ends and interior knots
    ``x[(k+1)//2 : -(k+1)//2]``; even ``k``: interior knots at the midpoints of those sites
    (as ``scipy.interpolate`` does).
    ``len(t) = len(x) + k + 1``.

    Examples
    --------
    >>> from splinekit import knots
    >>> knots.not_a_knot([0.0, 1.0, 2.0, 3.0, 4.0], 3)
    array([0., 0., 0., 0., 2., 4., 4., 4., 4.])
    """
    k = _checks.check_degree(k)
    x = _breakpoints(x, "x")
    if x.shape[0] < k + 1:
        raise ValueError(f"need at least k+1 = {k + 1} sites for degree k={k}; got {x.shape[0]}")
    if k == 0:  # piecewise constant: one span per site, as scipy.interpolate
        return np.r_[x, x[-1]]
    if k % 2 == 1:
        m = (k - 1) // 2
        inner = x[m + 1 : x.shape[0] - m - 1] if k > 1 else x[1:-1]
    else:
        m = k // 2
        mid = 0.5 * (x[1:] + x[:-1])
        inner = mid[m : mid.shape[0] - m]
    return np.r_[[x[0]] * (k + 1), inner, [x[-1]] * (k + 1)]


def greville(t, k):
    """Greville abscissae ``xi_i = (t[i+1] + ... + t[i+k]) / k`` (``t[i]`` for ``k = 0``... see
    Notes), the classical collocation sites of the B-splines ``B_0 .. B_{n-1}``.

    Notes
    -----
    For ``k = 0`` the span midpoints ``(t[i] + t[i+1]) / 2`` are returned.

    Examples
    --------
    >>> from splinekit import knots
    >>> knots.greville(knots.uniform(0.0, 1.0, 2, 2), 2)
    array([0.  , 0.25, 0.75, 1.  ])
    """
    k = _checks.check_degree(k)
    t = _checks.as_float_array(t, "t", dtype=np.float64, ndim=1)
    n = t.shape[0] - k - 1
    if n < 1:
        raise ValueError(f"need at least k+2 = {k + 2} knots for degree k={k}; got {t.shape[0]}")
    if k == 0:
        return 0.5 * (t[:-1] + t[1:])
    cs = np.concatenate([[0.0], np.cumsum(t)])
    return (cs[k + 1 : k + 1 + n] - cs[1 : 1 + n]) / k
