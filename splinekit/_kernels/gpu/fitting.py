"""GPU launchers of the fitting family (numba-cuda), same names and signatures as ``cpu.fitting``.

* Assembly is parallel and deterministic without atomics: the points are ordered by their
  first B-spline (a stable device sort), and one thread sums output row ``j`` over the points
  whose rows touch coefficient ``j`` (``gram_row`` / ``rhs_row``).
* The banded factorizations are sequential recurrences of ``O(n p^2)`` work: they run as one
  device thread each, on data already on the device (a few ms for ``n = 1e5``, no host copy).
  The heavy ``O(m)`` parts (basis, sums, fitted values) use one thread per item.

Arrays are CuPy arrays on the device, or NumPy arrays under ``NUMBA_ENABLE_CUDASIM=1``.
"""

from __future__ import annotations

import numpy as np
from numba import cuda

from ... import _backend
from .. import _compile
from ..scalar import fitting as _fitting_src
from ._launch import THREADS
from ._launch import blocks as _blocks
from ._launch import stream as _stream

S = _compile.gpu_compile(_fitting_src)
gram_row = S.gram_row
rhs_row = S.rhs_row
band_cholesky = S.band_cholesky
band_cholesky_solve = S.band_cholesky_solve
band_selected_inverse = S.band_selected_inverse
fitted_point = S.fitted_point


def _xp(a):
    return _backend.array_namespace(a)


@cuda.jit
def _gram_kernel(Ba, Bb, first, w, order, starts, stops, out):
    j = cuda.grid(1)
    if j < out.shape[0]:
        gram_row(Ba, Bb, first, w, order, starts[j], stops[j], j, out)


@cuda.jit
def _rhs_kernel(B, first, w, y, order, starts, stops, rhs):
    j = cuda.grid(1)
    if j < rhs.shape[0]:
        rhs_row(B, first, w, y, order, starts[j], stops[j], j, rhs)


def _ranges(first_sorted, n, k, xp):
    j = xp.arange(n, dtype=np.int64)
    return (
        xp.searchsorted(first_sorted, j - k, side="left"),
        xp.searchsorted(first_sorted, j, side="right"),
    )


def gram(Ba, Bb, first, w, out):
    """Same contract as ``cpu.fitting.gram`` (``first`` non-decreasing)."""
    xp = _xp(out)
    k = Ba.shape[1] - 1
    starts, stops = _ranges(first, out.shape[0], k, xp)
    order = xp.arange(first.shape[0], dtype=np.int64)
    _gram_kernel[_blocks(out.shape[0]), THREADS, _stream()](
        Ba, Bb, first, w, order, starts, stops, out
    )


def normal_equations(t, k, x, inv_h, w, y, ab, rhs):
    """Same contract as ``cpu.fitting.normal_equations``: ``ab += A^T W A``, ``rhs += A^T W y``."""
    from . import bspline as _bspline

    xp = _xp(ab)
    m, n = x.shape[0], ab.shape[0]
    vals = xp.empty((1, m, k + 1))
    first = xp.empty(m, dtype=np.int64)
    _bspline.basis(t, k, x, 0, 0, inv_h, vals, first)
    B = vals[0]
    order = xp.argsort(first, kind="stable").astype(np.int64)
    starts, stops = _ranges(first[order], n, k, xp)
    full = xp.empty((n, 2 * k + 1))
    part = xp.empty_like(rhs)
    stream = _stream()
    _gram_kernel[_blocks(n), THREADS, stream](B, B, first, w, order, starts, stops, full)
    _rhs_kernel[_blocks(n), THREADS, stream](B, first, w, y, order, starts, stops, part)
    ab += full[:, k:]
    rhs += part


@cuda.jit
def _chol_kernel(a, p, info):
    if cuda.grid(1) == 0:
        info[0] = band_cholesky(a, a.shape[0], p)


@cuda.jit
def _chol_solve_kernel(a, p, b):
    if cuda.grid(1) == 0:
        band_cholesky_solve(a, a.shape[0], p, b)


@cuda.jit
def _selinv_kernel(a, p, z):
    if cuda.grid(1) == 0:
        band_selected_inverse(a, a.shape[0], p, z)


def cholesky(a, p):
    """Same contract as ``cpu.fitting.cholesky`` (one device thread; returns ``info``)."""
    xp = _xp(a)
    info = xp.zeros(1, dtype=np.int64)
    _chol_kernel[1, 1, _stream()](a, p, info)
    return int(info[0])


def cholesky_solve(a, p, b):
    _chol_solve_kernel[1, 1, _stream()](a, p, b)


def selected_inverse(a, p, z):
    _selinv_kernel[1, 1, _stream()](a, p, z)


@cuda.jit
def _fitted_kernel(B, first, c, out):
    i = cuda.grid(1)
    if i < B.shape[0]:
        fitted_point(B, first, c, i, out)


def fitted(B, first, c, out):
    """Same contract as ``cpu.fitting.fitted``."""
    _fitted_kernel[_blocks(B.shape[0]), THREADS, _stream()](B, first, c, out)
