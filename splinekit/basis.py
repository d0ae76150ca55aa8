"""The B-spline basis: values and derivatives of the nonzero B-splines, design matrices.

The B-splines of degree ``k`` on knots ``t`` are defined by the Cox-de Boor recursion

.. math::

    B_{i,0}(x) = [t_i \\le x < t_{i+1}], \\qquad
    B_{i,k}(x) = \\frac{x - t_i}{t_{i+k} - t_i} B_{i,k-1}(x)
               + \\frac{t_{i+k+1} - x}{t_{i+k+1} - t_{i+1}} B_{i+1,k-1}(x),

with the last span closed on the right.  On a knot span ``[t_l, t_{l+1})`` exactly ``k + 1`` of
them, ``B_{l-k} .. B_l``, can be nonzero; this module returns those values as a dense block plus
the index ``l - k`` of the first, which is also the "packed" design-matrix format.
"""

from __future__ import annotations

import numpy as np

from . import _backend, _checks

__all__ = ["bspline_basis", "design_matrix"]

_MODES = {True: 0, False: 1, "periodic": 2, "raise": 0}


def normalize_extrapolate(extrapolate):
    """SciPy's ``extrapolate`` values (any truthy/falsy, ``"periodic"``) plus ``"raise"``."""
    if isinstance(extrapolate, str):
        if extrapolate not in ("periodic", "raise"):
            raise ValueError(
                f"extrapolate must be True, False, 'periodic' or 'raise'; got {extrapolate!r}"
            )
        return extrapolate
    return bool(extrapolate)


def extrapolate_mode(extrapolate):
    """Kernel mode (0 extrapolate, 1 NaN outside, 2 periodic) of an ``extrapolate`` value."""
    return _MODES[normalize_extrapolate(extrapolate)]


def uniform_inv_h(t, k, xp=np):
    """``1/h`` when the spans of the base interval are equal to rounding, else ``0.0``.

    Uniform spans let the kernels find a point's span in O(1).  The tolerance, 8 ulps of the
    interval's magnitude, is what ``linspace``-made knots satisfy; the kernels correct an
    off-by-one guess, so a near-uniform vector accepted here still gives exact spans.
    """
    n = t.shape[0] - k - 1
    seg = t[k : n + 1]
    h = (seg[-1] - seg[0]) / (n - k)
    dev = float(xp.max(xp.abs(seg - (seg[0] + h * xp.arange(n - k + 1)))))
    scale = max(abs(float(seg[0])), abs(float(seg[-1])), float(seg[-1] - seg[0]))
    if dev <= 8 * np.finfo(np.float64).eps * scale:
        return 1.0 / float(h)
    return 0.0


def span_table(t, k, xp=np):
    """Bucket table for O(1) span search: ``table[b]`` is the span of ``t[k] + b w`` where
    ``w = (t[n] - t[k]) / nb`` and ``nb = n - k`` buckets (one per span on average).

    A point in bucket ``b`` lies in a span between ``table[b]`` and ``table[b+1]``; the
    kernels finish with a binary search over that short range.  Built once per spline in
    O(n log n); for uniform knots it is ``k, k+1, ..., n-1, n-1``.
    """
    n = t.shape[0] - k - 1
    nb = n - k
    edges = t[k] + (t[n] - t[k]) * (xp.arange(nb + 1, dtype=np.float64) / nb)
    spans = xp.searchsorted(t, edges, side="right") - 1
    return xp.ascontiguousarray(xp.clip(spans, k, n - 1).astype(np.int64))


def prepare_knots(t, k, xp=np):
    """Validated float64 knots (1-D, finite, non-decreasing, ``len >= 2k+2``)."""
    t = _checks.as_float_array(t, "t", xp, dtype=np.float64)
    return _checks.check_knots(t, k, xp)


def check_in_base(x, t, k, xp, what="x"):
    """Raise for the first ``x`` outside the base interval (NaN is not outside)."""
    n = t.shape[0] - k - 1
    lo, hi = float(t[k]), float(t[n])
    bad = (x < lo) | (x > hi)
    if bool(bad.any()):
        i = _checks.first_index(bad, xp)
        v = x[tuple(int(j) for j in i.split(", "))]
        raise ValueError(
            f"{what}[{i}]={float(v)!r} is outside the base interval [t[k], t[n]] = "
            f"[{lo!r}, {hi!r}] and extrapolation is off"
        )


def _kernel_ready(x, t, k, nu, extrapolate, xp):
    if _backend.is_cupy_namespace(xp):
        from ._kernels.scalar.bspline import MAXK

        if k > MAXK:
            raise NotImplementedError(
                f"degree k={k} has no GPU kernel yet (the GPU supports k <= {MAXK})"
            )
    mode = extrapolate_mode(extrapolate)
    if extrapolate == "raise":
        check_in_base(x, t, k, xp)
    return mode


