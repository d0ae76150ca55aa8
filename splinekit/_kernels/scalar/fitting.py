"""Fitting scalar routines: banded factorizations, selected inverse, normal-equation sums.

Plain Python, compiled for the CPU (``numba.njit``) and the GPU (``numba.cuda.jit(device=True)``)
by :mod:`splinekit._kernels._compile`.  They allocate nothing and raise nothing: failures come
back as an integer ``info`` (0 = success, ``j + 1`` = trouble at column ``j``).

Storage conventions (row ``j`` of a C-ordered array holds column ``j`` of the matrix, so that a
column is contiguous and ``a.T`` is LAPACK's Fortran band layout):

* general band, ``kl`` sub- and ``ku`` super-diagonals, LU with partial pivoting as LAPACK's
  ``gbtf2``: ``a`` is ``(n, 2*kl + ku + 1)`` and ``A[i, j] = a[j, kl + ku + i - j]``; the first
  ``kl`` entries of each row are workspace for the fill-in of ``U``;
* symmetric band with ``p`` sub-diagonals (lower form): ``a`` is ``(n, p + 1)`` and
  ``M[j + d, j] = a[j, d]``, ``0 <= d <= p``;
* packed basis (the core's design-matrix format): ``B[i, r] = B_{first[i] + r}(x_i)``.
"""

import math


def band_lu(a, n, kl, ku, ipiv):
    """In-place LU factorization ``P A = L U`` of a general band matrix (LAPACK ``gbtf2``).

    ``ipiv[j]`` is the row swapped with row ``j``.  Returns 0, or ``j + 1`` for the first
    exactly zero pivot (the factorization still completes, as LAPACK does).
    """
    kv = ku + kl
    info = 0
    ju = 0
    for j in range(n):
        km = min(kl, n - 1 - j)
        jp = 0
        big = abs(a[j, kv])
        for r in range(1, km + 1):
            v = abs(a[j, kv + r])
            if v > big:
                big = v
                jp = r
        ipiv[j] = j + jp
        if a[j, kv + jp] == 0.0:
            if info == 0:
                info = j + 1
            continue
        ju = max(ju, min(j + ku + jp, n - 1))
        if jp != 0:
            for c in range(j, ju + 1):
                tmp = a[c, kv + j - c]
                a[c, kv + j - c] = a[c, kv + j + jp - c]
                a[c, kv + j + jp - c] = tmp
        piv = a[j, kv]
        for r in range(1, km + 1):
            a[j, kv + r] /= piv
        for c in range(j + 1, ju + 1):
            u = a[c, kv + j - c]
            if u != 0.0:
                for r in range(1, km + 1):
                    a[c, kv + j + r - c] -= a[j, kv + r] * u
    return info


def band_lu_solve(a, n, kl, ku, ipiv, b):
    """Solve ``A X = B`` in place in ``b`` (shape (n, ncols)) from :func:`band_lu`'s factors."""
    kv = ku + kl
    ncol = b.shape[1]
    for j in range(n):
        km = min(kl, n - 1 - j)
        p = ipiv[j]
        if p != j:
            for c in range(ncol):
                tmp = b[j, c]
                b[j, c] = b[p, c]
                b[p, c] = tmp
        for r in range(1, km + 1):
            m = a[j, kv + r]
            for c in range(ncol):
                b[j + r, c] -= m * b[j, c]
    for j in range(n - 1, -1, -1):
        d = a[j, kv]
        for c in range(ncol):
            b[j, c] /= d
        for i in range(max(0, j - kv), j):
            u = a[j, kv + i - j]
            for c in range(ncol):
                b[i, c] -= u * b[j, c]


def band_cholesky(a, n, p):
    """In-place Cholesky ``M = L L^T`` of a symmetric band matrix (lower form, ``p`` bands).

    Right-looking, ``O(n p^2)``.  Returns 0, or ``j + 1`` when the pivot of column ``j`` is not
    positive (``M`` is not positive definite to working precision).
    """
    for j in range(n):
        s = a[j, 0]
        if not (s > 0.0):
            return j + 1
        ljj = math.sqrt(s)
        a[j, 0] = ljj
        dm = min(p, n - 1 - j)
        for d in range(1, dm + 1):
            a[j, d] /= ljj
        for d1 in range(1, dm + 1):
            l1 = a[j, d1]
            for d2 in range(d1, dm + 1):
                a[j + d1, d2 - d1] -= l1 * a[j, d2]
    return 0


