r"""Collocation matrices of the Riesz operator: dense, and structured (Toeplitz + boundary blocks).

Discretization (fixed here, used everywhere in :mod:`splinekit.fractional`):

* degree ``p >= 2``, ``n`` uniform intervals of ``[a, b]``, ``h = (b - a)/n``, clamped knots;
* unknowns: the coefficients of ``N_2 .. N_{n+p-1}`` (the clamped basis without its first and
  last function, so ``u(a) = u(b) = 0``; ``u`` is extended by zero outside ``[a, b]``);
* collocation at the Greville abscissae ``xi_2 .. xi_{n+p-1}`` (without ``a`` and ``b``);
* ``A[i, j] = -(d^alpha N_j / d|x|^alpha)(xi_i)``: the matrix of the *positive* operator
  ``-d^alpha/d|x|^alpha = (-Laplacian)^(alpha/2)``, size ``N = n + p - 2``.

Structure: ``h^alpha A = T + R`` with ``T`` the symmetric Toeplitz matrix of
``a_k = -(d^alpha phi_p/d|x|^alpha)((p+1)/2 + k)`` (``phi_p`` the cardinal B-spline) and ``R``
nonzero only in the first and last ``p - 1`` rows and columns (rank ``<= 4(p-1)``); ``A`` is
centrosymmetric (``J A J = A``) but not symmetric.  Every entry is computed in reference
coordinates ``(x - a)/h`` (integer knots) from ``p + 1`` reference B-splines: the left boundary
functions, the cardinal one, and the right boundary functions by the mirror ``x -> n - x``.
"""

from __future__ import annotations

import numpy as np

from .. import _backend
from . import _args
from .derivative import _moments

__all__ = ["RieszCollocationOperator", "collocation_matrix", "collocation_points"]


def fast_len(m):
    """Smallest ``L >= m`` of the form ``2^i 3^j 5^k`` (FFT lengths with large prime factors,
    such as 2 * 1000001, are ~100x slower)."""
    best = 1 << max(0, (m - 1).bit_length())
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            q = p35
            while q < m:
                q *= 2
            best = min(best, q)
            p35 *= 3
        p5 *= 5
    return best


def fft_module(xp):
    """``scipy.fft`` for NumPy (pocketfft, faster than numpy.fft), ``cupy.fft`` for CuPy."""
    if xp is np:
        from scipy import fft

        return fft
    return xp.fft


def _reference_knots(p, xp):
    """``[0]*(p+1) + [1..p+1]``: B-splines 1..p-1 are the left boundary ones, p the cardinal."""
    return xp.asarray(np.r_[np.zeros(p + 1), np.arange(1.0, p + 2.0)])


def _greville_ref(p, n, xp):
    """Greville abscissae of the clamped knots on ``[0, n]``, without the two end points."""
    N = n + p - 2
    i = np.arange(n + 2 * p + 1)
    cs = np.concatenate([[0.0], np.cumsum(np.clip(i - p, 0, n).astype(np.float64))])
    j = np.arange(1, N + 1)  # B-spline indices 1 .. n+p-2 (0-based)
    return xp.asarray((cs[j + p + 1] - cs[j + 1]) / p)


def collocation_points(p, n, domain=(0.0, 1.0)):
    """Greville collocation points ``xi_2 .. xi_{n+p-1}`` of the method (``N = n + p - 2``).

    Examples
    --------
    >>> from splinekit.fractional import collocation_points
    >>> collocation_points(2, 4).tolist()
    [0.125, 0.375, 0.625, 0.875]
    """
    p = _args.check_p(p)
    n = _args.check_n(n, p)
    a, b = _args.check_domain(domain)
    return a + (b - a) / n * _greville_ref(p, n, np)


def _entry_pairs(I, J, xi, p, n, xp):
    """Reference B-spline and argument of the entry ``(I, J)``: ``(js, x)`` arrays."""
    N = n + p - 2
    x = xi[I]
    left = J <= p - 2
    right = J >= n - 1
    js = xp.where(left, J + 1, xp.where(right, N - J, p)).astype(xp.int64)
    xs = xp.where(left, x, xp.where(right, n - x, x - (J - p + 1)))
    return js, xp.ascontiguousarray(xs.astype(xp.float64))


class _Reference:
    """Reference knots, moments and kernel namespace for one ``(p, alpha)`` on one backend."""

    def __init__(self, p, alpha, xp):
        self.p, self.alpha, self.xp = p, alpha, xp
        self.t = _reference_knots(p, xp)
        self.kern = _backend.kernels_for(xp, "fractional")
        self.mom = _moments(self.t, p, xp, self.kern)

    def neg_riesz(self, js, xs):
        """``-d^alpha N_js/d|x|^alpha (xs)`` of the reference B-splines (h = 1)."""
        from .derivative import eval_pairs

        return -eval_pairs(self.t, self.p, js, xs, self.alpha, 0, self.mom)


