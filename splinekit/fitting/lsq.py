"""Weighted least-squares spline fitting: ``make_lsq_spline``.

The coefficients minimize ``sum_i (w_i (S(x_i) - y_i))^2`` (SciPy's convention: ``w``
multiplies the residual).  With the packed design matrix ``A`` (``k + 1`` nonzeros a row) the
normal equations ``A^T W^2 A c = A^T W^2 y`` are banded with ``k`` sub-diagonals: they are
summed in ``O(m k^2)`` (in parallel, deterministically) and solved by banded Cholesky in
``O(n k^2)``.  The condition number is estimated from the band of the inverse; when it is too
large for the normal equations (``kappa(M) > 1e8``, so that ``kappa(M) eps`` would exceed
``1e-8``), Givens QR on the rows (``O(m k^2)``, with no fill past a row's ``k + 1`` columns)
takes over.
"""

from __future__ import annotations

import numpy as np

from .. import _backend, _checks
from ..basis import check_in_base, design_matrix, prepare_knots
from . import _banded, _common

__all__ = ["make_lsq_spline"]

COND_MAX = 1e8  # above this the normal equations lose more than half the digits: use QR


def make_lsq_spline(x, y, t, k=3, w=None, axis=0, *, method="auto"):
    """Least-squares B-spline on given knots: minimize ``sum_i (w_i (S(x_i) - y_i))^2``.

    Parameters
    ----------
    x : array_like, shape (m,)
        Data sites, finite, inside the base interval ``[t[k], t[n]]``; any order, duplicates
        allowed (SciPy's ``norm-eq`` demands increasing ``x``).
    y : array_like, shape (..., m, ...)
        Data values along ``axis`` (trailing dimensions: several fits on the same knots).
    t : array_like, shape (n + k + 1,)
        Knots.
    k : int
        Degree.
    w : array_like, shape (m,), optional
        Non-negative weights multiplying the residuals (zero drops a point).
    axis : int
        Data axis of ``y``.
    method : {"auto", "norm-eq", "qr"}
        ``"auto"``: normal equations, switching to QR when their condition estimate exceeds
        ``1e8``.  CuPy input supports ``"auto"``/``"norm-eq"`` (assembly and solve on the device).

    Returns
    -------
    BSpline
        Its attribute ``cond`` is the condition estimate of the normal matrix.

    Raises
    ------
    ValueError
        Non-finite or out-of-interval data, negative weights, fewer points than coefficients, or
        a Schoenberg-Whitney violation (the message names the knot span that lacks data).

    Examples
    --------
    >>> import numpy as np
    >>> from splinekit.fitting import make_lsq_spline
    >>> x = np.linspace(0.0, 1.0, 50)
    >>> t = np.r_[[0.0] * 4, 0.5, [1.0] * 4]
    >>> s = make_lsq_spline(x, x**3 - x, t)
    >>> bool(np.allclose(s(x), x**3 - x))
    True
    """
    xp = _backend.array_namespace(x, y, t, w)
    if method not in ("auto", "norm-eq", "qr"):
        raise ValueError(f"method must be 'auto', 'norm-eq' or 'qr'; got {method!r}")
    gpu = _backend.is_cupy_namespace(xp)
    if gpu and method == "qr":
        raise NotImplementedError("make_lsq_spline(method='qr') has no GPU kernel yet")
    k = _checks.check_degree(k)
    t = prepare_knots(t, k, xp)
    x = _common.sites(x, xp=xp, strict=False)
    y2, trailing, dtype, axis = _common.values(y, x.shape[0], axis, xp)
    w2 = _common.weights(w, x.shape[0], xp) ** 2
    n = t.shape[0] - k - 1
    if x.shape[0] < n:
        raise ValueError(
            f"need at least n = len(t)-k-1 = {n} data points (one per B-spline) for least "
            f"squares; got {x.shape[0]}"
        )
    check_in_base(x, t, k, xp)
    c2, cond = _solve(w2, y2, t, k, n, x, method, xp)
    s = _common.spline(t, c2, k, trailing, dtype, axis, xp)
    s.cond = cond
    return s