def band_cholesky_solve(a, n, p, b):
    """Solve ``L L^T X = B`` in place in ``b`` (shape (n, ncols)) from :func:`band_cholesky`."""
    ncol = b.shape[1]
    for j in range(n):
        ljj = a[j, 0]
        dm = min(p, n - 1 - j)
        for c in range(ncol):
            b[j, c] /= ljj
            for d in range(1, dm + 1):
                b[j + d, c] -= a[j, d] * b[j, c]
    for j in range(n - 1, -1, -1):
        ljj = a[j, 0]
        dm = min(p, n - 1 - j)
        for c in range(ncol):
            s = b[j, c]
            for d in range(1, dm + 1):
                s -= a[j, d] * b[j + d, c]
            b[j, c] = s / ljj


def band_entry(z, i, j):
    """Entry ``Z[i, j]`` of a symmetric band matrix stored in lower form (``|i - j| <= p``)."""
    if i >= j:
        return z[j, i - j]
    return z[i, j - i]


def band_selected_inverse(a, n, p, z):
    """Band of ``M^{-1}`` from the Cholesky factor ``L`` (Takahashi / Hutchinson-de Hoog).

    ``Z = M^{-1}`` satisfies ``L^T Z = L^{-1}``, whose right side is lower triangular with
    diagonal ``1/L_jj``.  Row ``j`` of that identity, for columns ``i = j + p .. j``, gives
    ``Z[i, j] = (delta_ij / L_jj - sum_{k=j+1}^{j+p} L[k, j] Z[k, i]) / L_jj``, which needs only
    entries of ``Z`` inside the band already computed.  ``z[j, d] = Z[j + d, j]``, ``O(n p^2)``.
    """
    for j in range(n - 1, -1, -1):
        ljj = a[j, 0]
        dm = min(p, n - 1 - j)
        for d in range(dm + 1, p + 1):
            z[j, d] = 0.0  # past the matrix's corner
        for d in range(dm, -1, -1):
            i = j + d
            s = 0.0
            for q in range(1, dm + 1):
                s += a[j, q] * band_entry(z, j + q, i)
            if d == 0:
                z[j, 0] = (1.0 / ljj - s) / ljj
            else:
                z[j, d] = -s / ljj


def normal_point(B, first, w, y, i, ab, rhs):
    """Add ``w_i b_i b_i^T`` to ``ab`` (lower band) and ``w_i b_i y_i`` to ``rhs`` for point ``i``.

    ``b_i`` is the packed basis row ``B[i]`` starting at coefficient ``first[i]``.
    """
    kp1 = B.shape[1]
    f = first[i]
    wi = w[i]
    for r in range(kp1):
        br = wi * B[i, r]
        for s in range(r, kp1):
            ab[f + r, s - r] += br * B[i, s]
        for c in range(y.shape[1]):
            rhs[f + r, c] += br * y[i, c]


def gram_row(Ba, Bb, first, w, order, start, stop, j, out):
    """Row ``j`` of ``G = sum_p w_p a_p b_p^T`` in full band form: ``out[j, k + d] = G[j, j + d]``.

    ``a_p``/``b_p`` are packed rows of ``Ba``/``Bb`` (same ``first``); only the points
    ``order[start:stop]`` (those whose rows touch coefficient ``j``) contribute.  Used for
    Galerkin matrices (quadrature nodes and weights) and for the device normal equations.
    """
    kp1 = Ba.shape[1]
    k = kp1 - 1
    for d in range(2 * k + 1):
        out[j, d] = 0.0
    for q in range(start, stop):
        p = order[q]
        r = j - first[p]
        if r < 0 or r > k:
            continue
        wa = w[p] * Ba[p, r]
        for s in range(kp1):
            out[j, first[p] + s - j + k] += wa * Bb[p, s]


def rhs_row(B, first, w, y, order, start, stop, j, rhs):
    """``rhs[j, c] = sum_p w_p B_j(x_p) y[p, c]`` over the points ``order[start:stop]``."""
    k = B.shape[1] - 1
    for c in range(y.shape[1]):
        rhs[j, c] = 0.0
    for q in range(start, stop):
        p = order[q]
        r = j - first[p]
        if r < 0 or r > k:
            continue
        wb = w[p] * B[p, r]
        for c in range(y.shape[1]):
            rhs[j, c] += wb * y[p, c]