class RieszCollocationOperator:
    r"""The collocation matrix ``A`` of ``-d^alpha/d|x|^alpha``, stored in ``O(N p)``.

    ``A = h^{-alpha} (T + R)``: ``T`` symmetric Toeplitz with generator ``a`` (length ``N``),
    ``R`` supported on the first/last ``w = p - 1`` rows and columns.  Stored: ``a``, the true
    top ``w`` rows of ``h^alpha A`` (``top``, ``(w, N)``), the first ``w`` columns of the middle
    rows (``left``, ``(N - 2w, w)``) and their difference from ``T`` (``left_delta``); the bottom
    rows and right columns follow by centrosymmetry (flips, no copies).

    ``A @ v`` costs one real FFT pair of length ``2N`` (``T`` embedded in a circulant) plus
    ``O(N p)``; it runs on CuPy arrays (``cupy.fft``) when the operator was built with CuPy.

    Attributes
    ----------
    alpha, p, n, domain, h, N, w : parameters; ``shape = (N, N)``
    a : ndarray (N,)
        Toeplitz generator ``a_k``, ``k = 0..N-1`` (``a_{-k} = a_k``).
    scale : float
        ``h^(-alpha)``.
    """

    def __init__(self, alpha, p, n, domain, a, top, left, xp):
        self.alpha, self.p, self.n, self.domain = alpha, p, n, domain
        self.h = (domain[1] - domain[0]) / n
        self.scale = self.h ** (-alpha)
        self.N, self.w = n + p - 2, p - 1
        self.shape = (self.N, self.N)
        self.dtype = np.dtype(np.float64)
        self.xp = xp
        self.a, self.top, self.left = a, top, left
        N, w = self.N, self.w
        mid = xp.arange(w, N - w)[:, None] - xp.arange(w)[None, :]
        self.left_delta = left - a[mid]
        # circulant embedding of T, length L >= 2N - 1 with small prime factors only
        self._L = fast_len(2 * N - 1)
        col = xp.concatenate([a, xp.zeros(self._L - 2 * N + 1), a[:0:-1]])
        self._fft = fft_module(xp)
        self._fhat = self._fft.rfft(col)

    @property
    def nbytes(self):
        """Bytes held (generator, boundary blocks, FFT of the circulant)."""
        arrays = (self.a, self.top, self.left, self.left_delta, self._fhat)
        return int(sum(x.nbytes for x in arrays))

    def toeplitz_matvec(self, v):
        """``T v`` (unscaled) by the circulant embedding; ``v`` of shape (N,) or (N, m)."""
        N, L, fft = self.N, self._L, self._fft
        f = self._fhat if v.ndim == 1 else self._fhat[:, None]
        return fft.irfft(f * fft.rfft(v, L, axis=0), L, axis=0)[:N]

    def matvec(self, v):
        """``A v`` for ``v`` of shape (N,) or (N, m)."""
        xp, N, w = self.xp, self.N, self.w
        v = xp.asarray(v, dtype=xp.float64)
        if v.shape[0] != N:
            raise ValueError(f"v must have {N} rows (the operator is {N} x {N}); got {v.shape}")
        y = self.toeplitz_matvec(v)
        y[:w] = self.top @ v
        y[N - w :] = (self.top @ v[::-1])[::-1]
        y[w : N - w] += self.left_delta @ v[:w] + (self.left_delta @ v[N - w :][::-1])[::-1]
        return self.scale * y

    __matmul__ = matvec

    def rmatvec(self, v):
        """``A^T v`` for ``v`` of shape (N,) or (N, m)."""
        xp, N, w = self.xp, self.N, self.w
        v = xp.asarray(v, dtype=xp.float64)
        vm = xp.zeros_like(v)
        vm[w : N - w] = v[w : N - w]
        y = self.toeplitz_matvec(vm)
        y += self.top.T @ v[:w] + (self.top.T @ v[N - w :][::-1])[::-1]
        y[:w] += self.left_delta.T @ v[w : N - w]
        y[N - w :] += (self.left_delta.T @ v[w : N - w][::-1])[::-1]
        return self.scale * y

    def to_dense(self):
        """The dense ``N x N`` matrix ``A`` (exactly the stored entries)."""
        xp, N, w = self.xp, self.N, self.w
        idx = xp.abs(xp.arange(N)[:, None] - xp.arange(N)[None, :])
        D = self.a[idx]
        D[:w] = self.top
        D[N - w :] = self.top[::-1, ::-1]
        D[w : N - w, :w] = self.left
        D[w : N - w, N - w :] = self.left[::-1, ::-1]
        return self.scale * D

    def toarray(self):
        """Alias of :meth:`to_dense`."""
        return self.to_dense()

    def aslinearoperator(self):
        """A ``scipy.sparse.linalg.LinearOperator`` (NumPy operators only)."""
        from scipy.sparse.linalg import LinearOperator

        if self.xp is not np:
            raise TypeError("aslinearoperator needs a NumPy operator; use matvec on CuPy arrays")
        return LinearOperator(
            self.shape,
            matvec=self.matvec,
            rmatvec=self.rmatvec,
            matmat=self.matvec,
            dtype=np.float64,
        )

    def __repr__(self):
        return (
            f"RieszCollocationOperator(alpha={self.alpha}, p={self.p}, n={self.n}, "
            f"domain={self.domain}, N={self.N})"
        )