def bspline_basis(x, t, k, nu=0, extrapolate=True):
    """Values and derivatives of the ``k + 1`` nonzero B-splines at each point.

    Parameters
    ----------
    x : array_like, any shape
        Points.  float32 stays float32; NaN gives NaN rows.
    t : array_like, shape (n + k + 1,)
        Knots, non-decreasing, finite, ``len(t) >= 2k + 2``.
    k : int
        Degree, ``k >= 0`` (any degree on the CPU).
    nu : int
        Highest derivative order returned (``nu >= 0``); orders above ``k`` are zero.
    extrapolate : bool, "periodic" or "raise"
        ``True``: outside the base interval ``[t[k], t[n]]`` use the end spans' polynomials;
        ``False``: NaN rows; ``"periodic"``: wrap ``x`` into the base interval; ``"raise"``:
        ``ValueError`` for a point outside.

    Returns
    -------
    B : ndarray, shape ``(nu + 1,) + x.shape + (k + 1,)``
        ``B[d, ..., r] = B^{(d)}_{first + r, k}(x)``.
    first : ndarray of int64, shape ``x.shape``
        Index of the first nonzero B-spline at each point (``l - k`` for the span ``l``).

    Raises
    ------
    ValueError, TypeError
        Invalid knots, degree, ``nu``, complex or object ``x``, or (with ``"raise"``) a point
        outside the base interval.

    Examples
    --------
    >>> import numpy as np, splinekit
    >>> B, first = splinekit.bspline_basis([0.5], [0, 0, 0, 1, 1, 1], 2)
    >>> B[0], first
    (array([[0.25, 0.5 , 0.25]]), array([0]))
    """
    xp = _backend.array_namespace(x, t)
    k = _checks.check_degree(k)
    nu = _checks.check_nonneg_int(nu, "nu")
    t = prepare_knots(t, k, xp)
    x = _checks.as_float_array(x, "x", xp)
    mode = _kernel_ready(x, t, k, nu, extrapolate, xp)
    xf = x.ravel()
    out = xp.empty((nu + 1, xf.shape[0], k + 1), dtype=x.dtype)
    first = xp.empty(xf.shape[0], dtype=np.int64)
    _backend.kernels_for(xp).basis(t, k, xf, 0, mode, uniform_inv_h(t, k, xp), out, first)
    return out.reshape((nu + 1,) + x.shape + (k + 1,)), first.reshape(x.shape)


def design_matrix(x, t, k, extrapolate=False, nu=0, format="csr"):
    """Design (collocation) matrix ``A[i, j] = B^{(nu)}_{j,k}(x_i)``.

    Parameters
    ----------
    x : array_like, shape (m,)
    t : array_like, shape (n + k + 1,)
    k : int
    extrapolate : bool, "periodic" or "raise"
        ``False`` (SciPy's default) and ``"raise"``: a point outside the base interval raises;
        ``True``: end polynomials; ``"periodic"``: ``x`` wrapped into the base interval.
    nu : int
        Derivative order of the rows (beyond SciPy).
    format : {"csr", "packed"}
        ``"csr"``: a ``scipy.sparse.csr_array`` (CuPy: ``cupyx.scipy.sparse.csr_matrix``) of
        shape (m, n).  ``"packed"``: the tuple ``(values, first)`` with ``values`` (m, k+1) and
        ``first`` (m,), ``A[i, first[i] + r] = values[i, r]``.

    Raises
    ------
    ValueError
        Out-of-range points (unless extrapolating), NaN/inf in ``x``, bad knots, unknown format.

    Examples
    --------
    >>> import splinekit
    >>> A = splinekit.design_matrix([0.0, 0.5, 1.0], [0, 0, 1, 1], 1)
    >>> A.toarray()
    array([[1. , 0. ],
           [0.5, 0.5],
           [0. , 1. ]])
    """
    if format not in ("csr", "packed"):
        raise ValueError(f"format must be 'csr' or 'packed'; got {format!r}")
    xp = _backend.array_namespace(x, t)
    k = _checks.check_degree(k)
    nu = _checks.check_nonneg_int(nu, "nu")
    t = prepare_knots(t, k, xp)
    x = _checks.as_float_array(x, "x", xp, ndim=1)
    _checks.check_finite(x, "x", xp)
    if extrapolate is False:
        extrapolate = "raise"
    mode = _kernel_ready(x, t, k, nu, extrapolate, xp)
    m = x.shape[0]
    vals = xp.empty((1, m, k + 1), dtype=x.dtype)
    first = xp.empty(m, dtype=np.int64)
    _backend.kernels_for(xp).basis(t, k, x, nu, mode, uniform_inv_h(t, k, xp), vals, first)
    if format == "packed":
        return vals[0], first
    return _to_csr(vals[0], first, t.shape[0] - k - 1, xp)


def _to_csr(vals, first, n, xp):
    m, kp1 = vals.shape
    itype = (
        np.int32 if m * kp1 < np.iinfo(np.int32).max and n < np.iinfo(np.int32).max else np.int64
    )
    indices = (first.astype(itype)[:, None] + xp.arange(kp1, dtype=itype)[None, :]).ravel()
    indptr = xp.arange(0, (m + 1) * kp1, kp1, dtype=itype)
    if _backend.is_cupy_namespace(xp):
        import cupyx.scipy.sparse as csp

        return csp.csr_matrix((vals.ravel(), indices, indptr), shape=(m, n))
    from scipy.sparse import csr_array

    return csr_array((vals.ravel(), indices, indptr), shape=(m, n))