def givens_point(B, first, w, y, i, R, qty, res, h, hy):
    """Rotate the weighted row ``(sqrt(w_i) b_i, sqrt(w_i) y_i)`` into the band ``R`` (QR).

    ``R[j, d] = R_{j, j+d}`` (upper band, at least as wide as ``B``), ``qty`` holds ``Q^T y`` and
    ``res[c]`` accumulates the squared residual rotated out of column ``c`` of ``y``.  Each
    rotation touches only the row's own columns (early exit past them), so a row costs
    ``O(k^2)``; FITPACK's loop runs to the last column instead.  The early exit is exact only
    when the rows come in non-decreasing ``first`` order (then no earlier row reached past
    this row's last column: no fill-in); callers sort.  Entries of ``B`` that are exactly zero
    are skipped (padding past the last coefficient is allowed).
    Scratch: ``h`` (``B.shape[1]``), ``hy`` (``ncols``).
    """
    kp1 = B.shape[1]
    f = first[i]
    sw = math.sqrt(w[i])
    ncol = y.shape[1]
    for r in range(kp1):
        h[r] = sw * B[i, r]
    for c in range(ncol):
        hy[c] = sw * y[i, c]
    for r in range(kp1):
        if h[r] == 0.0:
            continue
        j = f + r
        piv = R[j, 0]
        # sqrt instead of hypot (several times faster); squares overflow only past 1e154
        g = math.sqrt(piv * piv + h[r] * h[r])
        cs = piv / g
        sn = h[r] / g
        R[j, 0] = g
        for s in range(r + 1, kp1):
            u = R[j, s - r]
            R[j, s - r] = cs * u + sn * h[s]
            h[s] = cs * h[s] - sn * u
        for c in range(ncol):
            u = qty[j, c]
            qty[j, c] = cs * u + sn * hy[c]
            hy[c] = cs * hy[c] - sn * u
    for c in range(ncol):
        res[c] += hy[c] * hy[c]


def upper_band_solve(R, n, b):
    """Back substitution ``R X = B`` in place (``R[j, d] = R_{j, j+d}``, ``b`` (n, ncols))."""
    kp1 = R.shape[1]
    for j in range(n - 1, -1, -1):
        dm = min(kp1 - 1, n - 1 - j)
        for c in range(b.shape[1]):
            s = b[j, c]
            for d in range(1, dm + 1):
                s -= R[j, d] * b[j + d, c]
            b[j, c] = s / R[j, 0]


def colloc_row(vals, first, i, row, kl, ku, a):
    """Put the packed row ``vals[i]`` (columns ``first[i] ..``) into row ``row`` of the LU band.

    Returns 0, or 1 when an entry falls outside the band (sites and knots do not interlace).
    """
    kv = kl + ku
    for r in range(vals.shape[1]):
        col = first[i] + r
        off = row - col
        if off > kl or off < -ku:
            if vals[i, r] != 0.0:
                return 1
            continue
        a[col, kv + off] = vals[i, r]
    return 0


def fitted_point(B, first, c, i, out):
    """``out[i, j] = sum_r B[i, r] c[first[i] + r, j]``: the fit at data point ``i``."""
    f = first[i]
    for j in range(c.shape[1]):
        s = 0.0
        for r in range(B.shape[1]):
            s += B[i, r] * c[f + r, j]
        out[i, j] = s


def trace_gram(z, R, n):
    """``tr(Z R^T R) = sum_i r_i^T Z r_i`` for the rows ``r_i`` of an upper band ``R`` and the
    symmetric band ``Z`` in lower form (``Z[i+a, i+b] = z[i+min(a,b), |a-b|]``)."""
    w = R.shape[1]
    s = 0.0
    for i in range(n):
        for a in range(w):
            ra = R[i, a]
            if ra == 0.0 or i + a >= n:
                continue
            s += ra * ra * z[i + a, 0]
            for b in range(a + 1, w):
                if i + b < n:
                    s += 2.0 * ra * R[i, b] * z[i + a, b - a]
    return s
