"""Cubic smoothing spline: ``make_smoothing_spline``.

The smoothing spline minimizes

.. math::

    \\sum_i w_i \\big(y_i - f(x_i)\\big)^2 + \\lambda \\int_{x_0}^{x_{m-1}} f''(x)^2\\, dx

over all twice-differentiable ``f``; the minimizer is the natural cubic spline with knots at the
distinct sites (Reinsch 1967).  Since every cubic spline on those knots competes, the problem is
solved in the clamped cubic B-spline basis on them (``m + 2`` coefficients; the natural end
conditions come out of the minimization): ``(A^T W A + lam Omega) c = A^T W y`` with the exact
penalty ``Omega_ij = int B_i'' B_j''`` (:func:`galerkin_matrix` with derivatives (2, 2)).  Both
matrices have 3 sub-diagonals, so a solve is a banded Cholesky in ``O(m)`` and GCV, with the
trace from the selected inverse, is ``O(m)`` per trial ``lam`` (see ``_penalized``).
"""

from __future__ import annotations

import numpy as np

from .. import _backend
from ..basis import bspline_basis
from . import _common, _penalized
from .galerkin import quadrature

__all__ = ["make_smoothing_spline"]


def make_smoothing_spline(x, y, w=None, lam=None, *, axis=0):
    """Cubic smoothing spline, with ``lam`` chosen by generalized cross-validation if ``None``.

    Parameters
    ----------
    x : array_like, shape (m,)
        Sites, finite; any order (sorted here), duplicates allowed (the knots are the distinct
        sites).  At least 5 distinct sites.
    y : array_like, shape (..., m, ...)
        Values along ``axis``; trailing dimensions are fitted independently (each column gets
        its own GCV ``lam``, as SciPy does).
    w : array_like, shape (m,), optional
        Non-negative weights multiplying the squared residuals (SciPy's convention here).
    lam : float, array of one per column, or None
        ``lam >= 0``; ``None``: GCV.
    axis : int
        Data axis of ``y``.

    Returns
    -------
    BSpline
        Cubic, on the knots ``[x_0]*3 + unique(x) + [x_{m-1}]*3`` (SciPy's).  Attributes added:
        ``lam`` (float, or an array for several columns), ``gcv`` (the GCV score at ``lam``) and
        ``edf`` (the effective degrees of freedom ``tr H``).

    Raises
    ------
    ValueError
        Non-finite input, negative weights or ``lam``, fewer than 5 distinct sites.

    References
    ----------
    C. H. Reinsch, Smoothing by spline functions, Numer. Math. 10 (1967) 177-183.
    P. Craven and G. Wahba, Numer. Math. 31 (1979) 377-403.
    M. F. Hutchinson and F. R. de Hoog, Numer. Math. 47 (1985) 99-106.

    Examples
    --------
    >>> import numpy as np
    >>> from splinekit.fitting import make_smoothing_spline
    >>> rng = np.random.default_rng(0)
    >>> x = np.linspace(0.0, 1.0, 200)
    >>> s = make_smoothing_spline(x, np.sin(6 * x) + 0.1 * rng.standard_normal(200))
    >>> bool(np.abs(s(x) - np.sin(6 * x)).max() < 0.1), s.lam > 0
    (True, True)
    """
    xp = _backend.array_namespace(x, y, w)
    x = _common.sites(x, xp=xp, strict=False)
    m = x.shape[0]
    y2, trailing, dtype, axis = _common.values(y, m, axis, xp)
    _common.require_real(dtype, "make_smoothing_spline")
    w = _common.weights(w, m, xp)
    lam = _check_lam(lam, y2.shape[1])
    x, y2, w = _sorted(x, y2, w, xp)
    xu = xp.unique(x)
    if xu.shape[0] < 5:
        raise ValueError(f"need at least 5 distinct sites in x; got {xu.shape[0]}")
    if lam is not None and not (lam > 0).all():
        return _natural_interpolant(x, xu, y2, lam, trailing, dtype, axis, xp)
    t = xp.concatenate([xp.full(3, xu[0]), xu, xp.full(3, xu[-1])])
    span = 4.0 * np.log10(xu.shape[0]) + 2.0  # equivalent-kernel width from h to the range
    c2, info = _penalized.fit(t, 3, x, w, y2, curvature_rows(t, 3, xp), 3, lam, span, xp)
    s = _common.spline(t, c2, 3, trailing, dtype, axis, xp)
    return _attach(s, info, y2.shape[1] == 1 and not trailing)


def curvature_rows(t, k, xp):
    """``int S''^2 = sum_q v_q (p_q . c)^2`` exactly: ``p_q = B''(x_q)`` at the Gauss nodes.

    ``S''`` has degree ``k - 2`` on a span, so ``k - 1`` Gauss points integrate its square
    exactly (2 for cubics).  Returns the packed rows ``(values, first, weights)``.
    """
    nodes, v = quadrature(t, k, xp, q=max(k - 1, 1))
    B, first = bspline_basis(nodes, t, k, nu=2)
    return xp.ascontiguousarray(B[2]), first, v


def _check_lam(lam, ncol):
    if lam is None:
        return None
    arr = np.asarray(lam, dtype=np.float64)
    if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] != ncol):
        raise ValueError(
            f"lam must be a scalar or hold one value per column ({ncol}); got shape {arr.shape}"
        )
    if not np.isfinite(arr).all() or (arr < 0).any():
        raise ValueError(f"lam must be finite and >= 0; got {lam!r}")
    return arr


def _sorted(x, y2, w, xp):
    if x.shape[0] < 2 or bool((x[1:] >= x[:-1]).all()):
        return x, y2, w
    order = xp.argsort(x, kind="stable")
    return x[order], xp.ascontiguousarray(y2[order]), w[order]


def _attach(s, info, scalar):
    """Expose the smoothing parameter and its diagnostics on the returned spline."""
    pick = (lambda a: float(a[0])) if scalar else (lambda a: a)
    s.lam, s.gcv, s.edf = pick(info.lam), pick(info.gcv), pick(info.edf)
    return s


def _natural_interpolant(x, xu, y2, lam, trailing, dtype, axis, xp):
    """``lam = 0``: the limit is the natural cubic interpolant (same knots as for lam > 0)."""
    from .interp import make_interp_spline

    if not (lam == 0).all():
        raise ValueError("lam = 0 for some columns and > 0 for others: fit them separately")
    if xu.shape[0] != x.shape[0]:
        raise ValueError(
            "lam = 0 interpolates the data, which needs distinct sites; x has "
            "duplicates (use lam > 0)"
        )
    s = make_interp_spline(x, y2, k=3, bc_type="natural")
    s = _common.spline(s.t, s.c, 3, trailing, dtype, axis, xp)
    n = y2.shape[1]
    s.lam, s.gcv, s.edf = (
        (0.0, np.inf, float(x.shape[0]))
        if n == 1 and not trailing
        else (np.zeros(n), np.full(n, np.inf), np.full(n, float(x.shape[0])))
    )
    return s
