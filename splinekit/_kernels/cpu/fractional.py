"""CPU launchers of the fractional family: prange over chunks around the scalar routines.

* ``moments(t, p, js, glx, glw, mom)``: ``mom[j, :]`` for every ``j`` in ``js``.
* ``pairs(t, p, js, x, side, coef, mom, glx, glw, out)``: ``out[q] = D N_{js[q]}(x[q])``.
* ``spline(t, p, c, x, side, coef, mom, glx, glw, out)``:
  ``out[i, col] = sum_j c[j, col] D N_j(x[i])`` (``c`` is (n, ncols)).

``D`` is the Riesz derivative (``side = 0``) or the left/right Riemann-Liouville one (1, 2).
Scratch (five vectors of ``p + 2``) is allocated once per chunk, never per point.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .. import _compile
from ..scalar import fractional as _src

S = _compile.cpu_compile(_src)
_frac_point = S.frac_point
moments_point = S.moments_point

CHUNK = 1024  # items per parallel task
SERIAL_BELOW = 512  # a parallel region costs ~tens of microseconds; the items cost ~1 us


@njit(**_compile.CPU_OPTIONS)
def frac_point(t, p, j, mom, x, side, coef, glx, glw, tl, tr, D, E, W):
    """The scalar routine behind one compiled wrapper: the two launchers call it rather than
    inlining it twice (each inlined copy costs ~15 s of first-run JIT on 2 cores)."""
    return _frac_point(t, p, j, mom, x, side, coef, glx, glw, tl, tr, D, E, W)


@njit(**_compile.CPU_OPTIONS)
def _moments_range(t, p, js, glx, glw, mom, start, stop):
    tl = np.empty(p + 2)
    D = np.empty(p + 2)
    W = np.empty(p + 2)
    for q in range(start, stop):
        moments_point(t, p, js[q], mom, glx, glw, tl, D, W)


def moments(t, p, js, glx, glw, mom):
    """Moments ``mom[j, m]`` (about the support centre) of the B-splines ``js``."""
    _moments_range(t, p, js, glx, glw, mom, 0, js.shape[0])


@njit(**_compile.CPU_OPTIONS)
def _pairs_range(t, p, js, x, side, coef, mom, glx, glw, out, start, stop):
    tl = np.empty(p + 2)
    tr = np.empty(p + 2)
    D = np.empty(p + 2)
    E = np.empty(p + 2)
    W = np.empty(p + 2)
    for q in range(start, stop):
        out[q] = frac_point(t, p, js[q], mom, x[q], side, coef, glx, glw, tl, tr, D, E, W)


@njit(**_compile.CPU_PARALLEL_OPTIONS)
def _pairs_parallel(t, p, js, x, side, coef, mom, glx, glw, out):
    m = x.shape[0]
    nchunks = (m + CHUNK - 1) // CHUNK
    for ic in prange(nchunks):
        _pairs_range(
            t, p, js, x, side, coef, mom, glx, glw, out, ic * CHUNK, min(m, (ic + 1) * CHUNK)
        )


def pairs(t, p, js, x, side, coef, mom, glx, glw, out):
    """``out[q]``: derivative of B-spline ``js[q]`` at ``x[q]``."""
    if x.shape[0] < SERIAL_BELOW:
        _pairs_range(t, p, js, x, side, coef, mom, glx, glw, out, 0, x.shape[0])
    else:
        _pairs_parallel(t, p, js, x, side, coef, mom, glx, glw, out)


@njit(**_compile.CPU_OPTIONS)
def _spline_range(t, p, c, x, side, coef, mom, glx, glw, out, start, stop):
    tl = np.empty(p + 2)
    tr = np.empty(p + 2)
    D = np.empty(p + 2)
    E = np.empty(p + 2)
    W = np.empty(p + 2)
    for i in range(start, stop):
        for col in range(c.shape[1]):
            out[i, col] = 0.0
        for j in range(c.shape[0]):
            v = frac_point(t, p, j, mom, x[i], side, coef, glx, glw, tl, tr, D, E, W)
            for col in range(c.shape[1]):
                out[i, col] += c[j, col] * v


@njit(**_compile.CPU_PARALLEL_OPTIONS)
def _spline_parallel(t, p, c, x, side, coef, mom, glx, glw, out):
    m = x.shape[0]
    step = 16  # a point costs O(n) derivative evaluations: small chunks balance well
    nchunks = (m + step - 1) // step
    for ic in prange(nchunks):
        _spline_range(
            t, p, c, x, side, coef, mom, glx, glw, out, ic * step, min(m, (ic + 1) * step)
        )


def spline(t, p, c, x, side, coef, mom, glx, glw, out):
    """``out[i, :] = sum_j c[j, :] D N_j(x[i])``."""
    if x.shape[0] * c.shape[0] < SERIAL_BELOW * 8:
        _spline_range(t, p, c, x, side, coef, mom, glx, glw, out, 0, x.shape[0])
    else:
        _spline_parallel(t, p, c, x, side, coef, mom, glx, glw, out)
