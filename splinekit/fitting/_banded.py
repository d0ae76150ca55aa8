"""Backend-neutral banded linear algebra for the fitting functions.

Each function takes the array namespace ``xp``, allocates with it and calls the ``fitting``
kernels of that backend (Numba on the CPU, numba-cuda on the GPU), so NumPy input stays on the
host and CuPy input on the device.  Storage: symmetric band in lower form, ``M[j + d, j] =
a[j, d]`` (see :mod:`splinekit._kernels.scalar.fitting`).
"""

from __future__ import annotations

from .. import _backend
from ..basis import uniform_inv_h


def _k(xp):
    return _backend.kernels_for(xp, "fitting")


def normal_equations(t, k, x, w, y2, xp):
    """``A^T W A`` as a lower band (n, k+1) and ``A^T W y`` (n, ncols), ``A_ij = B_j(x_i)``.

    ``x`` must lie in the base interval (checked by the caller).
    """
    n = t.shape[0] - k - 1
    M = xp.zeros((n, k + 1))
    rhs = xp.zeros((n, y2.shape[1]))
    _k(xp).normal_equations(t, k, x, uniform_inv_h(t, k, xp), w, y2, M, rhs)
    return M, rhs


def cholesky(M, p, xp):
    """Cholesky factor of the band ``M`` (a copy) and LAPACK-style ``info``."""
    L = xp.array(M, copy=True)
    return L, int(_k(xp).cholesky(L, p))


def cholesky_solve(L, p, rhs, xp):
    b = xp.array(rhs, copy=True)
    _k(xp).cholesky_solve(L, p, b)
    return b


def selected_inverse(L, p, xp):
    """Band of ``M^{-1}`` (lower form) from its Cholesky factor."""
    Z = xp.empty_like(L)
    _k(xp).selected_inverse(L, p, Z)
    return Z


def norm1(M, xp):
    """1-norm (largest absolute column sum) of the symmetric band ``M``."""
    A = xp.abs(M)
    col = A.sum(axis=1)
    for d in range(1, M.shape[1]):
        col[d:] += A[:-d, d]  # entries above the diagonal, M[j-d, j] = a[j-d, d]
    return float(col.max())


def cond_estimate(M, L, p, xp):
    """``kappa_1(M) ~ |M|_1 max_j (M^{-1})_jj``.

    ``max_j (M^{-1})_jj <= |M^{-1}|_2 <= n max_j (M^{-1})_jj``, so this underestimates the
    2-norm condition number by at most the factor ``n``; it is exact for diagonal ``M`` and in
    practice within a small factor.  It costs one selected inversion, ``O(n p^2)``.
    """
    Z = selected_inverse(L, p, xp)
    return norm1(M, xp) * float(Z[:, 0].max())


def trace_product(Z, G, xp):
    """``tr(Z G)`` for symmetric bands ``Z`` (width ``p + 1``) and ``G`` (width ``<= p + 1``)."""
    s = (Z[:, 0] * G[:, 0]).sum(axis=0)
    for d in range(1, G.shape[1]):
        s = s + 2.0 * (Z[:, d] * G[:, d]).sum(axis=0)
    return float(s)


def fitted(B, first, c, xp):
    """``A c`` at the data points, shape (m, ncols)."""
    out = xp.empty((B.shape[0], c.shape[1]))
    _k(xp).fitted(B, first, xp.ascontiguousarray(c), out)
    return out


def widen(M, p, xp):
    """The band ``M`` padded with zero diagonals to width ``p + 1``."""
    if M.shape[1] == p + 1:
        return M
    out = xp.zeros((M.shape[0], p + 1))
    out[:, : M.shape[1]] = M
    return out


def symmetric_matvec(M, c, xp):
    """``M c`` for a symmetric lower band ``M`` (n, p+1) and ``c`` (n, ncols)."""
    out = M[:, :1] * c
    for d in range(1, M.shape[1]):
        out[d:] += M[:-d, d : d + 1] * c[:-d]  # below the diagonal: M[j+d, j] c[j]
        out[:-d] += M[:-d, d : d + 1] * c[d:]  # above: M[j, j+d] c[j+d]
    return out


def upper_matvec(R, c):
    """``R c`` for an upper band ``R[j, d] = R_{j, j+d}`` (NumPy)."""
    out = R[:, :1] * c
    for d in range(1, R.shape[1]):
        out[:-d] += R[:-d, d : d + 1] * c[d:]
    return out


def trace_gram(Z, Rd):
    """``tr(Z R_d^T R_d) = sum_i r_i^T Z r_i`` over the rows ``r_i`` of the upper band ``R_d``."""
    from .._kernels.cpu import fitting as K

    return K.gram_trace(Z, Rd)


def gram_lower(Bp, first, v, n, xp):
    """``sum_q v_q p_q p_q^T`` as a lower band (n, width of ``Bp``); ``first`` non-decreasing."""
    k = Bp.shape[1] - 1
    full = xp.zeros((n, 2 * k + 1))
    _k(xp).gram(xp.ascontiguousarray(Bp), xp.ascontiguousarray(Bp), first, v, full)
    return xp.ascontiguousarray(full[:, k:])
