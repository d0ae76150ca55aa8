"""GPU launchers: numba-cuda kernels over the same scalar routines, one thread per point.

Arrays are CuPy arrays on the device (or NumPy arrays under ``NUMBA_ENABLE_CUDASIM=1``, which is
how CI runs these kernels).  Kernels are launched on CuPy's current stream so that they order
correctly with CuPy's own work.  Scratch lives in ``cuda.local.array`` sized for ``MAXK``.
"""

from __future__ import annotations

from numba import cuda, float64

from .. import _compile
from ..scalar import bspline as _bspline_src
from ._launch import THREADS, blocks, stream

S = _compile.gpu_compile(_bspline_src)
MAXK = _bspline_src.MAXK
MAXK1 = _bspline_src.MAXK1


@cuda.jit
def _evaluate_kernel(t, c, k, x, nu, mode, inv_h, table, out):
    i = cuda.grid(1)
    if i < x.shape[0]:
        N = cuda.local.array(MAXK1, float64)
        U = cuda.local.array(MAXK1, float64)
        left = cuda.local.array(MAXK1, float64)
        right = cuda.local.array(MAXK1, float64)
        S.eval_point(t, c, k, x[i], nu, mode, inv_h, table, out, i, N, U, left, right)


def evaluate(t, c, k, x, nu, mode, inv_h, table, out):
    """Same contract as ``splinekit._kernels.cpu.bspline.evaluate``."""
    launch = _evaluate_kernel[blocks(x.shape[0]), THREADS, stream()]
    launch(t, c, k, x, nu, mode, inv_h, table, out)


@cuda.jit
def _basis_kernel(t, k, x, nu0, mode, inv_h, out, first):
    i = cuda.grid(1)
    if i < x.shape[0]:
        N = cuda.local.array(MAXK1, float64)
        left = cuda.local.array(MAXK1, float64)
        right = cuda.local.array(MAXK1, float64)
        S.basis_point(t, k, x[i], nu0, mode, inv_h, out, first, i, N, left, right)


def basis(t, k, x, nu0, mode, inv_h, out, first):
    """Same contract as ``splinekit._kernels.cpu.bspline.basis``."""
    launch = _basis_kernel[blocks(x.shape[0]), THREADS, stream()]
    launch(t, k, x, nu0, mode, inv_h, out, first)
