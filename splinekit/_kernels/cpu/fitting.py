"""CPU launchers of the fitting family (Numba), over :mod:`splinekit._kernels.scalar.fitting`.

* sequential banded factorizations (LU with pivoting, Cholesky, selected inverse, QR
  back-substitution): ``O(n k^2)``, one call each;
* ``normal_equations``: the banded ``A^T W A`` and ``A^T W y`` summed over fixed chunks of
  points in parallel, each chunk into its own partial sum, then the partials added in chunk
  order, so the result does not depend on the number of threads (no atomics);
* ``qr_lsq``: Givens rotations of the rows into a band ``R`` (``O(m k^2)``, serial);
* ``gram``: Galerkin-type sums, one output row per parallel iteration.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .. import _compile
from ..scalar import fitting as _fitting_src
from . import bspline as _bspline

S = _compile.cpu_compile(_fitting_src)
# the core's compiled B-spline routines: fused into the assembly loops below (no packed copy)
find_span = _bspline.S.find_span
basis_nonzero = _bspline.S.basis_nonzero
band_lu = S.band_lu
band_lu_solve = S.band_lu_solve
band_cholesky = S.band_cholesky
band_cholesky_solve = S.band_cholesky_solve
band_selected_inverse = S.band_selected_inverse
normal_point = S.normal_point
gram_row = S.gram_row
rhs_row = S.rhs_row
givens_point = S.givens_point
upper_band_solve = S.upper_band_solve
colloc_row = S.colloc_row
fitted_point = S.fitted_point
trace_gram = S.trace_gram

CHUNK = 16384  # points per partial sum of the normal equations
MAX_PARTIALS = 16
PARTIAL_BYTES = 64 * 2**20  # memory allowed for the partial sums
COLLOC_CHUNK = 65536
COLLOC_SERIAL_BELOW = 2**62  # measured: the parallel walk was slower (memory-bound, page faults)


@njit(**_compile.CPU_OPTIONS)
def _lu(a, kl, ku, ipiv):
    return band_lu(a, a.shape[0], kl, ku, ipiv)


@njit(**_compile.CPU_OPTIONS)
def _lu_solve(a, kl, ku, ipiv, b):
    band_lu_solve(a, a.shape[0], kl, ku, ipiv, b)


def lu_factor(a, kl, ku, ipiv):
    """Factor the band ``a`` (n, 2kl+ku+1) in place; returns 0 or 1 + the first zero pivot."""
    return int(_lu(a, kl, ku, ipiv))


def lu_solve(a, kl, ku, ipiv, b):
    """Solve in place in ``b`` (n, ncols) with the factors of :func:`lu_factor`."""
    _lu_solve(a, kl, ku, ipiv, b)


@njit(**_compile.CPU_OPTIONS)
def _chol(a, p):
    return band_cholesky(a, a.shape[0], p)


@njit(**_compile.CPU_OPTIONS)
def _chol_solve(a, p, b):
    band_cholesky_solve(a, a.shape[0], p, b)


@njit(**_compile.CPU_OPTIONS)
def _selinv(a, p, z):
    band_selected_inverse(a, a.shape[0], p, z)


def cholesky(a, p):
    """Cholesky of the lower band ``a`` (n, p+1) in place; 0 or 1 + the failing column."""
    return int(_chol(a, p))


def cholesky_solve(a, p, b):
    """Solve ``L L^T X = B`` in place in ``b`` (n, ncols)."""
    _chol_solve(a, p, b)


def selected_inverse(a, p, z):
    """``z[j, d] = (M^{-1})[j+d, j]`` from the Cholesky factor in ``a``."""
    _selinv(a, p, z)


@njit(**_compile.CPU_OPTIONS)
def _colloc_range(t, k, x, inv_h, row0, kl, ku, a, start, stop):
    n = t.shape[0] - k - 1
    N = np.empty((1, k + 1))
    first = np.empty(1, dtype=np.int64)
    left = np.empty(k + 1)
    right = np.empty(k + 1)
    l = find_span(t, k, n, x[start], inv_h)
    for i in range(start, stop):
        # the sites increase: walk on from the previous span (O(1) per site, as FITPACK)
        while l < n - 1 and x[i] >= t[l + 1]:
            l += 1
        basis_nonzero(t, k, l, x[i], 0, N[0], left, right)
        first[0] = l - k
        if colloc_row(N, first, 0, row0 + i, kl, ku, a) != 0:
            return i + 1
    return 0


@njit(**_compile.CPU_PARALLEL_OPTIONS)
def _colloc_parallel(t, k, x, inv_h, row0, kl, ku, a):
    m = x.shape[0]
    nchunks = (m + COLLOC_CHUNK - 1) // COLLOC_CHUNK
    bad = np.zeros(nchunks, dtype=np.int64)
    for ic in prange(nchunks):
        bad[ic] = _colloc_range(
            t, k, x, inv_h, row0, kl, ku, a, ic * COLLOC_CHUNK, min(m, (ic + 1) * COLLOC_CHUNK)
        )
    for ic in range(nchunks):
        if bad[ic]:
            return bad[ic]
    return 0


def _colloc(t, k, x, inv_h, row0, kl, ku, a):
    if x.shape[0] < COLLOC_SERIAL_BELOW:  # a parallel region costs more than it saves here
        return _colloc_range(t, k, x, inv_h, row0, kl, ku, a, 0, x.shape[0])
    return _colloc_parallel(t, k, x, inv_h, row0, kl, ku, a)


def colloc_band(t, k, x, inv_h, row0, kl, ku, a):
    """Write the collocation rows ``B_j(x_i)`` into rows ``row0 + i`` of the LU band ``a``.

    ``x`` must be increasing and inside the base interval (the span search walks forward).

    Returns 0, or 1 + the first ``i`` whose row has an entry off the band.
    """
    return int(_colloc(t, k, x, inv_h, row0, kl, ku, a))


@njit(**_compile.CPU_OPTIONS)
def _colloc_packed(vals, first, row0, kl, ku, a):
    for i in range(vals.shape[0]):
        if colloc_row(vals, first, i, row0 + i, kl, ku, a) != 0:
            return i + 1
    return 0


def colloc_packed(vals, first, row0, kl, ku, a):
    """As :func:`colloc_band` for rows given in packed form (e.g. derivative rows)."""
    return int(_colloc_packed(vals, first, row0, kl, ku, a))


@njit(**_compile.CPU_OPTIONS)
def _normal_range(t, k, x, inv_h, w, y, ab, rhs, start, stop):
    n = t.shape[0] - k - 1
    N = np.empty(k + 1)
    left = np.empty(k + 1)
    right = np.empty(k + 1)
    kp1 = k + 1
    for i in range(start, stop):
        l = find_span(t, k, n, x[i], inv_h)
        basis_nonzero(t, k, l, x[i], 0, N, left, right)
        f = l - k
        wi = w[i]
        for r in range(kp1):
            br = wi * N[r]
            for s in range(r, kp1):
                ab[f + r, s - r] += br * N[s]
            for c in range(y.shape[1]):
                rhs[f + r, c] += br * y[i, c]


@njit(**_compile.CPU_PARALLEL_OPTIONS)
def _normal_parallel(t, k, x, inv_h, w, y, pab, prhs, bounds):
    for c in prange(pab.shape[0]):
        pab[c, :, :] = 0.0
        prhs[c, :, :] = 0.0
        _normal_range(t, k, x, inv_h, w, y, pab[c], prhs[c], bounds[c], bounds[c + 1])


@njit(**_compile.CPU_OPTIONS)
def _sum_partials(pab, prhs, ab, rhs):
    # fixed order c = 0, 1, ...: the result is independent of the thread count
    for c in range(pab.shape[0]):
        ab += pab[c]
        rhs += prhs[c]


def _n_partials(m, n, width):
    by_size = max(1, m // CHUNK)
    by_memory = max(1, PARTIAL_BYTES // max(1, 8 * n * width))
    return int(min(MAX_PARTIALS, by_size, by_memory))


def normal_equations(t, k, x, inv_h, w, y, ab, rhs):
    """``ab += A^T W A`` (lower band, (n, k+1)) and ``rhs += A^T W y`` ((n, ncols)).

    ``A[i, j] = B_{j,k}(x_i)`` on the knots ``t`` (``x`` inside the base interval; ``inv_h`` as
    in the B-spline kernels), ``W = diag(w)``.  The basis is evaluated on the fly.
    """
    m, n = x.shape[0], ab.shape[0]
    npart = _n_partials(m, n, ab.shape[1] + rhs.shape[1])
    if npart == 1:
        _normal_range(t, k, x, inv_h, w, y, ab, rhs, 0, m)
        return
    bounds = np.linspace(0, m, npart + 1).astype(np.int64)
    pab = np.empty((npart,) + ab.shape)
    prhs = np.empty((npart,) + rhs.shape)
    _normal_parallel(t, k, x, inv_h, w, y, pab, prhs, bounds)
    _sum_partials(pab, prhs, ab, rhs)


@njit(**_compile.CPU_OPTIONS)
def _qr(B, first, w, y, R, qty, res):
    h = np.empty(B.shape[1])
    hy = np.empty(y.shape[1])
    for i in range(B.shape[0]):
        givens_point(B, first, w, y, i, R, qty, res, h, hy)


@njit(**_compile.CPU_OPTIONS)
def _upper_solve(R, b):
    upper_band_solve(R, R.shape[0], b)


def qr_lsq(B, first, w, y, R, qty, res):
    """Rotate the weighted rows ``sqrt(w_i) (B_i, y_i)`` into the band ``R`` and ``qty``.

    The rows must come in non-decreasing ``first`` order (and after any rows already in ``R``).

    ``R`` (n, >= B.shape[1]) and ``qty`` (n, ncols) start zeroed or hold an earlier
    factorization (rows are added to it); ``res`` (ncols) accumulates the squared residual.
    """
    _qr(B, first, w, y, R, qty, res)


def upper_solve(R, b):
    """Back substitution with the band ``R`` of :func:`qr_lsq`, in place in ``b``."""
    _upper_solve(R, b)


@njit(**_compile.CPU_PARALLEL_OPTIONS)
def _gram(Ba, Bb, first, w, order, starts, stops, out):
    for j in prange(out.shape[0]):
        gram_row(Ba, Bb, first, w, order, starts[j], stops[j], j, out)


def _row_ranges(first, n, k, xp=np):
    """For sorted ``first``: the points touching coefficient ``j`` are ``[starts[j], stops[j])``."""
    j = xp.arange(n, dtype=np.int64)
    return xp.searchsorted(first, j - k, side="left"), xp.searchsorted(first, j, side="right")


def gram(Ba, Bb, first, w, out):
    """``out[j, k + d] = sum_p w_p Ba_j(p) Bb_{j+d}(p)``, ``|d| <= k``; ``first`` non-decreasing."""
    k = Ba.shape[1] - 1
    starts, stops = _row_ranges(first, out.shape[0], k)
    order = np.arange(first.shape[0], dtype=np.int64)
    _gram(Ba, Bb, first, w, order, starts, stops, out)


@njit(**_compile.CPU_PARALLEL_OPTIONS)
def _fitted(B, first, c, out):
    for i in prange(B.shape[0]):
        fitted_point(B, first, c, i, out)


def fitted(B, first, c, out):
    """``out[i, :] = sum_r B[i, r] c[first[i] + r, :]`` (the fit at the data points)."""
    _fitted(B, first, c, out)


@njit(**_compile.CPU_OPTIONS)
def _trace_gram(z, R):
    return trace_gram(z, R, R.shape[0])


def gram_trace(z, R):
    """``tr(Z R^T R)`` for the upper band ``R`` (n, w) and the symmetric band ``z``."""
    return float(_trace_gram(z, R))
