"""CPU launchers for the truncated-power design matrix: ``prange`` over chunks of points."""

from __future__ import annotations

from numba import njit, prange

from .. import _compile
from ..scalar import truncated_power as _tp_src

S = _compile.cpu_compile(_tp_src)
design_row = S.design_row

CHUNK = 1024  # rows per parallel task
SERIAL_BELOW = 4096


@njit(**_compile.CPU_OPTIONS)
def _design_range(x, tau, k, nu, out, start, stop):
    for i in range(start, stop):
        design_row(x[i], tau, k, nu, out, i)


@njit(**_compile.CPU_PARALLEL_OPTIONS)
def _design_parallel(x, tau, k, nu, out):
    m = x.shape[0]
    for ic in prange((m + CHUNK - 1) // CHUNK):
        _design_range(x, tau, k, nu, out, ic * CHUNK, min(m, (ic + 1) * CHUNK))


def design(x, tau, k, nu, out):
    """``out[i, :] = `` row of the ``nu``-th derivative basis at ``x[i]``; ``out`` (m, k+1+M)."""
    if x.shape[0] < SERIAL_BELOW:
        _design_range(x, tau, k, nu, out, 0, x.shape[0])
    else:
        _design_parallel(x, tau, k, nu, out)
