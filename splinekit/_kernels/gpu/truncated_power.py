"""GPU launchers for the truncated-power design matrix: one thread per point."""

from __future__ import annotations

from numba import cuda

from .. import _compile
from ..scalar import truncated_power as _tp_src
from ._launch import THREADS, blocks, stream

S = _compile.gpu_compile(_tp_src)
design_row = S.design_row


@cuda.jit
def _design_kernel(x, tau, k, nu, out):
    i = cuda.grid(1)
    if i < x.shape[0]:
        design_row(x[i], tau, k, nu, out, i)


def design(x, tau, k, nu, out):
    """Same contract as ``splinekit._kernels.cpu.truncated_power.design``."""
    _design_kernel[blocks(x.shape[0]), THREADS, stream()](x, tau, k, nu, out)
