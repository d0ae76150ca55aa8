"""Penalized least squares on a banded basis, with the smoothing parameter chosen by GCV.

Minimize ``sum_i w_i (y_i - S(x_i))^2 + lam c^T P c``: the coefficients solve
``(G + lam P) c = A^T W y`` with ``G = A^T W A`` (``k`` sub-diagonals) and a symmetric band
penalty ``P`` (``p >= k`` sub-diagonals after padding), by banded Cholesky in ``O(n p^2)``.

GCV (Craven and Wahba 1979) picks ``lam`` minimizing

.. math::

    V(\\lambda) = \\frac{m \\sum_i w_i (y_i - S_\\lambda(x_i))^2}
                      {(m - \\operatorname{tr} H_\\lambda)^2},
    \\qquad \\operatorname{tr} H_\\lambda = \\operatorname{tr}\\big((G + \\lambda P)^{-1} G\\big),

and the trace needs only the band of ``(G + lam P)^{-1}``, which the selected inversion
(Hutchinson and de Hoog 1985) gives from the Cholesky factor in ``O(n p^2)``: every GCV
evaluation is linear in the data size.  The search runs over ``log10 lam`` relative to the
natural scale ``tr G / tr P``: a grid with one point every two decades (GCV can have several local
minima, a grid does not get caught in a wrong one as a bracketing search can), then a bounded
Brent refinement in the best grid cell, to 0.01 decade.
"""

from __future__ import annotations

import math

import numpy as np

from .. import _backend
from . import _banded

GRID_STEP = 2.0  # decades between grid points
REFINE_XTOL = 0.01  # decades
GRID_LO = -6.0  # decades below tr G / tr P: the fit interpolates there (kernel width << h)


class GCVResult:
    """What the fit found: ``lam`` per column, the GCV score and ``edf = tr H`` at it."""

    def __init__(self, lam, gcv, edf):
        self.lam, self.gcv, self.edf = lam, gcv, edf


class Problem:
    """One penalized fit: the data rows ``sqrt(w_i) b_i`` and the penalty rows ``sqrt(v_q) p_q``
    (``P = sum_q v_q p_q p_q^T``), both in packed form (values, first index).

    CPU: the data rows are reduced once by Givens QR to a band ``R_d`` (``O(m k^2)``); each
    trial ``lam`` then reduces the ``2n`` rows ``[R_d; sqrt(lam) R_p]`` (``O(n p^2)``).  The
    orthogonal reduction keeps the accuracy of the condition number's square root, so huge
    ``lam`` (the polynomial limit) stays accurate, which the normal equations ``G + lam P`` do
    not: there ``lam |P|`` swamps ``G`` once ``kappa`` nears ``1/eps``.
    GPU (CuPy): normal equations and banded Cholesky on the device; a trial whose condition
    estimate exceeds ``1e12`` counts as unusable (GCV skips it; a fixed ``lam`` raises).
    """

    def __init__(self, t, k, x, w, y2, B, first, prows, p, xp):
        self.xp, self.p, self.k = xp, p, k
        self.B, self.first, self.y2, self.w = B, first, y2, w
        self.m, self.n = y2.shape[0], t.shape[0] - k - 1
        self.prows = prows
        self.gpu = _backend.is_cupy_namespace(xp)
        Bp, fp, vp = prows
        self.trP = float((vp[:, None] * Bp * Bp).sum())
        if self.gpu:
            G, self.rhs = _banded.normal_equations(t, k, x, w, y2, xp)
            self.G = _banded.widen(G, p, xp)
            self.P = _banded.widen(_banded.gram_lower(Bp, fp, vp, self.n, xp), p, xp)
            self.trG = float(self.G[:, 0].sum())
        else:
            order = np.argsort(first, kind="stable")  # Givens needs rows sorted by first
            self.Rd, self.qd, self.rho = _qr_rows(
                B[order], first[order], w[order], y2[order], self.n, p
            )
            Rp = _qr_rows(Bp, fp, vp, np.zeros((Bp.shape[0], 1)), self.n, p)[0]
            self.trG = float((self.Rd * self.Rd).sum())
            # rows of R_d and R_p interleaved (row j of each, j = 0, 1, ...): sorted by first
            self.stack = np.ascontiguousarray(np.stack([self.Rd, Rp], axis=1).reshape(-1, p + 1))
            self.stack_first = np.repeat(np.arange(self.n, dtype=np.int64), 2)

    def columns(self, cols):
        """The same problem restricted to some columns of ``y``."""
        sub = object.__new__(Problem)
        sub.__dict__.update(self.__dict__)
        cols = np.asarray(cols, dtype=np.int64)
        dcols = self.xp.asarray(cols)  # device index for device arrays
        sub.y2 = self.y2[:, dcols]
        if self.gpu:
            sub.rhs = self.rhs[:, dcols]
        else:
            sub.qd, sub.rho = self.qd[:, cols], self.rho[cols]
        return sub

    def evaluate(self, lam, want_trace=True):
        """``(c, RSS per column, tr H)`` at ``lam``; ``None`` if the system is singular."""
        return self._eval_gpu(lam, want_trace) if self.gpu else self._eval_cpu(lam, want_trace)

    def _eval_cpu(self, lam, want_trace):
        from .._kernels.cpu import fitting as K

        n, p = self.n, self.p
        R = np.zeros((n, p + 1))
        q = np.zeros((n, self.qd.shape[1]))
        ys = np.zeros((2 * n, q.shape[1]))
        ys[0::2] = self.qd
        ws = np.empty(2 * n)
        ws[0::2], ws[1::2] = 1.0, lam
        K.qr_lsq(self.stack, self.stack_first, ws, ys, R, q, np.zeros(q.shape[1]))
        d = R[:, 0]
        if not (np.isfinite(d).all() and d.min() > 0.0):
            return None
        c = q.copy()
        K.upper_solve(R, c)
        r = self.qd - _banded.upper_matvec(self.Rd, c)
        rss = self.rho + (r * r).sum(axis=0)
        tr = math.nan
        if want_trace:
            tr = _banded.trace_gram(_banded.selected_inverse(R, p, np), self.Rd)
        return c, rss, tr

    def _eval_gpu(self, lam, want_trace):
        xp, p = self.xp, self.p
        M = self.G + lam * self.P
        L, info = _banded.cholesky(M, p, xp)
        if info:
            return None
        Z = _banded.selected_inverse(L, p, xp)
        if _banded.norm1(M, xp) * float(Z[:, 0].max()) > 1e12:
            return None
        c = _banded.cholesky_solve(L, p, self.rhs, xp)
        r = self.y2 - _banded.fitted(self.B, self.first, c, xp)
        rss = _to_host((self.w[:, None] * r * r).sum(axis=0), xp)
        return c, rss, _banded.trace_product(Z, self.G, xp)

    def scale(self):
        return self.trG / self.trP if self.trP > 0 else 1.0


