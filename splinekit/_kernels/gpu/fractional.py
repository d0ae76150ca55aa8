"""GPU launchers of the fractional family: numba-cuda kernels, one thread per item.

Same names and signatures as ``splinekit._kernels.cpu.fractional``.  Arrays are CuPy arrays on
the device (NumPy arrays under ``NUMBA_ENABLE_CUDASIM=1``).  Scratch is ``cuda.local.array``
sized for ``MAXP``; kernels run on CuPy's current stream.
"""

from __future__ import annotations

from numba import cuda, float64

from .. import _compile
from ..scalar import fractional as _src
from ._launch import THREADS
from ._launch import blocks as _blocks
from ._launch import stream as _stream

S = _compile.gpu_compile(_src)
frac_point = S.frac_point
moments_point = S.moments_point
MAXP2 = _src.MAXP2


@cuda.jit
def _moments_kernel(t, p, js, glx, glw, mom):
    q = cuda.grid(1)
    if q < js.shape[0]:
        tl = cuda.local.array(MAXP2, float64)
        D = cuda.local.array(MAXP2, float64)
        W = cuda.local.array(MAXP2, float64)
        moments_point(t, p, js[q], mom, glx, glw, tl, D, W)


def moments(t, p, js, glx, glw, mom):
    """Same contract as ``splinekit._kernels.cpu.fractional.moments``."""
    _moments_kernel[_blocks(js.shape[0]), THREADS, _stream()](t, p, js, glx, glw, mom)


@cuda.jit
def _pairs_kernel(t, p, js, x, side, coef, mom, glx, glw, out):
    q = cuda.grid(1)
    if q < x.shape[0]:
        tl = cuda.local.array(MAXP2, float64)
        tr = cuda.local.array(MAXP2, float64)
        D = cuda.local.array(MAXP2, float64)
        E = cuda.local.array(MAXP2, float64)
        W = cuda.local.array(MAXP2, float64)
        out[q] = frac_point(t, p, js[q], mom, x[q], side, coef, glx, glw, tl, tr, D, E, W)


def pairs(t, p, js, x, side, coef, mom, glx, glw, out):
    """Same contract as ``splinekit._kernels.cpu.fractional.pairs``."""
    _pairs_kernel[_blocks(x.shape[0]), THREADS, _stream()](
        t, p, js, x, side, coef, mom, glx, glw, out
    )


@cuda.jit
def _spline_kernel(t, p, c, x, side, coef, mom, glx, glw, out):
    i = cuda.grid(1)
    if i < x.shape[0]:
        tl = cuda.local.array(MAXP2, float64)
        tr = cuda.local.array(MAXP2, float64)
        D = cuda.local.array(MAXP2, float64)
        E = cuda.local.array(MAXP2, float64)
        W = cuda.local.array(MAXP2, float64)
        for col in range(c.shape[1]):
            out[i, col] = 0.0
        for j in range(c.shape[0]):
            v = frac_point(t, p, j, mom, x[i], side, coef, glx, glw, tl, tr, D, E, W)
            for col in range(c.shape[1]):
                out[i, col] += c[j, col] * v


def spline(t, p, c, x, side, coef, mom, glx, glw, out):
    """Same contract as ``splinekit._kernels.cpu.fractional.spline``."""
    _spline_kernel[_blocks(x.shape[0]), THREADS, _stream()](
        t, p, c, x, side, coef, mom, glx, glw, out
    )