def _solve(w2, y2, t, k, n, x, method, xp):
    cond = None
    if method != "qr":
        M, rhs = _banded.normal_equations(t, k, x, w2, y2, xp)
        L, info = _banded.cholesky(M, k, xp)
        if info == 0:
            cond = _banded.cond_estimate(M, L, k, xp)
            if method == "norm-eq" or cond <= COND_MAX or _backend.is_cupy_namespace(xp):
                return _banded.cholesky_solve(L, k, rhs, xp), cond
        elif method == "norm-eq" or _backend.is_cupy_namespace(xp):
            _raise_unsolvable(x, w2, t, k, "the normal equations are not positive definite")
    c, bound = _qr(w2, y2, t, k, n, x)
    return c, bound if cond is None else cond


def _qr(w2, y2, t, k, n, x):
    from .._kernels.cpu import fitting as K

    if x.shape[0] > 1 and not bool((x[1:] >= x[:-1]).all()):  # Givens needs sorted rows
        order = np.argsort(x, kind="stable")
        x, y2, w2 = x[order], np.ascontiguousarray(y2[order]), w2[order]
    B, first = design_matrix(x, t, k, extrapolate=False, format="packed")
    R = np.zeros((n, k + 1))
    qty = np.zeros((n, y2.shape[1]))
    K.qr_lsq(B, first, w2, y2, R, qty, np.zeros(y2.shape[1]))
    d = np.abs(R[:, 0])
    if not d.min() > 64 * n * np.finfo(np.float64).eps * d.max():
        _raise_unsolvable(x, w2, t, k, "the least-squares matrix is rank deficient")
    K.upper_solve(R, qty)
    cond = float((d.max() / d.min()) ** 2)  # a lower bound for kappa(A^T A), for information
    return qty, cond


def _raise_unsolvable(x, w2, t, k, why):
    """Name the Schoenberg-Whitney failure (the knot span short of data), or say it holds."""
    x, w2, t = (_backend.to_numpy(a) for a in (x, w2, t))
    msg = schoenberg_whitney(x[w2 > 0], t, k)
    if msg:
        raise ValueError(f"{why}: {msg}")
    raise ValueError(
        f"{why} although the data satisfy the Schoenberg-Whitney condition: the system is "
        f"too ill-conditioned for floating point (try method='qr', or fewer knots)"
    )


def schoenberg_whitney(x, t, k):
    """``None`` if distinct sites of ``x`` can be matched to every B-spline, else the reason.

    The condition (de Boor, ch. XIII): there are sites ``x_{i_0} < ... < x_{i_{n-1}}`` with
    ``B_j(x_{i_j}) != 0``.  The greedy match (each B-spline takes the leftmost unused site in its
    support) finds such sites whenever they exist.
    """
    xs = np.unique(x)
    n = t.shape[0] - k - 1
    p = 0
    for j in range(n):
        while p < xs.shape[0] and not _inside(xs[p], t, k, j, n) and xs[p] <= t[j]:
            p += 1
        if p == xs.shape[0] or not _inside(xs[p], t, k, j, n):
            return _describe_gap(xs, t, k, j, n)
        p += 1
    return None


def _inside(v, t, k, j, n):
    """``B_j(v) != 0``: inside the open support, or at a clamped end."""
    lo, hi = t[j], t[j + k + 1]
    if lo < v < hi:
        return True
    if v == lo and t[j + k] == lo and lo < hi:
        return True
    return v == hi and v == t[n] and t[j + 1] == hi


def _describe_gap(xs, t, k, j, n):
    lo, hi = float(t[j]), float(t[j + k + 1])
    spans = [l for l in range(max(j, k), min(j + k, n - 1) + 1) if t[l] < t[l + 1]]
    counts = [int(np.count_nonzero((xs >= t[l]) & (xs < t[l + 1]))) for l in spans]
    l = spans[int(np.argmin(counts))] if spans else j
    return (
        f"the Schoenberg-Whitney condition fails at B-spline j={j} (support [t[{j}], "
        f"t[{j + k + 1}]] = [{lo!r}, {hi!r}]): no data site with positive weight is left for it; "
        f"knot span [t[{l}], t[{l + 1}]] = [{float(t[l])!r}, {float(t[l + 1])!r}] holds "
        f"{min(counts) if counts else 0} distinct sites. Remove knots there or add data"
    )
