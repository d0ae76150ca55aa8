"""CPU launchers of the adaptive method's a posteriori error estimate (see scalar/adaptive.py).

The adaptive construction runs on the host (``f`` is a Python callable), so this family has no
GPU launchers.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from .. import _compile
from ..scalar import adaptive as _adaptive_src

S = _compile.cpu_compile(_adaptive_src)
interval_error = S.interval_error
fourth_derivative = S.fourth_derivative

CHUNK = 4096
SERIAL_BELOW = 8192


@njit(**_compile.CPU_OPTIONS)
def _errors_range(x, y, pos, slopes, out, start, stop):
    dd = np.empty(6, dtype=np.float64)
    n = x.shape[0]
    m = pos.shape[0]
    for r in range(start, stop):
        out[r] = interval_error(x, y, n, pos[r], slopes[r], slopes[m + r], dd)


@njit(**_compile.CPU_PARALLEL_OPTIONS)
def _errors_parallel(x, y, pos, slopes, out):
    m = pos.shape[0]
    nchunks = (m + CHUNK - 1) // CHUNK
    for ic in prange(nchunks):
        _errors_range(x, y, pos, slopes, out, ic * CHUNK, min(m, (ic + 1) * CHUNK))


def interval_errors(x, y, pos, slopes, out):
    """``out[r]`` = estimated ``max |f - S|`` on interval ``pos[r]`` of the nodes ``(x, y)``.

    ``slopes`` has length ``2 len(pos)``: the spline's slopes at ``x[pos]`` then at
    ``x[pos + 1]``.  Needs ``len(x) >= 6``.
    """
    if pos.shape[0] < SERIAL_BELOW:
        _errors_range(x, y, pos, slopes, out, 0, pos.shape[0])
    else:
        _errors_parallel(x, y, pos, slopes, out)


@njit(**_compile.CPU_OPTIONS)
def fourth_derivatives(x, y, pos, out):
    """``out[r]``: the fourth derivative estimated on interval ``pos[r]``, 12 times the sum of
    the two fourth divided differences of the 6 nodes around it (``scalar/adaptive``).  Serial:
    it serves the first pass, a handful of intervals.  Needs ``len(x) >= 6``.
    """
    dd = np.empty(6, dtype=np.float64)
    for r in range(pos.shape[0]):
        out[r] = fourth_derivative(x, y, x.shape[0], pos[r], dd)