def _qr_rows(B, first, w, y2, n, p):
    """Givens QR of the weighted packed rows: ``(R (n, p+1), Q^T y (n, ncols), residual^2)``."""
    from .._kernels.cpu import fitting as K

    R = np.zeros((n, p + 1))
    qty = np.zeros((n, y2.shape[1]))
    res = np.zeros(y2.shape[1])
    K.qr_lsq(np.ascontiguousarray(B, dtype=np.float64), first, w, y2, R, qty, res)
    return R, qty, res


def _to_host(a, xp):
    return np.asarray(a.get() if hasattr(a, "get") else a, dtype=np.float64)


def _gcv(rss, tr, m):
    dof = m - tr
    if not dof > 1e-6 * m:  # numerically interpolating: V is 0/0
        return np.full(rss.shape, np.inf)
    return m * rss / (dof * dof)


def fit(t, k, x, w, y2, prows, p, lam, span_decades, xp):
    """Solve the penalized problem; ``lam`` None (GCV per column), a scalar or one per column.

    ``prows = (values, first, weights)``: the penalty as packed rows, ``P = sum v_q p_q p_q^T``.
    Returns ``(c (n, ncols), GCVResult)``.
    """
    from ..basis import design_matrix

    B, first = design_matrix(x, t, k, format="packed")
    B = xp.ascontiguousarray(B, dtype=np.float64)
    prob = Problem(t, k, x, w, y2, B, first, prows, p, xp)
    ncol = y2.shape[1]
    if lam is None:
        lams, gcv, edf = _choose(prob, span_decades)
    else:
        lams = np.broadcast_to(np.asarray(lam, dtype=np.float64), (ncol,)).copy()
        gcv = np.full(ncol, np.nan)
        edf = np.full(ncol, np.nan)
    c = xp.empty((prob.n, ncol))
    for value in np.unique(lams):
        cols = np.nonzero(lams == value)[0]
        res = prob.columns(cols).evaluate(value)
        if res is None:
            raise ValueError(
                f"the penalized system is singular at lam={value!r}: with lam = 0 the data "
                f"must determine every coefficient (Schoenberg-Whitney); use lam > 0"
            )
        c[:, xp.asarray(cols)] = res[0]
        if lam is not None:
            edf[cols] = res[2]
            gcv[cols] = _gcv(res[1], res[2], prob.m)
    return c, GCVResult(lams, gcv, edf)


def _choose(prob, span_decades):
    ncol = prob.y2.shape[1]
    lam, gcv, edf = np.empty(ncol), np.empty(ncol), np.empty(ncol)
    r = prob.scale()
    grid = np.arange(GRID_LO, span_decades + GRID_STEP, GRID_STEP)
    V = np.full((grid.shape[0], ncol), np.inf)
    for g, e in enumerate(grid):
        res = prob.evaluate(r * 10.0**e)
        if res is not None:
            V[g] = _gcv(res[1], res[2], prob.m)
    for j in range(ncol):
        if not np.isfinite(V[:, j]).any():
            raise ValueError(
                "GCV found no usable smoothing parameter: every trial lam either interpolates "
                "the data or makes the system singular"
            )
        e, gcv[j], edf[j] = _refine_column(prob.columns([j]), grid, V[:, j], r)
        lam[j] = r * 10.0**e
    return lam, gcv, edf


def _refine_column(prob, grid, Vj, r):
    """Bounded Brent on ``log10 lam`` within the best grid cell, for one column."""
    from scipy.optimize import minimize_scalar

    i = int(np.argmin(Vj))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, grid.shape[0] - 1)]

    def f(e):
        res = prob.evaluate(r * 10.0**e)
        return np.inf if res is None else float(_gcv(res[1], res[2], prob.m)[0])

    opt = minimize_scalar(f, bounds=(lo, hi), method="bounded", options={"xatol": REFINE_XTOL})
    e = float(opt.x) if opt.fun <= Vj[i] else float(grid[i])
    res = prob.evaluate(r * 10.0**e)
    return e, float(_gcv(res[1], res[2], prob.m)[0]), res[2]
