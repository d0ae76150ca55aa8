"""P-splines (Eilers and Marx 1996): ``make_pspline``.

A P-spline is a B-spline of any degree ``k`` on (by default) equally spaced knots, with a
difference penalty of any order ``d`` on neighbouring coefficients:

.. math::

    \\min_c \\; \\sum_i w_i \\big(y_i - \\textstyle\\sum_j c_j B_{j,k}(x_i)\\big)^2
    + \\lambda \\, \\| \\Delta^d c \\|^2 ,
    \\qquad (\\Delta^d c)_i = \\sum_{r=0}^{d} (-1)^{d-r} \\binom{d}{r} c_{i+r}.

The penalty matrix ``D_d^T D_d`` has ``d`` sub-diagonals and the data matrix ``k``, so the system
is a band of width ``max(k, d)`` solved by Cholesky; ``lam = None`` is chosen by GCV with the
selected-inverse trace (see ``_penalized``).  The fit reproduces polynomials of degree < ``d``
for every ``lam`` (they are in the penalty's null space).
"""

from __future__ import annotations

import math

import numpy as np

from .. import _backend, _checks, knots
from ..basis import check_in_base, prepare_knots
from . import _common, _penalized

__all__ = ["make_pspline", "difference_penalty"]


def make_pspline(x, y, t=None, k=3, n_knots=40, penalty_order=2, lam=None, w=None, axis=0):
    """Penalized B-spline (P-spline) fit, with ``lam`` chosen by GCV if ``None``.

    Parameters
    ----------
    x : array_like, shape (m,)
        Sites, finite, any order, duplicates allowed.
    y : array_like, shape (..., m, ...)
        Values along ``axis`` (real); trailing dimensions are fitted independently (each
        column gets its own GCV ``lam``).
    t : array_like, optional
        Knots; the sites must lie in the base interval ``[t[k], t[n]]``.  Default: ``n_knots``
        equally spaced knots on ``[min x, max x]`` extended by ``k`` equal spans beyond each end
        (Eilers-Marx; all B-splines have the same shape, so the difference penalty treats them
        alike).
    k : int
        Degree, any ``k >= 0``.
    n_knots : int
        Number of knots on ``[min x, max x]`` (ends included) when ``t`` is None; ``n_knots - 1``
        spans and ``n_knots + k - 1`` coefficients.  Ignored with ``t``.
    penalty_order : int
        Order ``d >= 0`` of the difference penalty (0: ridge); ``d < n`` coefficients.
    lam : float, array of one per column, or None
        ``lam >= 0``; ``None``: GCV.
    w : array_like, shape (m,), optional
        Non-negative weights multiplying the squared residuals.
    axis : int
        Data axis of ``y``.

    Returns
    -------
    BSpline
        With attributes ``lam``, ``gcv`` and ``edf`` (effective degrees of freedom) as
        :func:`make_smoothing_spline`.  CuPy input is assembled and solved on the device.

    Raises
    ------
    ValueError
        Non-finite input, negative weights or ``lam``, too few knots, ``x`` outside ``t``, a
        penalty order not below the number of coefficients.

    References
    ----------
    P. H. C. Eilers and B. D. Marx, Flexible smoothing with B-splines and penalties,
    Statistical Science 11 (1996) 89-121.

    Examples
    --------
    >>> import numpy as np
    >>> from splinekit.fitting import make_pspline
    >>> x = np.linspace(0.0, 1.0, 100)
    >>> s = make_pspline(x, 2 * x - 1, lam=1e3)        # linear data: no penalty at all (d=2)
    >>> bool(np.allclose(s(x), 2 * x - 1))
    True
    """
    xp = _backend.array_namespace(x, y, t, w)
    k = _checks.check_degree(k)
    d = _checks.check_nonneg_int(penalty_order, "penalty_order")
    x = _common.sites(x, xp=xp, strict=False, min_points=2)
    m = x.shape[0]
    y2, trailing, dtype, axis = _common.values(y, m, axis, xp)
    _common.require_real(dtype, "make_pspline")
    w = _common.weights(w, m, xp)
    lam = _lam(lam, y2.shape[1])
    t = _knots(x, t, k, n_knots, xp)
    n = t.shape[0] - k - 1
    if d >= n:
        raise ValueError(
            f"penalty_order={d} must be below the number of coefficients n={n} (more knots, or "
            f"a lower order)"
        )
    span = 2.0 * d * math.log10(max(n, 2)) + 2.0  # kernel width up to n coefficients
    c2, info = _penalized.fit(t, k, x, w, y2, difference_rows(n, d, xp), max(k, d), lam, span, xp)
    s = _common.spline(t, c2, k, trailing, dtype, axis, xp)
    scalar = y2.shape[1] == 1 and not trailing
    pick = (lambda a: float(a[0])) if scalar else (lambda a: a)
    s.lam, s.gcv, s.edf = pick(info.lam), pick(info.gcv), pick(info.edf)
    return s


def _lam(lam, ncol):
    from .smoothing import _check_lam

    return _check_lam(lam, ncol)


def _knots(x, t, k, n_knots, xp):
    if t is not None:
        t = prepare_knots(t, k, xp)
        check_in_base(x, t, k, xp)
        return t
    n_knots = _checks.check_nonneg_int(n_knots, "n_knots", minimum=2)
    a, b = float(x.min()), float(x.max())
    if not b > a:
        raise ValueError(f"x spans no interval (all sites equal {a!r}); pass t")
    t = knots.uniform(a, b, n_knots - 1, k, kind="open")
    t[k], t[t.shape[0] - k - 1] = a, b  # a + h * n_spans may round below b
    return xp.asarray(t)


def difference_rows(n, d, xp=np):
    """The rows of ``D_d`` in packed form ``(values, first, weights)``: ``P = D_d^T D_d``."""
    coef = [(-1.0) ** (d - r) * math.comb(d, r) for r in range(d + 1)]
    vals = xp.tile(xp.asarray(coef), (n - d, 1))
    return vals, xp.arange(n - d, dtype=np.int64), xp.ones(n - d)


def difference_penalty(n, d, xp=np):
    """``D_d^T D_d`` as a lower band (n, d+1): ``P[j + e, j] = sum_i D[i, j] D[i, j + e]``.

    ``D_d`` is the ``(n - d, n)`` matrix of ``d``-th differences, row ``i`` holding
    ``(-1)^(d-r) C(d, r)`` at column ``i + r``.
    """
    coef = [(-1.0) ** (d - r) * math.comb(d, r) for r in range(d + 1)]
    P = xp.zeros((n, d + 1))
    for r in range(d + 1):
        for r2 in range(r, d + 1):
            P[r : n - d + r, r2 - r] += coef[r] * coef[r2]
    return P