def _assemble(alpha, p, n, domain, xp):
    """``O(N p)`` kernel calls: the generator, the top rows, the left columns."""
    N, w = n + p - 2, p - 1
    ref = _Reference(p, alpha, xp)
    k = xp.arange(N, dtype=xp.float64)
    a = ref.neg_riesz(xp.full(N, p, dtype=xp.int64), (p + 1) / 2.0 + k)
    xi = _greville_ref(p, n, xp)
    I, J = xp.meshgrid(xp.arange(w), xp.arange(N), indexing="ij")
    top = ref.neg_riesz(*_entry_pairs(I.ravel(), J.ravel(), xi, p, n, xp)).reshape(w, N)
    I, J = xp.meshgrid(xp.arange(w, N - w), xp.arange(w), indexing="ij")
    left = ref.neg_riesz(*_entry_pairs(I.ravel(), J.ravel(), xi, p, n, xp)).reshape(N - 2 * w, w)
    return RieszCollocationOperator(alpha, p, n, domain, a, top, left, xp)


def dense_naive(alpha, p, n, domain=(0.0, 1.0), xp=np):
    """Every one of the ``N^2`` entries by its own kernel call (a check and a baseline).

    No structure is used: the mirror and Toeplitz identities are not assumed, so tests can
    verify them on this matrix.  ``O(N^2)`` work.
    """
    alpha, p = _args.check_alpha(alpha), _args.check_p(p)
    n = _args.check_n(n, p)
    a, b = _args.check_domain(domain)
    N = n + p - 2
    ref = _Reference(p, alpha, xp)
    xi = _greville_ref(p, n, xp)
    I, J = xp.meshgrid(xp.arange(N), xp.arange(N), indexing="ij")
    return ((b - a) / n) ** (-alpha) * ref.neg_riesz(
        *_entry_pairs(I.ravel(), J.ravel(), xi, p, n, xp)
    ).reshape(N, N)


def collocation_matrix(alpha, p, n, domain=(0.0, 1.0), format="dense", *, like=None):
    r"""Collocation matrix of ``-d^alpha/d|x|^alpha`` with B-splines of degree ``p``.

    ``A[i, j] = -(d^alpha N_j/d|x|^alpha)(xi_i)`` for ``i, j = 2 .. n+p-1`` (the conventions
    are in the module docstring of :mod:`splinekit.fractional.matrix`): the discrete version of
    the positive operator ``(-Laplacian)^(alpha/2)`` with zero extension outside ``[a, b]``,
    so that ``A c = s(xi)`` discretizes ``-d^alpha u/d|x|^alpha = s``, ``u = 0`` off ``(a, b)``.

    Parameters
    ----------
    alpha : float
        Order, ``1 < alpha < 2``.
    p : int
        Degree, ``p >= 2``.
    n : int
        Number of uniform intervals, ``n >= max(p, 2)``.
    domain : (float, float)
        ``(a, b)`` with ``a < b``.
    format : {"dense", "operator"}
        ``"dense"``: the ``N x N`` array (``N = n + p - 2``; ``8 N^2`` bytes).  ``"operator"``:
        a :class:`RieszCollocationOperator` (``O(N p)`` storage, FFT matvec, ``.to_dense()``).
        Both are assembled from ``(2p - 1) N`` kernel calls, never ``N^2``.
    like : array, optional
        Build on the array library of ``like`` (pass a CuPy array for a GPU operator).

    Returns
    -------
    ndarray or RieszCollocationOperator

    Raises
    ------
    ValueError
        ``alpha`` not in (1, 2), ``p < 2``, ``n < max(p, 2)``, ``a >= b``, unknown ``format``.

    References
    ----------
    .. [1] arXiv:2106.14834, B-spline collocation methods for Riesz fractional equations.

    Examples
    --------
    >>> import numpy as np
    >>> from splinekit.fractional import collocation_matrix
    >>> A = collocation_matrix(1.5, 3, 16)
    >>> op = collocation_matrix(1.5, 3, 16, format="operator")
    >>> v = np.ones(A.shape[0])
    >>> bool(np.allclose(A @ v, op @ v, rtol=1e-13)), bool(np.allclose(A, A[::-1, ::-1]))
    (True, True)
    """
    alpha, p = _args.check_alpha(alpha), _args.check_p(p)
    n = _args.check_n(n, p)
    domain = _args.check_domain(domain)
    if format not in ("dense", "operator"):
        raise ValueError(f"format must be 'dense' or 'operator'; got {format!r}")
    xp = _backend.array_namespace(like)
    op = _assemble(alpha, p, n, domain, xp)
    return op if format == "operator" else op.to_dense()
