"""CPU launchers: one ``prange`` loop over chunks of points around the scalar routines.

Every launcher writes into ``out`` and allocates only its per-chunk scratch (three vectors of
``k + 1`` values).  Small inputs take the serial twin: a parallel region costs tens of
microseconds to start, which dominates below a few thousand points.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .. import _compile
from ..scalar import bspline as _bspline_src

S = _compile.cpu_compile(_bspline_src)
eval_point = S.eval_point
basis_point = S.basis_point

CHUNK = 2048  # points per parallel task: large enough to amortise the scratch, small for balance
SERIAL_BELOW = 4096


@njit(**_compile.CPU_OPTIONS)
def _evaluate_range(t, c, k, x, nu, mode, inv_h, out, start, stop):
    N = np.empty(k + 1, dtype=x.dtype)
    left = np.empty(k + 1, dtype=x.dtype)
    right = np.empty(k + 1, dtype=x.dtype)
    for i in range(start, stop):
        eval_point(t, c, k, x[i], nu, mode, inv_h, out, i, N, left, right)


@njit(**_compile.CPU_PARALLEL_OPTIONS)
def _evaluate_parallel(t, c, k, x, nu, mode, inv_h, out):
    m = x.shape[0]
    nchunks = (m + CHUNK - 1) // CHUNK
    for ic in prange(nchunks):
        _evaluate_range(t, c, k, x, nu, mode, inv_h, out, ic * CHUNK, min(m, (ic + 1) * CHUNK))


def evaluate(t, c, k, x, nu, mode, inv_h, out):
    """``out[i, :] = sum_j c[j, :] B^{(nu)}_j(x[i])``; ``c`` is (n, ncols), ``out`` (m, ncols)."""
    if x.shape[0] < SERIAL_BELOW:
        _evaluate_range(t, c, k, x, nu, mode, inv_h, out, 0, x.shape[0])
    else:
        _evaluate_parallel(t, c, k, x, nu, mode, inv_h, out)


@njit(**_compile.CPU_OPTIONS)
def _basis_range(t, k, x, nu0, mode, inv_h, out, first, start, stop):
    N = np.empty(k + 1, dtype=x.dtype)
    left = np.empty(k + 1, dtype=x.dtype)
    right = np.empty(k + 1, dtype=x.dtype)
    for i in range(start, stop):
        basis_point(t, k, x[i], nu0, mode, inv_h, out, first, i, N, left, right)


@njit(**_compile.CPU_PARALLEL_OPTIONS)
def _basis_parallel(t, k, x, nu0, mode, inv_h, out, first):
    m = x.shape[0]
    nchunks = (m + CHUNK - 1) // CHUNK
    for ic in prange(nchunks):
        _basis_range(t, k, x, nu0, mode, inv_h, out, first, ic * CHUNK, min(m, (ic + 1) * CHUNK))


def basis(t, k, x, nu0, mode, inv_h, out, first):
    """``out[d, i, r] = B^{(nu0+d)}_{first[i]+r}(x[i])``; ``out`` is (nd, m, k+1)."""
    if x.shape[0] < SERIAL_BELOW:
        _basis_range(t, k, x, nu0, mode, inv_h, out, first, 0, x.shape[0])
    else:
        _basis_parallel(t, k, x, nu0, mode, inv_h, out, first)
