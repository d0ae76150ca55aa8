"""CPU launchers: one ``prange`` loop over chunks of points around the scalar routines.

Every launcher writes into ``out`` and allocates only its per-chunk scratch (a few vectors of
``k + 1`` values).  A parallel region costs a few microseconds to start (about 5 us measured for
one point), small beside the Python call itself, so there is no serial twin.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from .. import _compile
from ..scalar import bspline as _bspline_src

S = _compile.cpu_compile(_bspline_src)
map_point = S.map_point
find_span_table = S.find_span_table
uniform_span = S.uniform_span
basis_nonzero = S.basis_nonzero
basis_nonzero_uniform = S.basis_nonzero_uniform
store_dot = S.store_dot
store_row = S.store_row
find_span = S.find_span  # used by the fitting kernels

CHUNK = 2048  # points per parallel task: large enough to amortise the scratch, small for balance
_K = -1  # degree, derivative order and mode 0, frozen in the specialised twins
_NU = -1  # (see _compile.DegreeSpecialized)
_MODE = -1


def _evaluate_src(t, c, k, x, nu, mode, inv_h, table, out):
    if _K >= 0:
        k = _K
        nu = _NU
    if _MODE >= 0:
        mode = _MODE
    m = x.shape[0]
    n = t.shape[0] - k - 1
    nchunks = (m + CHUNK - 1) // CHUNK
    for ic in prange(nchunks):
        N = np.empty(k + 1, dtype=x.dtype)
        U = np.empty(k + 1, dtype=x.dtype)
        left = np.empty(k + 1, dtype=x.dtype)
        right = np.empty(k + 1, dtype=x.dtype)
        for i in range(ic * CHUNK, min(m, (ic + 1) * CHUNK)):
            # This is scalar.bspline.eval_point written out: Numba's IR inliner loses the frozen
            # degree two calls deep, which halves the speed (measured); the simulator test checks
            # that this body and the GPU kernel's eval_point agree bit for bit.
            xm = map_point(t, k, n, x[i], mode)
            l = find_span_table(t, k, n, xm, table)
            if uniform_span(k, n, l, inv_h):
                basis_nonzero_uniform(t, k, l, xm, nu, inv_h, U)
                store_dot(c, k, l, U, xm, out, i)
            else:
                basis_nonzero(t, k, l, xm, nu, N, left, right)
                store_dot(c, k, l, N, xm, out, i)


_EVALUATE = _compile.DegreeSpecialized(_evaluate_src, _compile.CPU_PARALLEL_OPTIONS)


def evaluate(t, c, k, x, nu, mode, inv_h, table, out):
    """``out[i, :] = sum_j c[j, :] B^{(nu)}_j(x[i])``; ``c`` is (n, ncols), ``out`` (m, ncols).

    ``mode``: 0 extrapolate, 1 NaN outside, 2 periodic; ``inv_h``: ``1/h`` for uniform spans or
    0; ``table``: the span bucket table (``basis.span_table``).
    """
    _EVALUATE[k, nu, mode](t, c, k, x, nu, mode, inv_h, table, out)


def _basis_src(t, k, x, nu0, mode, inv_h, out, first):
    if _K >= 0:
        k = _K
        nu0 = _NU
    if _MODE >= 0:
        mode = _MODE
    m = x.shape[0]
    n = t.shape[0] - k - 1
    nd = out.shape[0]
    nchunks = (m + CHUNK - 1) // CHUNK
    for ic in prange(nchunks):
        N = np.empty(k + 1, dtype=x.dtype)
        U = np.empty(k + 1, dtype=x.dtype)
        left = np.empty(k + 1, dtype=x.dtype)
        right = np.empty(k + 1, dtype=x.dtype)
        for i in range(ic * CHUNK, min(m, (ic + 1) * CHUNK)):
            # scalar.bspline.basis_point written out (see _evaluate_src for why)
            xm = map_point(t, k, n, x[i], mode)
            l = find_span(t, k, n, xm, inv_h)
            first[i] = l - k
            uniform = uniform_span(k, n, l, inv_h)
            for d in range(nd):
                if uniform:
                    basis_nonzero_uniform(t, k, l, xm, nu0 + d, inv_h, U)
                    store_row(U, k, xm, out, d, i)
                else:
                    basis_nonzero(t, k, l, xm, nu0 + d, N, left, right)
                    store_row(N, k, xm, out, d, i)


_BASIS = _compile.DegreeSpecialized(_basis_src, _compile.CPU_PARALLEL_OPTIONS)


def basis(t, k, x, nu0, mode, inv_h, out, first):
    """``out[d, i, r] = B^{(nu0+d)}_{first[i]+r}(x[i])``; ``out`` is (nd, m, k+1).

    The twins specialised on ``(k, nu0)`` serve the one-order case (design matrices).
    """
    launcher = _BASIS[k, nu0, mode] if out.shape[0] == 1 else _BASIS.generic
    launcher(t, k, x, nu0, mode, inv_h, out, first)
