"""Galerkin matrices of the B-spline basis: mass, stiffness and mixed derivative matrices.

.. math::

    G^{(a,b)}_{ij} = \\int_{t_k}^{t_n} B^{(a)}_{i,k}(x)\\, B^{(b)}_{j,k}(x)\\, dx ,

computed exactly by Gauss-Legendre quadrature with ``k + 1`` nodes on every knot span (the
integrand is a polynomial of degree ``2k - a - b <= 2k + 1`` there).  ``G`` is banded,
``|i - j| <= k``; it is symmetric when ``a == b``, and ``G^{(b,a)} = (G^{(a,b)})^T``.
"""

from __future__ import annotations

import numpy as np

from .. import _backend, _checks
from ..basis import bspline_basis, prepare_knots

__all__ = ["galerkin_matrix"]


def galerkin_matrix(t, k, derivatives=(0, 0), *, format="csr"):
    """Galerkin matrix ``G_ij = int B_i^(a) B_j^(b) dx`` over the base interval ``[t[k], t[n]]``.

    Parameters
    ----------
    t : array_like, shape (n + k + 1,)
        Knots (NumPy or CuPy).
    k : int
        Degree.
    derivatives : (int, int)
        ``(a, b)``: ``(0, 0)`` mass matrix, ``(1, 1)`` stiffness matrix, ``(2, 2)`` the
        smoothing-spline penalty, ``(0, 1)`` etc. mixed (e.g. advection) matrices.
    format : {"csr", "banded"}
        ``"csr"``: ``scipy.sparse.csr_array`` (CuPy: ``cupyx.scipy.sparse.csr_matrix``), shape
        (n, n), the whole band stored (explicit zeros kept).  ``"banded"``: the array ``D`` of
        shape (n, 2k+1) with ``D[i, k + d] = G[i, i + d]`` (entries outside the matrix are 0).

    Returns
    -------
    sparse matrix or ndarray

    Raises
    ------
    ValueError
        Invalid knots, negative derivative orders, unknown format.

    References
    ----------
    J. I. Polanco, BSplineKit.jl, ``galerkin_matrix``.

    Examples
    --------
    >>> import numpy as np
    >>> from splinekit.fitting import galerkin_matrix
    >>> M = galerkin_matrix([0, 0, 1, 2, 2], 1)     # hat functions on [0, 2]
    >>> M.toarray() * 6
    array([[2., 1., 0.],
           [1., 4., 1.],
           [0., 1., 2.]])
    """
    if format not in ("csr", "banded"):
        raise ValueError(f"format must be 'csr' or 'banded'; got {format!r}")
    xp = _backend.array_namespace(t)
    k = _checks.check_degree(k)
    t = prepare_knots(t, k, xp)
    try:
        a, b = derivatives
    except (TypeError, ValueError):
        raise ValueError(f"derivatives must be a pair (a, b); got {derivatives!r}") from None
    a = _checks.check_nonneg_int(a, "derivatives[0]")
    b = _checks.check_nonneg_int(b, "derivatives[1]")
    D = galerkin_band(t, k, a, b, xp)
    return D if format == "banded" else band_to_csr(D, k, xp)


def quadrature(t, k, xp, q=None):
    """Gauss-Legendre nodes and weights, ``q = k + 1`` per non-empty span of the base interval."""
    q = k + 1 if q is None else q
    n = t.shape[0] - k - 1
    th = _backend.to_numpy(t)
    lo, hi = th[k:n], th[k + 1 : n + 1]
    keep = hi > lo
    lo, hi = lo[keep], hi[keep]
    xi, wi = np.polynomial.legendre.leggauss(q)
    mid, half = 0.5 * (lo + hi), 0.5 * (hi - lo)
    nodes = (mid[:, None] + half[:, None] * xi[None, :]).ravel()
    weights = (half[:, None] * wi[None, :]).ravel()
    return xp.asarray(nodes), xp.asarray(weights)


def galerkin_band(t, k, a, b, xp):
    """The band ``D`` (n, 2k+1), ``D[i, k + d] = int B_i^(a) B_{i+d}^(b)``, on ``xp``."""
    n = t.shape[0] - k - 1
    nodes, wq = quadrature(t, k, xp)
    B, first = bspline_basis(nodes, t, k, nu=max(a, b))
    out = xp.zeros((n, 2 * k + 1))
    Ba = xp.ascontiguousarray(B[a])
    Bb = xp.ascontiguousarray(B[b])
    _backend.kernels_for(xp, "fitting").gram(Ba, Bb, first, wq, out)
    if a == b:  # rows sum in different orders: mirror the upper band for exact symmetry
        for d in range(1, k + 1):
            out[d:, k - d] = out[:-d, k + d]
    return out


def symmetric_lower(D, k, xp):
    """Lower band form ``M[j + d, j]`` (n, k+1) of a symmetric full band ``D`` (n, 2k+1)."""
    return xp.ascontiguousarray(D[:, k:])


def band_to_csr(D, k, xp):
    """``scipy.sparse.csr_array`` (or CuPy's) of the full band ``D[i, k + d] = G[i, i + d]``."""
    n = D.shape[0]
    rows = xp.repeat(xp.arange(n), 2 * k + 1)
    cols = rows + xp.tile(xp.arange(-k, k + 1), n)
    keep = (cols >= 0) & (cols < n)
    vals = D.ravel()[keep]
    rows, cols = rows[keep], cols[keep]
    if _backend.is_cupy_namespace(xp):
        import cupyx.scipy.sparse as csp

        return csp.csr_matrix((vals, (rows, cols)), shape=(n, n))
    from scipy.sparse import coo_array

    return coo_array((vals, (rows, cols)), shape=(n, n)).tocsr()
